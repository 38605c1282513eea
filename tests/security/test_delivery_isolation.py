"""Finding 4: one merchant's hanging webhook endpoint never holds back another endpoint's
events; each endpoint gets at most one delivery in flight at a time."""

from __future__ import annotations

import threading
import time
from typing import Any

import httpx

from mock_server.services.context import Sandbox
from mock_server.services.dispatcher import WebhookDispatcher
from mock_server.services.outbound import OutboundPolicy
from tests.merchant_applications import complete_application

GUARD = 60  # seconds before a broken dispatcher fails the test instead of hanging it

APPLICATION = complete_application({
    "legal_name": "Tailspin Toys Co", "mcc": "5945", "country": "US", "currency": "USD",
    "website": "https://tailspin-toys.example.com", "years_in_business": 3,
    "expected_monthly_volume": 1_500_000, "contact_email": "hello@tailspin-toys.example.com",
})  # fmt: skip


class Receivers:
    """A MockTransport handler: `slow.test` hangs until released; `fast.test` answers at once."""

    def __init__(self) -> None:
        self.release = threading.Event()
        self.slow_entered = threading.Event()
        self.fast_seen = threading.Semaphore(0)
        self.fast_latencies: list[float] = []
        self.queued_at: list[float] = []
        self.in_flight = 0
        self.most_in_flight = 0
        self._lock = threading.Lock()

    def __call__(self, request: httpx.Request) -> httpx.Response:
        if request.url.host == "fast.test":
            self.fast_latencies.append(time.monotonic() - self.queued_at[-1])
            self.fast_seen.release()
            return httpx.Response(200)
        with self._lock:
            self.in_flight += 1
            self.most_in_flight = max(self.most_in_flight, self.in_flight)
        self.slow_entered.set()
        self.release.wait(GUARD)
        with self._lock:
            self.in_flight -= 1
        return httpx.Response(200)


async def test_a_hanging_endpoint_does_not_delay_another_merchants_events(
    client: httpx.AsyncClient, anonymous: httpx.AsyncClient, sandbox: Sandbox, kit: Any
) -> None:
    other = (await anonymous.post("/v1/merchants", json=APPLICATION)).json()
    assert other["status"] == "active"
    other_auth = {"Authorization": f"Bearer {other['secret_key']}"}
    await client.post("/v1/webhook_endpoints", json={"url": "https://slow.test/h"})
    fast = await client.post(
        "/v1/webhook_endpoints", json={"url": "https://fast.test/h"}, headers=other_auth
    )
    assert fast.status_code == 201, fast.text
    receivers = Receivers()
    worker = WebhookDispatcher(
        sandbox.db,
        transport=httpx.MockTransport(receivers),
        background=True,
        policy=OutboundPolicy(resolver=lambda host, port: []),
    )
    try:
        for n in range(3):  # three events queue up behind the hanging endpoint
            await client.post("/v1/customers", json=kit.identity(f"slow{n}@example.com"))
        worker.wake()
        assert receivers.slow_entered.wait(GUARD)
        for n in range(3):
            receivers.queued_at.append(time.monotonic())
            made = await client.post(
                "/v1/customers", json=kit.identity(f"fast{n}@example.com"), headers=other_auth
            )
            assert made.status_code == 201, made.text
            worker.wake()
            assert receivers.fast_seen.acquire(timeout=GUARD)
        assert not receivers.release.is_set()  # all three went out while slow.test hung
        print(f"fast endpoint latencies while another hangs: {receivers.fast_latencies}")
    finally:
        receivers.release.set()
        worker.stop()
    assert receivers.most_in_flight == 1
