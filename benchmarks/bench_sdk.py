"""SDK per-call overhead: the SDK against raw httpx on the same in-process sandbox.

    .venv/bin/python -m benchmarks.bench_sdk [--calls 300] [--rounds 5]

Creates one checkout, then reads it back many times, both ways, in alternating rounds on the
same app and the same transport: the SDK (`client.checkouts.retrieve`, which builds the request,
runs the retry flow, parses into typed models) and raw httpx (`http.get(...).json()`). Checks both
answer the same object before timing, warms both up, and prints the best per-call time of each
and their ratio, for the async client (ASGITransport) and the sync client (Starlette TestClient).
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import time
from collections.abc import Awaitable, Callable
from typing import Any

import httpx
from installo import AsyncInstallo
from installo.testing.sandbox import DEMO_API_KEY, IN_PROCESS_URL, in_process_client, sandbox_app
from installo.types import CartItemParam, CustomerParam

ITEMS: list[CartItemParam] = [
    {"sku": "BENCH-1", "name": "Benchmark widget", "unit_amount": 12500, "quantity": 2}
]
CUSTOMER: CustomerParam = {
    "email": "bench+approve@example.com",
    "name": "Bench Mark",
    "phone": "+15555550199",
    "date_of_birth": "1990-01-01",
    "national_id_last4": "0001",
    "address": {"line1": "1 Loop Rd", "city": "Austin", "region": "TX",
                "postal_code": "73301", "country": "US"},
}  # fmt: skip
HEADERS = {"Authorization": f"Bearer {DEMO_API_KEY}"}


def _same(sdk_answer: dict[str, Any], raw_answer: dict[str, Any]) -> None:
    for field in ("id", "status", "amount", "currency"):
        if sdk_answer[field] != raw_answer[field]:
            raise SystemExit(
                f"answers differ on {field}: {sdk_answer[field]!r} != {raw_answer[field]!r}"
            )


async def _time_async(call: Callable[[], Awaitable[object]], calls: int) -> float:
    start = time.perf_counter()
    for _ in range(calls):
        await call()
    return (time.perf_counter() - start) / calls


def _time_sync(call: Callable[[], object], calls: int) -> float:
    start = time.perf_counter()
    for _ in range(calls):
        call()
    return (time.perf_counter() - start) / calls


def _report(label: str, sdk_times: list[float], raw_times: list[float]) -> None:
    sdk_best, raw_best = min(sdk_times), min(raw_times)
    print(
        f"{label:<6} sdk {sdk_best * 1e6:8.1f} us/call   raw httpx {raw_best * 1e6:8.1f} us/call   "
        f"ratio sdk/raw {sdk_best / raw_best:5.2f}x   (median ratio "
        f"{statistics.median(s / r for s, r in zip(sdk_times, raw_times, strict=True)):.2f}x)"
    )


async def bench_async(calls: int, rounds: int) -> None:
    """Async SDK against raw httpx.AsyncClient, both over one ASGITransport."""
    transport = httpx.ASGITransport(app=sandbox_app())
    async with (
        httpx.AsyncClient(transport=transport, base_url=IN_PROCESS_URL, headers=HEADERS) as raw,
        AsyncInstallo(api_key=DEMO_API_KEY, base_url=IN_PROCESS_URL, http_client=raw) as client,
    ):
        checkout = await client.checkouts.create(
            items=ITEMS, amount=25000, currency="USD", customer=CUSTOMER
        )
        path = f"/v1/checkouts/{checkout.id}"

        async def via_sdk() -> object:
            return await client.checkouts.retrieve(checkout.id)

        async def via_raw() -> object:
            return (await raw.get(path)).json()

        _same(
            (await client.checkouts.retrieve(checkout.id)).to_dict(), (await raw.get(path)).json()
        )
        await _time_async(via_sdk, calls // 5)
        await _time_async(via_raw, calls // 5)
        sdk_times, raw_times = [], []
        for _ in range(rounds):
            sdk_times.append(await _time_async(via_sdk, calls))
            raw_times.append(await _time_async(via_raw, calls))
        _report("async", sdk_times, raw_times)


def bench_sync(calls: int, rounds: int) -> None:
    """Sync SDK against the raw TestClient (an httpx.Client) it runs on."""
    with in_process_client(sandbox_app()) as client:
        raw = client._http
        checkout = client.checkouts.create(
            items=ITEMS, amount=25000, currency="USD", customer=CUSTOMER
        )
        url = f"{IN_PROCESS_URL}/v1/checkouts/{checkout.id}"

        def via_sdk() -> object:
            return client.checkouts.retrieve(checkout.id)

        def via_raw() -> object:
            return raw.get(url, headers=HEADERS).json()

        _same(
            client.checkouts.retrieve(checkout.id).to_dict(), raw.get(url, headers=HEADERS).json()
        )
        _time_sync(via_sdk, calls // 5)
        _time_sync(via_raw, calls // 5)
        sdk_times, raw_times = [], []
        for _ in range(rounds):
            sdk_times.append(_time_sync(via_sdk, calls))
            raw_times.append(_time_sync(via_raw, calls))
        _report("sync", sdk_times, raw_times)


def main(argv: list[str] | None = None) -> int:
    """Run both benchmarks and print their ratios."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--calls", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args(argv)
    print(f"SDK overhead per call, best of {args.rounds} rounds of {args.calls} reads:")
    asyncio.run(bench_async(args.calls, args.rounds))
    bench_sync(args.calls, args.rounds)
    return 0


if __name__ == "__main__":
    sys.exit(main())
