"""Finding 5: one merchant is one bucket however its key is spelled, callers without a valid
key are limited per client address (so one cannot lock out another's onboarding), and the
buckets are bounded in memory; a 429 carries Retry-After."""

from __future__ import annotations

import secrets
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from mock_server.api import rate_limit
from mock_server.api.rate_limit import RateLimitMiddleware

RATE = 5
SPELLINGS = [
    "Bearer sk_test_demo", "bearer sk_test_demo", "BEARER sk_test_demo", "Bearer  sk_test_demo",
    "Bearer sk_test_demo ", " Bearer sk_test_demo", "bEaReR sk_test_demo", "Bearer\tsk_test_demo",
]  # fmt: skip


@pytest.fixture(autouse=True)
def frozen_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    """No token refills during a test: counts are exact, however slow the machine."""
    monkeypatch.setattr(rate_limit, "monotonic", lambda: 1_000.0)


def from_address(app: FastAPI, address: str) -> httpx.AsyncClient:
    transport = httpx.ASGITransport(app=app, client=(address, 50_000))
    return httpx.AsyncClient(transport=transport, base_url="http://t")


def limiter(app: FastAPI) -> RateLimitMiddleware:
    layer: Any = app.middleware_stack
    while not isinstance(layer, RateLimitMiddleware):
        layer = layer.app
    return layer


async def test_every_spelling_of_one_key_shares_its_merchants_bucket(make_app: Any) -> None:
    app = make_app(rate_limit=RATE, webhook_worker=False)
    async with from_address(app, "198.51.100.1") as c:
        statuses = [
            (await c.get("/v1/loans", headers={"Authorization": SPELLINGS[i % 8]})).status_code
            for i in range(40)
        ]
    assert statuses.count(429) == 40 - RATE
    limited = [s for s in statuses if s != 429]
    assert len(limited) == RATE


async def test_anonymous_callers_are_limited_per_address(make_app: Any) -> None:
    app = make_app(rate_limit=RATE, webhook_worker=False)
    async with from_address(app, "203.0.113.9") as noisy, from_address(app, "192.0.2.7") as other:
        noisy_statuses = [(await noisy.post("/v1/merchants", json={})).status_code
                          for _ in range(10)]  # fmt: skip
        first = await other.post("/v1/merchants", json={})
    assert noisy_statuses.count(429) == 10 - RATE
    assert first.status_code == 422  # its own bucket: onboarding is not locked out
    limited = await from_address(app, "203.0.113.9").post("/v1/merchants", json={})
    assert limited.status_code == 429
    assert int(limited.headers["Retry-After"]) >= 1
    assert limited.json()["error"]["request_id"] == limited.headers["Request-Id"]


async def test_random_invalid_keys_share_their_addresses_bucket_and_memory_is_bounded(
    make_app: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = make_app(rate_limit=RATE, webhook_worker=False)
    statuses = []
    async with from_address(app, "198.51.100.77") as c:
        for _ in range(50):
            invalid = {"Authorization": f"Bearer sk_test_{secrets.token_hex(8)}"}
            statuses.append((await c.get("/v1/loans", headers=invalid)).status_code)
    assert statuses.count(401) == RATE and statuses.count(429) == 50 - RATE
    layer = limiter(app)
    assert layer.bucket_count == 1
    layer._buckets.size = 20  # a small table, to see the bound hold
    for n in range(60):
        async with from_address(app, f"10.1.{n // 250}.{n % 250}") as c:
            await c.get("/v1/loans")
    assert layer.bucket_count == 20
