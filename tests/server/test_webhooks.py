"""Webhook endpoints and deliveries: signed, at-least-once, retried with backoff, filtered."""

from __future__ import annotations

import json
import threading
import time
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, ClassVar

import httpx
import pytest
from fastapi import FastAPI
from installo.webhooks import verify_signature
from sqlalchemy import event, select, update

from mock_server.services.context import Sandbox
from mock_server.services.dispatcher import MAX_ATTEMPTS, WebhookDispatcher
from mock_server.storage.models import EventRow, WebhookDeliveryRow, WebhookEndpointRow
from tests.merchant_applications import complete_application


class Inbox:
    """A MockTransport handler that records deliveries and answers the statuses it is given."""

    def __init__(self, statuses: list[int] | None = None) -> None:
        self.requests: list[httpx.Request] = []
        self.statuses = list(statuses or [])

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        return httpx.Response(self.statuses.pop(0) if self.statuses else 200)

    @property
    def types(self) -> list[str]:
        return [json.loads(r.content)["type"] for r in self.requests]


class Clock:
    """A wall clock the test moves."""

    def __init__(self) -> None:
        self.now = datetime.now(UTC)

    def __call__(self) -> datetime:
        return self.now


async def subscribe(client: httpx.AsyncClient, **body: Any) -> dict[str, Any]:
    response = await client.post(
        "/v1/webhook_endpoints", json={"url": "https://shop.example.com/hooks", **body}
    )
    assert response.status_code == 201, response.text
    endpoint: dict[str, Any] = response.json()
    return endpoint


def dispatcher(
    sandbox: Sandbox, inbox: Inbox, clock: Clock | None = None, mode: str = "normal"
) -> WebhookDispatcher:
    return WebhookDispatcher(
        sandbox.db,
        transport=httpx.MockTransport(inbox),
        background=False,
        wall=clock or Clock(),
        mode=mode,
    )


def deliveries(sandbox: Sandbox) -> list[WebhookDeliveryRow]:
    with sandbox.db.reader() as session:
        rows = list(session.scalars(select(WebhookDeliveryRow).order_by(WebhookDeliveryRow.seq)))
        for row in rows:
            session.expunge(row)
        return rows


async def test_secret_is_shown_once_and_endpoints_can_be_deleted(
    client: httpx.AsyncClient,
) -> None:
    endpoint = await subscribe(client)
    assert endpoint["secret"].startswith("whsec_")
    assert (endpoint["enabled_events"], endpoint["status"]) == (["*"], "enabled")
    listed = (await client.get("/v1/webhook_endpoints")).json()["data"]
    assert [(e["id"], e["secret"]) for e in listed] == [(endpoint["id"], None)]
    deleted = await client.delete(f"/v1/webhook_endpoints/{endpoint['id']}")
    assert deleted.json() == {"id": endpoint["id"], "object": "webhook_endpoint", "deleted": True}
    again = await client.delete(f"/v1/webhook_endpoints/{endpoint['id']}")
    assert again.status_code == 404


async def test_non_http_urls_are_refused(client: httpx.AsyncClient) -> None:
    response = await client.post("/v1/webhook_endpoints", json={"url": "ftp://x.example.com"})
    assert (response.status_code, response.json()["error"]["param"]) == (422, "url")


async def test_events_are_delivered_signed_with_the_endpoint_secret(
    client: httpx.AsyncClient, sandbox: Sandbox, kit: Any
) -> None:
    endpoint = await subscribe(client)
    await client.post("/v1/customers", json=kit.identity())
    inbox = Inbox()
    assert dispatcher(sandbox, inbox).deliver_due() == 1
    [request] = inbox.requests
    verify_signature(request.content, request.headers["Installo-Signature"], endpoint["secret"])
    event = json.loads(request.content)
    assert (event["object"], event["type"]) == ("event", "customer.created")
    stored = (await client.get(f"/v1/events/{event['id']}")).json()
    assert stored == event
    assert [d.status for d in deliveries(sandbox)] == ["succeeded"]


async def test_enabled_events_filter_what_is_delivered(
    client: httpx.AsyncClient, sandbox: Sandbox, kit: Any
) -> None:
    await subscribe(client, enabled_events=["checkout.created"])
    await client.post("/v1/checkouts", json=kit.cart())
    inbox = Inbox()
    dispatcher(sandbox, inbox).deliver_due()
    assert inbox.types == ["checkout.created"]


async def test_failed_delivery_is_retried_with_backoff_and_every_attempt_recorded(
    client: httpx.AsyncClient, sandbox: Sandbox, kit: Any
) -> None:
    await subscribe(client)
    await client.post("/v1/customers", json=kit.identity())
    inbox, clock = Inbox([500, 503]), Clock()
    worker = dispatcher(sandbox, inbox, clock)
    assert worker.deliver_due() == 1
    assert worker.deliver_due() == 0  # not due again until its backoff passes
    clock.now += timedelta(seconds=1)
    assert worker.deliver_due() == 1
    clock.now += timedelta(seconds=1)
    assert worker.deliver_due() == 0  # the second backoff is two seconds
    clock.now += timedelta(seconds=1)
    assert worker.deliver_due() == 1
    [delivery] = deliveries(sandbox)
    assert delivery.status == "succeeded"
    assert [a["status_code"] for a in delivery.attempts] == [500, 503, 200]
    assert len({r.content for r in inbox.requests}) == 1  # the same event each time


async def test_delivery_gives_up_after_the_last_attempt(
    client: httpx.AsyncClient, sandbox: Sandbox, kit: Any
) -> None:
    await subscribe(client)
    await client.post("/v1/customers", json=kit.identity())
    inbox, clock = Inbox([500] * MAX_ATTEMPTS), Clock()
    worker = dispatcher(sandbox, inbox, clock)
    for _ in range(MAX_ATTEMPTS):
        assert worker.deliver_due() == 1
        clock.now += timedelta(minutes=5)
    assert worker.deliver_due() == 0
    [delivery] = deliveries(sandbox)
    assert (delivery.status, len(delivery.attempts)) == ("failed", MAX_ATTEMPTS)


async def test_another_merchants_endpoint_gets_nothing(
    client: httpx.AsyncClient, anonymous: httpx.AsyncClient, sandbox: Sandbox, kit: Any
) -> None:
    application = {
        "legal_name": "Woodgrove Garden Supply", "mcc": "5261", "country": "US",
        "currency": "USD", "website": "https://woodgrove-garden.example.com",
        "years_in_business": 4, "expected_monthly_volume": 900_000,
        "contact_email": "ops@woodgrove-garden.example.com",
    }  # fmt: skip
    key = (await anonymous.post("/v1/merchants", json=complete_application(application))).json()[
        "secret_key"
    ]
    other = {"Authorization": f"Bearer {key}"}
    await anonymous.post(
        "/v1/webhook_endpoints", json={"url": "https://other.example.com/h"}, headers=other
    )
    await client.post("/v1/customers", json=kit.identity())
    inbox = Inbox()
    dispatcher(sandbox, inbox).deliver_due()
    assert inbox.requests == []


class Receiver(BaseHTTPRequestHandler):
    bodies: ClassVar[list[bytes]] = []

    def do_POST(self) -> None:
        self.bodies.append(self.rfile.read(int(self.headers["Content-Length"])))
        self.send_response(200)
        self.end_headers()

    def log_message(self, format: str, *args: object) -> None:
        """Quiet."""


@pytest.fixture
def receiver() -> Any:
    server = ThreadingHTTPServer(("127.0.0.1", 0), Receiver)
    Receiver.bodies = []
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/hooks"
    server.shutdown()
    server.server_close()


async def test_background_worker_delivers_after_commit(
    receiver: str, kit: Any, make_app: Any
) -> None:
    app: FastAPI = make_app(webhook_worker=True)
    transport = httpx.ASGITransport(app=app)
    headers = {"Authorization": "Bearer sk_test_demo"}
    async with httpx.AsyncClient(transport=transport, base_url="http://t", headers=headers) as c:
        await c.post("/v1/webhook_endpoints", json={"url": receiver})
        await c.post("/v1/customers", json=kit.identity())
    for _ in range(300):  # waiting for a background thread, not timing it
        if Receiver.bodies:
            break
        time.sleep(0.02)
    assert [json.loads(b)["type"] for b in Receiver.bodies] == ["customer.created"]


async def test_a_dispatcher_stopped_and_started_again_delivers_on_a_new_client(
    client: httpx.AsyncClient, sandbox: Sandbox, kit: Any
) -> None:
    # The HTTP client is made at the first attempt and released by stop().
    await subscribe(client)
    await client.post("/v1/customers", json=kit.identity())
    inbox, clock = Inbox(), Clock()
    worker = dispatcher(sandbox, inbox, clock)
    assert worker.deliver_due() == 1
    worker.stop()
    worker.start()
    await client.post("/v1/customers", json=kit.identity("grace@example.com"))
    clock.now = datetime.now(UTC)
    assert worker.deliver_due() == 1
    assert inbox.types == ["customer.created", "customer.created"]
    worker.stop()


async def test_duplicate_mode_delivers_every_event_twice(
    client: httpx.AsyncClient, sandbox: Sandbox, kit: Any
) -> None:
    await subscribe(client)
    await client.post("/v1/customers", json=kit.identity())
    inbox = Inbox()
    dispatcher(sandbox, inbox, mode="duplicate").deliver_due()
    assert inbox.types == ["customer.created", "customer.created"]
    assert inbox.requests[0].content == inbox.requests[1].content


async def test_reorder_mode_delivers_a_batch_newest_first(
    client: httpx.AsyncClient, sandbox: Sandbox, kit: Any
) -> None:
    await subscribe(client)
    await client.post("/v1/checkouts", json=kit.cart())
    inbox = Inbox()
    dispatcher(sandbox, inbox, mode="reorder").deliver_due()
    assert inbox.types == ["checkout.created", "customer.created"]


async def test_a_writes_events_go_to_the_enabled_endpoints_read_with_its_key(
    client: httpx.AsyncClient, sandbox: Sandbox, kit: Any
) -> None:
    """The merchant's enabled endpoints come with its key (`merchants.authenticate`), oldest
    first, so a write queues its events without a query of its own for them; a disabled endpoint
    gets nothing, and an endpoint's event filter still applies."""
    every = await subscribe(client)
    off = await subscribe(client)
    created_only = await subscribe(client, enabled_events=["checkout.created"])
    with sandbox.db.transaction() as session:
        session.execute(
            update(WebhookEndpointRow)
            .where(WebhookEndpointRow.id == off["id"])
            .values(status="disabled")
        )
    before = {row.seq for row in deliveries(sandbox)}
    statements: list[str] = []

    def watch(*args: Any) -> None:
        statements.append(args[2])

    event.listen(sandbox.db.engine, "before_cursor_execute", watch)
    try:
        created = await client.post("/v1/checkouts", json=kit.cart())
    finally:
        event.remove(sandbox.db.engine, "before_cursor_execute", watch)
    assert created.status_code == 201, created.text
    assert not [s for s in statements if s.lstrip().startswith("SELECT webhook_endpoints")]
    queued = [row for row in deliveries(sandbox) if row.seq not in before]
    with sandbox.db.reader() as session:
        types = {e.id: e.type for e in session.scalars(select(EventRow))}
    by_event: dict[str, list[str]] = {}
    for row in queued:
        by_event.setdefault(types[row.event_id], []).append(row.endpoint_id)
    assert by_event == {
        "customer.created": [every["id"]],
        "checkout.created": [every["id"], created_only["id"]],
    }
