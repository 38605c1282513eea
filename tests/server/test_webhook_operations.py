"""Webhook operations: attempts readable through the API with status and latency, an endpoint
that keeps failing is disabled with an event, a real loopback receiver checks every signature
with its own HMAC code, and the background worker stops when its sandbox closes."""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
import pytest

from mock_server.services.context import Sandbox
from mock_server.services.dispatcher import MAX_ATTEMPTS, WebhookDispatcher
from mock_server.settings import IN_MEMORY_DB
from tests.merchant_applications import complete_application


class MovingClock:
    """A wall clock the test moves."""

    def __init__(self) -> None:
        self.now = datetime.now(UTC)

    def __call__(self) -> datetime:
        return self.now


def failing_worker(sandbox: Sandbox, clock: MovingClock, status: int = 500) -> WebhookDispatcher:
    return WebhookDispatcher(
        sandbox.db,
        transport=httpx.MockTransport(lambda request: httpx.Response(status)),
        background=False,
        wall=clock,
    )


async def subscribe(client: httpx.AsyncClient, url: str, **body: Any) -> dict[str, Any]:
    response = await client.post("/v1/webhook_endpoints", json={"url": url, **body})
    assert response.status_code == 201, response.text
    endpoint: dict[str, Any] = response.json()
    return endpoint


async def test_each_attempt_is_readable_with_status_and_latency(
    client: httpx.AsyncClient, sandbox: Sandbox, kit: Any
) -> None:
    endpoint = await subscribe(client, "https://shop.example.com/hooks")
    await client.post("/v1/customers", json=kit.identity())
    clock = MovingClock()
    worker = failing_worker(sandbox, clock, status=503)
    worker.deliver_due()
    clock.now += timedelta(seconds=1)
    worker.deliver_due()
    response = await client.get(f"/v1/webhook_endpoints/{endpoint['id']}/deliveries")
    assert response.status_code == 200, response.text
    [delivery] = response.json()["data"]
    assert (delivery["status"], delivery["attempt_count"]) == ("pending", 2)
    assert [a["status_code"] for a in delivery["attempts"]] == [503, 503]
    assert all(
        isinstance(a["latency_ms"], int) and a["latency_ms"] >= 0 for a in delivery["attempts"]
    )
    assert delivery["next_attempt_at"] is not None
    event = (await client.get(f"/v1/events/{delivery['event']}")).json()
    assert event["type"] == "customer.created"


async def test_an_endpoint_failing_every_attempt_is_disabled_with_an_event(
    client: httpx.AsyncClient, sandbox: Sandbox, kit: Any
) -> None:
    failing = await subscribe(client, "https://down.example.com/hooks")
    await subscribe(
        client, "https://ops.example.com/hooks", enabled_events=["webhook_endpoint.disabled"]
    )
    await client.post("/v1/customers", json=kit.identity())
    clock = MovingClock()
    worker = WebhookDispatcher(
        sandbox.db,
        transport=httpx.MockTransport(
            lambda r: httpx.Response(500 if r.url.host == "down.example.com" else 200)
        ),
        background=False,
        wall=clock,
    )
    for _ in range(MAX_ATTEMPTS):
        worker.deliver_due()
        clock.now += timedelta(minutes=1)
    worker.deliver_due()  # the disabled event, to the endpoint that wants it
    endpoint = (await client.get(f"/v1/webhook_endpoints/{failing['id']}")).json()
    assert endpoint["status"] == "disabled"
    assert f"failed {MAX_ATTEMPTS} attempts" in endpoint["disabled_reason"]
    events = (await client.get("/v1/events", params={"type": "webhook_endpoint.disabled"})).json()
    assert [e["data"]["object"]["id"] for e in events["data"]] == [failing["id"]]
    deliveries = (await client.get(f"/v1/webhook_endpoints/{failing['id']}/deliveries")).json()
    assert [d["status"] for d in deliveries["data"]] == ["failed"]
    assert len(deliveries["data"][0]["attempts"]) == MAX_ATTEMPTS


async def test_a_disabled_endpoint_is_sent_nothing_more(
    client: httpx.AsyncClient, sandbox: Sandbox, kit: Any
) -> None:
    failing = await subscribe(client, "https://down.example.com/hooks")
    await client.post("/v1/customers", json=kit.identity())
    clock = MovingClock()
    worker = failing_worker(sandbox, clock)
    for _ in range(MAX_ATTEMPTS):
        worker.deliver_due()
        clock.now += timedelta(minutes=1)
    await client.post("/v1/customers", json=kit.identity("grace.hopper@example.com"))
    assert worker.deliver_due() == 0
    deliveries = (await client.get(f"/v1/webhook_endpoints/{failing['id']}/deliveries")).json()
    assert len(deliveries["data"]) == 1
    enabled = await client.post(f"/v1/webhook_endpoints/{failing['id']}/enable")
    assert (enabled.json()["status"], enabled.json()["disabled_reason"]) == ("enabled", None)
    await client.post("/v1/customers", json=kit.identity("alan.turing@example.com"))
    assert worker.deliver_due() == 1  # the next event goes out again


async def test_another_merchants_endpoint_and_its_deliveries_are_404(
    client: httpx.AsyncClient, anonymous: httpx.AsyncClient
) -> None:
    endpoint = await subscribe(client, "https://shop.example.com/hooks")
    application = {
        "legal_name": "Fabrikam Outdoor", "mcc": "5941", "country": "US", "currency": "USD",
        "website": "https://fabrikam-outdoor.example.com", "years_in_business": 6,
        "expected_monthly_volume": 800_000, "contact_email": "ops@fabrikam-outdoor.example.com",
    }  # fmt: skip
    key = (await anonymous.post("/v1/merchants", json=complete_application(application))).json()[
        "secret_key"
    ]
    other = {"Authorization": f"Bearer {key}"}
    for path in (endpoint["id"], f"{endpoint['id']}/deliveries"):
        response = await anonymous.get(f"/v1/webhook_endpoints/{path}", headers=other)
        assert response.status_code == 404


class SignedInbox(BaseHTTPRequestHandler):
    """A loopback receiver keeping each delivery's raw body and signature header."""

    received: list[tuple[bytes, str]]

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        self.server.received.append((body, self.headers["Installo-Signature"]))  # type: ignore[attr-defined]
        self.send_response(204)
        self.end_headers()

    def log_message(self, format: str, *args: object) -> None:
        """Quiet."""


@pytest.fixture
def loopback() -> Iterator[ThreadingHTTPServer]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), SignedInbox)
    server.received = []  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()
    thread.join()


def signature_is_valid(body: bytes, header: str, secret: str, now: float) -> bool:
    """Our own check of `Installo-Signature` (not the SDK's): HMAC-SHA256 over "t.body"."""
    parts = dict(part.split("=", 1) for part in header.split(","))
    timestamp = int(parts["t"])
    expected = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    fresh = abs(now - timestamp) <= 300
    return fresh and hmac.compare_digest(expected.hexdigest(), parts["v1"])


async def test_a_real_receiver_verifies_every_delivery_with_its_own_hmac(
    loopback: ThreadingHTTPServer, make_app: Any, kit: Any
) -> None:
    app = make_app(seed=7, webhook_worker=True)
    transport = httpx.ASGITransport(app=app)
    url = f"http://127.0.0.1:{loopback.server_address[1]}/hooks"
    async with httpx.AsyncClient(
        transport=transport, base_url="http://t", headers=kit.auth
    ) as client:
        secret = (await subscribe(client, url))["secret"]
        await client.post("/v1/checkouts", json=kit.cart())
        expected = (await client.get("/v1/events")).json()["data"]
    received: list[tuple[bytes, str]] = loopback.received  # type: ignore[attr-defined]
    for _ in range(500):  # waiting for the background worker, not timing it
        if len(received) >= len(expected):
            break
        time.sleep(0.02)
    assert len(received) == len(expected) == 2
    assert all(signature_is_valid(body, header, secret, time.time()) for body, header in received)
    assert not signature_is_valid(received[0][0] + b" ", received[0][1], secret, time.time())
    assert not signature_is_valid(received[0][0], received[0][1], "whsec_wrong", time.time())
    types = sorted(json.loads(body)["type"] for body, _ in received)
    assert types == ["checkout.created", "customer.created"]


async def test_closing_the_sandbox_stops_its_worker(make_app: Any, kit: Any) -> None:
    app = make_app(webhook_worker=True)
    sandbox: Sandbox = app.state.sandbox
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(
        transport=transport, base_url="http://t", headers=kit.auth
    ) as client:
        await subscribe(client, "http://127.0.0.1:9/unreachable")
        await client.post("/v1/customers", json=kit.identity())
    dispatcher = sandbox.dispatcher
    assert isinstance(dispatcher, WebhookDispatcher)
    assert dispatcher.running  # retrying an unreachable receiver
    sandbox.close()
    assert not dispatcher.running
    dispatcher.wake()  # a late commit does not bring it back
    assert not dispatcher.running


def test_a_new_in_memory_sandbox_starts_no_worker(make_app: Any) -> None:
    """Nothing can be pending in a database made a moment ago: building one starts no thread
    (a file database does wake its worker for what a previous run left, see test_webhook_leases)."""
    dispatcher = make_app(db=IN_MEMORY_DB, webhook_worker=True).state.sandbox.dispatcher
    assert isinstance(dispatcher, WebhookDispatcher)
    assert not dispatcher.running


async def test_a_sandbox_reopened_on_its_file_resumes_what_a_previous_run_left_pending(
    make_app: Any, tmp_path: Path, kit: Any
) -> None:
    url = f"sqlite:///{tmp_path / 'sandbox.db'}"
    first = make_app(db=url, webhook_worker=False)
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=first), base_url="http://t", headers=kit.auth
    ) as client:
        await subscribe(client, "http://127.0.0.1:9/unreachable")
        await client.post("/v1/customers", json=kit.identity())
    first.state.sandbox.close()
    dispatcher = make_app(db=url, webhook_worker=True).state.sandbox.dispatcher
    assert isinstance(dispatcher, WebhookDispatcher)
    assert dispatcher.running  # woken at build for what the first run left pending


async def test_clock_events_reach_the_endpoints_that_want_them(
    client: httpx.AsyncClient, sandbox: Sandbox, approved_loan: Any
) -> None:
    loan = await approved_loan(amount=90_000, plan="monthly_3_0apr")
    await client.post(f"/v1/loans/{loan['id']}/capture", json={})
    wanted = {"loan.payment_succeeded", "loan.paid_off"}
    await subscribe(client, "https://shop.example.com/hooks", enabled_events=sorted(wanted))
    advanced = (await client.post("/v1/sandbox/clock/advance", json={"days": 100})).json()
    sent: list[str] = []

    def inbox(request: httpx.Request) -> httpx.Response:
        sent.append(json.loads(request.content)["type"])
        return httpx.Response(200)

    worker = WebhookDispatcher(
        sandbox.db, transport=httpx.MockTransport(inbox), background=False, wall=MovingClock()
    )
    worker.deliver_due()
    # The advance also pays the merchant out (payout.*) and furnishes month-end files
    # (credit_report.furnished): those are recorded but stay away from this endpoint.
    assert set(advanced["events"]) - wanted
    assert advanced["events"]["credit_report.furnished"] >= 3
    expected = [t for t, n in advanced["events"].items() if t in wanted for _ in range(n)]
    assert sorted(sent) == sorted(expected)
    assert sent.count("loan.payment_succeeded") == 3
