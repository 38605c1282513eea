"""``merchant-sim run SCENARIO.yaml``: run headless, print a summary, exit by the expectations."""

from __future__ import annotations

import argparse
import asyncio
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import httpx
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from merchant_sim.connection import DEMO_ADMIN_KEY, DEMO_API_KEY, SandboxConnection
from merchant_sim.gateway import Gateway
from merchant_sim.runner.engine import ScenarioRun, ScenarioRunError
from merchant_sim.runner.faults import FaultInjector
from merchant_sim.runner.html_report import write_html
from merchant_sim.runner.loader import ScenarioError, load_scenario
from merchant_sim.runner.report import build_report, print_summary, write_json, write_junit
from merchant_sim.runner.schema import Scenario
from merchant_sim.runner.stats import CheckoutRecord, check_expectations
from merchant_sim.runner.timeseries import write_series_csv

__all__ = ["EXIT_FAILED", "EXIT_INVALID", "EXIT_OK", "run_cli", "run_scenario"]

EXIT_OK, EXIT_FAILED, EXIT_INVALID = 0, 1, 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="merchant-sim run",
        description="Run a scenario headless; expectations decide the exit.",
    )
    parser.add_argument("scenario", type=Path, help="scenario YAML file")
    parser.add_argument("--customers", type=int, help="override the number of shoppers")
    parser.add_argument("--seed", type=int, help="override the scenario's seed")
    parser.add_argument("--concurrency", type=int, help="checkouts in flight at once")
    parser.add_argument("--report", type=Path, help="write the JSON report here")
    parser.add_argument("--junit", type=Path, help="write a JUnit XML file here")
    parser.add_argument(
        "--series-csv", type=Path, help="write the per-interval time series as CSV here"
    )
    parser.add_argument("--html", type=Path, help="write an HTML report with charts here")
    parser.add_argument("--api-url", help="sandbox URL; without it an embedded sandbox starts")
    parser.add_argument("--api-key", default=DEMO_API_KEY)
    parser.add_argument("--admin-key", default=DEMO_ADMIN_KEY)
    parser.add_argument("--no-progress", action="store_true", help="no progress bar")
    return parser


def _connect(
    scenario: Scenario, seed: int, api_url: str | None, api_key: str, admin_key: str
) -> tuple[SandboxConnection, FaultInjector | None]:
    injector: FaultInjector | None = None

    def wrap(inner: httpx.AsyncBaseTransport) -> httpx.AsyncBaseTransport:
        nonlocal injector
        if not scenario.faults:
            return inner
        injector = FaultInjector(inner, scenario.faults, seed=seed)
        return injector

    if api_url:
        conn = SandboxConnection.connect(
            api_url, api_key, admin_key, wrap=wrap, max_retries=scenario.max_retries
        )
    else:
        conn = SandboxConnection.start_embedded(
            seed=seed, wrap=wrap, max_retries=scenario.max_retries
        )
    return conn, injector


async def run_scenario(
    scenario: Scenario,
    *,
    customers: int | None = None,
    seed: int | None = None,
    concurrency: int | None = None,
    api_url: str | None = None,
    api_key: str = DEMO_API_KEY,
    admin_key: str = DEMO_ADMIN_KEY,
    console: Console | None = None,
    progress: bool = True,
) -> tuple[ScenarioRun, dict[str, Any]]:
    """Run ``scenario`` and answer the run and its report."""
    console = console or Console()
    run_seed = scenario.seed if seed is None else seed
    conn, injector = _connect(scenario, run_seed, api_url, api_key, admin_key)
    total = customers or scenario.customers
    bar = Progress(
        TextColumn(f"[b]{scenario.name}[/]"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[rate]}"),
        TimeElapsedColumn(),
        console=console,
        disable=not progress,
        transient=False,
    )
    task = bar.add_task("checkouts", total=total, rate="")

    def advance(_record: CheckoutRecord) -> None:
        bar.advance(task)

    run = ScenarioRun(
        scenario,
        Gateway(conn.client),
        customers=customers,
        seed=seed,
        concurrency=concurrency,
        on_progress=advance,
    )
    try:
        with bar:
            await run.run()
            bar.update(task, rate=f"{run.stats.checkouts_per_second:.0f} checkouts/s")
    finally:
        await conn.aclose()
    results = check_expectations(run.stats, scenario.expect)
    report = build_report(scenario, run.stats, results, run.portfolio)
    report["notes"] = run.notes
    report["faults_injected"] = dict(injector.injected) if injector else {}
    return run, report


def run_cli(argv: Sequence[str]) -> int:
    """Entry point of ``merchant-sim run``; answers the exit code."""
    args = _parser().parse_args(argv)
    console = Console()
    try:
        scenario = load_scenario(args.scenario)
    except ScenarioError as exc:
        for line in exc.lines():
            console.print(f"[red]error[/] {escape(line)}", highlight=False, soft_wrap=True)
        return EXIT_INVALID
    try:
        run, report = asyncio.run(
            run_scenario(
                scenario,
                customers=args.customers,
                seed=args.seed,
                concurrency=args.concurrency,
                api_url=args.api_url,
                api_key=args.api_key,
                admin_key=args.admin_key,
                console=console,
                progress=not args.no_progress,
            )
        )
    except ScenarioRunError as exc:
        console.print(f"[red]cannot run {scenario.name}:[/] {exc}", soft_wrap=True)
        return EXIT_INVALID
    print_summary(console, report)
    for note in run.notes:
        console.print(f"[yellow]note[/] {note}", soft_wrap=True)
    if args.report:
        write_json(args.report, report)
    if args.junit:
        write_junit(args.junit, scenario, check_expectations(run.stats, scenario.expect))
    if args.series_csv:
        write_series_csv(args.series_csv, report["time_series"])
    if args.html:
        write_html(args.html, report)
    if not report["passed"]:
        for exp in report["expectations"]:
            if not exp["passed"]:
                detail = escape(f"{exp['name']}: {exp['message']}")
                console.print(f"[red]expectation failed:[/] {detail}", soft_wrap=True)
        return EXIT_FAILED
    return EXIT_OK
