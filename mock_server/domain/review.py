"""A manual review's life (pure, no I/O).

    pending ──the reviewer approves──> approved
    pending ──the reviewer declines──> declined
    pending ──its SLA timer fires first──> expired

Once decided or expired a review takes no further step: each attempt is refused with
``InvalidTransition`` (the API's 409, ``review_already_<status>``). `Review` is the aggregate
the use cases move: the lifecycle over a stored record, written back after each transition.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Literal, Protocol

from mock_server.domain.states import InvalidTransition

__all__ = ["Review", "ReviewLifecycle", "ReviewRecord", "ReviewStatus", "ReviewVerdict"]

ReviewVerdict = Literal["approve", "decline"]


class ReviewStatus(StrEnum):
    """Where a review is."""

    PENDING = "pending"
    APPROVED = "approved"
    DECLINED = "declined"
    EXPIRED = "expired"


@dataclass(slots=True)
class ReviewLifecycle:
    """One review's status, moved only by its transitions."""

    id: str
    status: ReviewStatus

    @classmethod
    def of(cls, review_id: str, status: str) -> ReviewLifecycle:
        """The lifecycle of a stored review."""
        return cls(review_id, ReviewStatus(status))

    def require_pending(self) -> None:
        """Refuse any step on a review that is no longer pending."""
        if self.status is not ReviewStatus.PENDING:
            raise self.refusal()

    def refusal(self) -> InvalidTransition:
        """The error for a step on this review where it stands (decided or expired)."""
        return InvalidTransition(
            f"review_already_{self.status}", f"review {self.id} is already {self.status}"
        )

    def decide(self, verdict: ReviewVerdict) -> None:
        """The reviewer's verdict on a pending review."""
        self.require_pending()
        self.status = ReviewStatus.APPROVED if verdict == "approve" else ReviewStatus.DECLINED

    def expire(self) -> None:
        """The review's SLA timer fired before anyone decided it."""
        self.require_pending()
        self.status = ReviewStatus.EXPIRED


class ReviewRecord(Protocol):
    """What the aggregate needs of a stored review (the storage row is one)."""

    id: str
    status: str
    decided_at: datetime | None


class Review:
    """A manual review: its stored record, whose status only the transitions below move."""

    __slots__ = ("_life", "record")

    def __init__(self, record: ReviewRecord) -> None:
        self.record = record
        self._life = ReviewLifecycle.of(record.id, record.status)

    @property
    def status(self) -> ReviewStatus:
        """Where the review stands."""
        return self._life.status

    def require_pending(self) -> None:
        """Refuse any step on a review that is no longer pending."""
        self._life.require_pending()

    def refusal(self) -> InvalidTransition:
        """The error for a step on this review where it stands."""
        return self._life.refusal()

    def decide(self, verdict: ReviewVerdict, at: datetime) -> None:
        """The reviewer's verdict on a pending review, at `at`."""
        self._life.decide(verdict)
        self.record.status, self.record.decided_at = self._life.status.value, at

    def expire(self, at: datetime) -> None:
        """The review's SLA timer fired at `at` before anyone decided it."""
        self._life.expire()
        self.record.status, self.record.decided_at = self._life.status.value, at
