"""Finding 3: webhook URLs cannot reach metadata, link-local, unspecified, multicast, private
or loopback addresses (the last two unless allowed), checked at registration and again at
delivery after resolving the host; redirects are not followed."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx
from fastapi import FastAPI
from sqlalchemy import func, select

from mock_server.services.context import Sandbox
from mock_server.services.dispatcher import WebhookDispatcher
from mock_server.services.outbound import OutboundPolicy
from mock_server.settings import Settings
from mock_server.storage.models import WebhookDeliveryRow, WebhookEndpointRow

AUTH = {"Authorization": "Bearer sk_test_demo"}
ALWAYS_REFUSED = [
    "http://169.254.169.254/latest/meta-data/",
    "http://[fe80::1]/h",
    "http://0.0.0.0:8080/h",
    "http://224.0.0.1/h",
    "http://[::ffff:169.254.169.254]/h",
]
PRIVATE = ["http://10.0.0.5/h", "http://192.168.1.20:8443/h", "http://[fd12::1]/h"]
LOOPBACK = ["http://127.0.0.1:22/", "http://2130706433/", "http://0x7f.1/", "http://localhost/"]


async def register(app: FastAPI, urls: list[str]) -> dict[str, int]:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://t", headers=AUTH) as c:
        answers = {}
        for url in urls:
            response = await c.post("/v1/webhook_endpoints", json={"url": url})
            answers[url] = response.status_code
            if response.status_code == 400:
                error = response.json()["error"]
                assert (error["code"], error["param"]) == ("url_blocked", "url")
        return answers


def stored_endpoints(app: FastAPI) -> int:
    with app.state.sandbox.db.reader() as session:
        return int(session.scalar(select(func.count()).select_from(WebhookEndpointRow)) or 0)


async def test_registration_refuses_internal_addresses_when_not_on_loopback(
    make_app: Any,
) -> None:
    app = make_app(Settings(host="0.0.0.0", seed=7, webhook_worker=False))
    answers = await register(app, ALWAYS_REFUSED + PRIVATE + LOOPBACK)
    assert set(answers.values()) == {400}, answers
    assert stored_endpoints(app) == 0


async def test_loopback_is_allowed_while_the_sandbox_listens_on_loopback(make_app: Any) -> None:
    app = make_app(Settings(host="127.0.0.1", seed=7, webhook_worker=False))
    answers = await register(app, LOOPBACK + PRIVATE + ALWAYS_REFUSED)
    assert [answers[u] for u in LOOPBACK] == [201] * len(LOOPBACK)
    assert {answers[u] for u in PRIVATE + ALWAYS_REFUSED} == {400}


async def test_the_operator_flag_allows_private_addresses_but_never_metadata(
    make_app: Any,
) -> None:
    app = make_app(Settings(host="0.0.0.0", seed=7, webhook_allow_private=True))
    answers = await register(app, PRIVATE + LOOPBACK + ALWAYS_REFUSED)
    assert {answers[u] for u in PRIVATE + LOOPBACK} == {201}
    assert {answers[u] for u in ALWAYS_REFUSED} == {400}


async def test_delivery_resolves_the_host_again_and_records_blocked_by_policy(
    client: httpx.AsyncClient, sandbox: Sandbox, kit: Any
) -> None:
    created = await client.post("/v1/webhook_endpoints", json={"url": "http://hooks.shop.test/h"})
    assert created.status_code == 201  # a name: checked when it is resolved, at delivery
    await client.post("/v1/customers", json=kit.identity())
    called: list[httpx.Request] = []
    rebinding = OutboundPolicy(resolver=lambda host, port: ["169.254.169.254"])
    worker = WebhookDispatcher(
        sandbox.db,
        transport=httpx.MockTransport(lambda r: called.append(r) or httpx.Response(200)),
        background=False,
        policy=rebinding,
    )
    try:
        worker.deliver_due()
    finally:
        worker.stop()
    assert called == []  # never connected
    deliveries = await client.get(f"/v1/webhook_endpoints/{created.json()['id']}/deliveries")
    attempt = deliveries.json()["data"][0]["attempts"][0]
    assert attempt["status_code"] is None
    assert attempt["error"].startswith("blocked by policy: hooks.shop.test resolves to 169.254")


async def test_redirects_are_not_followed(
    client: httpx.AsyncClient, sandbox: Sandbox, kit: Any
) -> None:
    await client.post("/v1/webhook_endpoints", json={"url": "https://hooks.shop.test/h"})
    await client.post("/v1/customers", json=kit.identity())
    called: list[str] = []

    def redirect(request: httpx.Request) -> httpx.Response:
        called.append(str(request.url))
        return httpx.Response(302, headers={"Location": "http://169.254.169.254/"})

    worker = WebhookDispatcher(
        sandbox.db, transport=httpx.MockTransport(redirect), background=False
    )
    try:
        worker.deliver_due()
    finally:
        worker.stop()
    assert called == ["https://hooks.shop.test/h"]
    with sandbox.db.reader() as session:
        delivery = session.scalars(select(WebhookDeliveryRow)).one()
        assert (delivery.status, delivery.attempts[0]["status_code"]) == ("pending", 302)


@contextmanager
def loopback_receiver() -> Iterator[tuple[int, list[str]]]:
    """An HTTP server on 127.0.0.1 answering 200; yields its port and each request's Host."""
    hosts: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            self.rfile.read(int(self.headers.get("Content-Length", 0)))
            hosts.append(self.headers["Host"])
            self.send_response(200)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.server_address[1], hosts
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def deliver_with(sandbox: Sandbox, policy: OutboundPolicy) -> None:
    """Attempt what is due once with the sandbox's own transport built for `policy`."""
    worker = WebhookDispatcher(sandbox.db, background=False, policy=policy)
    try:
        worker.deliver_due()
    finally:
        worker.stop()


async def test_a_delivery_connects_to_the_address_the_policy_checked(
    client: httpx.AsyncClient, sandbox: Sandbox, kit: Any
) -> None:
    with loopback_receiver() as (port, hosts):
        url = f"http://hooks.pinned.test:{port}/h"  # a name no DNS here answers
        await client.post("/v1/webhook_endpoints", json={"url": url})
        await client.post("/v1/customers", json=kit.identity())
        pinned = OutboundPolicy(allow_loopback=True, resolver=lambda host, port: ["127.0.0.1"])
        deliver_with(sandbox, pinned)
    assert hosts == [f"hooks.pinned.test:{port}"]  # reached through the checked address


async def test_a_dns_answer_that_changes_after_the_check_is_refused_at_connect(
    client: httpx.AsyncClient, sandbox: Sandbox, kit: Any
) -> None:
    answers = iter([["93.184.216.34"], ["127.0.0.1"]])  # public for the check, then loopback
    with loopback_receiver() as (port, hosts):
        url = f"http://hooks.rebind.test:{port}/h"
        await client.post("/v1/webhook_endpoints", json={"url": url})
        await client.post("/v1/customers", json=kit.identity())
        deliver_with(sandbox, OutboundPolicy(resolver=lambda host, port: next(answers)))
    assert hosts == []  # the loopback receiver was never reached
    with sandbox.db.reader() as session:
        attempt = session.scalars(select(WebhookDeliveryRow)).one().attempts[0]
    assert attempt["status_code"] is None
    assert "blocked by policy: hooks.rebind.test resolves to 127.0.0.1" in attempt["error"]
