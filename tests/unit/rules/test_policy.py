"""Policies: loading, validation with every problem listed, severity, limit and APR aggregation."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from mock_server.risk.facts import CREDIT_FACT_FIELDS
from mock_server.rules import (
    EvaluationError,
    PolicyError,
    fields_for_kind,
    load_policy,
    load_shipped_policy,
    shipped_policy_names,
)

POLICY_YAML = """\
id: test_credit
version: 2
kind: credit
description: A small credit policy for tests
default_outcome: approve
rules:
  - id: file_frozen
    when: credit.frozen
    outcome: decline
    reason_code: FILE_FROZEN
  - id: low_score
    when: "credit.score < 580"
    outcome: decline
    reason_code: LOW_SCORE
  - id: thin_file
    when: credit.thin_file
    outcome: review
    reason_code: THIN_FILE
  - id: thin_file_again
    when: "credit.thin_file and amount_usd > 100000"
    outcome: review
    reason_code: THIN_FILE
  - id: near_prime
    when: "credit.score >= 580 and credit.score < 680"
    outcome: approve
    reason_code: NEAR_PRIME
    credit_limit: "min(applicant.income_annual_usd // 20, 300000)"
    apr_bps: 2499
  - id: prime
    when: "credit.score >= 680"
    outcome: approve
    reason_code: PRIME
    credit_limit: 500000
    apr_bps: "max(999, 1999 - (credit.score - 680) * 10)"
    description: Best tier
  - id: big_ticket
    when: "amount_usd > 200000"
    outcome: approve
    reason_code: BIG_TICKET
    credit_limit: "amount_usd + 50000"
    apr_bps: 2999
"""
FIELDS = frozenset(
    {
        "amount_usd",
        "credit.frozen",
        "credit.score",
        "credit.thin_file",
        "applicant.income_annual_usd",
    }
)


def facts(
    *,
    score: int = 700,
    frozen: bool = False,
    thin: bool = False,
    income: int = 4_000_000,
    amount: int = 50_000,
) -> dict[str, Any]:
    return {
        "amount_usd": amount,
        "credit": {"score": score, "frozen": frozen, "thin_file": thin},
        "applicant": {"income_annual_usd": income},
    }


@pytest.fixture
def policy_data() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(POLICY_YAML)
    return data


def test_yaml_json_path_and_dict_sources_load_the_same_policy(
    policy_data: dict[str, Any], tmp_path: Path
) -> None:
    path = tmp_path / "policy.yaml"
    path.write_text(POLICY_YAML, encoding="utf-8")
    loaded = [
        load_policy(POLICY_YAML, fields=FIELDS),
        load_policy(json.dumps(policy_data), fields=FIELDS),
        load_policy(path, fields=FIELDS),
        load_policy(policy_data, fields=FIELDS),
    ]
    assert {json.dumps(p.to_dict(), sort_keys=True) for p in loaded} == {
        json.dumps(policy_data, sort_keys=True)
    }
    assert loaded[0].id == "test_credit" and loaded[0].version == 2
    assert [rule.id for rule in loaded[0].rules][:3] == ["file_frozen", "low_score", "thin_file"]


def test_to_dict_round_trips_to_the_source_data(policy_data: dict[str, Any]) -> None:
    policy = load_policy(policy_data)
    assert policy.to_dict() == policy_data
    assert load_policy(policy.to_dict()) == policy


def test_policy_reports_the_fields_it_reads() -> None:
    assert load_policy(POLICY_YAML).fields == FIELDS


def test_no_rule_fired_gives_the_default_outcome(policy_data: dict[str, Any]) -> None:
    policy_data["default_outcome"] = "review"
    policy_data["rules"] = policy_data["rules"][:2]
    decision = load_policy(policy_data).evaluate(facts(score=700))
    assert decision.outcome == "review"
    assert decision.reason_codes == ()
    assert decision.rules_fired == ()
    assert decision.credit_limit is None and decision.apr_bps is None


def test_decline_beats_review_and_approve() -> None:
    decision = load_policy(POLICY_YAML).evaluate(facts(score=560, thin=True, amount=300_000))
    assert decision.outcome == "decline"
    assert decision.reason_codes == ("LOW_SCORE",)


def test_review_beats_approve() -> None:
    decision = load_policy(POLICY_YAML).evaluate(facts(score=650, thin=True))
    assert decision.outcome == "review"
    assert decision.reason_codes == ("THIN_FILE",)


def test_reason_codes_are_those_of_the_final_outcome_in_order_without_repeats() -> None:
    decision = load_policy(POLICY_YAML).evaluate(
        facts(score=500, frozen=True, thin=True, amount=150_000)
    )
    assert decision.reason_codes == ("FILE_FROZEN", "LOW_SCORE")
    review = load_policy(POLICY_YAML).evaluate(facts(score=700, thin=True, amount=150_000))
    assert review.reason_codes == ("THIN_FILE",)


def test_rules_fired_lists_every_fired_rule_in_policy_order() -> None:
    decision = load_policy(POLICY_YAML).evaluate(
        facts(score=500, frozen=True, thin=True, amount=250_000)
    )
    assert [(r.rule_id, r.outcome, r.reason_code) for r in decision.rules_fired] == [
        ("file_frozen", "decline", "FILE_FROZEN"),
        ("low_score", "decline", "LOW_SCORE"),
        ("thin_file", "review", "THIN_FILE"),
        ("thin_file_again", "review", "THIN_FILE"),
        ("big_ticket", "approve", "BIG_TICKET"),
    ]


def test_credit_limit_is_the_smallest_and_apr_the_highest_of_fired_rules() -> None:
    policy = load_policy(POLICY_YAML)
    near_prime = policy.evaluate(facts(score=600, income=4_000_000))
    assert (near_prime.credit_limit, near_prime.apr_bps) == (200_000, 2499)
    capped = policy.evaluate(facts(score=600, income=90_000_000))
    assert capped.credit_limit == 300_000
    prime = policy.evaluate(facts(score=750))
    assert (prime.credit_limit, prime.apr_bps) == (500_000, 1299)
    prime_big = policy.evaluate(facts(score=800, amount=300_000))
    assert (prime_big.credit_limit, prime_big.apr_bps) == (350_000, 2999)
    near_big = policy.evaluate(facts(score=600, income=100_000_000, amount=400_000))
    assert (near_big.credit_limit, near_big.apr_bps) == (300_000, 2999)


def test_decision_to_dict_has_the_api_shape() -> None:
    decision = load_policy(POLICY_YAML).evaluate(facts(score=600))
    assert decision.to_dict() == {
        "outcome": "approve",
        "reason_codes": ["NEAR_PRIME"],
        "rules_fired": [
            {"rule_id": "near_prime", "outcome": "approve", "reason_code": "NEAR_PRIME"}
        ],
        "policy_id": "test_credit",
        "policy_version": 2,
        "credit_limit": 200_000,
        "apr_bps": 2499,
    }


def test_evaluation_error_names_the_policy_and_rule() -> None:
    broken = facts()
    del broken["credit"]["thin_file"]
    with pytest.raises(EvaluationError) as caught:
        load_policy(POLICY_YAML).evaluate(broken)
    message = str(caught.value)
    assert "policy 'test_credit' v2" in message
    assert "rule 'thin_file'" in message
    assert "missing field 'credit.thin_file'" in message


def test_condition_that_is_not_boolean_is_an_evaluation_error(
    policy_data: dict[str, Any],
) -> None:
    policy_data["rules"][0]["when"] = "credit.score"
    with pytest.raises(EvaluationError, match="rule 'file_frozen': condition gave int"):
        load_policy(policy_data).evaluate(facts())


@pytest.mark.parametrize(
    ("expression", "message"),
    [
        ("amount_usd / 3", "credit_limit 'amount_usd / 3' gave Fraction, not an integer"),
        ("0 - amount_usd", "gave a negative amount -50000"),
        ("credit.frozen", "gave bool, not an integer"),
    ],
)
def test_credit_limit_must_be_a_non_negative_integer(
    policy_data: dict[str, Any], expression: str, message: str
) -> None:
    policy_data["rules"][5]["credit_limit"] = expression
    with pytest.raises(EvaluationError, match=message) as caught:
        load_policy(policy_data).evaluate(facts(score=700))
    assert "policy 'test_credit' v2, rule 'prime': credit_limit" in str(caught.value)


def test_error_in_a_limit_expression_names_its_rule(policy_data: dict[str, Any]) -> None:
    policy_data["rules"][4]["credit_limit"] = "applicant.income_annual_usd // 0"
    with pytest.raises(EvaluationError, match="rule 'near_prime': division by zero"):
        load_policy(policy_data).evaluate(facts(score=600))


def problems_of(source: Any, fields: frozenset[str] | None = FIELDS) -> list[str]:
    with pytest.raises(PolicyError) as caught:
        load_policy(source, fields=fields)
    return [str(problem) for problem in caught.value.problems]


def test_policy_error_lists_every_problem_with_rule_and_column(
    policy_data: dict[str, Any],
) -> None:
    rules = policy_data["rules"]
    del rules[0]["reason_code"]
    rules[1]["outcome"] = "maybe"
    rules[2]["id"] = "low_score"
    rules[3]["when"] = "credit.thin_file and amount_usd >"
    rules[4]["when"] = "credit.scroe >= 580"
    rules[5]["apr_bps"] = True
    rules[6]["priority"] = 1
    problems = problems_of(policy_data)
    assert problems == [
        "rules[0] (file_frozen): missing key(s): reason_code",
        "rules[1] (low_score): outcome must be one of approve, review, decline, got 'maybe'",
        "rules[2] (low_score): duplicate rule id",
        "rules[3] (thin_file_again): when: unexpected end of expression (column 34)",
        "rules[4] (near_prime): when: unknown field 'credit.scroe' (column 1)",
        "rules[5] (prime): apr_bps must be a non-negative integer or an expression",
        "rules[6] (big_ticket): unknown key 'priority' (allowed: apr_bps, credit_limit, "
        "description, id, outcome, reason_code, when)",
    ]


def test_policy_level_problems_are_all_reported(policy_data: dict[str, Any]) -> None:
    del policy_data["default_outcome"]
    policy_data["version"] = "2"
    policy_data["kind"] = "mortgage"
    policy_data["id"] = ""
    policy_data["owner"] = "risk"
    problems = problems_of(policy_data)
    assert problems == [
        "policy: missing key(s): default_outcome",
        "policy: unknown key 'owner' (allowed: default_outcome, description, id, kind, rules, "
        "version)",
        "policy: id must be a non-empty identifier string, got ''",
        "policy: version must be a positive integer, got '2'",
        "policy: kind must be one of credit, onboarding, got 'mortgage'",
    ]


def test_wrong_types_are_reported_by_index_when_a_rule_has_no_id(
    policy_data: dict[str, Any],
) -> None:
    policy_data["rules"] = [
        "not a rule",
        {"when": 12, "outcome": "approve", "reason_code": 7, "credit_limit": -5},
    ]
    problems = problems_of(policy_data)
    assert problems == [
        "rules[0]: a rule must be a mapping, got str",
        "rules[1]: missing key(s): id",
        "rules[1]: reason_code must be a non-empty identifier string, got 7",
        "rules[1]: when must be an expression string, got int",
        "rules[1]: credit_limit must be a non-negative integer or an expression",
    ]


def test_rules_that_are_not_a_list_and_documents_that_are_not_mappings_fail() -> None:
    assert problems_of({**yaml.safe_load(POLICY_YAML), "rules": {"a": 1}}) == [
        "policy: rules must be a list, got dict"
    ]
    assert problems_of("- just\n- a list\n") == ["a policy must be a mapping, got list"]


def test_malformed_yaml_and_json_are_policy_errors_with_a_column() -> None:
    assert problems_of("id: [unclosed\nversion: 1\n")[0].startswith("not valid YAML")
    json_problems = problems_of('{"id": "x",}')
    assert json_problems[0].startswith("not valid JSON")
    assert json_problems[0].endswith("(column 12)")


def test_without_a_field_schema_any_path_is_accepted(policy_data: dict[str, Any]) -> None:
    policy_data["rules"][0]["when"] = "anything.at_all == 1"
    assert load_policy(policy_data).rules[0].when.fields == frozenset({"anything.at_all"})


def test_shipped_policies_are_listed_and_loaded() -> None:
    assert {"consumer_credit", "merchant_onboarding"} <= set(shipped_policy_names())
    policy = load_shipped_policy("merchant_onboarding")
    assert policy.kind == "onboarding"
    assert policy.id == "merchant_onboarding"


def test_shipped_credit_policy_loads_against_the_credit_fact_fields() -> None:
    policy = load_shipped_policy("consumer_credit")
    assert policy.kind == "credit"
    assert policy.fields <= CREDIT_FACT_FIELDS
    assert fields_for_kind("credit") == CREDIT_FACT_FIELDS
    assert load_policy(policy.to_dict(), fields=CREDIT_FACT_FIELDS) == policy


def test_shipped_credit_policy_rejects_a_field_outside_the_facts_table() -> None:
    data = load_shipped_policy("consumer_credit").to_dict()
    data["rules"][0]["when"] = "credit.frozen or applicant.shoe_size > 12"
    with pytest.raises(PolicyError) as caught:
        load_policy(data, fields=fields_for_kind("credit"))
    assert [str(p) for p in caught.value.problems] == [
        "rules[0] (file_frozen): when: unknown field 'applicant.shoe_size' (column 18)"
    ]


def test_shipped_policy_names_are_checked() -> None:
    with pytest.raises(ValueError, match="invalid policy name"):
        load_shipped_policy("../secrets")
    with pytest.raises(FileNotFoundError, match="no shipped policy 'nope'"):
        load_shipped_policy("nope")
