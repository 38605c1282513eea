"""Scenario runner throughput: simulated checkouts (create, confirm, capture) per second.

    .venv/bin/python -m benchmarks.bench_sim [--count 1000] [--concurrency 8] [--seed 1]

Runs the same shoppers twice against fresh embedded sandboxes with the same seed: once through
the simulator (scenario engine -> gateway -> SDK, with retries, idempotency keys and parsing), and
once as a floor that sends the same three requests with a bare `httpx.AsyncClient` on the same
kind of ASGI transport. It checks both paths reach the same outcomes, warms each up, then prints
checkouts per second for both and the simulator's share of the floor; and, as the transport's own
floor, three bare `GET /healthz` round trips per "checkout" on the same in-process transport.
A last line gives the sandbox's own time per create, confirm and capture and per checkout (timed
inside the app, `ServerTimes`, over the agreement check's shoppers, one at a time, after a
warm-up), beside three health checks' time in the app, and the share of the health floor the
simulator could reach if the client and the SDK cost nothing: the server's part of the ratio.

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
from collections import Counter, defaultdict
from collections.abc import Sequence
from typing import Any

import httpx
from starlette.types import ASGIApp, Receive, Scope, Send

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


class ServerTimes:
    """The sandbox app, timing each request it serves by kind (create, confirm, capture,
    healthz): in process at concurrency 1, a request's time in the app is the sandbox's own
    work on it, without the client's (an in-memory sandbox's writes run on the event loop).
    The first `warm_up` requests of each kind are served untimed: the first of them pay for
    what the sandbox loads at first use (routes, the credit policy, Faker)."""

    def __init__(self, warm_up: int = 10) -> None:
        self.app: ASGIApp | None = None
        self.warm_up = warm_up
        self.seen: Counter[str] = Counter()
        self.seconds: defaultdict[str, float] = defaultdict(float)
        self.requests: Counter[str] = Counter()

    def serving(self, app: ASGIApp) -> ServerTimes:
        """This timer around `app`, to hand to the transport."""
        self.app = app
        return self

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Serve the request; add its time to its kind's."""
        assert self.app is not None, "serving(app) first"
        began = time.perf_counter()
        try:
            await self.app(scope, receive, send)
        finally:
            if scope["type"] == "http":
                kind = request_kind(scope["method"], scope["path"])
                self.seen[kind] += 1
                if self.seen[kind] > self.warm_up:
                    self.seconds[kind] += time.perf_counter() - began
                    self.requests[kind] += 1

    def per_request_ms(self, kind: str) -> float:
        """The mean milliseconds of one request of this kind."""
        return self.seconds[kind] / max(self.requests[kind], 1) * 1e3


def request_kind(method: str, path: str) -> str:
    """create, confirm, capture or healthz (else the method and path)."""
    if method == "POST" and path == "/v1/checkouts":
        return "create"
    if method == "POST" and path.endswith("/confirm"):
        return "confirm"
    if method == "POST" and path.endswith("/capture"):
        return "capture"
    if path == "/healthz":
        return "healthz"
    return f"{method} {path}"


async def run_floor(
    scenario: Scenario,
    count: int,
    seed: int,
    concurrency: int,
    times: ServerTimes | None = None,
) -> tuple[float, Counter[str]]:
    """The floor: the same three requests per shopper with bare httpx, no SDK (the app's
    request times kept in `times` when given)."""
    conn = SandboxConnection.start_embedded(seed=seed)
    shoppers = plan_shoppers(scenario, count, seed)
    planner = ScenarioRun(scenario, Gateway(conn.client), customers=count, seed=seed)
    personas = await planner.assign_personas(shoppers)
    await conn.aclose()
    app: Any = build_sandbox_app(seed=seed)
    transport = httpx.ASGITransport(app=app if times is None else times.serving(app))
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


async def run_health_floor(
    count: int, seed: int, concurrency: int, times: ServerTimes | None = None
) -> float:
    """The transport's floor: three bare `GET /healthz` round trips per "checkout" on the same
    in-process transport; answers "checkouts" per second (the app's request times kept in
    `times` when given)."""
    app: Any = build_sandbox_app(seed=seed)
    transport = httpx.ASGITransport(app=app if times is None else times.serving(app))
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
    checkout_times, health_times = ServerTimes(), ServerTimes()
    _, floor_check = asyncio.run(run_floor(scenario, 60, args.seed, 1, checkout_times))
    asyncio.run(run_health_floor(60, args.seed, 1, health_times))
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
    print(server_time_line(checkout_times, health_times, health_rate))
    return 0


def server_time_line(checkouts: ServerTimes, health: ServerTimes, health_rate: float) -> str:
    """The sandbox's own milliseconds per request of each kind (the 60 shoppers of the check,
    one at a time, past the warm-up), per checkout (a declined one captures nothing: captures
    count at their share of checkouts), and the share of the health floor the simulator could
    reach if the client and the SDK cost nothing."""
    kinds = ("create", "confirm", "capture")
    parts = [f"{kind} {checkouts.per_request_ms(kind):.2f} ms" for kind in kinds]
    captured = checkouts.seen["capture"] / checkouts.seen["create"]
    per_checkout = (
        checkouts.per_request_ms("create")
        + checkouts.per_request_ms("confirm")
        + checkouts.per_request_ms("capture") * captured
    ) / 1e3
    return (
        "  sandbox's own time, one request at a time: "
        + ", ".join(parts)
        + f"; {per_checkout * 1e3:.2f} ms a checkout (three GET /healthz:"
        + f" {3 * health.per_request_ms('healthz'):.2f} ms), so at most"
        + f" {1 / per_checkout / health_rate:.2f}x of that floor with a client that cost nothing"
    )


if __name__ == "__main__":
    sys.exit(main())
