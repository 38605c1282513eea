"""Scenario runner throughput: simulated checkouts (create, confirm, capture) per second.

    .venv/bin/python -m benchmarks.bench_sim [--count 1000] [--concurrency 8] [--seed 1]

Runs the same shoppers twice against fresh embedded sandboxes with the same seed: once through
the simulator (scenario engine -> gateway -> SDK, with retries, idempotency keys and parsing), and
once as a floor that sends the same three requests with a bare `httpx.AsyncClient` on the same
kind of ASGI transport. It checks both paths reach the same outcomes, warms each up, then prints
checkouts per second for both and the simulator's share of the floor; and, as the transport's own
floor, three bare `GET /healthz` round trips per "checkout" on the same in-process transport.

How it was profiled (issue 9, stop 28): cProfile around `run_floor` (300 shoppers, the
sandbox's code only), then every cut in instructions (cachegrind over an in-process run: 40
warm-up checkouts, then 60 requests of one kind, minus the same run without them, the
collector frozen as mock-server freezes it; the change and its parent side by side). The
shoppers here carry no magic email tag, unlike bench_server's `+approve` customers, so their
confirms run the bureau's memory of the consumer and the fraud screen's velocity signals; under
the profiler that confirm cost ~1.8x bench_server's. Those reads went through SQLAlchemy's
execution (the inquiries as an ORM select built per pull) at ~45 us of Python around each
statement; they now run on the driver's cursor (`storage.driver`), as the rest of the hot path
does: an untagged confirm 13.25 -> 12.21 M instructions (-7.9%). A capture read its checkout
by an ORM select to check the hosted page's authorization; it now reads it through the
merchant's checkout repository: 9.43 -> 8.97 M (-4.9%). Credit files and persons no longer seed
a generator whose draw cannot matter (a one-value range, the places of zero late marks, a tag's
overridden fields): confirm -0.9% tagged, -1.1% untagged, files unchanged. What is left is
the sandbox's own work per checkout (create + confirm + capture ~28 M instructions) against
three health checks; the simulator ran at 0.75x-0.90x of bare httpx in this stop's runs (the
SDK's pydantic validation of the answers, a 15 KB checkout twice; httpx's request building
the floor pays too).
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
from collections import Counter
from collections.abc import Sequence

import httpx

from merchant_sim.connection import DEMO_API_KEY, SandboxConnection, build_sandbox_app
from merchant_sim.gateway import Gateway
from merchant_sim.identity import Identity
from merchant_sim.runner.engine import ScenarioRun
from merchant_sim.runner.loader import parse_scenario
from merchant_sim.runner.schema import Scenario
from merchant_sim.runner.traffic import plan_shoppers

SCENARIO = """\
name: bench
store:
  currency: USD
  shipping_amount: 500
  tax_bps: 800
  catalog:
    - {sku: LAP, name: Laptop, price: 129900}
    - {sku: PHN, name: Phone, price: 79900}
    - {sku: HDP, name: Headphones, price: 34900}
traffic:
  tiers: {prime: 7, near_prime: 2, subprime: 1}
  cart_size: {1: 2, 2: 1}
after_approval:
  capture_rate: 1.0
"""


async def run_sim(
    scenario: Scenario, count: int, seed: int, concurrency: int
) -> tuple[float, Counter[str]]:
    """The simulator's path: answers checkouts per second and the outcome counts."""
    conn = SandboxConnection.start_embedded(seed=seed)
    try:
        run = ScenarioRun(
            scenario, Gateway(conn.client), customers=count, seed=seed, concurrency=concurrency
        )
        stats = await run.run()
    finally:
        await conn.aclose()
    return stats.checkouts_per_second, Counter(r.outcome for r in stats.records)


async def run_floor(
    scenario: Scenario, count: int, seed: int, concurrency: int
) -> tuple[float, Counter[str]]:
    """The floor: the same three requests per shopper with bare httpx, no SDK."""
    conn = SandboxConnection.start_embedded(seed=seed)
    shoppers = plan_shoppers(scenario, count, seed)
    planner = ScenarioRun(scenario, Gateway(conn.client), customers=count, seed=seed)
    personas = await planner.assign_personas(shoppers)
    await conn.aclose()
    transport = httpx.ASGITransport(app=build_sandbox_app(seed=seed))
    headers = {"Authorization": f"Bearer {DEMO_API_KEY}"}
    outcomes: Counter[str] = Counter()
    gate = asyncio.Semaphore(concurrency)
    async with httpx.AsyncClient(
        transport=transport, base_url="http://sandbox.local", headers=headers
    ) as http:

        async def one(index: int) -> None:
            shopper = shoppers[index]
            cart = shopper.cart(scenario)
            body = {
                "items": cart.items_payload(),
                "amount": cart.total,
                "currency": cart.currency,
                "customer": Identity.from_persona(personas[index]).customer_body(),
                "shipping_amount": cart.shipping,
                "tax_amount": cart.tax,
                "merchant_reference": f"{scenario.name}-{seed}-{index}",
            }
            async with gate:
                created = await http.post("/v1/checkouts", json=body)
                if created.status_code != 201:
                    outcomes["error"] += 1
                    return
                checkout = created.json()
                device = (personas[index].model_extra or {}).get("device_id")
                confirm = {
                    "offer": checkout["offers"][0]["id"],
                    "consent": True,
                    "device_id": device or f"dev-{seed}-{index}",
                }
                path = f"/v1/checkouts/{checkout['id']}/confirm"
                decided = (await http.post(path, json=confirm)).json()
                if decided.get("loan"):
                    await http.post(f"/v1/loans/{decided['loan']}/capture", json={})
            outcomes[decided["status"]] += 1

        started = time.perf_counter()
        await asyncio.gather(*(one(i) for i in range(count)))
        elapsed = time.perf_counter() - started
    return count / elapsed, outcomes


async def run_health_floor(count: int, seed: int, concurrency: int) -> float:
    """The transport's floor: three bare `GET /healthz` round trips per "checkout" on the same
    in-process transport; answers "checkouts" per second."""
    transport = httpx.ASGITransport(app=build_sandbox_app(seed=seed))
    gate = asyncio.Semaphore(concurrency)
    async with httpx.AsyncClient(transport=transport, base_url="http://sandbox.local") as http:

        async def one() -> None:
            async with gate:
                for _ in range(3):
                    (await http.get("/healthz")).raise_for_status()

        started = time.perf_counter()
        await asyncio.gather(*(one() for _ in range(count)))
        elapsed = time.perf_counter() - started
    return count / elapsed


def main(argv: Sequence[str] | None = None) -> int:
    """Measure both paths, check they agree, print throughput and the ratio."""
    parser = argparse.ArgumentParser(prog="bench_sim")
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    scenario = parse_scenario(SCENARIO, "bench")
    # Same shoppers, one at a time, on both paths: their outcomes must agree before timing.
    _, sim_check = asyncio.run(run_sim(scenario, 60, args.seed, 1))
    _, floor_check = asyncio.run(run_floor(scenario, 60, args.seed, 1))
    if sim_check != floor_check:
        print(f"paths disagree: simulator {dict(sim_check)} vs floor {dict(floor_check)}")
        return 1
    sim_rate, sim_outcomes = asyncio.run(run_sim(scenario, args.count, args.seed, args.concurrency))
    floor_rate, _ = asyncio.run(run_floor(scenario, args.count, args.seed, args.concurrency))
    health_rate = asyncio.run(run_health_floor(args.count, args.seed, args.concurrency))
    print(
        f"{args.count} simulated checkouts (create, confirm, capture) in-process, "
        f"concurrency {args.concurrency}"
    )
    print(f"  outcomes            {dict(sim_outcomes)}")
    print(f"  simulator (SDK)     {sim_rate:8.1f} checkouts/s")
    print(f"  floor (bare httpx)  {floor_rate:8.1f} checkouts/s")
    print(f"  simulator / floor   {sim_rate / floor_rate:8.2f}x")
    print(f"  3x GET /healthz     {health_rate:8.1f} 'checkouts'/s (the transport's floor)")
    print(f"  simulator / that    {sim_rate / health_rate:8.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
