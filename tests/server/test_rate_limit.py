"""Rate limiting: a token bucket per key; over the limit is 429 with Retry-After."""

from __future__ import annotations

from typing import Any

import httpx

from mock_server.api.rate_limit import TokenBucket


class Ticks:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_bucket_allows_a_burst_then_refills_at_the_rate() -> None:
    ticks = Ticks()
    bucket = TokenBucket(2, clock=ticks)
    assert [bucket.take(), bucket.take()] == [0.0, 0.0]
    assert bucket.take() == 0.5
    ticks.now += 0.5
    assert bucket.take() == 0.0


async def test_over_the_limit_is_429_per_key_and_healthz_is_never_limited(make_app: Any) -> None:
    app = make_app(rate_limit=2, webhook_worker=False)
    transport = httpx.ASGITransport(app=app)
    demo = {"Authorization": "Bearer sk_test_demo"}
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as c:
        statuses = [(await c.get("/v1/loans", headers=demo)).status_code for _ in range(3)]
        assert statuses[:2] == [200, 200]
        limited = await c.get("/v1/loans", headers=demo)
        assert limited.status_code == 429
        assert int(limited.headers["Retry-After"]) >= 1
        assert limited.json()["error"]["type"] == "rate_limit_error"
        assert limited.headers["Request-Id"].startswith("req_")
        other = await c.get("/v1/loans", headers={"Authorization": "Bearer sk_test_other_1"})
        assert other.status_code == 401  # another key has its own bucket
        health = [(await c.get("/healthz")).status_code for _ in range(5)]
        assert health == [200] * 5
