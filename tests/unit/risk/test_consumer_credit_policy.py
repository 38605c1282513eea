"""The shipped consumer credit policy, run by the real rule engine over real risk facts."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest

from mock_server.risk.assessment import assess_application
from mock_server.risk.facts import CREDIT_FACT_FIELDS
from mock_server.risk.fraud import InMemoryVelocityStore
from mock_server.risk.identity import Identity
from mock_server.risk.personas import Persona, Tier, generate_personas
from mock_server.rules import Decision, Policy, load_shipped_policy

SEED = 42
NOW = datetime(2026, 6, 15, 12, 0, tzinfo=UTC)
MERCHANT = {"mcc": "5732", "country": "US"}
# Carts from a $49 accessory to a $2,499 laptop, cycled over the personas.
AMOUNTS = (4_900, 19_900, 59_900, 129_900, 249_900)
MakeIdentity = Callable[..., Identity]
Outcomes = list[tuple[Persona, Decision]]


@pytest.fixture(scope="module")
def policy() -> Policy:
    return load_shipped_policy("consumer_credit")


def _decide(
    policy: Policy,
    identity: Identity,
    amount: int,
    *,
    store: InMemoryVelocityStore | None = None,
    now: datetime = NOW,
    currency: str = "USD",
) -> Decision:
    assessment = assess_application(
        SEED,
        identity,
        amount=amount,
        currency=currency,
        cart=[{"unit_amount": amount, "quantity": 1}],
        merchant=MERCHANT,
        store=store if store is not None else InMemoryVelocityStore(),
        now=now,
    )
    return policy.evaluate(assessment.facts)


@pytest.fixture(scope="module")
def outcomes(policy: Policy) -> Outcomes:
    """300 personas applying one after another, a minute apart, through one velocity store."""
    store = InMemoryVelocityStore()
    return [
        (
            persona,
            _decide(
                policy,
                persona.identity,
                AMOUNTS[index % len(AMOUNTS)],
                store=store,
                now=NOW + timedelta(minutes=index),
            ),
        )
        for index, persona in enumerate(generate_personas(SEED, 300))
    ]


def _mix(outcomes: Outcomes, tier: Tier) -> Counter[str]:
    return Counter(decision.outcome for persona, decision in outcomes if persona.tier is tier)


def test_policy_loads_and_names_only_credit_facts(policy: Policy) -> None:
    assert (policy.id, policy.kind, policy.default_outcome) == (
        "consumer_credit",
        "credit",
        "approve",
    )
    assert policy.fields <= CREDIT_FACT_FIELDS
    assert policy.rules[0].id == "file_frozen"


def test_prime_is_approved_on_ordinary_carts(outcomes: Outcomes) -> None:
    mix = _mix(outcomes, Tier.PRIME)
    assert mix["approve"] >= 48  # of 50: at least 95 %
    assert mix["decline"] == 0


def test_near_prime_is_mostly_approved_with_some_review(outcomes: Outcomes) -> None:
    mix = _mix(outcomes, Tier.NEAR_PRIME)
    assert mix["approve"] >= 30
    assert mix["review"] >= 5


def test_subprime_is_mostly_declined(outcomes: Outcomes) -> None:
    assert _mix(outcomes, Tier.SUBPRIME)["decline"] >= 42


def test_thin_file_is_mostly_reviewed(outcomes: Outcomes) -> None:
    assert _mix(outcomes, Tier.THIN_FILE)["review"] >= 42
    reasons = Counter(d.reason_codes[0] for p, d in outcomes if p.tier is Tier.THIN_FILE)
    assert reasons.most_common(1)[0][0] == "INSUFFICIENT_CREDIT_FILE"


def test_frozen_file_is_always_declined_for_the_freeze(outcomes: Outcomes) -> None:
    frozen = [d for p, d in outcomes if p.tier is Tier.FROZEN_FILE]
    assert len(frozen) == 50
    assert {d.outcome for d in frozen} == {"decline"}
    assert {d.reason_codes[0] for d in frozen} == {"FILE_FROZEN"}


def test_fraud_ring_is_caught_once_its_shared_attributes_repeat(outcomes: Outcomes) -> None:
    by_ring: defaultdict[str, list[Decision]] = defaultdict(list)
    for persona, decision in outcomes:
        if persona.ring_id is not None:
            by_ring[persona.ring_id].append(decision)
    assert len(by_ring) >= 15
    for decisions in by_ring.values():
        assert all(d.outcome != "approve" for d in decisions[1:])
        if len(decisions) == 3:
            assert decisions[2].outcome == "decline"
            assert "DEVICE_VELOCITY" in decisions[2].reason_codes


def test_each_tier_decision_carries_its_rules(outcomes: Outcomes) -> None:
    for _, decision in outcomes:
        assert decision.policy_id == "consumer_credit"
        assert decision.rules_fired
        assert decision.reason_codes


@pytest.mark.parametrize("locale", ["en_US", "zh_CN"])
@pytest.mark.parametrize(
    ("tag", "outcome", "first_reason"),
    [
        ("approve", "approve", "PRIME_TIER"),
        ("decline", "decline", "LOW_CREDIT_SCORE"),
        ("review", "review", "BORDERLINE_SCORE"),
        ("fraud", "decline", "IDENTITY_MISMATCH"),
        ("frozen", "decline", "FILE_FROZEN"),
    ],
)
def test_email_tags_reach_their_outcome_through_the_real_policy(
    policy: Policy,
    make_identity: MakeIdentity,
    locale: str,
    tag: str,
    outcome: str,
    first_reason: str,
) -> None:
    currency = "CNY" if locale == "zh_CN" else "USD"
    for n in range(12):
        identity = make_identity(f"shopper{n}+{tag}@example.com", locale=locale)
        decision = _decide(policy, identity, 129_900, currency=currency)
        assert decision.outcome == outcome, (identity.email, decision.rules_fired)
        assert decision.reason_codes[0] == first_reason


def test_approve_tag_gets_prime_pricing_and_a_limit(
    policy: Policy, make_identity: MakeIdentity
) -> None:
    decision = _decide(policy, make_identity("jane+approve@example.com"), 129_900)
    assert decision.apr_bps == 999
    assert decision.credit_limit is not None and decision.credit_limit >= 129_900


def test_amount_over_the_limit_goes_to_review(policy: Policy, make_identity: MakeIdentity) -> None:
    identity = make_identity("jane+approve@example.com")
    decision = _decide(policy, identity, 2_900_000)
    assert decision.outcome == "review"
    assert decision.reason_codes == ("AMOUNT_OVER_LIMIT",)


def test_amount_over_the_maximum_is_declined(policy: Policy, make_identity: MakeIdentity) -> None:
    decision = _decide(policy, make_identity("jane+approve@example.com"), 3_000_001)
    assert (decision.outcome, decision.reason_codes) == ("decline", ("AMOUNT_TOO_HIGH",))
