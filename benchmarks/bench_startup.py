"""Cold start: the sandbox's first answer, the SDK import, the storefront's first paint.

    .venv/bin/python -m benchmarks.bench_startup [--runs 5]

Each is a fresh process, timed from spawn to the moment that matters, against the floor of
`python -c pass` measured in the same run (so a loaded machine tilts both alike):

- `mock-server`: spawn to the first 200 from `GET /healthz` (polled every 5 ms). The sandbox
  listens only once its schema is in place and its demo merchant seeded, so that first 200 means
  a real request would be served too; and spawn to the 201 of a checkout sent right after that
  first 200, which pays for what is left until first use (FastAPI builds an included router's
  routes at its first request, the rule engine loads and the credit policy compiles at the first
  decision, Faker loads at the first generated name);
- `import installo`: the whole `python -c "import installo"` process;
- `merchant-sim`: spawn to the first frame of the storefront (Textual, headless; the embedded
  sandbox starts in a worker after that frame, as in the terminal).

Beside each program, the frameworks' share of its start: a fresh `python` that imports, in the
same order, every third-party module (loaded from site-packages) the program had loaded when it
first answered (`mock-server`, which lists them on SIGUSR1 after its first 200) or painted (the
probe lists them at the first frame), and exits. That list is taken in the same run, so it
follows the code; the program's own part is its start minus that floor ("ours": our modules'
import, FastAPI's analysis of our routes, pydantic's and SQLAlchemy's build of our models, the
schema and the demo merchant; for the storefront its screen, styles and layout).

The sandbox's CPU seconds to its first answer are printed too (from /proc, Linux only; its
ratio is to the floor's wall time): on a busy machine the wall time mostly measures waiting for a
core, the CPU time what a quiet machine would take. Medians of `--runs` runs, after one warm-up
run each. The packages' bytecode is compiled first (`compileall`), as `pip install` does for an
installed package: with an editable install and PYTHONDONTWRITEBYTECODE set, every start would
otherwise compile all the sandbox's source again.

How the start was profiled (the tools are not project dependencies: `.venv/bin/pip install
py-spy pyinstrument`):
- imports: `.venv/bin/python -X importtime -c "import mock_server.__main__" 2> imports.txt`,
  then `sort -t'|' -k2 -n imports.txt | tail -40` (cumulative) or `-k1` (self);
- the whole start to the first answer: `.venv/bin/pyinstrument -i 0.001 -m mock_server --port
  8799` in one shell, `curl localhost:8799/healthz` then Ctrl-C in another; pyinstrument prints
  the tree (imports, `build_sandbox`, uvicorn's start) when the server stops;
- `py-spy record -o start.svg -- .venv/bin/mock-server` draws the same as a flame graph;
- what kind of work the start does: cProfile around `import mock_server.app`, `build_sandbox`
  and `create_app` (frameworks imported first), summing the cumulative time of
  `APIRoute.__init__`, pydantic's `ModelMetaclass.__new__`, `dataclass`, SQLAlchemy's
  `DeclarativeBase.__init_subclass__`, `re.compile`, and the callers of `eval`; the garbage
  collector's share with a `gc.callbacks` timer;
- on a shared machine, where wall and CPU times of one start vary by 2x, each change was
  measured by the instructions the start executes, which do not vary with load (0.1% between
  runs): `valgrind --tool=cachegrind --cache-sim=no` on a script that runs `mock-server`'s
  `main()` with `uvicorn.Server.run` replaced by a no-op, one tree against another.
What they showed, and what the sandbox now leaves until first use: Alembic (only for a database
not already at the newest revision), the webhook HTTP client and its TLS certificates (first
delivery), Faker (first generated person), Jinja (first hosted page), segno (first QR code),
rapidfuzz (first sanctions screening), cryptography (first secret sealed or opened); no
WebSocket library at all (uvicorn `ws="none"`), and the shipped workflows parsed with libyaml.
Cut next (each change measured by the instructions of a start to serving):
- the cyclic garbage collector is paused until the app is built, then what the start built is
  frozen (`gc.freeze`): the start ran 284 young, 26 middle and 2 full collections over the
  ~140,000 objects it keeps (a tenth of its CPU time; they leave 881 unreachable objects);
- the response models and the error envelope build their validators at first use (`ApiModel`,
  `defer_build`), so FastAPI's response fields for them are not built at start either; request
  bodies stay eager (a deferred body model warns when FastAPI's aliased body field is built);
- route, dependency and model modules use real annotations, not `from __future__ import
  annotations`: FastAPI evaluates each string annotation of each endpoint and dependency once
  per route, pydantic each field's, SQLAlchemy each `Mapped[...]` (~2,000 `eval`s a start);
- the error answers are declared where app.py includes the routers, so FastAPI builds their two
  fields per route once (for the routes as included) instead of at import as well.
Together 4,512 M -> 3,895 M instructions (-14%, against main at 4a28a3a); CPU seconds to the
first answer -23% against main at 72dedc9 (medians of 8 alternating spawns of each tree, 2.31 s
-> 1.79 s, on the shared machine at a load of 6; minimums 1.72 s -> 1.48 s). What is left is
mostly the frameworks' own import (about 2,100 M: pydantic and pydantic-settings, whose plugin
scan reads every installed distribution's entry points; SQLAlchemy; FastAPI, which also imports
`pydantic.v1` at the first route; uvicorn), then FastAPI's analysis of 90 routes, the 29 ORM
models, the rule, risk and workflow engines the services import (PyYAML among them, which the
shipped workflows need at start), and the schema and demo merchant (`build_sandbox`).

Issue 9, stop 22 (branch s22-startup), profiled and measured the same way, plus:
- the storefront: `-X importtime -c "import merchant_sim.app"` (tree of what the first frame
  imports); a probe that stamps the import, the app's mount, the first compositor refresh of the
  store (`Screen._compositor_refresh`), the start of `connect` in the worker thread and the
  personas' arrival; and cachegrind of this file's probe exiting (`os._exit`) at the first frame;
- the sandbox: `-X importtime` summed per package of our own modules (self time); cProfile with
  `time.process_time` as its timer around `main()`, frameworks imported first, the callers of
  `re.compile` and `dataclass`; an AST walk of the module-level imports reachable from
  `mock_server.__main__` and `app` (which modules make an engine load at start); and cachegrind
  of importing each engine package after a common base of the frameworks, storage and domain:
  risk 90 M, rules 71 M, kyb with python-stdnum 47 M, furnishing ~29 M instructions.
What they showed and what changed:
- the storefront imported before its first frame the SDK's client and every model (~0.5 s CPU
  here), httpx (with its CLI: click, rich, pygments), the scenario runner (PyYAML, the sandbox's
  domain), plotext and six screens it does not show, and its worker thread began importing the
  embedded sandbox during the mount, sharing the interpreter with the first frame. Now the other
  screens load when first shown (MODES hold factories; the worker imports them once the sandbox
  is up), the SDK, httpx and the runner load in the worker, the run counts the session keeps
  moved to `merchant_sim/tally.py`, and the worker's thread starts after the first refresh.
  Before the first frame: 420 third-party modules -> 211 (textual, rich, platformdirs);
  instructions to the first frame 3,072 M -> 1,444 M (-53%, cachegrind, main at f68504d);
- the sandbox loaded at start the rule engine (through the services' context and eight
  services), KYB with python-stdnum (through the rules' onboarding facts, onboarding and payouts;
  stdnum's Luhn check through the card services) and the underwriting process, none of which
  `/healthz`, the schema or the demo merchant needs: they now load at the first decision, merchant
  application, payout or card (the first checkout pays for the rules and underwriting, ~0.03 s).
  Instructions to serving 3,943 M -> 3,793 M (-3.8%, cachegrind, main at f68504d).
Measured with this file, main (f68504d) and this branch alternating on the shared machine (two
runs of each, medians of 3 spawns per figure; other agents' jobs running, load 2.5-3.8), main's
figures first:
- merchant-sim first paint 1641 / 1594 ms -> 842 / 865 ms (target 1500); its frameworks' import
  639 / 637 ms (211 modules), ours 203 / 228 ms: Textual parsing the widgets' and the app's
  styles, composing and laying out the store (main's floor, 1683 / 1658 ms over 420 modules,
  counted what its worker thread imported during the first frame, so its "ours" was negative);
- mock-server CPU to its first answer 2070 / 2150 ms -> 2020 / 2000 ms against its frameworks'
  import, 1716 / 1675 ms -> 1707 / 1576 ms (the same modules but the rule engine's and KYB's:
  452 -> 432), so ours 354 / 475 ms -> 313 / 424 ms; wall to the first answer 1944 / 2415 ms ->
  2416 / 2345 ms, first checkout 2928 / 2480 ms -> 2462 / 2900 ms: on this machine the wall
  times vary by a quarter between runs of the same tree, more than the change (the instruction
  counts above are the steady measure). The 1 s target is below the frameworks' import alone
  (their floor is 80-85% of the start): what is ours is 15-22% of it.
- `python -c pass` 53-64 ms, `import installo` 58-80 ms (unchanged).
A second pair of runs (medians of 5) at a load of 4-5: first paint 2802 / 2988 ms -> 1442 /
1020 ms; CPU to the first answer 2170 / 2200 ms -> 2040 / 2400 ms: at that load even the CPU
times of one tree moved by a fifth between runs, and a floor could exceed the program's start.
Left as they are: the risk engine (90 M) and the Metro 2 furnishing package (~29 M) are imported
at start by services.furnishing (the month-end work registered in `build_sandbox`), bureau and
loan_book (through servicing), files another engineer is changing this stop; FastAPI's analysis
of the routes (about a third of our part: `get_dependant`, a pydantic field per parameter, a
regex per path), pydantic's build of the request models (their validators are needed by the
route analysis), SQLAlchemy's declarative mapping, mapper configuration at the first query and
the DDL of 29 tables. Pydantic's plugin search (every installed distribution's entry points at
the first model) costs 12-19 ms CPU and 27 M instructions here: not worth turning users' pydantic
plugins off for (`PYDANTIC_DISABLE_PLUGINS`).

Issue 9, stop 23 (branch s23-startup), profiled as above (`-X importtime` of a start to the first
answer sorted by cumulative time; cProfile with `time.process_time` of `import mock_server.app`,
`build_sandbox` and `create_app` after the frameworks; cachegrind of `main()` with
`uvicorn.Server.run` replaced by one in-process ASGI `GET /healthz`, then also a `POST
/v1/checkouts`, the bytecode of both trees compiled first). What it showed and what changed:
- FastAPI (0.165) analysed every route twice: at `@router.get` (`APIRoute.__init__`: 39% of
  our modules' import under cProfile, and the import of `pydantic.v1`) and again, for the route
  as included, at its router's first request; only the second serves requests and the OpenAPI
  document. Every router now makes `DeferredRoute`s (api/deferred_routes.py), which keep only
  what including a router reads and analyse the rest if it is ever read (never, measured: not
  after requests and `/openapi.json`). The document is byte-identical. `pydantic.v1` (85 M
  instructions) still loads before the first answer: the `/healthz` route's analysis at that
  request imports it (FastAPI's `create_model_field`);
- PyYAML (91 M to import) and the two shipped loan processes (18 M) loaded at start, for no
  part of `/healthz`: they now load at the first workflow lookup (`Sandbox.workflows`, a
  property), i.e. the first checkout's decision, and the scorecard imports PyYAML when it loads.
Instructions (cachegrind; main at ef85641 -> this branch): to the first `/healthz` answer 3,837 M
-> 3,424 M (-10.7%); to the 201 of a checkout sent after it 3,948 M -> 3,553 M (-10%: that
checkout itself costs 17 M more, ~10 ms, for PyYAML and the loan processes). This file, main and
the branch alternating, six pairs of runs (medians of 5 spawns each) on the shared machine at
loads of 0.6-8: CPU to the first answer, main 1920 / 2130 / 2080 / 1890 / 1940 / 1870 ms ->
branch 1700 / 1250 / 1730 / 1740 / 1420 / 1680 ms (medians 1930 -> 1690 ms, -12%); the
frameworks' CPU 1200-1940 ms in both (414 modules instead of 432: no PyYAML). Wall to the first
answer moved by more between two runs of one tree (1389-6430 ms for main, 1778-5277 ms for the
branch; the four quieter pairs 4021 / 1907 / 2154 / 1389 -> 2147 / 1778 / 1950 / 2156 ms) than
the change: the frameworks' import is 73% of the start's instructions (2,489 M; FastAPI with
OpenTelemetry, SQLAlchemy's ORM, pydantic, uvicorn with click and h11, pydantic-settings), so 1 s
is out of reach on this machine while `mock-server` loads them before it serves.
"""

from __future__ import annotations

import argparse
import compileall
import os
import resource
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx

from benchmarks.bench_server import cpu_seconds, free_port

_DEMO_KEY = {"Authorization": "Bearer sk_test_demo"}
_PAINT_PROBE = """
import sys, time
from merchant_sim.app import MerchantSimApp
from merchant_sim.connection import SandboxConnection

async def first_frame(pilot):
    print(time.time(), flush=True)
    if "--modules" in sys.argv:
        print(*third_party_modules(), sep="\\n", flush=True)
    pilot.app.exit()

MerchantSimApp(lambda: SandboxConnection.start_embedded(seed=0)).run(
    headless=True, auto_pilot=first_frame
)
"""
#: Defines `third_party_modules()` in a probe: the modules in `sys.modules` loaded from
#: site-packages (the frameworks and their dependencies, not the repository's packages), in the
#: order their import began.
_MODULES_HELPER = """
import os as _os, sys as _sys, sysconfig as _sysconfig

def third_party_modules():
    roots = {_sysconfig.get_paths()[key] + _os.sep for key in ("purelib", "platlib")}
    return [
        name
        for name, module in list(_sys.modules.items())
        if not name.startswith("__editable__")
        and any((getattr(module, "__file__", None) or "").startswith(r) for r in roots)
    ]
"""
#: `mock-server`'s own start, which writes its third-party modules to the file named in
#: `BENCH_MODULES_FILE` when it gets SIGUSR1 (sent after its first answer).
_SERVER_MODULES_PROBE = """
import signal

def _dump(_signum, _frame):
    path = _os.environ["BENCH_MODULES_FILE"]
    with open(path + ".part", "w") as out:
        out.write("\\n".join(third_party_modules()))
    _os.replace(path + ".part", path)

signal.signal(signal.SIGUSR1, _dump)
from mock_server.__main__ import main
_sys.exit(main(_sys.argv[1:]))
"""
#: Imports the modules named one a line on stdin, in that order (a module that does not import
#: on its own is skipped, as it was an optional import that failed in the program too).
_IMPORT_FLOOR = """
import importlib, sys
for name in sys.stdin.read().split():
    try:
        importlib.import_module(name)
    except Exception:
        pass
"""


def compile_sources() -> None:
    """Write the bytecode of the repository's packages, as installing them would."""
    root = Path(__file__).resolve().parent.parent
    for package in ("sdk/installo", "mock_server", "merchant_sim"):
        compileall.compile_dir(root / package, quiet=2)


def python_floor() -> float:
    """Seconds for `python -c pass`."""
    began = time.perf_counter()
    subprocess.run([sys.executable, "-c", "pass"], check=True)
    return time.perf_counter() - began


def sdk_import() -> float:
    """Seconds for `python -c "import installo"`."""
    began = time.perf_counter()
    subprocess.run([sys.executable, "-c", "import installo"], check=True)
    return time.perf_counter() - began


_CHECKOUT: dict[str, Any] = {
    "items": [{"sku": "lamp", "name": "Lamp", "unit_amount": 40_000, "quantity": 1}],
    "amount": 40_000,
    "currency": "USD",
    "customer": {
        "email": "ada.lovelace+approve@example.com",
        "name": "Ada Lovelace",
        "phone": "+1 415 555 0100",
        "date_of_birth": "1985-12-10",
        "national_id_last4": "1234",
        "address": {
            "line1": "1 Market St",
            "city": "San Francisco",
            "region": "CA",
            "postal_code": "94105",
            "country": "US",
        },
    },
}


def server_first_answer(then_checkout: bool = False, cpu: bool = False) -> float:
    """Seconds from spawning `mock-server` to its first 200 on /healthz (and, with
    `then_checkout`, to the 201 of the first checkout sent right after it: what the sandbox
    leaves until first use is paid there). With `cpu`, the CPU seconds the server process had
    used by then instead (from /proc: what a loaded machine cannot inflate by making it wait)."""
    port = free_port()
    script = Path(sys.executable).with_name("mock-server")
    began = time.perf_counter()
    process = subprocess.Popen(
        [str(script), "--port", str(port), "--log-level", "warning"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        with httpx.Client(base_url=base, timeout=30, headers=_DEMO_KEY) as client:
            _wait_for_health(client, process)
            if then_checkout:
                created = client.post("/v1/checkouts", json=_CHECKOUT)
                if created.status_code != 201:
                    raise RuntimeError(f"the first checkout failed: {created.text}")
            return cpu_seconds(process.pid) if cpu else time.perf_counter() - began
    finally:
        process.terminate()
        process.wait()


def server_first_answer_cpu() -> float:
    """CPU seconds `mock-server` used from its spawn to its first 200 on /healthz."""
    return server_first_answer(cpu=True)


def _wait_for_health(client: httpx.Client, process: subprocess.Popen[bytes]) -> None:
    while True:
        try:
            if client.get("/healthz").status_code == 200:
                return
        except httpx.TransportError:
            if process.poll() is not None:
                raise RuntimeError("mock-server exited during start-up") from None
            time.sleep(0.005)


def server_first_checkout() -> float:
    """Seconds from spawning `mock-server` to the 201 of a checkout sent at its first 200."""
    return server_first_answer(then_checkout=True)


def _paint_probe(*flags: str) -> list[str]:
    """Run the storefront to its first frame; the lines it printed (the frame's wall-clock
    time first)."""
    done = subprocess.run(
        [sys.executable, "-c", _MODULES_HELPER + _PAINT_PROBE, *flags],
        check=True,
        capture_output=True,
        text=True,
        env={**os.environ, "TERM": "xterm-256color"},
    )
    return done.stdout.split()


def sim_first_paint() -> float:
    """Seconds from spawning the storefront to its first frame."""
    began_wall = time.time()
    return float(_paint_probe()[0]) - began_wall


def sim_modules() -> list[str]:
    """The third-party modules the storefront has imported when it paints its first frame."""
    return _paint_probe("--modules")[1:]


def server_modules() -> list[str]:
    """The third-party modules `mock-server` has imported when it first answers /healthz."""
    port = free_port()
    with tempfile.TemporaryDirectory() as folder:
        listing = Path(folder) / "modules.txt"
        process = subprocess.Popen(
            [
                sys.executable,
                "-c",
                _MODULES_HELPER + _SERVER_MODULES_PROBE,
                "--port",
                str(port),
                "--log-level",
                "warning",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env={**os.environ, "BENCH_MODULES_FILE": str(listing)},
        )
        try:
            with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=30) as client:
                _wait_for_health(client, process)
            process.send_signal(signal.SIGUSR1)
            while not listing.exists():
                if process.poll() is not None:
                    raise RuntimeError("mock-server exited before listing its modules")
                time.sleep(0.005)
            return listing.read_text().split()
        finally:
            process.terminate()
            process.wait()


def import_floor(modules: list[str], cpu: bool = False) -> float:
    """Seconds for a fresh `python` to import ``modules`` in this order and exit (the
    frameworks' share of a start); with `cpu`, its user plus system CPU seconds instead."""
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    began = time.perf_counter()
    subprocess.run(
        [sys.executable, "-c", _IMPORT_FLOOR], input="\n".join(modules), text=True, check=True
    )
    wall = time.perf_counter() - began
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime + after.ru_stime - used.ru_utime - used.ru_stime) if cpu else wall


def packages(modules: list[str]) -> list[str]:
    """The distinct top-level packages of ``modules``, in order."""
    return list(dict.fromkeys(name.split(".")[0] for name in modules))


def median(measure: Callable[[], float], runs: int) -> float:
    """The median of `runs` measurements (one warm-up run first, for the OS file cache)."""
    measure()
    return statistics.median(measure() for _ in range(runs))


def _row(name: str, seconds: float, floor: float, target: float | None = None) -> str:
    goal = f"; target {target * 1000:.0f} ms" if target is not None else ""
    return (
        f"{name:<31} {seconds * 1000:7.0f} ms  (+{(seconds - floor) * 1000:.0f} ms over the "
        f"floor, {seconds / floor:.1f}x{goal})"
    )


def _frameworks(name: str, modules: list[str], seconds: float, floor: float) -> str:
    names = packages(modules)
    shown = ", ".join(names[:8]) + (f" and {len(names) - 8} more" if len(names) > 8 else "")
    return f"{_row(name, seconds, floor)[:-1]}; {len(modules)} modules of {shown})"


def _ours(total: float, frameworks: float) -> str:
    return (
        f"  of which ours (total - imports) {(total - frameworks) * 1000:5.0f} ms  "
        f"({(total - frameworks) / total:.0%} of the total)"
    )


def main(argv: list[str] | None = None) -> int:
    """Measure each start against the interpreter's own and print both and the ratio, and each
    program's start against the import of the frameworks it loads before it serves or paints."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args(argv)
    compile_sources()
    server_imports, sim_imports = server_modules(), sim_modules()
    floor = median(python_floor, args.runs)
    print(f"python -c pass (floor)          {floor * 1000:7.0f} ms")
    print(_row("import installo", median(sdk_import, args.runs), floor, 0.150))
    imports = median(lambda: import_floor(server_imports), args.runs)
    print(_frameworks("mock-server's frameworks import", server_imports, imports, floor))
    answer = median(server_first_answer, args.runs)
    print(_row("mock-server first answer", answer, floor, 1.0))
    print(_ours(answer, imports))
    print(_row("mock-server first checkout", median(server_first_checkout, args.runs), floor))
    imports_cpu = median(lambda: import_floor(server_imports, cpu=True), args.runs)
    print(_row("mock-server's frameworks CPU", imports_cpu, floor))
    answer_cpu = median(server_first_answer_cpu, args.runs)
    print(_row("mock-server CPU to 1st answer", answer_cpu, floor, 1.0))
    print(_ours(answer_cpu, imports_cpu))
    imports = median(lambda: import_floor(sim_imports), args.runs)
    print(_frameworks("merchant-sim's frameworks import", sim_imports, imports, floor))
    paint = median(sim_first_paint, args.runs)
    print(_row("merchant-sim first paint", paint, floor, 1.5))
    print(_ours(paint, imports))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
