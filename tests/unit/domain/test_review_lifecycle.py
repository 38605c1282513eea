"""A manual review: decided once by the reviewer or expired by its timer, never twice."""

from __future__ import annotations

import pytest

from mock_server.domain import InvalidTransition
from mock_server.domain.review import ReviewLifecycle, ReviewStatus, ReviewVerdict


@pytest.mark.parametrize(
    ("verdict", "status"), [("approve", ReviewStatus.APPROVED), ("decline", ReviewStatus.DECLINED)]
)
def test_a_pending_review_takes_the_reviewers_verdict(
    verdict: ReviewVerdict, status: ReviewStatus
) -> None:
    review = ReviewLifecycle("rev_1", ReviewStatus.PENDING)
    review.decide(verdict)
    assert review.status is status


def test_a_pending_review_expires_when_its_timer_fires() -> None:
    review = ReviewLifecycle.of("rev_1", "pending")
    review.expire()
    assert review.status is ReviewStatus.EXPIRED


@pytest.mark.parametrize("status", ["approved", "declined", "expired"])
def test_a_review_no_longer_pending_refuses_every_step(status: str) -> None:
    for step in (
        lambda r: r.decide("approve"),
        lambda r: r.decide("decline"),
        ReviewLifecycle.expire,
    ):
        review = ReviewLifecycle.of("rev_2", status)
        with pytest.raises(InvalidTransition) as refused:
            step(review)
        assert refused.value.code == f"review_already_{status}"
        assert refused.value.message == f"review rev_2 is already {status}"
        assert review.status == status
