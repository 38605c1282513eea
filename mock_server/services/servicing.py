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

import gc
import threading
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, datetime, timedelta
from typing import Any, Final

from sqlalchemy import select
from sqlalchemy.orm import Session

from mock_server.services.checkouts import expire_if_due
from mock_server.services.clock import advance_clock, hold_clock, merchant_now
from mock_server.services.context import Caller, Sandbox
from mock_server.services.errors import InvalidRequest
from mock_server.services.loan_book import LoanBook, on_clock
from mock_server.services.loan_walk import (
    LATE_PAYER_DAYS,
    LoanEvent,
    LoanWalk,
    next_key_date,
    service_loan,
)
from mock_server.services.periodic import Occasion, agenda
from mock_server.services.presenters import iso
from mock_server.services.reviews import list_reviews
from mock_server.services.webhook_queue import cache_endpoints
from mock_server.storage.models import CheckoutRow

__all__ = [
    "LATE_PAYER_DAYS",
    "MAX_ADVANCE_DAYS",
    "LoanEvent",
    "LoanWalk",
    "advance",
    "advance_target",
    "collector_paused",
    "expire_checkouts",
    "next_key_date",
    "run_until",
    "service_loan",
]

MAX_ADVANCE_DAYS: Final = 3650


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


_PAUSES = threading.Lock()
_paused = [0, False]  # advances running with the collector paused; whether it was enabled


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while a clock advance runs (process-wide; it
    resumes, if it ran before, once the last advance running ends). An advance allocates
    hundreds of thousands of objects that live until it ends (the loans held, their events'
    objects), so the collector ran hundreds of times over them, a few of them full
    collections of the whole heap: ~14% of an advance over 1,000 loans. What is freed
    meanwhile is freed by reference counting as usual; only cyclic garbage (the advance's or
    other requests') waits for the first collection after the pause."""
    with _PAUSES:
        if _paused[0] == 0:
            _paused[1] = gc.isenabled()
            gc.disable()
        _paused[0] += 1
    try:
        yield
    finally:
        with _PAUSES:
            _paused[0] -= 1
            if _paused[0] == 0 and _paused[1]:
                gc.enable()


def advance(sandbox: Sandbox, caller: Caller, days: int | None, to: date | None) -> dict[str, Any]:
    """Move the merchant's sandbox time forward and let everything due happen."""
    with collector_paused(), sandbox.db.transaction() as session:
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
            on_clock(CheckoutRow.test_clock_id, test_clock),
        )
    ):
        expire_if_due(session, caller, checkout, target)


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
    book = LoanBook.load(session, sandbox, caller, start, target.date(), counts, test_clock)
    held = book.held
    periodic = sandbox.periodic if test_clock is None else []
    scratch: dict[str, Any] = {}  # periodic work's, from one of its dates to the next
    finishing: list[Callable[[], None]] = []  # what it leaves to the end of its dates
    for on, works in agenda(periodic, start, target.date()):
        book.service_due(on, target, store=any(work.reads_stored_loans for work in works))
        for work in works:
            work.run(
                Occasion(
                    session,
                    sandbox,
                    caller,
                    on,
                    target,
                    counts,
                    held,
                    book.keep_furnished,
                    scratch,
                    finishing,
                )
            )
    for finish in finishing:
        finish()
    book.service_all(target)
    return counts
