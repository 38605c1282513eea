"""Magic email tags win their outcome through the real engines, whatever test data is reused."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest

from mock_server.risk.assessment import assess_application
from mock_server.risk.fraud import InMemoryVelocityStore
from mock_server.risk.identity import Identity
from mock_server.risk.tags import TAG_EFFECTS, tag_trace, unrecognized_tag
from mock_server.rules import Decision, load_shipped_policy

MakeIdentity = Callable[..., Identity]
NOW = datetime(2026, 6, 15, 12, 0, tzinfo=UTC)
MERCHANT = {"mcc": "5732", "country": "US"}
POLICY = load_shipped_policy("consumer_credit")


def _apply(identity: Identity, store: InMemoryVelocityStore, minute: int) -> Decision:
    assessment = assess_application(
        0,
        identity,
        amount=129_900,
        currency="USD",
        cart=[{"unit_amount": 129_900, "quantity": 1}],
        merchant=MERCHANT,
        store=store,
        now=NOW + timedelta(minutes=minute),
    )
    return POLICY.evaluate(assessment.facts)


@pytest.mark.parametrize(("tag", "outcome"), [("approve", "approve"), ("review", "review")])
def test_reused_phone_address_and_device_never_change_a_tagged_outcome(
    make_identity: MakeIdentity, tag: str, outcome: str
) -> None:
    store = InMemoryVelocityStore()
    # The same phone, address and device (the fixture's) on twelve different test customers,
    # the same mailbox retried too: the velocity checks would review or decline any of it.
    emails = [f"shopper{n}+{tag}@example.com" for n in range(10)] + [f"shopper0+{tag}@example.com"]
    decisions = [_apply(make_identity(email), store, n) for n, email in enumerate(emails)]
    assert [d.outcome for d in decisions] == [outcome] * len(emails)
    fired = {rule.rule_id for d in decisions for rule in d.rules_fired}
    assert not fired & {"phone_velocity", "shared_device", "device_velocity", "address_velocity"}


def test_untagged_identities_sharing_a_device_are_still_a_ring(make_identity: MakeIdentity) -> None:
    store = InMemoryVelocityStore()
    decisions = [_apply(make_identity(f"ring{n}@example.com"), store, n) for n in range(3)]
    assert decisions[2].outcome == "decline"
    assert "DEVICE_VELOCITY" in decisions[2].reason_codes


def test_tagged_customers_do_not_count_against_an_untagged_one(
    make_identity: MakeIdentity,
) -> None:
    store = InMemoryVelocityStore()
    for n in range(3):
        _apply(make_identity(f"test{n}+approve@example.com"), store, n)
    assessment = assess_application(
        0,
        make_identity("someone@example.com"),
        amount=129_900,
        currency="USD",
        cart=[],
        merchant=MERCHANT,
        store=store,
        now=NOW + timedelta(minutes=5),
    )
    assert assessment.fraud.device_velocity == 1
    assert assessment.fraud.phone_velocity == 1


def test_fraud_tag_declines_for_the_identity_mismatch(make_identity: MakeIdentity) -> None:
    decision = _apply(make_identity("mallory+fraud@example.com"), InMemoryVelocityStore(), 0)
    assert (decision.outcome, decision.reason_codes[0]) == ("decline", "IDENTITY_MISMATCH")


def test_trace_says_what_the_tag_set() -> None:
    trace = tag_trace("Jane+Approve@Example.com")
    assert trace is not None
    assert trace["tag"] == "approve"
    assert trace["effects"] == list(TAG_EFFECTS["approve"])
    assert any("velocity" in effect for effect in trace["effects"])
    assert tag_trace("jane@example.com") is None


@pytest.mark.parametrize(
    ("email", "unrecognized"),
    [("jane+bogus@example.com", "bogus"), ("jane+approve@example.com", None), ("j@x.io", None)],
)
def test_a_plus_suffix_that_is_not_a_tag_is_reported(email: str, unrecognized: str | None) -> None:
    assert unrecognized_tag(email) == unrecognized
