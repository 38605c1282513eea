"""Expired idempotency keys are purged on a schedule (`idempotency_purge_seconds`), by the age
`idempotency_ttl_hours` gives them, in batches; live keys stay and still replay."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
from fastapi import FastAPI
from sqlalchemy import func, select

from mock_server.services.context import Sandbox
from mock_server.services.purge import BATCH, IdempotencyPurge
from mock_server.storage.models import IdempotencyRow
from tests.server.conftest import AUTH, BASE_URL

GUARD = 60  # seconds before a broken schedule fails the test instead of hanging it
Json = dict[str, Any]


def _keys(sandbox: Sandbox) -> list[str]:
    with sandbox.db.reader() as session:
        return sorted(session.scalars(select(IdempotencyRow.key)))


async def _create_customers(app: FastAPI, kit: Any, *keys: str) -> list[httpx.Response]:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url=BASE_URL, headers=AUTH) as c:
        return [
            await c.post(
                "/v1/customers",
                json=kit.identity(f"{key}@example.com"),
                headers={"Idempotency-Key": key},
            )
            for key in keys
        ]


def _purge(sandbox: Sandbox) -> IdempotencyPurge:
    assert isinstance(sandbox.purge, IdempotencyPurge)
    return sandbox.purge


async def test_the_schedule_purges_keys_once_the_sandbox_time_passes_their_ttl(
    make_app: Any, kit: Any
) -> None:
    app = make_app(seed=7, webhook_worker=False, idempotency_purge_seconds=1)
    sandbox: Sandbox = app.state.sandbox
    purge = _purge(sandbox)
    assert purge.running
    await _create_customers(app, kit, "old")
    later = datetime.now(UTC) + timedelta(hours=25)
    sandbox.wall = lambda: later  # a day and an hour on: "old" has expired
    await _create_customers(app, kit, "new")
    assert _keys(sandbox) == ["new", "old"]
    passes = purge.passes
    assert purge.wait_for_pass(passes + 1, GUARD)  # a whole pass after the clock moved
    assert _keys(sandbox) == ["new"]
    (again,) = await _create_customers(app, kit, "new")
    assert again.headers.get("Idempotent-Replayed") == "true"  # a live key still replays


async def test_a_purge_interval_of_zero_runs_no_schedule(make_app: Any, kit: Any) -> None:
    app = make_app(seed=7, webhook_worker=False, idempotency_purge_seconds=0)
    sandbox: Sandbox = app.state.sandbox
    assert not _purge(sandbox).running
    await _create_customers(app, kit, "old")
    later = datetime.now(UTC) + timedelta(hours=25)
    sandbox.wall = lambda: later
    assert _keys(sandbox) == ["old"]  # expired, kept until it is reused
    (reused,) = await _create_customers(app, kit, "old")
    assert reused.status_code == 201 and "Idempotent-Replayed" not in reused.headers


async def test_the_ttl_decides_which_keys_a_purge_removes(make_app: Any, kit: Any) -> None:
    kept, gone = (
        make_app(seed=7, webhook_worker=False, idempotency_purge_seconds=0,
                 idempotency_ttl_hours=hours)
        for hours in (48, 24)
    )  # fmt: skip
    later = datetime.now(UTC) + timedelta(hours=25)
    for app in (kept, gone):
        await _create_customers(app, kit, "key-1")
        app.state.sandbox.wall = lambda: later
    assert _purge(kept.state.sandbox).run_once() == 0
    assert _keys(kept.state.sandbox) == ["key-1"]
    assert _purge(gone.state.sandbox).run_once() == 1
    assert _keys(gone.state.sandbox) == []


def test_a_backlog_larger_than_a_batch_is_purged_whole(sandbox: Sandbox) -> None:
    created = datetime.now(UTC) - timedelta(days=3)
    with sandbox.db.transaction() as session:
        session.add_all(
            IdempotencyRow(
                merchant_id="mer_backlog",
                key=f"k{n}",
                created=created,
                method="POST",
                path="/v1/customers",
                fingerprint="f",
                request_body="{}",
                state="done",
                status_code=201,
                response_body="{}",
            )
            for n in range(2 * BATCH + 7)
        )
    assert _purge(sandbox).run_once() == 2 * BATCH + 7
    with sandbox.db.reader() as session:
        assert session.scalar(select(func.count()).select_from(IdempotencyRow)) == 0
