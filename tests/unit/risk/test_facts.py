"""Credit facts: exactly the documented paths, JSON-like values, USD conversions, ages."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from mock_server.domain.money import to_usd_minor
from mock_server.risk.assessment import assess_application
from mock_server.risk.facts import CREDIT_FACT_FIELDS
from mock_server.risk.fraud import InMemoryVelocityStore
from mock_server.risk.identity import Identity

SEED = 42
NOW = datetime(2026, 6, 15, 12, 0, tzinfo=UTC)
MakeIdentity = Callable[..., Identity]
MERCHANT = {"mcc": "5732", "country": "US"}


def _paths(facts: Mapping[str, Any], prefix: str = "") -> set[str]:
    found: set[str] = set()
    for key, value in facts.items():
        if isinstance(value, Mapping):
            found |= _paths(value, f"{prefix}{key}.")
        else:
            found.add(f"{prefix}{key}")
    return found


def _facts(identity: Identity, amount: int = 129_900, currency: str = "USD") -> dict[str, Any]:
    cart = [
        {"sku": "tv", "name": "TV", "unit_amount": amount - 2 * 4_950, "quantity": 1},
        {"sku": "hdmi", "name": "Cable", "unit_amount": 4_950, "quantity": 2},
    ]
    return assess_application(
        SEED,
        identity,
        amount=amount,
        currency=currency,
        cart=cart,
        merchant=MERCHANT,
        store=InMemoryVelocityStore(),
        now=NOW,
    ).facts


def test_facts_have_exactly_the_documented_paths(identity: Identity) -> None:
    assert _paths(_facts(identity)) == CREDIT_FACT_FIELDS


def test_documented_table_lists_every_fact_path() -> None:
    table = (Path(__file__).parents[3] / "docs" / "internals.md").read_text(encoding="utf-8")
    missing = [path for path in CREDIT_FACT_FIELDS if f"| `{path}` |" not in table]
    assert missing == []


def test_facts_are_json_like(identity: Identity) -> None:
    facts = _facts(identity)
    assert json.loads(json.dumps(facts)) == facts


def test_applicant_and_cart_facts(make_identity: MakeIdentity) -> None:
    facts = _facts(make_identity("jane+approve@example.com", date_of_birth=date(2000, 6, 16)))
    assert facts["amount"] == 129_900
    assert facts["amount_usd"] == 129_900
    assert facts["applicant"]["age"] == 25
    assert facts["applicant"]["email_tag"] == "approve"
    assert facts["applicant"]["locale"] == "en_US"
    assert facts["cart"] == {"item_count": 3, "max_unit_amount_usd": 120_000}
    assert facts["merchant"] == MERCHANT
    assert facts["fraud"]["email_velocity"] == 0  # a tagged test identity is not counted


def test_amounts_and_income_are_converted_to_usd_cents(make_identity: MakeIdentity) -> None:
    identity = make_identity("li.wei@example.com", name="李伟", locale="zh_CN")
    assessment = assess_application(
        SEED,
        identity,
        amount=1_000_000,
        currency="cny",
        cart=[{"unit_amount": 990_100, "quantity": 1}, {"unit_amount": 9_900, "quantity": 1}],
        merchant=MERCHANT,
        store=InMemoryVelocityStore(),
        now=NOW,
    )
    facts = assessment.facts
    assert facts["currency"] == "CNY"
    assert facts["amount_usd"] == 140_000  # 10,000.00 CNY at 0.14
    assert facts["cart"]["max_unit_amount_usd"] == 138_614  # 9,901.00 CNY
    person = assessment.person
    assert person.income_currency == "CNY"
    assert facts["applicant"]["income_annual_usd"] == to_usd_minor(person.income_annual, "CNY")
    balance = assessment.report.summary().total_balance
    assert facts["credit"]["total_balance_usd"] == to_usd_minor(balance, "CNY")


def test_score_facts_match_the_scorecard_result(identity: Identity) -> None:
    assessment = assess_application(
        SEED,
        identity,
        amount=10_000,
        currency="USD",
        cart=[{"unit_amount": 10_000, "quantity": 1}],
        merchant=MERCHANT,
        store=InMemoryVelocityStore(),
        now=NOW,
    )
    assert assessment.facts["score"] == {
        "points": assessment.score.points,
        "reason_codes": list(assessment.score.reason_codes),
        "probability_bad_bps": assessment.score.probability_bad_bps,
    }
    assert assessment.facts["credit"]["score"] == assessment.report.bureau_score
