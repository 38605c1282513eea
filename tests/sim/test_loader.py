"""Scenario files: validation errors name the line."""

from __future__ import annotations

from pathlib import Path

import pytest

from merchant_sim.runner.loader import ScenarioError, load_scenario, parse_scenario
from mock_server.domain import DEFAULT_PLANS

PLAN_IDS = ", ".join(plan.id for plan in DEFAULT_PLANS)

GOOD = """\
name: tiny
seed: 3
customers: 5
store:
  currency: USD
  shipping_amount: 500
  tax_bps: 800
  catalog:
    - {sku: A, name: Alpha, price: 1000}
traffic:
  tiers: {prime: 3, Near-Prime: 1}
  cart_size: {1: 1, 2: 1}
expect:
  - metric: approval_rate
    tier: prime
    min: 0.5
"""


def test_valid_scenario_parses_with_normalized_tiers() -> None:
    scenario = parse_scenario(GOOD)
    assert scenario.name == "tiny"
    assert scenario.customers == 5
    assert scenario.traffic.tiers == {"prime": 3, "near_prime": 1}
    assert scenario.traffic.cart_size == {1: 1, 2: 1}
    assert scenario.store.catalog[0].price == 1000
    assert scenario.expect[0].label == "approval_rate[prime] >= 0.5"


def test_negative_price_names_its_line() -> None:
    text = GOOD.replace("price: 1000", "price: -1")
    with pytest.raises(ScenarioError) as info:
        parse_scenario(text, "shop.yaml")
    assert str(info.value).startswith("shop.yaml:9: store.catalog[0].price:")


def test_unknown_metric_and_tier_are_each_reported_with_lines() -> None:
    text = GOOD.replace("metric: approval_rate", "metric: vibes").replace(
        "prime: 3,", "platinum: 3,"
    )
    with pytest.raises(ScenarioError) as info:
        parse_scenario(text, "s.yaml")
    lines = info.value.lines()
    assert len(lines) == 2
    assert lines[0].startswith("s.yaml:11: traffic.tiers: unknown tier 'platinum'")
    assert lines[1].startswith("s.yaml:14: expect[0].metric: unknown metric 'vibes'")


def test_missing_required_field_points_at_its_parent() -> None:
    text = GOOD.replace("    - {sku: A, name: Alpha, price: 1000}\n", "    - {sku: A, price: 1}\n")
    with pytest.raises(ScenarioError) as info:
        parse_scenario(text, "s.yaml")
    assert info.value.issues[0].line == 9
    assert info.value.issues[0].path == "store.catalog[0].name"


def test_unknown_key_is_rejected_with_its_line() -> None:
    text = GOOD + "surprise: 1\n"
    with pytest.raises(ScenarioError) as info:
        parse_scenario(text, "s.yaml")
    assert info.value.issues[0].line == 17
    assert info.value.issues[0].path == "surprise"


def test_yaml_syntax_error_names_its_line() -> None:
    text = GOOD.replace("  currency: USD", "  currency: USD: EUR")
    with pytest.raises(ScenarioError) as info:
        parse_scenario(text, "s.yaml")
    assert info.value.issues[0].line == 5
    assert "mapping values are not allowed" in str(info.value)


def test_fault_mode_must_be_a_sandbox_mode() -> None:
    text = GOOD + "faults:\n  - {mode: status=502, rate: 0.1}\n"
    with pytest.raises(ScenarioError) as info:
        parse_scenario(text, "s.yaml")
    assert info.value.issues[0].line == 18
    assert "status=502" in info.value.issues[0].message


def test_every_status_the_sandbox_injects_is_a_fault_mode() -> None:
    for status in ("500", "503", "429"):
        scenario = parse_scenario(GOOD + f"faults:\n  - {{mode: status={status}, rate: 0.1}}\n")
        assert scenario.faults[0].mode == f"status={status}"


def test_expectation_without_bound_is_rejected() -> None:
    text = GOOD.replace("    min: 0.5\n", "")
    with pytest.raises(ScenarioError) as info:
        parse_scenario(text, "s.yaml")
    assert info.value.issues[0].line == 14
    assert "needs min, max or equals" in info.value.issues[0].message


def test_top_level_list_is_not_a_scenario() -> None:
    with pytest.raises(ScenarioError, match="a scenario is a YAML mapping"):
        parse_scenario("- 1\n- 2\n")


def test_missing_file_is_a_scenario_error(tmp_path: Path) -> None:
    with pytest.raises(ScenarioError, match="cannot read"):
        load_scenario(tmp_path / "absent.yaml")


def test_expectation_holds_checks_every_bound() -> None:
    scenario = parse_scenario(GOOD.replace("    min: 0.5\n", "    min: 0.5\n    max: 0.8\n"))
    bound = scenario.expect[0]
    assert bound.holds(0.5)
    assert bound.holds(0.8)
    assert not bound.holds(0.81)
    assert not bound.holds(0.49)


def test_readme_example_scenario_is_valid() -> None:
    readme = (Path(__file__).parents[2] / "merchant_sim" / "README.md").read_text()
    example = readme.split("```yaml\n", 1)[1].split("```", 1)[0]
    scenario = parse_scenario(example, "README.md")
    assert scenario.name == "holiday-rush"
    assert scenario.faults[1].via == "sandbox"
    assert scenario.expect[0].max == 0.95


def test_a_missing_file_is_named_without_a_line_number(tmp_path: Path) -> None:
    missing = tmp_path / "nonexist.yaml"
    with pytest.raises(ScenarioError) as info:
        load_scenario(missing)
    (line,) = info.value.lines()
    assert line.startswith(f"{missing}: cannot read")
    assert f"{missing}:0" not in line


def test_an_offer_choice_that_is_no_plan_is_refused_with_its_line() -> None:
    text = GOOD.replace(
        "  cart_size: {1: 1, 2: 1}\n", "  cart_size: {1: 1, 2: 1}\n  offer_choice: monthly_48\n"
    )
    with pytest.raises(ScenarioError) as info:
        parse_scenario(text, "s.yaml")
    (line,) = info.value.lines()
    assert line.startswith("s.yaml:13: traffic.offer_choice: no offered plan 'monthly_48'")
    assert "monthly_12" in line
    assert parse_scenario(text.replace("monthly_48", "monthly_12")).traffic.offer_choice


def test_a_store_plan_the_sandbox_does_not_have_is_refused() -> None:
    text = GOOD.replace("  tax_bps: 800\n", "  tax_bps: 800\n  plans: [pay_in_4, monthly_48]\n")
    with pytest.raises(ScenarioError) as info:
        parse_scenario(text, "s.yaml")
    assert info.value.lines() == [
        f"s.yaml:8: store.plans[1]: no plan 'monthly_48'; plans are {PLAN_IDS}"
    ]


def test_an_expectation_on_a_tier_without_traffic_is_refused() -> None:
    text = GOOD.replace("tier: prime", "tier: subprime")
    with pytest.raises(ScenarioError) as info:
        parse_scenario(text, "s.yaml")
    (line,) = info.value.lines()
    assert line.startswith("s.yaml:15: expect[0].tier: the traffic sends no subprime shoppers")
