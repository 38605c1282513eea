"""The HTML report: the verdict, the totals and inline SVG charts, with nothing fetched."""

from __future__ import annotations

from typing import Any

from merchant_sim.runner.html_report import render_html
from merchant_sim.runner.stats import CheckoutRecord
from merchant_sim.runner.timeseries import time_series


def _report(passed: bool, name: str = "holiday-rush") -> dict[str, Any]:
    records = [CheckoutRecord("prime", "en_US", "approved", decision_latency_ms=12.0, at=t)
               for t in (0.0, 0.5, 1.5, 3.0)]  # fmt: skip
    return {
        "scenario": name, "currency": "USD", "customers": 4, "elapsed_seconds": 3.0,
        "checkouts_per_second": 1.3, "server_errors": 0, "double_charges": 0, "passed": passed,
        "decision_latency_ms": {"p50": 12.0}, "money": {"financed": 129900},
        "outcomes_by_tier": {"prime": {"approved": 4, "declined": 0, "in_review": 0, "error": 0}},
        "expectations": [{"name": "errors == 0", "value": 3.0, "passed": passed,
                          "message": "ok" if passed else "expected errors == 0, got 3"}],
        "time_series": time_series(records, 1.0),
    }  # fmt: skip


def test_report_draws_three_charts_inline_without_scripts() -> None:
    page = render_html(_report(True))
    assert page.count("<svg") == 3
    for title in ("Checkouts per second", "Outcomes per interval", "Decision latency"):
        assert title in page
    assert "<script" not in page
    assert "http://" not in page.replace("http://www.w3.org", "")


def test_report_says_which_expectation_failed() -> None:
    page = render_html(_report(False))
    assert "FAILED" in page
    assert "expected errors == 0, got 3" in page


def test_report_shows_money_formatted_and_escapes_names() -> None:
    page = render_html(_report(True, name="<rush>"))
    assert "$1,299.00" in page
    assert "<rush>" not in page and "&lt;rush&gt;" in page
