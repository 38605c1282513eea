"""The GoRules JDM export: zen-engine decides exactly as our engine does on the same inputs."""

from __future__ import annotations

import json
import random
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import zen

from mock_server.risk.assessment import assess_application
from mock_server.risk.fraud import InMemoryVelocityStore
from mock_server.risk.personas import generate_personas
from mock_server.rules import Policy, build_onboarding_facts, load_policy, load_shipped_policy
from mock_server.rules.expr import parse
from mock_server.rules.jdm import decision_from_rows, policy_to_jdm, to_zen_expression

POLICY = """\
id: jdm_check
version: 4
kind: credit
default_outcome: review
rules:
  - id: frozen
    when: "credit.frozen or applicant.email_tag == 'frozen'"
    outcome: decline
    reason_code: FILE_FROZEN
  - id: fraud_flags
    when: "contains(fraud.flags, 'SHARED_DEVICE') or len(fraud.flags) >= 2"
    outcome: decline
    reason_code: FRAUD_SIGNALS
  - id: recent_delinquency
    when: "credit.months_since_delinquency < 12"
    outcome: review
    reason_code: RECENT_DELINQUENCY
  - id: clean_history
    when: "not (credit.months_since_delinquency < 36)"
    outcome: approve
    reason_code: CLEAN_HISTORY
    apr_bps: 1999
  - id: affordability
    when: "applicant.income_annual_usd / max(amount_usd, 1) < 20"
    outcome: review
    reason_code: AFFORDABILITY
  - id: students
    when: "applicant.employment_status in ['student', 'unemployed'] and amount_usd % 2 == 0"
    outcome: review
    reason_code: INCOME_SOURCE
  - id: scored
    when: "credit.score >= 600 and applicant.locale not in ['xx_XX']"
    outcome: approve
    reason_code: SCORED
    credit_limit: "min(applicant.income_annual_usd // 20, 300000 + abs(-credit.score) * 10)"
    apr_bps: "max(999, 3599 - (credit.score - 600) * 10)"
"""


def random_facts(rng: random.Random) -> dict[str, Any]:
    flags = rng.sample(["EMAIL_VELOCITY", "SHARED_DEVICE", "IDENTITY_MISMATCH"], rng.randint(0, 2))
    return {
        "amount_usd": rng.randint(1, 500_000),
        "applicant": {
            "income_annual_usd": rng.randint(0, 20_000_000),
            "employment_status": rng.choice(["employed", "student", "retired", "unemployed"]),
            "locale": rng.choice(["en_US", "zh_CN"]),
            "email_tag": rng.choice([None, None, None, "frozen", "approve"]),
        },
        "credit": {
            "score": rng.randint(300, 850),
            "frozen": rng.random() < 0.1,
            "months_since_delinquency": rng.choice([None, rng.randint(0, 60)]),
        },
        "fraud": {"flags": flags},
    }


def zen_engine_for(policy: Policy) -> Any:
    content = json.dumps(policy_to_jdm(policy))
    return zen.ZenEngine({"loader": lambda key: content})


def assert_agree(policy: Policy, inputs: list[dict[str, Any]]) -> None:
    engine = zen_engine_for(policy)
    for index, facts in enumerate(inputs):
        ours = policy.evaluate(facts)
        theirs = decision_from_rows(policy, engine.evaluate(policy.id, facts)["result"])
        assert theirs == ours, f"input {index}: {facts}"


def test_zen_decision_table_agrees_with_our_engine_on_random_credit_facts() -> None:
    rng = random.Random(20261129)
    policy = load_policy(POLICY)
    inputs = [random_facts(rng) for _ in range(50)]
    outcomes = {policy.evaluate(facts).outcome for facts in inputs}
    assert outcomes == {"approve", "review", "decline"}  # the inputs exercise every outcome
    assert_agree(policy, inputs)


def test_zen_decision_table_agrees_on_the_onboarding_policy() -> None:
    rng = random.Random(42)
    applications = [
        {
            "legal_name": f"Merchant {i}",
            "mcc": rng.choice(["5411", "5941", "7995", "6051", "5993", "5732"]),
            "country": rng.choice(["US", "GB", "DE", "BR", "JP"]),
            "currency": rng.choice(["USD", "EUR", "GBP", "JPY", "BRL"]),
            "website": rng.choice([None, "https://shop.example.com", "example.org"]),
            "years_in_business": rng.randint(0, 10),
            "expected_monthly_volume": rng.choice([10_000, 20_000_000, 700_000_000]),
            "contact_email": rng.choice(["ops@example.com", "founder@gmail.com"]),
        }
        for i in range(50)
    ]
    assert_agree(
        load_shipped_policy("merchant_onboarding"),
        [build_onboarding_facts(application) for application in applications],
    )


def test_no_rule_matched_gives_the_default_outcome_from_zen_too() -> None:
    policy = load_policy(POLICY)
    decision = decision_from_rows(policy, [])
    assert (decision.outcome, decision.rules_fired) == ("review", ())


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("a // 2", "floor(a / 2)"),
        ("x < 3", "(x != null and x < 3)"),
        ("3 <= x.y", "(x.y != null and 3 <= x.y)"),
        ("min(a, 1)", "min([a, 1])"),
        ("max(xs)", "max(xs)"),
        ("not a and 'q\"' in b", '((not a) and ("q\\"" in b))'),
        ("-a + null", "((-a) + null)"),
    ],
)
def test_expressions_translate_to_zen_syntax(source: str, expected: str) -> None:
    assert to_zen_expression(parse(source)) == expected


def test_jdm_graph_has_one_collect_table_row_per_rule() -> None:
    policy = load_policy(POLICY)
    graph = policy_to_jdm(policy)
    table = next(node for node in graph["nodes"] if node["type"] == "decisionTableNode")
    assert table["content"]["hitPolicy"] == "collect"
    assert [row["_id"] for row in table["content"]["rules"]] == [rule.id for rule in policy.rules]
    assert [edge["sourceId"] for edge in graph["edges"]] == ["request", "policy_table"]


def persona_credit_facts(count: int) -> list[dict[str, Any]]:
    """Credit facts the risk engine builds for seeded personas applying a minute apart."""
    store = InMemoryVelocityStore()
    start = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
    rng = random.Random(5)
    facts: list[dict[str, Any]] = []
    for index, persona in enumerate(generate_personas(11, count)):
        amount = rng.randint(2_000, 800_000)
        assessment = assess_application(
            11,
            persona.identity,
            amount=amount,
            currency="USD",
            cart=[{"unit_amount": amount, "quantity": 1}],
            merchant={"mcc": "5732", "country": "US"},
            store=store,
            now=start + timedelta(minutes=index),
        )
        facts.append(assessment.facts)
    return facts


def test_zen_decision_table_agrees_on_the_shipped_credit_policy() -> None:
    policy = load_shipped_policy("consumer_credit")
    inputs = persona_credit_facts(50)
    assert {policy.evaluate(facts).outcome for facts in inputs} == {"approve", "review", "decline"}
    assert_agree(policy, inputs)
