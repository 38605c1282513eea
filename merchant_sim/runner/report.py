"""Turn a run into a summary table, a JSON report and a JUnit file."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

from installo.types.portfolio import Portfolio
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from merchant_sim.money import format_money
from merchant_sim.runner.schema import TIERS, Scenario
from merchant_sim.runner.stats import ExpectationResult, RunStats, percentile
from merchant_sim.runner.timeseries import auto_interval, time_series

__all__ = ["build_report", "portfolio_tables", "print_summary", "write_json", "write_junit"]

_OUTCOMES = ("approved", "declined", "in_review", "error")


def build_report(
    scenario: Scenario,
    stats: RunStats,
    results: Sequence[ExpectationResult],
    portfolio: Portfolio | None = None,
) -> dict[str, Any]:
    """Everything about a run as JSON-ready data (money as minor-unit integers), with the
    merchant's portfolio figures as of the sandbox time the run ended at (when read)."""
    latencies = stats.latencies()
    tiers = [t for t in TIERS if stats.of_tier(t)]
    interval = auto_interval(stats.records)
    return {
        "scenario": scenario.name,
        "seed": scenario.seed,
        "customers": len(stats.records),
        "currency": stats.currency,
        "passed": all(r.passed for r in results),
        "elapsed_seconds": round(stats.elapsed_s, 3),
        "checkouts_per_second": round(stats.checkouts_per_second, 1),
        "outcomes_by_tier": {
            tier: {o: stats.outcome_counts(tier)[o] for o in _OUTCOMES} for tier in tiers
        },
        "approval_rate_by_tier": {tier: round(stats.rate("approved", tier), 4) for tier in tiers},
        "decline_reasons": dict(stats.decline_reasons().most_common()),
        "loans_by_state": dict(sorted(stats.loan_states.items())),
        "money": dict(stats.money),
        "settlement": dict(stats.settlement) or None,
        "errors_by_type": dict(stats.errors.most_common()),
        "server_errors": stats.server_errors,
        "double_charges": stats.double_charges,
        "decision_latency_ms": {
            f"p{p}": round(percentile(latencies, p), 2) for p in (50, 90, 95, 99)
        },
        "portfolio": portfolio.model_dump(mode="json") if portfolio is not None else None,
        "time_series_interval_s": interval,
        "time_series": time_series(stats.records, interval),
        "expectations": [
            {
                "name": r.expectation.label_in(r.currency),
                "metric": r.expectation.metric,
                "tier": r.expectation.tier,
                "value": r.value,
                "shown": r.shown,
                "passed": r.passed,
                "message": r.message,
            }
            for r in results
        ],
    }


def write_json(path: str | Path, report: dict[str, Any]) -> None:
    """Write the report as indented JSON."""
    Path(path).write_text(json.dumps(report, indent=2, sort_keys=False) + "\n", encoding="utf-8")


def write_junit(path: str | Path, scenario: Scenario, results: Sequence[ExpectationResult]) -> None:
    """One JUnit test case per expectation, in one suite named after the scenario."""
    failures = sum(1 for r in results if not r.passed)
    suite = ElementTree.Element(
        "testsuite",
        name=f"scenario.{scenario.name}",
        tests=str(len(results)),
        failures=str(failures),
        errors="0",
    )
    for result in results:
        case = ElementTree.SubElement(
            suite, "testcase", classname=f"scenario.{scenario.name}", name=result.expectation.label
        )
        if not result.passed:
            failure = ElementTree.SubElement(case, "failure", message=result.message)
            failure.text = f"{result.expectation.metric} = {result.shown}"
    root = ElementTree.Element("testsuites")
    root.append(suite)
    tree = ElementTree.ElementTree(root)
    ElementTree.indent(tree)
    tree.write(str(path), encoding="utf-8", xml_declaration=True)


def _table(title: str, headers: Sequence[str]) -> Table:
    table = Table(title=title, title_justify="left", expand=False)
    for i, header in enumerate(headers):
        table.add_column(header, justify="left" if i == 0 else "right")
    return table


def portfolio_tables(portfolio: dict[str, Any]) -> list[Table]:
    """One table per currency: the book, delinquency, losses, income and the funnel."""
    tables = []
    for section in portfolio["currencies"]:
        code = str(section["currency"])
        table = _table(f"Portfolio as of {portfolio['as_of']} ({code})", ["figure", "value"])
        aging = {row["bucket"]: row["principal"] for row in section["aging"]}
        losses, income, funnel = section["charge_offs"], section["income"], section["funnel"]
        money_rows = (
            ("outstanding principal", section["outstanding_principal"]),
            ("30+ days past due", sum(aging[b] for b in ("30-59", "60-89", "90-119"))),
            ("charged off", losses["principal"]),
            ("recovered", losses["recovered"]),
            ("interest income", income["interest"]),
            ("fee income", income["fees"]),
            ("discount revenue", section["discount_revenue"]),
        )
        for name, amount in money_rows:
            table.add_row(name, format_money(int(amount), code))
        stages = ("applications", "approved", "declined", "in_review", "captured", "paid_off")
        table.add_row("funnel", " -> ".join(f"{funnel[s]} {s}" for s in stages))
        tables.append(table)
    return tables


def print_summary(console: Console, report: dict[str, Any]) -> None:
    """Print the run's summary tables and expectation verdicts."""
    currency = str(report["currency"])
    tiers = _table("Outcomes by tier", ["tier", *_OUTCOMES, "approval rate"])
    for tier, counts in report["outcomes_by_tier"].items():
        rate = report["approval_rate_by_tier"][tier]
        tiers.add_row(tier, *(str(counts[o]) for o in _OUTCOMES), f"{rate:.1%}")
    console.print(tiers)
    reasons = _table("Decline reasons", ["reason", "count"])
    for reason, count in list(report["decline_reasons"].items())[:10]:
        reasons.add_row(reason, str(count))
    loans = _table("Loans by final state", ["state", "count"])
    for state, count in report["loans_by_state"].items():
        loans.add_row(state, str(count))
    money = _table("Money", ["total", "amount"])
    for key, amount in report["money"].items():
        money.add_row(key, format_money(int(amount), currency))
    console.print(reasons, loans, money)
    errors = _table("Errors by type", ["type", "count"])
    for kind, count in report["errors_by_type"].items():
        errors.add_row(kind, str(count))
    errors.add_row("5xx seen", str(report["server_errors"]))
    errors.add_row("double charges", str(report["double_charges"]))
    latency = _table("Decision latency (ms)", ["percentile", "ms"])
    for key, value in report["decision_latency_ms"].items():
        latency.add_row(key, f"{value:.1f}")
    console.print(errors, latency)
    if report.get("portfolio"):
        console.print(*portfolio_tables(report["portfolio"]))
    verdicts = _table("Expectations", ["expectation", "value", "result"])
    for exp in report["expectations"]:
        mark = "[green]pass[/]" if exp["passed"] else f"[red]FAIL[/] {escape(exp['message'])}"
        verdicts.add_row(escape(exp["name"]), escape(str(exp["shown"])), mark)
    console.print(verdicts)
    console.print(
        f"{report['customers']} checkouts in {report['elapsed_seconds']:.2f}s "
        f"({report['checkouts_per_second']:.1f} checkouts/s) - "
        + ("[green]PASSED[/]" if report["passed"] else "[red]FAILED[/]")
    )
