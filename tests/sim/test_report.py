"""Run statistics, expectation verdicts, the JSON report and the JUnit file."""

from __future__ import annotations

import json
from pathlib import Path
from xml.etree import ElementTree

from rich.console import Console

from merchant_sim.runner.loader import parse_scenario
from merchant_sim.runner.report import build_report, print_summary, write_json, write_junit
from merchant_sim.runner.stats import CheckoutRecord, RunStats, check_expectations, percentile

SCENARIO = """\
name: report-test
store:
  catalog: [{sku: A, name: A, price: 1000}]
expect:
  - {metric: approval_rate, tier: prime, min: 0.6}
  - {metric: declines_without_reason, equals: 0}
  - {metric: decision_latency_p95_ms, max: 50}
"""


def _stats() -> RunStats:
    stats = RunStats(currency="USD", elapsed_s=2.0)
    stats.records = [
        CheckoutRecord("prime", "en_US", "approved", 1000, decision_latency_ms=10.0),
        CheckoutRecord("prime", "en_US", "approved", 1000, decision_latency_ms=20.0),
        CheckoutRecord("prime", "en_US", "declined", 1000, ["HIGH_UTILIZATION"], [], 30.0),
        CheckoutRecord("subprime", "zh_CN", "declined", 1000, [], [], 90.0),
        CheckoutRecord("subprime", "zh_CN", "error", 1000, error="APIConnectionError"),
    ]
    stats.errors["APIConnectionError"] = 1
    stats.loan_states.update({"active": 1, "paid_off": 1})
    stats.money["captured"] = 2000
    return stats


def test_percentile_is_nearest_rank() -> None:
    assert percentile([], 95) == 0.0
    assert percentile([5.0, 1.0, 3.0, 2.0, 4.0], 50) == 3.0
    assert percentile([float(i) for i in range(1, 101)], 95) == 95.0


def test_metrics_count_rates_over_decided_checkouts() -> None:
    stats = _stats()
    assert stats.metric("approval_rate", "prime") == 2 / 3
    assert stats.metric("approval_rate") == 2 / 4
    assert stats.metric("decline_rate", "subprime") == 1.0
    assert stats.metric("errors") == 1
    assert stats.metric("declines_without_reason") == 1
    assert stats.metric("loans_paid_off") == 1
    assert stats.metric("amount_captured") == 2000
    assert stats.metric("decision_latency_p50_ms") == 20.0
    assert stats.checkouts_per_second == 2.5


def test_violated_expectations_say_what_was_expected() -> None:
    scenario = parse_scenario(SCENARIO)
    results = check_expectations(_stats(), scenario.expect)
    assert [r.passed for r in results] == [True, False, False]
    assert results[1].message == "expected declines_without_reason == 0, got 1"
    assert results[2].message == "expected decision_latency_p95_ms <= 50, got 90"


def test_json_report_holds_the_summary(tmp_path: Path) -> None:
    scenario = parse_scenario(SCENARIO)
    stats = _stats()
    report = build_report(scenario, stats, check_expectations(stats, scenario.expect))
    write_json(tmp_path / "r.json", report)
    data = json.loads((tmp_path / "r.json").read_text())
    assert data["passed"] is False
    assert data["outcomes_by_tier"]["subprime"] == {
        "approved": 0,
        "declined": 1,
        "in_review": 0,
        "error": 1,
    }
    assert data["decline_reasons"] == {"HIGH_UTILIZATION": 1}
    assert data["money"]["captured"] == 2000
    assert data["errors_by_type"] == {"APIConnectionError": 1}
    assert [e["passed"] for e in data["expectations"]] == [True, False, False]


def test_junit_has_one_case_per_expectation(tmp_path: Path) -> None:
    scenario = parse_scenario(SCENARIO)
    results = check_expectations(_stats(), scenario.expect)
    write_junit(tmp_path / "j.xml", scenario, results)
    suite = ElementTree.parse(tmp_path / "j.xml").getroot().find("testsuite")
    assert suite is not None
    assert suite.get("tests") == "3" and suite.get("failures") == "2"
    cases = suite.findall("testcase")
    assert [c.get("name") for c in cases] == [r.expectation.label for r in results]
    assert cases[0].find("failure") is None
    failure = cases[2].find("failure")
    assert failure is not None and "got 90" in (failure.get("message") or "")


def test_summary_prints_money_and_verdict() -> None:
    scenario = parse_scenario(SCENARIO)
    stats = _stats()
    report = build_report(scenario, stats, check_expectations(stats, scenario.expect))
    console = Console(record=True, width=120)
    print_summary(console, report)
    text = console.export_text()
    assert "$20.00" in text
    assert "FAILED" in text
    assert "HIGH_UTILIZATION" in text
    assert "approval_rate[prime] >= 0.6" in text


def test_money_expectations_read_as_money_in_messages_and_the_summary() -> None:
    scenario = parse_scenario(SCENARIO + "  - {metric: amount_captured, min: 3902100}\n")
    stats = _stats()
    result = check_expectations(stats, scenario.expect)[-1]
    assert result.message == "expected amount_captured >= $39,021.00, got $20.00"
    console = Console(record=True, width=120)
    print_summary(console, build_report(scenario, stats, [result]))
    text = console.export_text()
    assert "$39,021.00" in text and "$20.00" in text
    assert "e+06" not in text
