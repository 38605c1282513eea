"""`merchant-sim load SCENARIO.yaml`: run a scenario's shoppers as Locust users.

Headless by default; `--web` opens Locust's UI instead. Locust's own options pass through, so
`--master --expect-workers 2` and `--worker --master-host HOST` spread the load over processes and
machines (each worker is started with the same scenario file), and `--csv PREFIX` and
`--html FILE` write Locust's CSV statistics and HTML report. Users and spawn rate come from the
scenario's `load` section unless `-u` / `-r` are given; the run lasts `load.duration_s`, or
`--duration` seconds, or with `--checkouts N` until exactly N shopper journeys ended across all
workers (then a `--duration` given as well is an upper bound: whichever comes first).
The exit code is 0 when every expectation held on the aggregate of all workers, 1 when one did
not, 2 when the scenario is invalid.
"""

from __future__ import annotations

import argparse
import os
import sys
import uuid
from collections.abc import Sequence
from pathlib import Path

from merchant_sim.runner.loader import ScenarioError, load_scenario

__all__ = ["load_cli", "locust_arguments"]

LOCUSTFILE = Path(__file__).with_name("locustfile.py")
DEFAULT_HOST = "http://127.0.0.1:8787"


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="merchant-sim load",
        description="Run a scenario's shoppers as Locust users; other options go to Locust.",
    )
    parser.add_argument("scenario", type=Path, help="scenario YAML file")
    parser.add_argument(
        "--host", default=DEFAULT_HOST, help=f"sandbox URL (default {DEFAULT_HOST})"
    )
    parser.add_argument(
        "--api-key", help="merchant secret key (default INSTALLO_API_KEY or the demo key)"
    )
    parser.add_argument("--report", type=Path, help="write the scenario's JSON report here")
    parser.add_argument("--series-csv", type=Path, help="write the per-interval series as CSV")
    parser.add_argument("--report-html", type=Path, help="write the scenario's HTML report")
    parser.add_argument(
        "--web", action="store_true", help="open Locust's web UI instead of headless"
    )
    parser.add_argument(
        "--duration", type=float, help="seconds of load (default: the scenario's load.duration_s)"
    )
    parser.add_argument(
        "--checkouts",
        type=_positive,
        metavar="N",
        help="stop once N shopper journeys (one checkout each) ended, counted across all workers, "
        "instead of after a duration; with --duration too, whichever comes first",
    )
    return parser


def _positive(text: str) -> int:
    value = int(text)
    if value <= 0:
        raise argparse.ArgumentTypeError(f"must be at least 1, not {value}")
    return value


def locust_arguments(argv: Sequence[str]) -> tuple[list[str], dict[str, str]]:
    """Locust's command line and the environment its processes need, for `merchant-sim load`."""
    args, passthrough = _parser().parse_known_args(argv)
    scenario = load_scenario(args.scenario)  # invalid files stop here, with every issue named
    load = scenario.load
    given = set(passthrough)
    command = ["locust", "-f", str(LOCUSTFILE), "--host", args.host]
    if "--worker" not in given:
        if not args.web:
            command.append("--headless")
        if not given & {"-u", "--users"}:
            command += ["--users", str(load.users)]
        if not given & {"-r", "--spawn-rate"}:
            command += ["--spawn-rate", f"{load.spawn_rate:g}"]
        command += ["--installo-run", f"{scenario.name}-{uuid.uuid4().hex[:10]}"]
        if args.checkouts is not None:  # by count; a duration given as well is an upper bound
            command += ["--installo-checkouts", str(args.checkouts)]
            if args.duration:
                command += ["--installo-duration", f"{args.duration:g}"]
        else:
            command += ["--installo-duration", f"{args.duration or load.duration_s:g}"]
        for option, path in (
            ("--installo-report", args.report),
            ("--installo-series-csv", args.series_csv),
            ("--installo-html", args.report_html),
        ):
            if path is not None:
                command += [option, str(path)]
    command += passthrough
    environment = {"INSTALLO_LOAD_SCENARIO": str(args.scenario.resolve())}
    environment["INSTALLO_API_KEY"] = (
        args.api_key or os.environ.get("INSTALLO_API_KEY") or "sk_test_demo"
    )
    return command, environment


def load_cli(argv: Sequence[str]) -> int:
    """Entry point of `merchant-sim load`; answers Locust's exit code."""
    try:
        command, environment = locust_arguments(argv)
    except ScenarioError as exc:
        for line in exc.lines():
            print(f"error {line}", file=sys.stderr)
        return 2
    try:
        from locust.main import main as locust_main  # gevent patches the process from here on
    except ImportError:
        print("merchant-sim load needs Locust: pip install 'installo[load]'", file=sys.stderr)
        return 2
    os.environ.update(environment)
    sys.argv = command

    try:
        locust_main()
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else 1
    return 0
