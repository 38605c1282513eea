"""A checkout's life: its statuses and the transitions between them (pure, no I/O).

    open ──confirm──> approved | declined | in_review (| canceled, by the loan process)
    open ──time passes expires_at──> expired
    open ──the merchant cancels──> canceled
    in_review ──the review is decided──> approved | declined (| canceled, by the process)

Each transition is one method that checks where the checkout stands and raises
``InvalidTransition`` (the API's 409) when its life does not allow the step, so the rules live
here once instead of in string comparisons beside each use case. `Checkout` is the aggregate the
use cases move: the lifecycle over a stored record (any object with the record's attributes; the
storage row is one), whose status it writes back after each transition.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Final, Protocol

from mock_server.domain.states import InvalidTransition

__all__ = ["CONFIRMED", "Checkout", "CheckoutLifecycle", "CheckoutRecord", "CheckoutStatus"]


class CheckoutStatus(StrEnum):
    """Where a checkout is in its life."""

    OPEN = "open"
    APPROVED = "approved"
    DECLINED = "declined"
    IN_REVIEW = "in_review"
    EXPIRED = "expired"
    CANCELED = "canceled"


# A confirmed checkout has an answer to its application (a review is an answer still coming).
CONFIRMED: Final = frozenset(
    {CheckoutStatus.APPROVED, CheckoutStatus.DECLINED, CheckoutStatus.IN_REVIEW}
)
# What a loan process can answer: a customised process may also end by canceling the checkout.
_ANSWERS: Final = CONFIRMED | {CheckoutStatus.CANCELED}
_FINAL_ANSWERS: Final = _ANSWERS - {CheckoutStatus.IN_REVIEW}


@dataclass(slots=True)
class CheckoutLifecycle:
    """One checkout's status, moved only by its transitions."""

    id: str
    status: CheckoutStatus
    expires_at: datetime

    @classmethod
    def of(cls, checkout_id: str, status: str, expires_at: datetime) -> CheckoutLifecycle:
        """The lifecycle of a stored checkout (its status as stored)."""
        return cls(checkout_id, CheckoutStatus(status), expires_at)

    def expire_if_due(self, now: datetime) -> bool:
        """An open checkout past its `expires_at` expires; True when it just did."""
        if self.status is not CheckoutStatus.OPEN or now < self.expires_at:
            return False
        self.status = CheckoutStatus.EXPIRED
        return True

    def require_open(self, action: str) -> None:
        """Refuse `action` unless the checkout is open."""
        if self.status is not CheckoutStatus.OPEN:
            raise self.refusal(action)

    def confirm(self, answer: CheckoutStatus) -> None:
        """The application's answer to an open checkout: approved, declined or in review (or
        canceled, when the loan process ends that way)."""
        self.require_open("confirm")
        if answer not in _ANSWERS:
            raise ValueError(f"{answer} is not an answer to an application")
        self.status = answer

    def cancel(self) -> None:
        """The merchant cancels an open checkout."""
        self.require_open("cancel")
        self.status = CheckoutStatus.CANCELED

    def decide_review(self, answer: CheckoutStatus) -> None:
        """A checkout in review gets its final answer: approved or declined (or canceled)."""
        if self.status is not CheckoutStatus.IN_REVIEW:
            raise self.refusal("work the review of")
        if answer not in _FINAL_ANSWERS:
            raise ValueError(f"{answer} does not decide a review")
        self.status = answer

    def refusal(self, action: str) -> InvalidTransition:
        """The error for attempting `action` on this checkout where it stands."""
        if self.status in CONFIRMED:
            return InvalidTransition(
                "checkout_already_confirmed",
                f"cannot {action}: checkout {self.id} is already confirmed ({self.status})",
            )
        return InvalidTransition(
            f"checkout_{self.status}", f"cannot {action}: checkout {self.id} is {self.status}"
        )


class CheckoutRecord(Protocol):
    """What the aggregate needs of a stored checkout (the storage row is one)."""

    id: str
    status: str
    expires_at: datetime
    test_clock_id: str | None


class Checkout:
    """A checkout: its stored record, whose status only the transitions below move."""

    __slots__ = ("_life", "record")

    def __init__(self, record: CheckoutRecord) -> None:
        self.record = record
        self._life = CheckoutLifecycle.of(record.id, record.status, record.expires_at)

    @property
    def id(self) -> str:
        """The checkout's id."""
        return self.record.id

    @property
    def status(self) -> CheckoutStatus:
        """Where the checkout stands."""
        return self._life.status

    @property
    def test_clock(self) -> str | None:
        """The test clock the checkout lives on, if any."""
        return self.record.test_clock_id

    def _settle(self) -> None:
        self.record.status = self._life.status.value

    def expire_if_due(self, now: datetime) -> bool:
        """An open checkout past its `expires_at` expires; True when it just did."""
        expired = self._life.expire_if_due(now)
        if expired:
            self._settle()
        return expired

    def require_open(self, action: str) -> None:
        """Refuse `action` unless the checkout is open."""
        self._life.require_open(action)

    def confirm(self, answer: CheckoutStatus) -> None:
        """The application's answer to an open checkout."""
        self._life.confirm(answer)
        self._settle()

    def cancel(self) -> None:
        """The merchant cancels an open checkout."""
        self._life.cancel()
        self._settle()

    def decide_review(self, answer: CheckoutStatus) -> None:
        """A checkout in review gets its final answer."""
        self._life.decide_review(answer)
        self._settle()
