"""`/v1/loans`: read, capture, void, refund, pay."""

from typing import Annotated, Literal

from fastapi import APIRouter, Body, Query

from mock_server.api import present
from mock_server.api.bodies import CaptureRequest, PaymentRequest, RefundRequest
from mock_server.api.deps import CallerDep, PageDep, SandboxDep
from mock_server.api.links import LOAN_CAPTURED
from mock_server.api.routes import BoundedWorkRoute
from mock_server.api.schemas import Loan, LoanList
from mock_server.services import loans

__all__ = ["router"]

router = APIRouter(prefix="/v1/loans", tags=["loans"], route_class=BoundedWorkRoute)

LoanStatusFilter = Literal[
    "authorized",
    "active",
    "late",
    "delinquent",
    "charged_off",
    "paid_off",
    "voided",
    "expired",
    "refunded",
]


@router.get("", operation_id="loans-list")
def list_(
    sandbox: SandboxDep,
    caller: CallerDep,
    page: PageDep,
    status: Annotated[LoanStatusFilter | None, Query(description="only this status")] = None,
    customer: Annotated[str | None, Query(max_length=64, description="only this customer")] = None,
) -> LoanList:
    """The merchant's loans, newest first."""
    listing = loans.list_loans(sandbox, caller, page.limit, page.starting_after, status, customer)
    return present.loan_list(listing)


@router.get("/{loan_id}", operation_id="loans-retrieve")
def retrieve(loan_id: str, sandbox: SandboxDep, caller: CallerDep) -> Loan:
    """One loan with its schedule, balance and history."""
    return present.loan(loans.get_loan(sandbox, caller, loan_id))


@router.post(
    "/{loan_id}/capture",
    operation_id="loans-capture",
    responses={200: {"description": "The captured loan", "links": LOAN_CAPTURED}},
)
def capture(
    loan_id: str,
    sandbox: SandboxDep,
    caller: CallerDep,
    body: Annotated[CaptureRequest | None, Body()] = None,
) -> Loan:
    """Settle the authorization, fully (no amount) or partially; the schedule starts today."""
    amount = body.amount if body is not None else None
    return present.loan(loans.capture_loan(sandbox, caller, loan_id, amount))


@router.post("/{loan_id}/void", operation_id="loans-void")
def void(loan_id: str, sandbox: SandboxDep, caller: CallerDep) -> Loan:
    """Release an uncaptured authorization."""
    return present.loan(loans.void_loan(sandbox, caller, loan_id))


@router.post("/{loan_id}/refunds", operation_id="loans-refund")
def refund(loan_id: str, body: RefundRequest, sandbox: SandboxDep, caller: CallerDep) -> Loan:
    """Refund part or all of a captured loan; the rest is re-amortized."""
    return present.loan(loans.refund_loan(sandbox, caller, loan_id, body.amount))


@router.post("/{loan_id}/payments", operation_id="loans-pay")
def pay(loan_id: str, body: PaymentRequest, sandbox: SandboxDep, caller: CallerDep) -> Loan:
    """(sandbox) The customer pays now: fees, then interest, then principal. On a charged-off
    loan the payment is a recovery: it is collected and the loan stays charged off."""
    return present.loan(loans.pay_loan(sandbox, caller, loan_id, body.amount))
