"""Loans: read (with lazy authorization expiry), capture, void, refund, pay.

Each operation loads the loan, runs one domain method (which refuses illegal transitions with a
code), saves `Loan.to_dict()` and appends the event, all in one transaction.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from mock_server.domain import InvalidTransition, Loan, LoanStatus
from mock_server.services.clock import merchant_now
from mock_server.services.context import Caller, Sandbox
from mock_server.services.errors import Conflict, NotFound
from mock_server.services.events import record_event
from mock_server.services.presenters import loan_object
from mock_server.services.settlement import record_capture, record_refund
from mock_server.storage.models import CheckoutRow, LoanRow
from mock_server.storage.repositories import LoanRepository

__all__ = ["capture_loan", "get_loan", "list_loans", "pay_loan", "refund_loan", "void_loan"]

# Event types for the statuses a loan can reach; entering one appends its event.
_STATUS_EVENTS = {
    LoanStatus.PAID_OFF: "loan.paid_off",
    LoanStatus.LATE: "loan.late",
    LoanStatus.DELINQUENT: "loan.delinquent",
    LoanStatus.CHARGED_OFF: "loan.charged_off",
    LoanStatus.ACTIVE: "loan.current",
}


def _load(session: Session, caller: Caller, loan_id: str, *, for_update: bool = False) -> LoanRow:
    row = LoanRepository(session, caller.merchant.id).get(loan_id, for_update=for_update)
    if row is None:
        raise NotFound("loan", loan_id, param="id")
    return row


def _save(row: LoanRow, loan: Loan) -> dict[str, Any]:
    row.data = loan.to_dict()
    row.status = loan.status.value
    return loan_object(row)


def _expire_if_due(
    session: Session, caller: Caller, row: LoanRow, loan: Loan, today: date, sandbox: Sandbox
) -> bool:
    if loan.status is not LoanStatus.AUTHORIZED or today < loan.authorization_expires_at:
        return False
    loan.expire(today)
    now = merchant_now(session, caller.merchant.id, sandbox.wall, row.test_clock_id)
    record_event(session, caller, "loan.expired", _save(row, loan), now)
    return True


def _operate(
    sandbox: Sandbox,
    caller: Caller,
    loan_id: str,
    event_type: str,
    action: Callable[[Loan, date], object],
    settle: Callable[[Session, LoanRow, Loan, datetime], None] | None = None,
) -> dict[str, Any]:
    """Run `action` on the loan as of the merchant's sandbox date and log `event_type`; `settle`
    moves the merchant's balance in the same transaction (services.settlement)."""
    refused: InvalidTransition | None = None
    with sandbox.db.transaction() as session:
        row = _load(session, caller, loan_id, for_update=True)
        if event_type == "loan.captured":
            require_merchant_authorized(session, row)
        now = merchant_now(session, caller.merchant.id, sandbox.wall, row.test_clock_id)
        today = now.date()
        loan = Loan.from_dict(row.data)
        _expire_if_due(session, caller, row, loan, today, sandbox)  # committed even if refused
        before = loan.status
        try:
            action(loan, max(today, loan.today))
        except InvalidTransition as exc:
            refused = exc
        else:
            obj = _save(row, loan)
            record_event(session, caller, event_type, obj, now)
            if settle is not None:
                settle(session, row, loan, now)
            status_event = _STATUS_EVENTS.get(loan.status)
            changed = loan.status is not before and before is not LoanStatus.AUTHORIZED
            if changed and status_event and event_type != status_event:
                record_event(session, caller, status_event, obj, now)
            return obj
    raise refused


def require_merchant_authorized(session: Session, row: LoanRow) -> None:
    """A loan the shopper applied for on the online hosted page is captured only after the
    merchant redeemed the token the page handed back (POST /v1/checkouts/{id}/authorize)."""
    checkout = session.scalars(select(CheckoutRow).where(CheckoutRow.id == row.checkout_id)).one()
    data = checkout.data
    online = data.get("channel", "online") == "online"
    if online and data.get("confirmed_on_page") and not data.get("merchant_authorized"):
        raise Conflict(
            f"checkout {checkout.id} was approved on the hosted page: authorize it with the "
            "token the page handed back (POST /v1/checkouts/{id}/authorize) before capturing",
            code="checkout_not_authorized",
        )


def get_loan(sandbox: Sandbox, caller: Caller, loan_id: str) -> dict[str, Any]:
    """One loan with schedule, balances and history."""
    with sandbox.db.transaction() as session:
        row = _load(session, caller, loan_id)
        loan = Loan.from_dict(row.data)
        today = merchant_now(session, caller.merchant.id, sandbox.wall, row.test_clock_id).date()
        _expire_if_due(session, caller, row, loan, today, sandbox)
        return loan_object(row)


def list_loans(
    sandbox: Sandbox,
    caller: Caller,
    limit: int,
    starting_after: str | None,
    status: str | None = None,
    customer: str | None = None,
) -> tuple[list[dict[str, Any]], bool]:
    """The merchant's loans, newest first."""
    filters = []
    if status:
        filters.append(LoanRow.status == status)
    if customer:
        filters.append(LoanRow.customer_id == customer)
    with sandbox.db.reader() as session:
        page = LoanRepository(session, caller.merchant.id).page(limit, starting_after, filters)
        if page is None:
            raise NotFound("loan", str(starting_after), param="starting_after")
        return [loan_object(r) for r in page.rows], page.has_more


def capture_loan(
    sandbox: Sandbox, caller: Caller, loan_id: str, amount: int | None
) -> dict[str, Any]:
    """Capture all or part of an authorization; the schedule starts today."""
    return _operate(
        sandbox,
        caller,
        loan_id,
        "loan.captured",
        lambda loan, on: loan.capture(amount, on),
        lambda session, row, loan, now: record_capture(
            session,
            row.merchant_id,
            caller.merchant.mdr_bps,
            row.id,
            loan.captured_amount,
            loan.currency,
            now,
        ),
    )


def void_loan(sandbox: Sandbox, caller: Caller, loan_id: str) -> dict[str, Any]:
    """Release an uncaptured authorization."""
    return _operate(sandbox, caller, loan_id, "loan.voided", lambda loan, on: loan.void(on))


def refund_loan(sandbox: Sandbox, caller: Caller, loan_id: str, amount: int) -> dict[str, Any]:
    """Refund part or all of a captured loan (re-amortizing what remains)."""
    return _operate(
        sandbox,
        caller,
        loan_id,
        "loan.refunded",
        lambda loan, on: loan.refund(amount, on),
        lambda session, row, loan, now: record_refund(
            session, row.merchant_id, row.id, amount, loan.currency, now
        ),
    )


def pay_loan(sandbox: Sandbox, caller: Caller, loan_id: str, amount: int) -> dict[str, Any]:
    """(sandbox) The customer pays `amount` now: fees, then interest, then principal; on a
    charged-off loan the payment is a recovery (the loan stays charged off)."""
    return _operate(
        sandbox,
        caller,
        loan_id,
        "loan.payment_succeeded",
        lambda loan, on: (
            loan.recover(amount, on)
            if loan.status is LoanStatus.CHARGED_OFF
            else loan.apply_payment(amount, on)
        ),
    )
