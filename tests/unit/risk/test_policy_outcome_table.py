"""The default credit policy's outcome table over 1,000 generated personas per tier.

Each tier's personas alternate between en_US (USD carts) and zh_CN (CNY carts at the sandbox's
rate); carts cycle from a $49 accessory to a $2,500 laptop. The table printed here is the one in
README.md and docs/sandbox.md.
"""

from __future__ import annotations

import statistics
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import pytest

from mock_server.risk.assessment import assess_application
from mock_server.risk.fraud import InMemoryVelocityStore
from mock_server.risk.personas import Tier, generate_personas, usd_to_minor
from mock_server.rules import Policy, load_shipped_policy

SEED = 0
PER_TIER = 1_000
NOW = datetime(2026, 6, 15, 9, 0, tzinfo=UTC)
MERCHANT = {"mcc": "5732", "country": "US"}
CARTS_USD_CENTS = (4_900, 19_900, 59_900, 99_900, 129_900, 189_900, 250_000)
TIERS = (Tier.PRIME, Tier.NEAR_PRIME, Tier.SUBPRIME, Tier.THIN_FILE, Tier.FROZEN_FILE)


@dataclass
class TierOutcomes:
    """How one tier's applications came out."""

    outcomes: Counter[str] = field(default_factory=Counter)
    reasons: Counter[str] = field(default_factory=Counter)
    limits_usd: list[int] = field(default_factory=list)
    currencies: Counter[str] = field(default_factory=Counter)
    declines_without_reason: int = 0

    def share(self, outcome: str) -> float:
        """The share of applications with this outcome."""
        return self.outcomes[outcome] / sum(self.outcomes.values())


def _run_tier(policy: Policy, tier: Tier) -> TierOutcomes:
    result = TierOutcomes()
    store = InMemoryVelocityStore()  # one store: the tier's people apply one after another
    for index, persona in enumerate(generate_personas(SEED, PER_TIER, tiers=[tier])):
        currency = persona.income_currency
        amount = usd_to_minor(CARTS_USD_CENTS[index % len(CARTS_USD_CENTS)], currency)
        assessment = assess_application(
            SEED,
            persona.identity,
            amount=amount,
            currency=currency,
            cart=[{"unit_amount": amount, "quantity": 1}],
            merchant=MERCHANT,
            store=store,
            now=NOW + timedelta(seconds=30 * index),
        )
        decision = policy.evaluate(assessment.facts)
        result.outcomes[decision.outcome] += 1
        result.currencies[currency] += 1
        if decision.outcome == "approve" and decision.credit_limit is not None:
            result.limits_usd.append(decision.credit_limit)
        elif decision.outcome != "approve":
            result.reasons[decision.reason_codes[0]] += 1
            result.declines_without_reason += not decision.reason_codes
    return result


def _table(results: dict[Tier, TierOutcomes]) -> str:
    lines = [
        "| tier | approve | review | decline | median limit | top reasons |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for tier, result in results.items():
        limit = (
            f"${statistics.median_low(result.limits_usd) // 100:,}" if result.limits_usd else "-"
        )
        top = ", ".join(f"{code} {count}" for code, count in result.reasons.most_common(3))
        cells = [f"{result.share(o):.1%}" for o in ("approve", "review", "decline")]
        lines.append(f"| {tier.value} | {' | '.join(cells)} | {limit} | {top or '-'} |")
    return "\n".join(lines)


@pytest.fixture(scope="module")
def table() -> dict[Tier, TierOutcomes]:
    policy = load_shipped_policy("consumer_credit")
    results = {tier: _run_tier(policy, tier) for tier in TIERS}
    print(f"\nconsumer_credit over {PER_TIER:,} personas per tier (USD and CNY carts to $2,500)")
    print(_table(results))
    return results


def test_every_tier_applies_in_dollars_and_yuan(table: dict[Tier, TierOutcomes]) -> None:
    for result in table.values():
        assert sum(result.outcomes.values()) == PER_TIER
        assert result.currencies["USD"] == result.currencies["CNY"] == PER_TIER // 2


def test_prime_approves_at_least_95_percent(table: dict[Tier, TierOutcomes]) -> None:
    assert table[Tier.PRIME].share("approve") >= 0.95
    assert table[Tier.PRIME].outcomes["decline"] == 0


def test_near_prime_mostly_approves_with_smaller_limits(table: dict[Tier, TierOutcomes]) -> None:
    near, prime = table[Tier.NEAR_PRIME], table[Tier.PRIME]
    assert near.share("approve") >= 0.70
    assert statistics.median(near.limits_usd) < statistics.median(prime.limits_usd)


def test_subprime_mostly_declines_with_reasons(table: dict[Tier, TierOutcomes]) -> None:
    subprime = table[Tier.SUBPRIME]
    assert subprime.share("decline") >= 0.85
    assert subprime.declines_without_reason == 0
    assert "LOW_CREDIT_SCORE" in subprime.reasons


def test_thin_file_goes_to_review(table: dict[Tier, TierOutcomes]) -> None:
    thin = table[Tier.THIN_FILE]
    assert thin.share("review") >= 0.90
    assert thin.reasons.most_common(1)[0][0] == "INSUFFICIENT_CREDIT_FILE"


def test_frozen_file_always_declines_for_the_freeze(table: dict[Tier, TierOutcomes]) -> None:
    frozen = table[Tier.FROZEN_FILE]
    assert frozen.share("decline") == 1.0
    assert set(frozen.reasons) == {"FILE_FROZEN"}
