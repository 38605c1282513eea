"""Scale-out: checkout throughput with `--workers 2` against `--workers 1` on the same PostgreSQL.

    .venv/bin/python -m benchmarks.bench_scale [--checkouts 200] [--concurrency 16] [--rounds 2]
        [--new-connections]

Starts a local PostgreSQL cluster (mock_server.local_postgres), then for each configuration a
`mock-server` in a subprocess on a free loopback port: PostgreSQL with 1 worker, PostgreSQL with 2
workers (same cluster, a fresh database each), and the embedded SQLite file with 1 worker for
reference. This process is the load: `concurrency` shoppers, each creating a checkout and
confirming it (`+approve` personas, so every confirm authorizes a loan). Rounds alternate the
configurations so drift on a shared machine touches them alike; the best round of each is
reported, with the ratio of 2 workers to 1 on PostgreSQL (the aim is at least 1.5x on a machine
with two free cores) and SQLite's rate beside them.

Each shopper keeps its connection alive, as a merchant's SDK client does (its httpx pool): the
kernel hands each new connection to one worker, so the shoppers' connections are spread over the
workers once. `--new-connections` opens a connection per request instead (each request is then
spread anew, and the sandbox and this process pay a TCP handshake and teardown per request).

Each setup's CPU per journey is measured too, from /proc: the sandbox's processes, PostgreSQL's
(its postmaster and backends) and this load process. On a machine whose cores run all three,
`cores / CPU per journey` is the most journeys a second it can do however the sandbox scales, so
the report prints that ceiling beside the measured ratio.
"""

from __future__ import annotations

import argparse
import asyncio
import functools
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from benchmarks.bench_server import AUTH, Result, checkout_body, free_port, measure, wait_until_up
from mock_server.local_postgres import LocalPostgres


@dataclass(frozen=True)
class Cpu:
    """CPU seconds per journey: the sandbox's processes, PostgreSQL's, the load's."""

    sandbox: float
    postgres: float
    load: float

    @property
    def total(self) -> float:
        return self.sandbox + self.postgres + self.load


_TICK = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def tree_cpu_seconds(pid: int | None) -> float:
    """CPU seconds used by a process and its descendants, live or already reaped (/proc)."""
    if pid is None:
        return 0.0
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
        children = " ".join(
            p.read_text() for p in Path(f"/proc/{pid}/task").glob("*/children")
        ).split()
    except OSError:
        return 0.0  # gone between the listing and the read
    # utime, stime, and the reaped children's cutime, cstime (fields 14-17 of stat).
    own = sum(int(value) for value in fields[11:15]) / _TICK
    return own + sum(tree_cpu_seconds(int(child)) for child in children)


def postmaster_pid(cluster: LocalPostgres) -> int | None:
    """The cluster's postmaster, from its postmaster.pid file."""
    if cluster.root is None:
        return None
    pid_file = cluster.root / "data" / "postmaster.pid"
    return int(pid_file.read_text().split()[0]) if pid_file.exists() else None


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


@dataclass(frozen=True)
class Load:
    """What this process sends: journeys per round, concurrent shoppers, connection reuse."""

    checkouts: int
    width: int
    keep_alive: bool


async def measure_setup(
    setup: Setup, load: Load, offset: int, postgres: int | None
) -> tuple[Result, Cpu]:
    """Start the setup's server, warm it up, measure one round and its CPU, stop it."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    process = start_server(setup, port)
    try:
        wait_until_up(base, process)
        checkouts, width = load.checkouts, load.width
        # A connection per shopper, kept alive (or opened anew per request): the kernel spreads
        # new connections over the workers the way it spreads separate clients.
        kept = width if load.keep_alive else 0
        limits = httpx.Limits(max_connections=width, max_keepalive_connections=kept)
        async with httpx.AsyncClient(base_url=base, headers=AUTH, limits=limits) as client:
            page = await client.get("/v1/sandbox/personas", params={"tier": "prime", "limit": 100})
            if page.status_code != 200:
                raise SystemExit(f"{setup.label}: personas answered {page.status_code} {page.text}")
            personas = [p for p in page.json()["data"] if p["locale"] == "en_US"]
            await journeys(client, personas, min(40, checkouts), offset + 10**6, width)
            pg = postgres if setup.db.startswith("postgresql") else None
            before = (tree_cpu_seconds(process.pid), tree_cpu_seconds(pg), time.process_time())
            result = await journeys(client, personas, checkouts, offset, width)
            after = (tree_cpu_seconds(process.pid), tree_cpu_seconds(pg), time.process_time())
            used = [(end - start) / checkouts for start, end in zip(before, after, strict=True)]
            return result, Cpu(*used)
    finally:
        process.terminate()
        process.wait()


async def run(load: Load, rounds: int) -> None:
    """Measure every setup `rounds` times, alternating, and print the table and ratios."""
    with LocalPostgres() as cluster, tempfile.TemporaryDirectory() as scratch:
        best: dict[str, tuple[Result, Cpu]] = {}
        for index in range(rounds):
            setups = [
                Setup("PostgreSQL, 1 worker", cluster.create_database(), 1),
                Setup("PostgreSQL, 2 workers", cluster.create_database(), 2),
                Setup("SQLite file, 1 worker", f"sqlite:///{Path(scratch) / f'r{index}.db'}", 1),
            ]
            for setup in setups:
                measured = await measure_setup(
                    setup, load, index * load.checkouts, postmaster_pid(cluster)
                )
                if setup.label not in best or measured[0].rps > best[setup.label][0].rps:
                    best[setup.label] = measured
        report(best, load, rounds)


def report(best: dict[str, tuple[Result, Cpu]], load: Load, rounds: int) -> None:
    """Print journeys a second and CPU per journey per setup, and the scale-out ratio."""
    cores = os.cpu_count() or 1
    print(
        f"checkout + confirm journeys: {load.checkouts} x {rounds} rounds, {load.width} "
        f"concurrent shoppers from a separate process, "
        f"{'kept-alive connections' if load.keep_alive else 'a new connection per request'} "
        f"(best round per setup; {cores} CPUs)"
    )
    print(
        f"{'setup':24} {'journeys/s':>11} {'p50 ms':>8} {'p99 ms':>8}"
        f"   CPU ms per journey: {'sandbox':>7} {'pg':>5} {'load':>5} {'total':>6}"
    )
    for label, (result, cpu) in best.items():
        print(
            f"{label:24} {result.rps:11.1f} {result.p50_ms:8.1f} {result.p99_ms:8.1f}"
            f"   {'':19} {cpu.sandbox * 1e3:7.1f} {cpu.postgres * 1e3:5.1f}"
            f" {cpu.load * 1e3:5.1f} {cpu.total * 1e3:6.1f}"
        )
    (one, _), (two, two_cpu) = best["PostgreSQL, 1 worker"], best["PostgreSQL, 2 workers"]
    sqlite = best["SQLite file, 1 worker"][0]
    print(f"PostgreSQL 2 workers / 1 worker: {two.rps / one.rps:.2f}x (aim >= 1.5x)")
    # However the sandbox scales, these cores run at most cores / (CPU per journey) journeys.
    ceiling = cores / two_cpu.total
    print(
        f"  the {cores} cores allow at most {ceiling:.1f} journeys/s at 2 workers' CPU per "
        f"journey ({ceiling / one.rps:.2f}x of 1 worker); 2 workers reached "
        f"{two.rps / ceiling:.0%} of that"
    )
    print(f"PostgreSQL 1 worker / SQLite 1 worker: {one.rps / sqlite.rps:.2f}x (reference)")


def main(argv: list[str] | None = None) -> int:
    """Parse the arguments and run."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--checkouts", type=int, default=200)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument(
        "--new-connections",
        action="store_true",
        help="a new connection per request instead of one kept alive per shopper",
    )
    args = parser.parse_args(argv)
    load = Load(args.checkouts, args.concurrency, keep_alive=not args.new_connections)
    asyncio.run(run(load, args.rounds))
    return 0


if __name__ == "__main__":
    sys.exit(main())
