"""A manual review: decided once by the reviewer or expired by its timer, never twice."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

import pytest

from mock_server.domain import InvalidTransition
from mock_server.domain.review import Review, ReviewLifecycle, ReviewStatus, ReviewVerdict

AT = datetime(2026, 12, 2, 12, tzinfo=UTC)


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


@dataclass
class _Record:
    """A stored review as the aggregate sees it."""

    id: str = "rev_1"
    status: str = "pending"
    decided_at: datetime | None = None


def test_the_aggregate_writes_the_verdict_and_its_time_back_to_its_record() -> None:
    record = _Record()
    Review(record).decide("decline", AT)
    assert (record.status, record.decided_at) == ("declined", AT)


def test_the_aggregate_refuses_a_second_verdict_and_keeps_the_first() -> None:
    record = _Record()
    Review(record).expire(AT)
    with pytest.raises(InvalidTransition) as refused:
        Review(record).decide("approve", AT)
    assert refused.value.code == "review_already_expired"
    assert (record.status, record.decided_at) == ("expired", AT)
