"""The runner catches a double charge: a second checkout opened for one shopper by a bad retry."""

from __future__ import annotations

import uuid

import httpx

from merchant_sim.connection import SandboxConnection
from merchant_sim.gateway import Gateway
from merchant_sim.runner.engine import ScenarioRun
from merchant_sim.runner.loader import parse_scenario

SCENARIO = """\
name: retry-bug
seed: 3
customers: 4
concurrency: 2
store:
  currency: USD
  catalog: [{sku: A, name: Anvil, price: 25000}]
traffic:
  tiers: {prime: 1}
"""


class RetryWithoutIdempotency(httpx.AsyncBaseTransport):
    """A client bug: every checkout create is sent again under a fresh idempotency key."""

    def __init__(self, inner: httpx.AsyncBaseTransport) -> None:
        self.inner = inner

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if request.method == "POST" and request.url.path == "/v1/checkouts":
            await request.aread()
            headers = httpx.Headers(request.headers)
            headers["Idempotency-Key"] = uuid.uuid4().hex
            again = httpx.Request(
                request.method, request.url, headers=headers, content=request.content
            )
            first = await self.inner.handle_async_request(again)
            await first.aread()
        return await self.inner.handle_async_request(request)


async def _run(wrap: bool) -> int:
    connection = SandboxConnection.start_embedded(
        seed=3, wrap=RetryWithoutIdempotency if wrap else None
    )
    try:
        run = ScenarioRun(parse_scenario(SCENARIO), Gateway(connection.client))
        stats = await run.run()
        return stats.double_charges
    finally:
        await connection.aclose()


async def test_a_second_checkout_for_one_shopper_counts_as_a_double_charge() -> None:
    assert await _run(wrap=True) == 4


async def test_an_honest_client_has_no_double_charges() -> None:
    assert await _run(wrap=False) == 0
