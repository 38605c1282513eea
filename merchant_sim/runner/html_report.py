"""A self-contained HTML report of a run: the verdicts, the totals and charts of its time series.

Charts are SVG (merchant_sim.runner.svg_chart) embedded inline, with no script and nothing
fetched, so the file opens anywhere (a CI artifact, an e-mail attachment) as it is.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape
from pathlib import Path
from typing import Any

from merchant_sim.money import format_money
from merchant_sim.runner.svg_chart import line_chart, stacked_bars
from merchant_sim.runner.timeseries import OUTCOMES

__all__ = ["render_html", "write_html"]

_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{title}</title>
<style>
body {{ font-family: system-ui, sans-serif; margin: 2rem; color: #1d2330; }}
table {{ border-collapse: collapse; margin: 0 0 1.5rem; }}
td, th {{ border: 1px solid #ccd; padding: .25rem .6rem; text-align: right; }}
td:first-child, th:first-child {{ text-align: left; }}
.pass {{ color: #1a7f37; }} .fail {{ color: #c0262d; font-weight: bold; }}
figure {{ margin: 0 0 1.5rem; max-width: 900px; }}
</style></head><body>
<h1>{title}</h1>
<p class="{verdict_class}">{verdict}</p>
{sections}
</body></html>
"""


def charts(series: Sequence[dict[str, Any]]) -> list[str]:
    """SVG charts: checkouts a second, outcomes per interval, decision latency p50 and p95."""
    if not series:
        return []
    labels = [f"{row['start_s']:g}" for row in series]
    return [
        line_chart(
            "Checkouts per second", labels,
            {"checkouts/s": [row["checkouts_per_s"] for row in series]}, "checkouts/s",
        ),
        stacked_bars(
            "Outcomes per interval", labels,
            {outcome: [row[outcome] for row in series] for outcome in OUTCOMES}, "checkouts",
        ),
        line_chart(
            "Decision latency", labels,
            {p: [row[f"decision_latency_{p}_ms"] for row in series] for p in ("p50", "p95")},
            "ms",
        ),
    ]  # fmt: skip


def _table(title: str, header: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    head = "".join(f"<th>{escape(str(h))}</th>" for h in header)
    body = "".join("<tr>" + "".join(f"<td>{cell}</td>" for cell in row) + "</tr>" for row in rows)
    return f"<h2>{escape(title)}</h2><table><tr>{head}</tr>{body}</table>"


def _expectations(report: dict[str, Any]) -> str:
    rows = []
    for exp in report["expectations"]:
        mark = '<span class="pass">pass</span>'
        if not exp["passed"]:
            mark = f'<span class="fail">FAIL</span> {escape(exp["message"])}'
        rows.append((escape(exp["name"]), f"{exp['value']:g}", mark))
    return _table("Expectations", ("expectation", "value", "result"), rows)


def render_html(report: dict[str, Any]) -> str:
    """The report as one HTML page."""
    currency = str(report["currency"])
    totals = [
        ("checkouts", report["customers"]),
        ("elapsed seconds", report["elapsed_seconds"]),
        ("checkouts/s", report["checkouts_per_second"]),
        ("5xx seen", report["server_errors"]),
        ("double charges", report["double_charges"]),
        *((f"decision latency {k} (ms)", v) for k, v in report["decision_latency_ms"].items()),
        *(
            (f"money {k}", escape(format_money(int(v), currency)))
            for k, v in report["money"].items()
        ),
    ]
    outcomes = [
        (escape(tier), *(counts.get(o, 0) for o in ("approved", "declined", "in_review", "error")))
        for tier, counts in report["outcomes_by_tier"].items()
    ]
    sections = [
        _expectations(report),
        _table("Totals", ("what", "value"), [(escape(k), v) for k, v in totals]),
        _table(
            "Outcomes by tier", ("tier", "approved", "declined", "in_review", "error"), outcomes
        ),
        *(f"<figure>{svg}</figure>" for svg in charts(report.get("time_series") or [])),
    ]
    passed = bool(report["passed"])
    return _PAGE.format(
        title=escape(f"Scenario {report['scenario']}"),
        verdict="PASSED: every expectation held"
        if passed
        else "FAILED: an expectation did not hold",
        verdict_class="pass" if passed else "fail",
        sections="\n".join(sections),
    )


def write_html(path: str | Path, report: dict[str, Any]) -> None:
    """Write the HTML report."""
    Path(path).write_text(render_html(report), encoding="utf-8")
