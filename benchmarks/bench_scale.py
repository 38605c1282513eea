"""Scale-out: checkout throughput with `--workers 2` against `--workers 1` on the same PostgreSQL.

    .venv/bin/python -m benchmarks.bench_scale [--checkouts 200] [--concurrency 16] [--rounds 2]

Starts a local PostgreSQL cluster (mock_server.local_postgres), then for each configuration a
`mock-server` in a subprocess on a free loopback port: PostgreSQL with 1 worker, PostgreSQL with 2
workers (same cluster, a fresh database each), and the embedded SQLite file with 1 worker for
reference. This process is the load: `concurrency` shoppers, each creating a checkout and
confirming it (`+approve` personas, so every confirm authorizes a loan). Rounds alternate the
configurations so drift on a shared machine touches them alike; the best round of each is
reported, with the ratio of 2 workers to 1 on PostgreSQL (the aim is at least 1.5x on a machine
with two free cores) and SQLite's rate beside them.
"""

from __future__ import annotations

import argparse
import asyncio
import functools
import os
import subprocess
import sys
import tempfile
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from benchmarks.bench_server import AUTH, Result, checkout_body, free_port, measure, wait_until_up
from mock_server.local_postgres import LocalPostgres


@dataclass(frozen=True)
class Setup:
    """One sandbox configuration to measure."""

    label: str
    db: str
    workers: int


def start_server(setup: Setup, port: int) -> subprocess.Popen[bytes]:
    """`mock-server` for the setup on the port, quiet."""
    script = Path(sys.executable).with_name("mock-server")
    command = [str(script)] if script.exists() else [sys.executable, "-m", "mock_server"]
    return subprocess.Popen(
        [*command, "--port", str(port), "--log-level", "warning", "--db", setup.db,
         "--workers", str(setup.workers)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )  # fmt: skip


async def journeys(
    client: httpx.AsyncClient, personas: list[dict[str, Any]], count: int, offset: int, width: int
) -> Result:
    """`count` checkouts created and confirmed by `width` concurrent shoppers."""

    async def journey(body: dict[str, Any]) -> httpx.Response:
        created = await client.post("/v1/checkouts", json=body)
        if created.status_code != 201:
            return created
        checkout = created.json()
        offer = {"offer": checkout["offers"][-1]["id"], "consent": True}
        return await client.post(f"/v1/checkouts/{checkout['id']}/confirm", json=offer)

    bodies = [checkout_body(personas[n % len(personas)], offset + n) for n in range(count)]
    calls: list[Callable[[], Awaitable[httpx.Response]]] = [
        functools.partial(journey, body) for body in bodies
    ]
    return await measure("checkout + confirm", calls, width)


async def measure_setup(setup: Setup, checkouts: int, width: int, offset: int) -> Result:
    """Start the setup's server, warm it up, measure one round, stop it."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    process = start_server(setup, port)
    try:
        wait_until_up(base, process)
        # A connection per shopper, opened anew per request, so the kernel spreads them over
        # the workers the way it spreads separate clients.
        limits = httpx.Limits(max_connections=width, max_keepalive_connections=0)
        async with httpx.AsyncClient(base_url=base, headers=AUTH, limits=limits) as client:
            page = await client.get("/v1/sandbox/personas", params={"tier": "prime", "limit": 100})
            personas = [p for p in page.json()["data"] if p["locale"] == "en_US"]
            await journeys(client, personas, min(40, checkouts), offset + 10**6, width)
            return await journeys(client, personas, checkouts, offset, width)
    finally:
        process.terminate()
        process.wait()


async def run(checkouts: int, width: int, rounds: int) -> None:
    """Measure every setup `rounds` times, alternating, and print the table and ratios."""
    with LocalPostgres() as cluster, tempfile.TemporaryDirectory() as scratch:
        best: dict[str, Result] = {}
        for index in range(rounds):
            setups = [
                Setup("PostgreSQL, 1 worker", cluster.create_database(), 1),
                Setup("PostgreSQL, 2 workers", cluster.create_database(), 2),
                Setup("SQLite file, 1 worker", f"sqlite:///{Path(scratch) / f'r{index}.db'}", 1),
            ]
            for setup in setups:
                result = await measure_setup(setup, checkouts, width, index * checkouts)
                if setup.label not in best or result.rps > best[setup.label].rps:
                    best[setup.label] = result
        report(best, checkouts, width, rounds)


def report(best: dict[str, Result], checkouts: int, width: int, rounds: int) -> None:
    """Print journeys a second per setup and the scale-out ratio."""
    print(
        f"checkout + confirm journeys: {checkouts} x {rounds} rounds, {width} concurrent "
        f"shoppers from a separate process (best round per setup; {os.cpu_count()} CPUs)"
    )
    print(f"{'setup':24} {'journeys/s':>11} {'p50 ms':>8} {'p99 ms':>8}")
    for label, result in best.items():
        print(f"{label:24} {result.rps:11.1f} {result.p50_ms:8.1f} {result.p99_ms:8.1f}")
    one, two = best["PostgreSQL, 1 worker"], best["PostgreSQL, 2 workers"]
    sqlite = best["SQLite file, 1 worker"]
    print(f"PostgreSQL 2 workers / 1 worker: {two.rps / one.rps:.2f}x (aim >= 1.5x)")
    print(f"PostgreSQL 1 worker / SQLite 1 worker: {one.rps / sqlite.rps:.2f}x (reference)")


def main(argv: list[str] | None = None) -> int:
    """Parse the arguments and run."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--checkouts", type=int, default=200)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args(argv)
    asyncio.run(run(args.checkouts, args.concurrency, args.rounds))
    return 0


if __name__ == "__main__":
    sys.exit(main())
