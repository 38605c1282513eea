"""`merchant-sim run` against the embedded sandbox: scenarios pass, violations fail loudly."""

from __future__ import annotations

import json
from pathlib import Path
from xml.etree import ElementTree

import pytest

from merchant_sim.__main__ import main
from merchant_sim.runner.cli import EXIT_FAILED, EXIT_OK

SCENARIOS = sorted((Path(__file__).parents[2] / "merchant_sim" / "scenarios").glob("*.yaml"))

SMALL = """\
name: small
seed: 5
customers: 12
concurrency: 3
store:
  currency: USD
  catalog: [{sku: A, name: Anvil, price: 25000}]
traffic:
  tiers: {prime: 1}
expect:
  - {metric: checkouts, equals: 12}
  - {metric: approval_rate, tier: prime, max: 0.0, name: nobody is approved}
"""


def test_violated_expectation_exits_nonzero_and_says_which(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "small.yaml"
    path.write_text(SMALL)
    report, junit = tmp_path / "r.json", tmp_path / "j.xml"
    code = main(["run", str(path), "--no-progress", "--report", str(report), "--junit", str(junit)])
    out = capsys.readouterr().out
    assert code == EXIT_FAILED
    assert "expectation failed: nobody is approved" in out
    data = json.loads(report.read_text())
    assert data["customers"] == 12
    assert [e["passed"] for e in data["expectations"]] == [True, False]
    assert data["outcomes_by_tier"]["prime"]["approved"] > 0
    cases = ElementTree.parse(junit).getroot().iter("testcase")
    assert [c.find("failure") is None for c in cases] == [True, False]


@pytest.mark.parametrize("path", SCENARIOS, ids=[p.stem for p in SCENARIOS])
def test_shipped_scenario_passes(
    path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    report = tmp_path / "report.json"
    code = main(["run", str(path), "--no-progress", "--report", str(report)])
    out = capsys.readouterr().out
    data = json.loads(report.read_text())
    # Every expectation is judged; a latency bound's verdict (holiday_rush's p95) hangs on how
    # busy the machine is, so the test holds the scenario to the others, and the exit code
    # to them when a latency bound is all that failed.
    timing = [e for e in data["expectations"] if str(e["metric"]).endswith("_ms")]
    failed = [e for e in data["expectations"] if not e["passed"] and e not in timing]
    assert failed == [], out
    assert code == EXIT_OK or any(not e["passed"] for e in timing)
    assert data["double_charges"] == 0
    assert sum(sum(t.values()) for t in data["outcomes_by_tier"].values()) == data["customers"]


def test_the_report_carries_the_portfolio_at_the_end_of_the_run(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "small.yaml"
    path.write_text(SMALL.replace("max: 0.0", "min: 0.0") + "clock: [{days: 45}]\n")
    report = tmp_path / "r.json"
    assert main(["run", str(path), "--no-progress", "--report", str(report)]) == EXIT_OK
    out = capsys.readouterr().out
    data = json.loads(report.read_text())
    (usd,) = data["portfolio"]["currencies"]
    assert usd["funnel"]["applications"] == data["customers"] == 12
    assert usd["funnel"]["approved"] == data["outcomes_by_tier"]["prime"]["approved"]
    assert usd["merchants"][0]["captured"] == data["money"]["captured"] > 0
    assert usd["income"]["interest"] + usd["funnel"]["paid_off"] > 0
    assert f"Portfolio as of {data['portfolio']['as_of']} (USD)" in out


CREDIT = """\
name: credit
seed: 3
customers: 16
concurrency: 4
store:
  currency: USD
  catalog: [{sku: A, name: Anvil, price: 60000}]
traffic:
  tiers: {prime: 1, thin_file: 1, subprime: 1}
clock:
  - {days: 31, repeat: 7}
expect:
  - {metric: furnished_accounts, min: 1, name: loans were furnished}
  - {metric: scores_up, min: 1, name: on-time payers built their files}
"""


def test_a_run_reports_furnished_accounts_and_score_movement(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "credit.yaml"
    path.write_text(CREDIT)
    report = tmp_path / "r.json"
    code = main(["run", str(path), "--no-progress", "--report", str(report)])
    out = capsys.readouterr().out
    data = json.loads(report.read_text())
    assert code == EXIT_OK, out
    furnishing = data["furnishing"]
    captured = data["loans_by_state"]
    assert sum(furnishing["accounts_by_status"].values()) == sum(
        n for state, n in captured.items() if state != "authorized"
    )
    assert furnishing["scores_up"] >= 1
    assert "Credit reporting" in out


def test_the_report_carries_fees_and_net_settled_from_the_balance_transactions(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "small.yaml"
    scenario = SMALL.replace(
        "  - {metric: approval_rate, tier: prime, max: 0.0, name: nobody is approved}\n",
        "  - {metric: amount_fees, min: 1, name: fees are charged}\n",
    )
    scenario += "after_approval: {capture_rate: 1.0, refund_rate: 0.5, full_refund_share: 0.0}\n"
    path.write_text(scenario)
    report = tmp_path / "r.json"
    assert main(["run", str(path), "--no-progress", "--report", str(report)]) == EXIT_OK
    out = capsys.readouterr().out
    data = json.loads(report.read_text())
    money, settlement = data["money"], data["settlement"]
    assert money["fees"] > 0 and money["refunded"] > 0
    assert settlement["gross"] == money["captured"] - money["refunded"]
    assert settlement["unreconciled"] == 0
    assert money["net_settled"] == settlement["gross"] - money["fees"]
    assert settlement["transactions"] >= data["loans_by_state"].get("active", 0)
    assert "net_settled" in out and "fees" in out
