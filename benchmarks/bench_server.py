"""Sandbox server throughput: healthz (the floor), checkout create and confirm on one uvicorn.

    .venv/bin/python -m benchmarks.bench_server [--requests 300] [--concurrency 1,8,32] [--rounds 2]

Starts `mock-server` (in-memory database) on a free loopback port in a subprocess, then drives it
with an httpx connection pool: `concurrency` workers share `requests` calls per endpoint. Each
round measures the three endpoints back to back on the same server, so drift on a shared machine
touches all of them alike; the best round per endpoint is reported. Prints requests per second,
p50 and p99 latency, and each endpoint's rate as a share of the floor's, at each concurrency level
(1, 8 and 32 by default).

Profiling one request: run the server under py-spy (`pip install py-spy`; `py-spy record -r 500
--format raw -o write.raw -- .venv/bin/mock-server` while this benchmark drives it, then sum the
samples per frame) — py-spy sees the worker threads the sync routes and the commits run in,
which pyinstrument (wrapping the requests of `benchmarks/bench_sim.py`'s floor in
`pyinstrument.Profiler()`) does not unless `anyio.to_thread.run_sync` is patched to call inline
while profiling. cProfile's call counts per request are a steady figure on a busy machine where
timings are not. `tests/server/test_statement_counts.py` counts the SQL statements of a create,
a confirm and a capture.

What the profiles showed on the write path, and what was cut (issue 9): the ORM's flush of a
request's few new and changed rows cost more than the rest of its commit, so the commit writes
them with core INSERTs per table and UPDATEs by key (`storage.database.write_changes`); the
Authorization lookup, the idempotency key's row, the webhook subscriptions and the recent hard
pull are prebuilt core selects, and the write's one hop before the route authenticates the key
for the route (`current_caller` no longer hops to a thread to read it again); a merchant's plans
parse once per distinct stored text; schedules are computed in integers instead of Fractions;
requests queue for SQLite's writer lock on the event loop instead of each waiting in a thread.
Python calls per request (cProfile): create 9,751 -> 6,642, confirm 11,845 -> 9,505, capture
6,689 -> 5,226, against 1,288 for GET /healthz. What is left is spread thin: FastAPI's
dependency solving and validation, the eight middlewares, SQLAlchemy's per-statement execution
(~0.1 ms each), the credit file and persona derivation of a new customer, and four thread hops
per write (~0.1 ms of CPU each).

Stop 22 measured the hops apart (`time.thread_time` inside each hop's function and
`time.process_time` around 200 sequential requests on an ASGI transport): a create cost
11.8 ms of process CPU with FastAPI's three hops (the `get_sandbox` dependency, the endpoint,
the answer's validation) against 9.6 ms with the same work called inline, ~0.5 ms of CPU per
hop on the event loop's side alone. On an in-memory database a bounded write now runs on the
loop (`api.routes.BoundedWorkRoute`, docs/internals.md), `get_sandbox` is a coroutine, and the
commit's INSERTs and UPDATEs run through `storage.bulk.execute_many`'s compiled plans; a
`gc.callbacks` probe found the collector running ~0.7 times a request (412 young collections
over 300 creates and confirms), and mock-server now collects its youngest generation after
10,000 new objects instead of 700. The `server CPU ms` column reads the server process's CPU
(/proc) around each endpoint's requests: on a shared machine it moves far less than req/s,
and its ratio to /healthz's is what a CPU-bound server could reach (the healthz rate itself is
bounded by this client on a two-core machine). Side by side, f68504d then this (load ~1.5,
alternating, 8 concurrent): create 91.7 / 96.6 -> 132.2 / 145.3 req/s (server CPU 9.97 / 9.37
-> 7.57 / 6.87 ms), confirm 63.4 / 59.1 -> 112.2 / 91.7 req/s (15.23 / 16.33 -> 8.87 /
10.87 ms).

Stop 23: measured by phase in process (`time.thread_time` around the service functions, 300
requests on an ASGI transport), a create spent ~0.8 ms of its ~6 ms pricing six offers, a third
of it in `add_months`; due dates are now computed once per plan shape and start date
(0.83 -> 0.32 ms per checkout), and a scorecard works out its probability of default once per
number of points (a 28-digit Decimal power per application). The last row, `GET /healthz (bare
client)`, sends the floor's request from keep-alive connections that speak HTTP/1.1 by hand: on
this machine it runs 4-10x the httpx floor's rate at half its server CPU, so the floor (and its
collapse at 32 concurrent, p99 over a second) is httpx's own pool (encode/httpx#3215), not the
server. Running at 32 also found the server closing idle connections at 5 s, the same age at
which httpx's pool drops them: a request could cross the close (ReadError); mock-server now
keeps them 75 s (`serving.KEEP_ALIVE_SECONDS`).

Stop 24, profiled with py-spy at 1,000 Hz over 1,500 creates and 1,500 confirms at 8 concurrent
(`--nonblocking --format raw`, samples summed per frame), and A/B'd in process (thread and
process CPU over 600 confirms on an ASGI transport, the two versions alternating):
- the in-memory database uses 16 KB pages: with SQLite's 4 KB pages each commit walked a page
  cache as large as the database (a confirm's COMMIT 0.10 ms at 1,000 checkouts, 1.37 ms at
  6,000; now 0.03 / 0.06 ms);
- uvicorn parses HTTP with httptools (`serving.ShapedHttpToolsProtocol`): server CPU per
  healthz 0.45 -> 0.27-0.30 ms, create 2.53 -> 2.33-2.40, confirm 4.27 -> 4.03-4.23;
- a persona's employer (Faker, 2.5% of a confirm) is drawn when read; a plan's offer for one
  amount and day is priced once (4.6% of a create);
- a checkout is answered from its read model's orjson (`present.checkout_answer`) instead of
  the Checkout schema's validation and serialization: create 2.33 -> 2.10-2.20 ms, confirm
  3.90 -> 3.57-3.77;
- a credit report's summary is worked out once (it was three times a confirm), the commit lets
  go of its rows with one `expunge_all`, a reader closes its session without an ORM rollback
  first, `to_usd_minor` divides integers instead of opening a 60-digit Decimal context, and a
  schedule is worked out once per terms and day (the offer's, the authorization's and the
  capture's are the same): together 3.78 -> 3.56-3.58 ms per confirm in process.
Tried and dropped for no measurable gain: writing an answer's head and body in one call,
uvloop under httptools, and a memo of a bureau file per identity and day (this benchmark's
checkouts are new identities whose create pulls no file, so it never hit).

Where a confirm's CPU goes now (in process, thread CPU per confirm): the loan process 1.15 ms
(the credit step 0.76: drawing the file 0.33, storing it 0.07, the merchant's reuse lookup
0.05, scoring and facts 0.25; the authorization and its loan 0.25), the commit 0.70 (six
statements, ~50 KB of JSON: the checkout's offers and schedules, its two events, the loan),
reading the checkout and its customer 0.34 (SQLAlchemy's ORM select of two rows; the driver's
own part is 0.01 ms and their JSON 0.06), FastAPI and the middlewares most of the rest. Side by
side at 8 concurrent on a quiet machine: create 529-547 req/s = 0.47-0.55x healthz (server CPU
1.83-1.87 ms), confirm 280 -> 296-304 req/s = 0.26-0.31x (3.53 -> 3.27-3.37 ms); healthz itself
ran 984-1,134 req/s across those runs, which moves both ratios. Those runs had uvloop in the
virtualenv (left from trying it; uvicorn picks it up when present, and it is no dependency). On
a fresh clone's `make test` virtualenv, four runs: create 497-522 req/s = 0.47-0.53x (1.87-2.00
ms), confirm 284-295 req/s = 0.27-0.30x (3.33-3.50 ms).

Stop 26. The machine's speed moved by up to 1.5x between runs of the same tree (a confirm's
server CPU 3.3 ms in one run, 4.7 ms in the next), so each cut was measured in instructions:
cachegrind (`valgrind --tool=cachegrind --cache-sim=no`) over the same warm-up and then 60
creates and confirms in process, minus the same run without them, the previous commit and the
change side by side (two worktrees; a run of the same tree repeats within ~1%). Cut, in turn:
a request's commit takes the session's connection once and processes a single row's values as
they are (create 9.28 -> 9.15 M instructions, confirm 14.34 -> 14.00 M); a checkout's JSON is
written once for its answer and its event (`UnitOfWork.record_checkout`: 9.32 -> 9.03 M,
13.94 -> 13.72 M); an installment nothing was paid against shares its wire entry with every
loan of the same terms (confirm 13.79 -> 13.51 M); the checkout and loan routers are tried
first (9.00 -> 8.79 M, 13.60 -> 13.42 M); the rows a write adds are made with `Row.new`,
without the ORM constructor's event per attribute (~25 us an event row against ~3.5 us:
8.75 -> 8.33 M, 13.40 -> 12.89 M); a priced offer builds its schedule's wire entries once
(offers are memoized per terms, amount and day, so this benchmark's creates, all of one amount,
share them; a shop of varied amounts gains less) and a checkout's offer ids come from one draw
of randomness (8.32 -> 7.66 M); a definition's process settings, an email's parts and the
USD conversion's fractions are read once (confirm 12.97 -> 12.85 M); a workflow instance's
stored data is copied for JSON, not by `copy.deepcopy` (12.84 -> 12.77 M); `current_caller`
reads the sandbox from the app rather than declaring it (FastAPI solves each declared dependency
on every request: 7.68 -> 7.62 M, 12.72 -> 12.62 M). Over the session, 666e467 against 824b418
side by side: create 9.26 -> 7.62 M instructions (-18%), confirm 14.35 -> 12.63 M (-12%).
And an answer's head and body now leave in one send
(`serving.OneSendPerTurn`; tried before, above, with no gain seen in req/s, which the floor
bounds): strace counts 1,000 sends for 1,000 /healthz instead of 2,000, and the bare client's
/healthz cost 0.21-0.23 ms of server CPU against 0.225-0.25 ms side by side.

Stop 27. py-spy over a live server (2,000 confirms, 3,000 creates, 8 concurrent) put
SQLAlchemy's own Python at ~22% of a confirm's samples and ~19% of a create's, most of it
around statements rather than in them: a one-row SELECT by key cost ~45 us through
`Connection.execute` (or `exec_driver_sql`) against ~4 us on the driver's cursor, measured in a
loop. Cut: the request path's statements (the key lookup, the checkout and checkout+customer
reads, the recent-report and webhook-endpoint lookups, every write at commit) run on the
driver's cursor, compiled once per dialect with their type processors (`storage.driver`; rows
read so join the session with `Base.loaded`). Instructions per request in process (cachegrind,
eadfb0f against the change, side by side): create 7.65 -> 7.21 M (-5.7%), confirm 12.53 ->
11.92 M (-4.9%). Then the merchant's enabled webhook endpoints come with its key (one JSON
list in the key lookup), so a write runs no endpoints query of its own: create 9 -> 8
statements, confirm 12 -> 11, capture 9 -> 8; that query took ~25 us of a confirm in process
(timed at the driver), which instructions barely show (create 7.24 -> 7.17 M, confirm 11.78 ->
11.76 M): a statement's cost in a request is mostly the cold caches it meets. A note on the
method: a full collection of the cyclic collector falling inside one run's measured window and
not the other's moved a confirm by ~0.9 M instructions; the runs now freeze what the warm-up
built and collect the youngest generation after 10,000 objects, as `mock-server` does, and
eadfb0f against this stop's last change reads create 7.55 -> 7.17 M (-5.0%), confirm
12.63 -> 11.77 M (-6.7%). Also measured and not kept: a credit file kept per person and day (this
benchmark makes every customer a new person, so it gained nothing here); the security scheme's
bearer dependency answering at once (within the run-to-run 1%); the hot routes reading the sandbox
from the app instead of declaring it (-0.7% create, -1.2% confirm: one dependency fewer for
FastAPI to solve, but every other route declares it). What is left of a confirm's
~3.2-3.7 ms is spread thin: SQLite's own work on ten statements (~0.5 ms in the request, 3-5x
the same statements in a loop: the caches are cold), JSON (~0.2 ms: the checkout's 15 KB read
and written back, its answer, the loan), FastAPI's dependency solving (~0.15 ms, timed around
`solve_dependencies`), the workflow and underwriting (~18% of samples), the session's
bookkeeping at commit. py-spy also counts ~6% in the socket write of the 15 KB answer, but that
send costs ~11 us of CPU alone (timed between two processes): the rest is the server waiting
while the woken client runs, wall time rather than CPU. On the fresh clone of this stop, three
runs at 8 concurrent: create 478-575 req/s = 0.47-0.60x healthz, confirm 246-309 req/s =
0.24-0.32x (server CPU 3.23-4.07 ms); alternating with eadfb0f on one virtualenv, two pairs:
confirm 204 / 291 -> 352 / 247 req/s, create 357 / 577 -> 631 / 536 (the machine's phases
moved each run by more than the change).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import subprocess
import sys
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

AUTH = {"Authorization": "Bearer sk_test_demo"}
IDENTITY_KEYS = ("name", "phone", "date_of_birth", "address", "national_id_last4", "locale")


@dataclass(frozen=True)
class Result:
    """One endpoint's measurements in one round."""

    name: str
    rps: float
    p50_ms: float
    p99_ms: float
    cpu_ms: float | None  # the server process's CPU per request, where the OS tells it


def cpu_seconds(pid: int) -> float:
    """User plus system CPU seconds a live process has used (Linux's /proc; OSError
    elsewhere)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime, stime


def process_cpu(pid: int) -> Callable[[], float | None]:
    """A reader of the process's CPU seconds so far (`cpu_seconds`), or of None where the OS
    does not tell. Unlike requests per second, CPU per request hardly moves when other work
    shares the machine, so its ratio is the steadier figure there."""

    def read() -> float | None:
        try:
            return cpu_seconds(pid)
        except OSError:  # no /proc
            return None

    return read


def free_port() -> int:
    """A free loopback port."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def start_server(port: int) -> subprocess.Popen[bytes]:
    """`mock-server` on the port, quiet, in memory."""
    script = Path(sys.executable).with_name("mock-server")
    command = [str(script)] if script.exists() else [sys.executable, "-m", "mock_server"]
    return subprocess.Popen(
        [*command, "--port", str(port), "--log-level", "warning"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )


def wait_until_up(base: str, process: subprocess.Popen[bytes]) -> None:
    """Poll /healthz until the server answers."""
    for _ in range(600):
        if process.poll() is not None:
            raise SystemExit("mock-server exited during start-up")
        try:
            if httpx.get(f"{base}/healthz").status_code == 200:
                return
        except httpx.TransportError:
            time.sleep(0.1)
    raise SystemExit("mock-server did not start")


def percentile(sorted_values: list[float], fraction: float) -> float:
    """The nearest-rank percentile of sorted values."""
    index = min(len(sorted_values) - 1, max(0, round(fraction * len(sorted_values)) - 1))
    return sorted_values[index]


async def measure(
    name: str,
    calls: list[Callable[[], Awaitable[httpx.Response]]],
    concurrency: int,
    cpu: Callable[[], float | None] | None = None,
) -> Result:
    """Run the calls over `concurrency` workers; every answer must be a 2xx (and, given a
    reader of the server's CPU seconds, the CPU per request)."""
    queue = list(reversed(calls))
    latencies: list[float] = []

    async def worker() -> None:
        while queue:
            call = queue.pop()
            started = time.perf_counter()
            response = await call()
            latencies.append(time.perf_counter() - started)
            if response.status_code >= 300:
                raise SystemExit(f"{name}: {response.status_code} {response.text[:200]}")

    cpu_before = cpu() if cpu is not None else None
    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    elapsed = time.perf_counter() - started
    cpu_after = cpu() if cpu is not None else None
    latencies.sort()
    cpu_ms = None
    if cpu_before is not None and cpu_after is not None:
        cpu_ms = (cpu_after - cpu_before) / len(latencies) * 1e3
    return Result(
        name,
        len(latencies) / elapsed,
        percentile(latencies, 0.5) * 1e3,
        percentile(latencies, 0.99) * 1e3,
        cpu_ms,
    )


BARE_REQUEST = b"GET /healthz HTTP/1.1\r\nHost: bench\r\n\r\n"


async def bare_healthz(
    port: int, requests: int, concurrency: int, cpu: Callable[[], float | None]
) -> Result:
    """GET /healthz over `concurrency` keep-alive connections that speak HTTP/1.1 by hand
    (asyncio streams, no client library): what the server answers when the client costs
    next to nothing. httpx's pool is the bound of the floor above it (its cost per request
    grows with the connections it juggles, encode/httpx#3215), so this row shows how much of
    that floor is the client's."""
    remaining = requests
    latencies: list[float] = []

    async def connection() -> None:
        nonlocal remaining
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        try:
            while remaining > 0:
                remaining -= 1
                started = time.perf_counter()
                writer.write(BARE_REQUEST)
                head = await reader.readuntil(b"\r\n\r\n")
                status = head.split(b" ", 2)[1]
                length = next(
                    int(line.partition(b":")[2])
                    for line in head.split(b"\r\n")
                    if line.lower().startswith(b"content-length:")
                )
                await reader.readexactly(length)
                latencies.append(time.perf_counter() - started)
                if status != b"200":
                    raise SystemExit(f"bare GET /healthz: {status.decode()}")
        finally:
            writer.close()

    cpu_before = cpu()
    started = time.perf_counter()
    await asyncio.gather(*(connection() for _ in range(concurrency)))
    elapsed = time.perf_counter() - started
    cpu_after = cpu()
    latencies.sort()
    cpu_ms = None
    if cpu_before is not None and cpu_after is not None:
        cpu_ms = (cpu_after - cpu_before) / len(latencies) * 1e3
    return Result(
        "GET /healthz (bare client)",
        len(latencies) / elapsed,
        percentile(latencies, 0.5) * 1e3,
        percentile(latencies, 0.99) * 1e3,
        cpu_ms,
    )


def checkout_body(persona: dict[str, Any], n: int) -> dict[str, Any]:
    """A cart for one persona, its email tagged +approve and made unique per call."""
    local, _, domain = persona["email"].partition("@")
    customer = {key: persona[key] for key in IDENTITY_KEYS}
    customer["email"] = f"{local}.{n}+approve@{domain}"
    return {
        "items": [{"sku": "BENCH-1", "name": "Benchmark widget", "unit_amount": 25_000,
                   "quantity": 2}],
        "amount": 50_000,
        "currency": "USD" if persona["locale"] == "en_US" else "CNY",
        "customer": customer,
    }  # fmt: skip


async def one_round(
    client: httpx.AsyncClient,
    personas: list[dict[str, Any]],
    requests: int,
    concurrency: int,
    offset: int,
    cpu: Callable[[], float | None],
) -> list[Result]:
    """Healthz, create and confirm, measured back to back; then healthz again from a bare client."""
    bodies = [checkout_body(personas[n % len(personas)], offset + n) for n in range(requests)]
    for body in bodies:
        if body["currency"] == "CNY":
            body["items"][0]["unit_amount"] = 175_000
            body["amount"] = 350_000
    health = await measure(
        "GET /healthz", [lambda: client.get("/healthz")] * requests, concurrency, cpu
    )
    created: list[dict[str, Any]] = []

    def create(body: dict[str, Any]) -> Callable[[], Awaitable[httpx.Response]]:
        async def call() -> httpx.Response:
            response = await client.post("/v1/checkouts", json=body)
            created.append(response.json())
            return response

        return call

    create_result = await measure(
        "POST /v1/checkouts", [create(b) for b in bodies], concurrency, cpu
    )

    def confirm(checkout: dict[str, Any]) -> Callable[[], Awaitable[httpx.Response]]:
        body = {"offer": checkout["offers"][-1]["id"], "consent": True}
        path = f"/v1/checkouts/{checkout['id']}/confirm"
        return lambda: client.post(path, json=body)

    confirm_result = await measure(
        "POST /v1/checkouts/{id}/confirm", [confirm(c) for c in created], concurrency, cpu
    )
    port = client.base_url.port
    assert port is not None
    bare = await bare_healthz(port, requests, concurrency, cpu)
    return [health, create_result, confirm_result, bare]


async def run(requests: int, levels: list[int], rounds: int) -> None:
    """Start the server once; at each concurrency level warm up, run the rounds, print."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    process = start_server(port)
    try:
        wait_until_up(base, process)
        offset = 0
        for concurrency in levels:
            limits = httpx.Limits(
                max_connections=concurrency, max_keepalive_connections=concurrency
            )
            async with httpx.AsyncClient(
                base_url=base, headers=AUTH, limits=limits, timeout=120
            ) as client:
                page = await client.get(
                    "/v1/sandbox/personas", params={"tier": "prime", "limit": 100}
                )
                personas = page.json()["data"]
                cpu = process_cpu(process.pid)
                await one_round(
                    client, personas, min(50, requests), concurrency, 10**6 + offset, cpu
                )
                best: dict[str, Result] = {}
                for _ in range(rounds):
                    offset += requests
                    results = await one_round(client, personas, requests, concurrency, offset, cpu)
                    for result in results:
                        if result.name not in best or result.rps > best[result.name].rps:
                            best[result.name] = result
            report(list(best.values()), requests, concurrency, rounds)
    finally:
        process.terminate()
        process.wait()


def report(results: list[Result], requests: int, concurrency: int, rounds: int) -> None:
    """Print rps, p50/p99 and each endpoint's share of the floor's rate."""
    floor = results[0]
    print(
        f"mock-server on uvicorn, in-memory SQLite: {requests} requests x {rounds} rounds, "
        f"{concurrency} concurrent (best round per endpoint)"
    )
    print(
        f"{'endpoint':34} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8} {'x healthz rate':>15}"
        f" {'server CPU ms':>14} {'x healthz CPU':>14}"
    )
    for r in results:
        cpu = share = ""
        if r.cpu_ms is not None and floor.cpu_ms is not None and r.cpu_ms > 0:
            cpu, share = f"{r.cpu_ms:.2f}", f"{floor.cpu_ms / r.cpu_ms:.2f}x"
        print(
            f"{r.name:34} {r.rps:9.1f} {r.p50_ms:8.2f} {r.p99_ms:8.2f} {r.rps / floor.rps:14.2f}x"
            f" {cpu:>14} {share:>14}"
        )
    print()


def main(argv: list[str] | None = None) -> int:
    """Parse the arguments and run."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument(
        "--concurrency", default="1,8,32", help="comma-separated levels (default 1,8,32)"
    )
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args(argv)
    levels = [int(level) for level in args.concurrency.split(",")]
    asyncio.run(run(args.requests, levels, args.rounds))
    return 0


if __name__ == "__main__":
    sys.exit(main())
