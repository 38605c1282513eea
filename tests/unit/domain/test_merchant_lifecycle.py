"""A merchant's standing: verification settles it, desk actions move it where they may."""

from __future__ import annotations

import pytest

from mock_server.domain import InvalidTransition
from mock_server.domain.merchant import (
    DESK_ACTIONS,
    FROZEN,
    DeskAction,
    MerchantLifecycle,
    MerchantStatus,
)

S = MerchantStatus


def verified(
    status: MerchantStatus,
    *,
    activated: bool = False,
    declined: bool = False,
    due: bool = False,
    unaccepted: tuple[str, ...] = (),
) -> MerchantStatus:
    life = MerchantLifecycle("mer_1", status, activated)
    life.after_verification(declined=declined, requirements_due=due, unaccepted_reasons=unaccepted)
    return life.status


@pytest.mark.parametrize(
    ("found", "before", "after"),
    [
        ({}, (S.PENDING, False), S.ACTIVE),
        ({"due": True}, (S.PENDING, False), S.PENDING),
        ({"unaccepted": ("MCC_HIGH_RISK",)}, (S.PENDING, False), S.PENDING_REVIEW),
        ({"declined": True}, (S.PENDING_REVIEW, False), S.REJECTED),
        ({"due": True}, (S.ACTIVE, True), S.RESTRICTED),
        ({"unaccepted": ("SCREENING_MATCH",)}, (S.ACTIVE, True), S.RESTRICTED),
        ({"declined": True, "unaccepted": ("X",)}, (S.ACTIVE, True), S.RESTRICTED),
        ({}, (S.RESTRICTED, True), S.ACTIVE),
    ],
)
def test_verification_settles_the_status_from_what_it_found(
    found: dict[str, object], before: tuple[MerchantStatus, bool], after: MerchantStatus
) -> None:
    status, activated = before
    assert verified(status, activated=activated, **found) is after  # type: ignore[arg-type]


@pytest.mark.parametrize("status", sorted(FROZEN))
def test_verification_leaves_a_frozen_merchant_where_it_is(status: MerchantStatus) -> None:
    assert verified(status, activated=True) is status
    with pytest.raises(InvalidTransition) as refused:
        MerchantLifecycle("mer_1", status, True).require_unfrozen()
    assert refused.value.code == f"merchant_{status}"


@pytest.mark.parametrize(
    ("action", "before", "after"),
    [
        ("reject", S.PENDING_REVIEW, S.REJECTED),
        ("suspend", S.ACTIVE, S.SUSPENDED),
        ("reinstate", S.SUSPENDED, S.ACTIVE),
        ("approve", S.PENDING_REVIEW, S.PENDING_REVIEW),  # verification decides after it
        ("request_information", S.ACTIVE, S.ACTIVE),
    ],
)
def test_each_desk_action_moves_the_merchant_where_it_is_allowed(
    action: DeskAction, before: MerchantStatus, after: MerchantStatus
) -> None:
    life = MerchantLifecycle("mer_1", before, activated=True)
    life.act(action)
    assert life.status is after


def test_every_action_is_refused_from_every_status_it_does_not_list() -> None:
    for action, allowed in DESK_ACTIONS.items():
        for status in set(MerchantStatus) - set(allowed):
            life = MerchantLifecycle("mer_9", status, activated=True)
            with pytest.raises(InvalidTransition) as refused:
                life.act(action)
            assert refused.value.code == f"merchant_already_{status}"
            assert refused.value.message.startswith(f"merchant mer_9 is {status}; {action} needs")
            assert life.status is status
