"""Advancing a merchant's sandbox clock: autopay by each customer's behaviour, late fees,
delinquency, expired authorizations and checkouts, overdue reviews; events as it goes.

Each loan is walked through the dates that matter between the old and the new sandbox date:
installment due dates (on-time and partial payers pay then, defaulters fail), the day after each
grace period (late fees and the delinquency ladder), late payers' payment days, the ladder's
thresholds, and the new date.

The schedule (behaviour is fixed per customer by persona tier and sandbox seed):
- `on_time` pays each installment in full on its due date; `partial` pays half of what is owed;
  `late` pays everything owed `LATE_PAYER_DAYS` (15) days after the due date; `default` never
  pays (`loan.payment_failed` on each due date).
- An installment unpaid past the grace period (10 days) draws one late fee (USD 7.00, capped at
  25% of the captured amount) and the loan goes `late`.
- 30 days past the oldest unpaid due date: `delinquent`; 120 days: `charged_off` (final).
- A loan brought current returns to `active` (`loan.current`); the last payment closes it
  (`loan.paid_off`). An authorization not captured within 30 days expires (`loan.expired`).
- Advancing `to` the sandbox date itself changes nothing (an idempotent no-op); each day is
  serviced once, so the same period is never charged twice.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any, Final

from sqlalchemy import select
from sqlalchemy.orm import Session

from mock_server.domain import InvalidTransition, Loan, LoanStatus
from mock_server.domain.ledger import due_lines
from mock_server.domain.states import CHARGE_OFF_DAYS, DELINQUENT_DAYS
from mock_server.risk.identity import Identity
from mock_server.risk.personas import person_for_identity
from mock_server.services.checkouts import expire_if_due
from mock_server.services.clock import advance_clock, merchant_now
from mock_server.services.context import Caller, Sandbox
from mock_server.services.errors import InvalidRequest
from mock_server.services.events import record_event
from mock_server.services.presenters import iso, loan_object
from mock_server.services.reviews import list_reviews
from mock_server.services.webhooks import cache_endpoints
from mock_server.storage.models import CheckoutRow, CustomerRow, LoanRow

__all__ = ["LATE_PAYER_DAYS", "MAX_ADVANCE_DAYS", "LoanEvent", "advance", "service_loan"]

MAX_ADVANCE_DAYS: Final = 3650
LATE_PAYER_DAYS: Final = 15
_OPEN = ("authorized", "active", "late", "delinquent")
LoanEvent = tuple[date, str, dict[str, Any]]
_STATUS_EVENTS: Final = {
    LoanStatus.LATE: "loan.late",
    LoanStatus.DELINQUENT: "loan.delinquent",
    LoanStatus.CHARGED_OFF: "loan.charged_off",
    LoanStatus.PAID_OFF: "loan.paid_off",
    LoanStatus.ACTIVE: "loan.current",
    LoanStatus.EXPIRED: "loan.expired",
}


@dataclass(slots=True)
class _Walk:
    """What happened to one loan, as (date, event type) in order."""

    loan: Loan
    events: list[LoanEvent] = field(default_factory=list)

    def emit(self, on: date, type_: str) -> None:
        self.events.append((on, type_, self.loan.to_dict()))

    def changed(self, on: date, before: LoanStatus) -> None:
        if self.loan.status is not before and self.loan.status in _STATUS_EVENTS:
            self.emit(on, _STATUS_EVENTS[self.loan.status])


def _key_dates(loan: Loan, behaviour: str, start: date, end: date) -> list[tuple[date, int, str]]:
    """Every date in (start, end] on which something may happen to the loan, in order (payments
    before assessments on the same day). An installment that fell due in an earlier advance still
    has its later dates here, so advancing in steps matches advancing at once."""
    grace = loan.late_fee_policy.grace_days
    dates: list[tuple[date, int, str]] = [(end, 2, "assess")]
    for inst in loan.installments:
        if inst.unpaid == 0 or inst.due_date > end:
            continue
        due = inst.due_date
        for days in (grace + 1, DELINQUENT_DAYS, CHARGE_OFF_DAYS):  # fee, then the ladder
            dates.append((due + timedelta(days=days), 2, "assess"))
        if behaviour == "late":
            dates.append((due + timedelta(days=LATE_PAYER_DAYS), 1, "pay"))
        elif behaviour == "default":
            dates.append((due, 1, "fail"))
        else:
            dates.append((due, 1, "pay_half" if behaviour == "partial" else "pay"))
    return sorted(d for d in set(dates) if start < d[0] <= end)


def service_loan(loan: Loan, behaviour: str, start: date, end: date) -> list[LoanEvent]:
    """Walk one loan from `start` to `end`; answer its events in order, each with the loan as
    it was right after."""
    walk = _Walk(loan)
    if loan.status is LoanStatus.AUTHORIZED:
        if end >= loan.authorization_expires_at:
            loan.expire(max(loan.authorization_expires_at, loan.today))
            walk.emit(loan.today, "loan.expired")
        return walk.events
    for day, _, action in _key_dates(loan, behaviour, start, end):
        if loan.status not in (LoanStatus.ACTIVE, LoanStatus.LATE, LoanStatus.DELINQUENT):
            break
        day = max(day, loan.today)
        before = loan.status
        if action == "assess":
            loan.assess_late_fees(day)
            loan.mark_delinquency(day)
        elif action == "fail":
            walk.emit(day, "loan.payment_failed")
            continue
        else:
            owed = sum(i.unpaid for i in due_lines(loan.installments, day))
            amount = owed // 2 if action == "pay_half" else owed
            if amount <= 0:
                continue
            try:
                loan.apply_payment(amount, day)
            except InvalidTransition:
                walk.emit(day, "loan.payment_failed")
                continue
            walk.emit(day, "loan.payment_succeeded")
        walk.changed(day, before)
    return walk.events


def _target(before: datetime, days: int | None, to: date | None) -> datetime:
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
        before = merchant_now(session, caller.merchant.id, sandbox.wall)
        target = _target(before, days, to)
        advance_clock(session, caller.merchant.id, target - before)
        counts = _service_loans(session, sandbox, caller, before.date(), target)
        for checkout in session.scalars(
            select(CheckoutRow).where(
                CheckoutRow.merchant_id == caller.merchant.id, CheckoutRow.status == "open"
            )
        ):
            expire_if_due(session, caller, checkout, target)
    list_reviews(sandbox, 1, None, "pending")  # fires overdue reviews' timers
    return {"object": "sandbox_clock", "now": iso(target), "events": counts}


def _service_loans(
    session: Session, sandbox: Sandbox, caller: Caller, start: date, target: datetime
) -> dict[str, int]:
    counts: dict[str, int] = {}
    cache_endpoints(session)  # thousands of events, one endpoint lookup
    loans = session.scalars(
        select(LoanRow)
        .where(LoanRow.merchant_id == caller.merchant.id, LoanRow.status.in_(_OPEN))
        .order_by(LoanRow.seq)
    ).all()
    behaviours: dict[str, str] = {}
    for row in loans:
        if row.customer_id not in behaviours:
            customer = session.scalars(
                select(CustomerRow).where(CustomerRow.id == row.customer_id)
            ).one()
            identity = Identity.from_dict(customer.data)
            behaviours[row.customer_id] = person_for_identity(
                sandbox.settings.seed, identity
            ).behaviour
        loan = Loan.from_dict(row.data)
        events = service_loan(loan, behaviours[row.customer_id], start, target.date())
        row.data, row.status = loan.to_dict(), loan.status.value
        for day, type_, snapshot in events:
            at = datetime.combine(day, time(target.hour, target.minute), tzinfo=target.tzinfo)
            record_event(session, caller, type_, loan_object(row, snapshot), min(at, target))
            counts[type_] = counts.get(type_, 0) + 1
    return counts
