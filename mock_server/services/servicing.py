"""Advancing a merchant's sandbox clock: autopay by each customer's behaviour, late fees,
delinquency, expired authorizations and checkouts, overdue reviews; events as it goes.

An advance never walks days. Each loan is walked through the dates that matter between the old
and the new sandbox date: installment due dates (on-time and partial payers pay then, defaulters
fail), the day after each grace period (late fees and the delinquency ladder), late payers'
payment days, the ladder's thresholds, and the new date. Periodic work (month-ends, day
boundaries) plugs in through `services.periodic`; the loans stop only at its dates.

The schedule (behaviour is fixed per customer by persona tier and sandbox seed):
- `on_time` pays everything owed on each installment's due date; `partial` pays half of what
  is owed then; `late` pays everything owed `LATE_PAYER_DAYS` (15) days after each due date;
  `default` never pays (`loan.payment_failed` on the due date of each installment still owed).
- An installment unpaid past the grace period (10 days) draws one late fee (USD 7.00, capped at
  25% of the captured amount) and the loan goes `late`.
- 30 days past the oldest unpaid due date: `delinquent`; 120 days: `charged_off` (final).
- A loan brought current returns to `active` (`loan.current`); the last payment closes it
  (`loan.paid_off`). An authorization not captured within 30 days expires (`loan.expired`).
- Advancing `to` the sandbox date itself changes nothing (an idempotent no-op); each day is
  serviced once, so the same period is never charged twice.
"""

from __future__ import annotations

import heapq
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any, Final

from sqlalchemy import select
from sqlalchemy.orm import Session

from mock_server.domain import Loan
from mock_server.risk.identity import Identity
from mock_server.risk.personas import person_for_identity
from mock_server.services.checkouts import expire_if_due
from mock_server.services.clock import advance_clock, hold_clock, merchant_now
from mock_server.services.context import Caller, Sandbox
from mock_server.services.errors import InvalidRequest
from mock_server.services.events import record_events
from mock_server.services.loan_walk import LATE_PAYER_DAYS, LoanEvent, next_key_date, service_loan
from mock_server.services.periodic import Occasion, agenda, event_time
from mock_server.services.presenters import iso, loan_object
from mock_server.services.reviews import list_reviews
from mock_server.services.webhooks import cache_endpoints
from mock_server.storage.models import CheckoutRow, CustomerRow, LoanRow

__all__ = [
    "LATE_PAYER_DAYS",
    "MAX_ADVANCE_DAYS",
    "LoanEvent",
    "advance",
    "advance_target",
    "expire_checkouts",
    "next_key_date",
    "run_until",
    "service_loan",
]

MAX_ADVANCE_DAYS: Final = 3650
_OPEN = ("authorized", "active", "late", "delinquent")


def advance_target(before: datetime, days: int | None, to: date | None) -> datetime:
    """Where an advance by `days` or `to` a date lands from `before` (checked)."""
    if (days is None) == (to is None):
        raise InvalidRequest("give exactly one of days or to", param="days")
    if days is not None:
        if not 1 <= days <= MAX_ADVANCE_DAYS:
            raise InvalidRequest(f"days must be 1 to {MAX_ADVANCE_DAYS}", param="days")
        return before + timedelta(days=days)
    assert to is not None
    target = datetime.combine(to, before.timetz())
    if target == before:
        return before  # already there: nothing to do
    if not before < target <= before + timedelta(days=MAX_ADVANCE_DAYS):
        raise InvalidRequest(
            f"to must be on or after the sandbox date {before.date().isoformat()} and within "
            f"{MAX_ADVANCE_DAYS} days",
            param="to",
        )
    return target


def advance(sandbox: Sandbox, caller: Caller, days: int | None, to: date | None) -> dict[str, Any]:
    """Move the merchant's sandbox time forward and let everything due happen."""
    with sandbox.db.transaction() as session:
        hold_clock(session, caller.merchant.id)  # one advance at a time, across processes
        before = merchant_now(session, caller.merchant.id, sandbox.wall)
        target = advance_target(before, days, to)
        advance_clock(session, caller.merchant.id, target - before)
        counts = run_until(session, sandbox, caller, before.date(), target)
        expire_checkouts(session, caller, target)
    list_reviews(sandbox, 1, None, "pending")  # fires overdue reviews' timers
    return {"object": "sandbox_clock", "now": iso(target), "events": dict(counts)}


def expire_checkouts(
    session: Session, caller: Caller, target: datetime, test_clock: str | None = None
) -> None:
    """Expire the open checkouts on one clock (the merchant's, or a test clock's) due by
    `target`."""
    for checkout in session.scalars(
        select(CheckoutRow).where(
            CheckoutRow.merchant_id == caller.merchant.id,
            CheckoutRow.status == "open",
            _on_clock(CheckoutRow.test_clock_id, test_clock),
        )
    ):
        expire_if_due(session, caller, checkout, target)


def _on_clock(column: Any, test_clock: str | None) -> Any:
    """Rows on this test clock, or (None) the rows no test clock holds."""
    return column.is_(None) if test_clock is None else column == test_clock


def run_until(
    session: Session,
    sandbox: Sandbox,
    caller: Caller,
    start: date,
    target: datetime,
    test_clock: str | None = None,
) -> Counter[str]:
    """Service the merchant's open loans from sandbox date `start` to `target`, jumping from key
    date to key date, and run the registered periodic work (`sandbox.periodic`, see
    `services.periodic`) on each of its dates once the loans stand as of that date's close.
    With `test_clock`, only that clock's loans are serviced and no periodic work runs (it is
    the merchant's, on the merchant's clock). Answer how many events of each type were
    recorded."""
    counts: Counter[str] = Counter()
    cache_endpoints(session)  # thousands of events, one endpoint lookup
    book = _LoanBook.load(session, sandbox, caller, start, counts, test_clock)
    periodic = sandbox.periodic if test_clock is None else []
    for on, works in agenda(periodic, start, target.date()):
        book.service_due(on, target)
        for work in works:
            work.run(Occasion(session, sandbox, caller, on, target, counts))
    book.service_all(target)
    return counts


@dataclass(slots=True)
class _Account:
    """One open loan while the clock runs: its row, its domain object and how far it got."""

    row: LoanRow
    loan: Loan
    behaviour: str
    through: date


@dataclass(slots=True)
class _LoanBook:
    """The merchant's open loans in memory, with a queue of the next date each has work on."""

    session: Session
    caller: Caller
    accounts: list[_Account]
    counts: Counter[str]
    queue: list[tuple[date, int]] = field(default_factory=list)
    pending: list[tuple[str, dict[str, Any], datetime]] = field(default_factory=list)

    @classmethod
    def load(
        cls,
        session: Session,
        sandbox: Sandbox,
        caller: Caller,
        start: date,
        counts: Counter[str],
        test_clock: str | None = None,
    ) -> _LoanBook:
        """Read the open loans on one clock and each customer's repayment behaviour."""
        rows = session.scalars(
            select(LoanRow)
            .where(
                LoanRow.merchant_id == caller.merchant.id,
                LoanRow.status.in_(_OPEN),
                _on_clock(LoanRow.test_clock_id, test_clock),
            )
            .order_by(LoanRow.seq)
            .with_for_update()  # a payment or refund in another process waits for the advance
        ).all()
        behaviours = _behaviours(session, sandbox, {row.customer_id for row in rows})
        accounts = [
            _Account(row, Loan.from_dict(row.data), behaviours[row.customer_id], start)
            for row in rows
        ]
        book = cls(session, caller, accounts, counts)
        if sandbox.periodic and test_clock is None:  # only needed to stop between dates
            for index in range(len(accounts)):
                book._schedule(index)
        return book

    def _schedule(self, index: int) -> None:
        account = self.accounts[index]
        upcoming = next_key_date(account.loan, account.behaviour, account.through)
        if upcoming is not None:
            heapq.heappush(self.queue, (upcoming, index))

    def service_due(self, on: date, target: datetime) -> None:
        """Service every loan with work on or before `on` through `on`, and store it."""
        while self.queue and self.queue[0][0] <= on:
            _, index = heapq.heappop(self.queue)
            self._service(self.accounts[index], on, target)
            self._schedule(index)
        self.record()

    def service_all(self, target: datetime) -> None:
        """Service every loan through the target date and store it."""
        for account in self.accounts:
            self._service(account, target.date(), target)
        self.record()

    def _service(self, account: _Account, on: date, target: datetime) -> None:
        row = account.row
        events = service_loan(account.loan, account.behaviour, account.through, on)
        account.through = on
        row.data, row.status = account.loan.to_dict(), account.loan.status.value
        for day, type_, snapshot in events:
            self.pending.append((type_, loan_object(row, snapshot), event_time(day, target)))
            self.counts[type_] += 1

    def record(self) -> None:
        """Write the events of the loans serviced so far, in one statement."""
        record_events(self.session, self.caller, self.pending)
        self.pending.clear()


def _behaviours(session: Session, sandbox: Sandbox, customer_ids: set[str]) -> dict[str, str]:
    """Each customer's repayment behaviour (fixed by persona tier and the sandbox seed)."""
    customers = session.scalars(select(CustomerRow).where(CustomerRow.id.in_(customer_ids)))
    seed = sandbox.settings.seed
    return {
        c.id: person_for_identity(seed, Identity.from_dict(c.data)).behaviour for c in customers
    }
