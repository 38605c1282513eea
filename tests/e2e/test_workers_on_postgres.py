"""Two sandbox processes on one PostgreSQL (`mock-server --workers 2`): concurrent checkouts,
clock advances and webhook-generating events through both; every delivery is attempted once per
attempt of its schedule, no event is lost, and an idempotency race still has one side effect.

The suite's local cluster holds the database; the receiver fails the first delivery of every
`loan.captured` event, so those events follow the retry schedule (a second attempt after 1 s).
"""

from __future__ import annotations

import asyncio
import itertools
import json
import subprocess
import sys
import threading
from collections import Counter
from collections.abc import Iterator
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import create_engine, select

from mock_server.local_postgres import free_port
from mock_server.storage.models import WebhookDeliveryRow

AUTH = {"Authorization": "Bearer sk_test_demo"}
IDENTITY = ("name", "phone", "date_of_birth", "address", "national_id_last4", "locale")


def _cart(customer: dict[str, Any]) -> dict[str, Any]:
    """A 1,200.00 USD cart for the customer."""
    return {
        "items": [{"sku": "sku-1", "name": "Road bike", "unit_amount": 117_000, "quantity": 1}],
        "shipping_amount": 1_000, "tax_amount": 2_000, "amount": 120_000, "currency": "USD",
        "customer": customer,
    }  # fmt: skip


def _approved_customer(persona: dict[str, Any], n: int) -> dict[str, Any]:
    """The persona, its email made unique and tagged +approve."""
    local, _, domain = persona["email"].partition("@")
    return {**{k: persona[k] for k in IDENTITY}, "email": f"{local}.{n}+approve@{domain}"}


JOURNEYS = 12
RACERS = 12


class Receiver(ThreadingHTTPServer):
    """Records each delivery's event id; answers 500 to the first try of a loan.captured."""

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.received: list[tuple[str, str]] = []  # (event id, type), in arrival order
        self.changed = threading.Condition()

    def record(self, event_id: str, kind: str) -> int:
        """Note one delivery; answer the status to reply with."""
        with self.changed:
            first = all(seen != event_id for seen, _ in self.received)
            self.received.append((event_id, kind))
            self.changed.notify_all()
        return 500 if kind == "loan.captured" and first else 200

    def wait_for(self, expected: Counter[str]) -> bool:
        """Block until the deliveries per event id reach `expected` (False on timeout)."""
        with self.changed:
            return self.changed.wait_for(
                lambda: Counter(e for e, _ in self.received) == expected, timeout=180
            )


class _Handler(BaseHTTPRequestHandler):
    server: Receiver

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        status = self.server.record(body["id"], body["type"])
        self.send_response(status)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *_: Any) -> None:
        return


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    server = Receiver()
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server
    server.shutdown()
    server.server_close()


class TwoWorkers:
    """`mock-server --workers 2` on a database of the suite's cluster."""

    def __init__(self, database: str, log: Path) -> None:
        self.database = database
        self.base = f"http://127.0.0.1:{free_port()}"
        self._log = log.open("w")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "mock_server", "--db", database, "--workers", "2",
             "--port", self.base.rsplit(":", 1)[1], "--log-level", "warning"],
            stdout=subprocess.PIPE, stderr=self._log, text=True,
        )  # fmt: skip
        assert self.process.stdout is not None
        banner = self.process.stdout.readline()  # printed once the socket listens
        assert "2 workers" in banner, log.read_text()

    def stop(self) -> None:
        """SIGTERM: each process finishes (and records) the delivery attempt in flight."""
        if self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=60)
        if self.process.stdout is not None:
            self.process.stdout.close()
        self._log.close()


@pytest.fixture
def sandbox(postgres_database: str, tmp_path: Path) -> Iterator[TwoWorkers]:
    """Two workers on a new database, stopped after the test."""
    workers = TwoWorkers(postgres_database, tmp_path / "server.log")
    yield workers
    workers.stop()


async def _post(base: str, path: str, body: dict[str, Any], **headers: str) -> httpx.Response:
    """One request on its own connection, so the kernel hands it to either process."""
    async with httpx.AsyncClient(base_url=base, headers=AUTH, timeout=60) as client:
        return await client.post(path, json=body, headers=headers)


async def _journey(base: str, persona: dict[str, Any], n: int) -> set[str]:
    created = await _post(base, "/v1/checkouts", _cart(_approved_customer(persona, n)))
    offer = next(o["id"] for o in created.json()["offers"] if o["plan"] == "monthly_12")
    path = f"/v1/checkouts/{created.json()['id']}/confirm"
    confirmed = await _post(base, path, {"offer": offer, "consent": True})
    assert confirmed.json()["status"] == "approved", confirmed.text
    captured = await _post(base, f"/v1/loans/{confirmed.json()['loan']}/capture", {})
    assert captured.status_code == 200, captured.text
    return {r.headers["installo-sandbox-process"] for r in (created, confirmed, captured)}


async def _all_events(base: str) -> list[dict[str, Any]]:
    events: list[dict[str, Any]] = []
    async with httpx.AsyncClient(base_url=base, headers=AUTH, timeout=60) as client:
        params: dict[str, Any] = {"limit": 100}
        while True:
            page = (await client.get("/v1/events", params=params)).json()
            events += page["data"]
            if not page["has_more"]:
                return events
            params["starting_after"] = page["data"][-1]["id"]


async def _drive(base: str, receiver_url: str) -> set[str]:
    """Everything the test sends; answers the processes that served it."""
    endpoint = await _post(base, "/v1/webhook_endpoints", {"url": receiver_url})
    assert endpoint.status_code == 201, endpoint.text
    async with httpx.AsyncClient(base_url=base, headers=AUTH) as client:
        params = {"tier": "prime", "limit": JOURNEYS}
        personas = (await client.get("/v1/sandbox/personas", params=params)).json()["data"]
    served = await asyncio.gather(*(_journey(base, p, n) for n, p in enumerate(personas)))
    race = _cart(_approved_customer(personas[0], 10_000))
    racers = await asyncio.gather(
        *(
            _post(base, "/v1/checkouts", race, **{"Idempotency-Key": "race-1"})
            for _ in range(RACERS)
        )
    )
    assert {r.status_code for r in racers} <= {201, 409}
    assert len({r.json()["id"] for r in racers if r.status_code == 201}) == 1
    advances = await asyncio.gather(
        *(_post(base, "/v1/sandbox/clock/advance", {"days": 16}) for _ in range(2))
    )
    assert [a.status_code for a in advances] == [200, 200]
    moved = sorted(datetime.fromisoformat(a.json()["now"]) for a in advances)
    assert (moved[1] - moved[0]).days == 16  # one advance after the other, never both at once
    return set().union(*served, {r.headers["installo-sandbox-process"] for r in racers})


def test_two_workers_share_one_sandbox(sandbox: TwoWorkers, receiver: Receiver) -> None:
    url = f"http://127.0.0.1:{receiver.server_address[1]}/hooks"
    processes = asyncio.run(_drive(sandbox.base, url))
    assert len(processes) == 2, "requests reached only one process"

    events = asyncio.run(_all_events(sandbox.base))
    kinds = Counter(e["type"] for e in events)
    assert kinds["checkout.created"] == JOURNEYS + 1  # the race opened one checkout
    assert kinds["loan.captured"] == JOURNEYS
    expected = Counter({e["id"]: 2 if e["type"] == "loan.captured" else 1 for e in events})
    assert receiver.wait_for(expected), Counter(e for e, _ in receiver.received) - expected
    sandbox.stop()

    engine = create_engine(sandbox.database)
    with engine.connect() as connection:
        deliveries = connection.execute(select(WebhookDeliveryRow)).all()
    engine.dispose()
    assert sorted(d.event_id for d in deliveries) == sorted(expected)  # one delivery per event
    for delivery in deliveries:
        times = [datetime.fromisoformat(a["at"]) for a in delivery.attempts]
        assert len(times) == expected[delivery.event_id], delivery.attempts
        assert delivery.status == "succeeded"
        assert all((b - a).total_seconds() >= 1 for a, b in itertools.pairwise(times))
