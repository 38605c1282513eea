"""Delivery leases: with several sandbox processes on one database, each attempt is made by one.

Two dispatchers over the same database stand for two processes (on PostgreSQL with `--db
postgresql` the claim is `FOR UPDATE SKIP LOCKED`); a lease is taken in the claiming transaction
and cleared when the attempt is recorded.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import select, update

from mock_server.services.context import Sandbox
from mock_server.services.dispatcher import SENDERS, WebhookDispatcher
from mock_server.settings import Settings
from mock_server.storage.models import WebhookDeliveryRow


class Clock:
    """A wall clock the test moves."""

    def __init__(self) -> None:
        self.now = datetime.now(UTC)

    def __call__(self) -> datetime:
        return self.now


def _process(sandbox: Sandbox, seen: list[str], clock: Clock, status: int = 200) -> Any:
    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(json.loads(request.content)["id"])
        return httpx.Response(status)

    return WebhookDispatcher(
        sandbox.db, wall=clock, transport=httpx.MockTransport(answer), background=False
    )


async def _events(client: httpx.AsyncClient, kit: Any, count: int) -> None:
    created = await client.post(
        "/v1/webhook_endpoints", json={"url": "https://shop.example.com/hooks"}
    )
    assert created.status_code == 201
    for n in range(count):
        await client.post("/v1/customers", json=kit.identity(f"lease{n}@example.com"))


def _deliveries(sandbox: Sandbox) -> list[WebhookDeliveryRow]:
    with sandbox.db.reader() as session:
        rows = list(session.scalars(select(WebhookDeliveryRow).order_by(WebhookDeliveryRow.seq)))
        for row in rows:
            session.expunge(row)
        return rows


async def test_a_leased_delivery_is_not_attempted_by_another_process(
    client: httpx.AsyncClient, sandbox: Sandbox, kit: Any
) -> None:
    await _events(client, kit, 3)
    clock, first_seen, second_seen = Clock(), [], []
    first = _process(sandbox, first_seen, clock)
    second = _process(sandbox, second_seen, clock)
    jobs = first._due_jobs()  # the first process leases all three, then is slow to post
    assert len(jobs) == 3
    assert second.deliver_due() == 0
    assert all(d.lease_expires_at is not None for d in _deliveries(sandbox))
    for job in jobs:
        first._attempt(job)
    assert second.deliver_due() == 0  # delivered: nothing left for anyone
    assert sorted(first_seen) == sorted(d.event_id for d in _deliveries(sandbox))
    assert second_seen == []
    assert all(d.lease_expires_at is None for d in _deliveries(sandbox))


async def test_a_retry_is_due_to_whichever_process_comes_first_once(
    client: httpx.AsyncClient, sandbox: Sandbox, kit: Any
) -> None:
    await _events(client, kit, 1)
    clock, first_seen, second_seen = Clock(), [], []
    failing = _process(sandbox, first_seen, clock, status=503)
    assert failing.deliver_due() == 1
    other = _process(sandbox, second_seen, clock)
    assert other.deliver_due() == 0  # the retry is not due for a second
    clock.now += timedelta(seconds=1)
    assert other.deliver_due() == 1
    assert failing.deliver_due() == 0
    (delivery,) = _deliveries(sandbox)
    assert [a["status_code"] for a in delivery.attempts] == [503, 200]
    assert delivery.status == "succeeded"


async def test_a_lease_left_by_a_dead_process_expires(
    client: httpx.AsyncClient, sandbox: Sandbox, kit: Any
) -> None:
    await _events(client, kit, 1)
    clock, dead_seen, seen = Clock(), [], []
    assert len(_process(sandbox, dead_seen, clock)._due_jobs()) == 1  # leased, never attempted
    survivor = _process(sandbox, seen, clock)
    assert survivor.deliver_due() == 0
    clock.now += timedelta(minutes=5)
    assert survivor.deliver_due() == 1
    assert dead_seen == [] and len(seen) == 1


async def test_a_stopping_process_gives_back_the_leases_it_will_not_use(
    client: httpx.AsyncClient, sandbox: Sandbox, kit: Any
) -> None:
    await _events(client, kit, 2)
    clock, seen = Clock(), []
    stopping = _process(sandbox, seen, clock)
    stopping.stop()
    assert stopping.deliver_due() == 2  # claimed, then released at once: stopped before posting
    assert seen == []
    assert all(d.lease_expires_at is None for d in _deliveries(sandbox))
    assert _process(sandbox, seen, clock).deliver_due() == 2


async def test_a_process_leases_nothing_for_an_endpoint_it_is_already_serving(
    client: httpx.AsyncClient, sandbox: Sandbox, kit: Any
) -> None:
    await _events(client, kit, 0)
    hanging = await client.post("/v1/webhook_endpoints", json={"url": "https://slow.example.com/h"})
    for n in range(2):
        await client.post("/v1/customers", json=kit.identity(f"busy{n}@example.com"))
    clock, seen = Clock(), []
    serving, other = _process(sandbox, seen, clock), _process(sandbox, seen, clock)
    serving._busy.add(hanging.json()["id"])  # a sender of this process hangs on it
    leased = serving._due_jobs()
    assert len(leased) == 2 and all(j.endpoint_id != hanging.json()["id"] for j in leased)
    taken = other._due_jobs()  # the other process serves the hanging endpoint's events
    assert [j.endpoint_id for j in taken] == [hanging.json()["id"]] * 2


async def test_a_process_with_every_sender_busy_leases_nothing(
    client: httpx.AsyncClient, sandbox: Sandbox, kit: Any
) -> None:
    await _events(client, kit, 1)
    clock, seen = Clock(), []
    full = _process(sandbox, seen, clock)
    full._busy.update(f"we_busy{n}" for n in range(SENDERS))
    assert full._due_jobs() == []
    assert all(d.lease_expires_at is None for d in _deliveries(sandbox))


async def test_a_sandbox_restarted_on_its_sqlite_file_takes_back_a_dead_runs_leases(
    make_app: Any, tmp_path: Path, kit: Any
) -> None:
    url = f"sqlite:///{tmp_path / 'sandbox.db'}"
    first = make_app(Settings(db=url, webhook_worker=False))
    transport = httpx.ASGITransport(app=first)
    auth = {"Authorization": "Bearer sk_test_demo"}
    async with httpx.AsyncClient(transport=transport, base_url="http://t", headers=auth) as c:
        await _events(c, kit, 2)
    with first.state.sandbox.db.transaction() as session:  # a run killed mid-attempt
        session.execute(
            update(WebhookDeliveryRow).values(
                lease_expires_at=datetime.now(UTC) + timedelta(minutes=2)
            )
        )
    first.state.sandbox.close()
    leased = _deliveries(first.state.sandbox)
    assert leased and all(row.lease_expires_at is not None for row in leased)

    second = make_app(Settings(db=url, webhook_worker=False))
    after = _deliveries(second.state.sandbox)
    assert [row.seq for row in after] == [row.seq for row in leased]
    assert all(row.lease_expires_at is None and row.status == "pending" for row in after)
