"""A loan's state on past dates, rebuilt by replaying its own history through the loan aggregate.

A stored loan carries its whole ledger history (capture, payments, refunds, late fees, status
changes, each dated). Replaying those operations in order on a fresh loan with the same terms
gives the ledger exactly as it was at the end of any earlier day, which is what month-end figures
(roll rates, vintage curves, the book by month) need. Nothing is stored twice, and loans written
before this module existed replay the same way.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date
from typing import Final

from mock_server.domain.ledger import due_lines
from mock_server.domain.loan import Loan
from mock_server.domain.states import LoanStatus

__all__ = [
    "BUCKETS",
    "LoanState",
    "LoanTimeline",
    "ReplayMismatch",
    "bucket_for",
    "days_past_due",
    "month_end",
    "month_key",
    "months_between",
]

#: Delinquency aging buckets by days past due.
BUCKETS: Final = ("current", "1-29", "30-59", "60-89", "90-119", "120+")
_BUCKET_FLOORS: Final = ((120, "120+"), (90, "90-119"), (60, "60-89"), (30, "30-59"), (1, "1-29"))
_LADDER: Final = frozenset(
    {LoanStatus.ACTIVE, LoanStatus.LATE, LoanStatus.DELINQUENT, LoanStatus.CHARGED_OFF}
)


class ReplayMismatch(RuntimeError):
    """Replaying a loan's history did not reproduce a status it recorded (a ledger bug)."""


def bucket_for(dpd: int) -> str:
    """The aging bucket of ``dpd`` days past due."""
    for floor, name in _BUCKET_FLOORS:
        if dpd >= floor:
            return name
    return "current"


def days_past_due(loan: Loan, on: date) -> int:
    """Days from the oldest installment still owed on ``on`` to ``on`` (0 when none is owed)."""
    owed = due_lines(loan.installments, on)
    return (on - owed[0].due_date).days if owed else 0


def month_key(day: date) -> str:
    """``YYYY-MM`` of a date."""
    return f"{day.year:04d}-{day.month:02d}"


def month_end(key: str) -> date:
    """The last day of the month ``YYYY-MM``."""
    year, month = int(key[:4]), int(key[5:7])
    return date(year, month, calendar.monthrange(year, month)[1])


def months_between(first: date, last: date) -> list[str]:
    """Every ``YYYY-MM`` from ``first``'s month to ``last``'s month, in order."""
    keys: list[str] = []
    year, month = first.year, first.month
    while (year, month) <= (last.year, last.month):
        keys.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return keys


@dataclass(frozen=True, slots=True)
class LoanState:
    """A captured loan at the end of one day: status, principal owed, days past due."""

    on: date
    status: LoanStatus
    principal: int
    dpd: int

    @property
    def bucket(self) -> str:
        """Its aging bucket (a closed loan is ``current``)."""
        return bucket_for(self.dpd)

    @property
    def open(self) -> bool:
        """Whether principal is still owed (serviced or charged off)."""
        return self.principal > 0 and (self.status in _LADDER)


class LoanTimeline:
    """Walks one loan's history forward in time; ``at(day)`` answers its state at day's end.

    Days must be asked in non-decreasing order (each call replays only what is new). Before the
    capture date, or for a loan never captured, ``at`` answers None.
    """

    def __init__(self, loan: Loan) -> None:
        self.loan = loan
        self._next = 0
        self._replay: Loan | None = None
        self._fees_on: date | None = None
        self.charged_off_principal = 0
        self.charged_off_on: date | None = None
        self.recovered = 0

    def at(self, day: date) -> LoanState | None:
        """The loan as it stood at the end of ``day``."""
        history = self.loan.history
        while self._next < len(history) and history[self._next].on <= day:
            self._apply(self._next)
            self._next += 1
        replay = self._replay
        if replay is None:
            return None
        return LoanState(day, replay.status, replay.principal_balance, days_past_due(replay, day))

    def replayed(self) -> Loan | None:
        """The loan after replaying all of its history (for checking the replay itself)."""
        if self._next < len(self.loan.history):
            self.at(self.loan.history[-1].on)
        return self._replay

    def _apply(self, index: int) -> None:
        entry = self.loan.history[index]
        if entry.kind == "captured":
            self._replay = self._fresh()
            self._replay.capture(entry.amount, entry.on)
            return
        replay = self._replay
        if replay is None:
            return  # authorized, voided, expired: never on the book
        if entry.kind == "payment":
            replay.apply_payment(entry.amount, entry.on)
        elif entry.kind == "refund":
            replay.refund(entry.amount, entry.on)
        elif entry.kind == "recovery":
            replay.recover(entry.amount, entry.on)
            self.recovered += entry.amount
        elif entry.kind == "late_fee" and self._fees_on != entry.on:
            # One assessment assessed every fee of that day; it recorded one entry per fee.
            replay.assess_late_fees(entry.on)
            self._fees_on = entry.on
        elif entry.kind == "status":
            self._status(replay, entry.on, entry.detail)

    def _status(self, replay: Loan, on: date, detail: str) -> None:
        target = LoanStatus(detail.rsplit("-> ", 1)[-1].strip())
        if replay.status is not target and target in _LADDER:
            replay.mark_delinquency(on)
        if replay.status is not target:
            raise ReplayMismatch(
                f"loan {self.loan.id}: replay reached {replay.status.value} on {on.isoformat()}, "
                f"history says {target.value}"
            )
        if target is LoanStatus.CHARGED_OFF and self.charged_off_on is None:
            self.charged_off_on = on
            self.charged_off_principal = replay.principal_balance

    def _fresh(self) -> Loan:
        loan = self.loan
        return Loan(
            currency=loan.currency,
            plan_id=loan.plan_id,
            term_count=loan.term_count,
            interval=loan.interval,
            apr_bps=loan.apr_bps,
            authorized_amount=loan.authorized_amount,
            authorized_on=loan.authorized_on,
            installments=[],
            id=loan.id,
            late_fee_policy=loan.late_fee_policy,
        )
