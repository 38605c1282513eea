"""Loans: read (with lazy authorization expiry), capture, void, refund, pay.

Each operation loads the loan from its unit of work, runs one domain method (which refuses illegal
transitions with a code), saves `Loan.to_dict()` and appends the event, all in one transaction.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime

from sqlalchemy.orm import Session

from mock_server.domain import InvalidTransition, Loan, LoanStatus
from mock_server.services.context import Caller, Sandbox
from mock_server.services.errors import Conflict
from mock_server.services.objects import Listing, LoanObject
from mock_server.services.presenters import loan_read_model
from mock_server.services.settlement import record_capture, record_refund
from mock_server.services.unit_of_work import StoredLoan, UnitOfWork
from mock_server.storage.models import CheckoutRow, LoanRow

__all__ = ["capture_loan", "get_loan", "list_loans", "pay_loan", "refund_loan", "void_loan"]

# Event types for the statuses a loan can reach; entering one appends its event.
_STATUS_EVENTS = {
    LoanStatus.PAID_OFF: "loan.paid_off",
    LoanStatus.LATE: "loan.late",
    LoanStatus.DELINQUENT: "loan.delinquent",
    LoanStatus.CHARGED_OFF: "loan.charged_off",
    LoanStatus.ACTIVE: "loan.current",
}


def _expire_if_due(uow: UnitOfWork, stored: StoredLoan, today: date) -> bool:
    loan = stored.loan
    if loan.status is not LoanStatus.AUTHORIZED or today < loan.authorization_expires_at:
        return False
    loan.expire(today)
    stored.save()
    uow.record("loan.expired", loan_read_model(stored.row))
    return True


def _operate(
    sandbox: Sandbox,
    caller: Caller,
    loan_id: str,
    event_type: str,
    action: Callable[[Loan, date], object],
    settle: Callable[[Session, LoanRow, Loan, datetime], None] | None = None,
) -> LoanObject:
    """Run `action` on the loan as of the merchant's sandbox date and log `event_type`; `settle`
    moves the merchant's balance in the same transaction (services.settlement)."""
    refused: InvalidTransition | None = None
    with UnitOfWork(sandbox, caller) as uow:
        stored = uow.loans.get(loan_id, for_update=True)
        row, loan = stored.row, stored.loan
        if event_type == "loan.captured":
            require_merchant_authorized(uow.checkouts.get(row.checkout_id).row)
        uow.use_clock(row.test_clock_id)
        today = uow.now.date()
        _expire_if_due(uow, stored, today)  # committed even if refused
        before = loan.status
        try:
            action(loan, max(today, loan.today))
        except InvalidTransition as exc:
            refused = exc
        else:
            stored.save()
            obj = loan_read_model(row)
            uow.record(event_type, obj)
            if settle is not None:
                settle(uow.session, row, loan, uow.now)
            status_event = _STATUS_EVENTS.get(loan.status)
            changed = loan.status is not before and before is not LoanStatus.AUTHORIZED
            if changed and status_event and event_type != status_event:
                uow.record(status_event, obj)
            return obj
    raise refused


def require_merchant_authorized(checkout: CheckoutRow) -> None:
    """A loan the shopper applied for on the online hosted page (its `checkout`) is captured
    only after the merchant redeemed the token the page handed back (POST
    /v1/checkouts/{id}/authorize)."""
    data = checkout.data
    online = data.get("channel", "online") == "online"
    if online and data.get("confirmed_on_page") and not data.get("merchant_authorized"):
        raise Conflict(
            f"checkout {checkout.id} was approved on the hosted page: authorize it with the "
            "token the page handed back (POST /v1/checkouts/{id}/authorize) before capturing",
            code="checkout_not_authorized",
        )


def get_loan(sandbox: Sandbox, caller: Caller, loan_id: str) -> LoanObject:
    """One loan with schedule, balances and history."""
    with UnitOfWork(sandbox, caller) as uow:
        stored = uow.loans.get(loan_id)
        uow.use_clock(stored.row.test_clock_id)
        _expire_if_due(uow, stored, uow.now.date())
        return loan_read_model(stored.row)


def list_loans(
    sandbox: Sandbox,
    caller: Caller,
    limit: int,
    starting_after: str | None,
    status: str | None = None,
    customer: str | None = None,
) -> Listing[LoanObject]:
    """The merchant's loans, newest first."""
    with UnitOfWork(sandbox, caller, read_only=True) as uow:
        page = uow.loans.page(limit, starting_after, status=status, customer=customer)
        return Listing([loan_read_model(r) for r in page.rows], page.has_more)


def capture_loan(sandbox: Sandbox, caller: Caller, loan_id: str, amount: int | None) -> LoanObject:
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


def void_loan(sandbox: Sandbox, caller: Caller, loan_id: str) -> LoanObject:
    """Release an uncaptured authorization."""
    return _operate(sandbox, caller, loan_id, "loan.voided", lambda loan, on: loan.void(on))


def refund_loan(sandbox: Sandbox, caller: Caller, loan_id: str, amount: int) -> LoanObject:
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


def pay_loan(sandbox: Sandbox, caller: Caller, loan_id: str, amount: int) -> LoanObject:
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
