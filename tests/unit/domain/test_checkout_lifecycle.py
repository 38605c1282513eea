"""The checkout's life: each transition allowed where it stands, refused (409) elsewhere."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest

from mock_server.domain import InvalidTransition
from mock_server.domain.checkout import CONFIRMED, Checkout, CheckoutLifecycle, CheckoutStatus

EXPIRES = datetime(2026, 12, 2, 12, tzinfo=UTC)


def life(status: CheckoutStatus) -> CheckoutLifecycle:
    return CheckoutLifecycle("chk_1", status, EXPIRES)


@pytest.mark.parametrize(
    "answer", [CheckoutStatus.APPROVED, CheckoutStatus.DECLINED, CheckoutStatus.IN_REVIEW]
)
def test_an_open_checkout_takes_the_applications_answer(answer: CheckoutStatus) -> None:
    checkout = life(CheckoutStatus.OPEN)
    checkout.confirm(answer)
    assert checkout.status is answer


@pytest.mark.parametrize("status", sorted(CONFIRMED))
def test_a_confirmed_checkout_refuses_another_confirm_and_a_cancel(
    status: CheckoutStatus,
) -> None:
    for attempt in (lambda c: c.confirm(CheckoutStatus.APPROVED), CheckoutLifecycle.cancel):
        checkout = life(status)
        with pytest.raises(InvalidTransition) as refused:
            attempt(checkout)
        assert refused.value.code == "checkout_already_confirmed"
        assert f"already confirmed ({status})" in refused.value.message
        assert checkout.status is status


@pytest.mark.parametrize("status", [CheckoutStatus.EXPIRED, CheckoutStatus.CANCELED])
def test_an_ended_checkout_names_its_status_when_refusing(status: CheckoutStatus) -> None:
    checkout = life(status)
    with pytest.raises(InvalidTransition) as refused:
        checkout.confirm(CheckoutStatus.APPROVED)
    assert refused.value.code == f"checkout_{status}"
    assert refused.value.message == f"cannot confirm: checkout chk_1 is {status}"


def test_an_open_checkout_expires_at_its_time_and_not_before() -> None:
    checkout = life(CheckoutStatus.OPEN)
    assert not checkout.expire_if_due(EXPIRES - timedelta(seconds=1))
    assert checkout.status is CheckoutStatus.OPEN
    assert checkout.expire_if_due(EXPIRES)
    assert checkout.status.value == "expired"
    assert not checkout.expire_if_due(EXPIRES + timedelta(days=1))  # once


def test_only_an_open_checkout_expires() -> None:
    checkout = life(CheckoutStatus.APPROVED)
    assert not checkout.expire_if_due(EXPIRES + timedelta(days=1))
    assert checkout.status is CheckoutStatus.APPROVED


def test_the_merchant_cancels_an_open_checkout() -> None:
    checkout = life(CheckoutStatus.OPEN)
    checkout.cancel()
    assert checkout.status is CheckoutStatus.CANCELED


@pytest.mark.parametrize("answer", [CheckoutStatus.APPROVED, CheckoutStatus.DECLINED])
def test_a_review_is_decided_once(answer: CheckoutStatus) -> None:
    checkout = life(CheckoutStatus.IN_REVIEW)
    checkout.decide_review(answer)
    assert checkout.status is answer
    with pytest.raises(InvalidTransition) as refused:
        checkout.decide_review(CheckoutStatus.DECLINED)
    assert refused.value.code == "checkout_already_confirmed"


def test_an_open_checkout_has_no_review_to_decide() -> None:
    with pytest.raises(InvalidTransition) as refused:
        life(CheckoutStatus.OPEN).decide_review(CheckoutStatus.APPROVED)
    assert refused.value.code == "checkout_open"
    assert refused.value.message == "cannot work the review of: checkout chk_1 is open"


def test_answers_that_are_no_answer_are_a_programming_error() -> None:
    with pytest.raises(ValueError):
        life(CheckoutStatus.OPEN).confirm(CheckoutStatus.EXPIRED)
    with pytest.raises(ValueError):
        life(CheckoutStatus.IN_REVIEW).decide_review(CheckoutStatus.IN_REVIEW)


def test_a_stored_status_reads_back_as_its_lifecycle() -> None:
    checkout = CheckoutLifecycle.of("chk_2", "in_review", EXPIRES)
    assert checkout.status is CheckoutStatus.IN_REVIEW
    with pytest.raises(ValueError):
        CheckoutLifecycle.of("chk_3", "pending", EXPIRES)


@dataclass
class _Record:
    """A stored checkout as the aggregate sees it (any object with these attributes)."""

    id: str = "chk_1"
    status: str = "open"
    expires_at: datetime = EXPIRES
    test_clock_id: str | None = None


def test_the_aggregate_writes_each_transition_back_to_its_record() -> None:
    record = _Record()
    checkout = Checkout(record)
    checkout.confirm(CheckoutStatus.IN_REVIEW)
    assert record.status == "in_review"
    checkout.decide_review(CheckoutStatus.APPROVED)
    assert (record.status, checkout.status) == ("approved", CheckoutStatus.APPROVED)


def test_the_aggregate_leaves_its_record_as_it_was_when_a_transition_is_refused() -> None:
    record = _Record(status="declined")
    with pytest.raises(InvalidTransition):
        Checkout(record).cancel()
    assert record.status == "declined"


def test_the_aggregate_expires_its_record_once_past_its_time() -> None:
    record = _Record()
    checkout = Checkout(record)
    assert not checkout.expire_if_due(EXPIRES - timedelta(seconds=1))
    assert checkout.expire_if_due(EXPIRES)
    assert record.status == "expired"
    assert not checkout.expire_if_due(EXPIRES + timedelta(days=1))
