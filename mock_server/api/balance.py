"""The merchant's money: `/v1/balance`, `/v1/balance_transactions`, `/v1/payouts` and
`/v1/settlement_reports/{date}` (JSON, or CSV with `?format=csv` or `Accept: text/csv`)."""

from datetime import date
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from mock_server.api import present
from mock_server.api.balance_schemas import (
    Balance,
    BalanceTransaction,
    BalanceTransactionList,
    Payout,
    PayoutList,
    SettlementReport,
)
from mock_server.api.deferred_routes import DeferredRoute
from mock_server.api.deps import CallerDep, PageDep, SandboxDep
from mock_server.services import settlement_reads

__all__ = ["router"]

router = APIRouter(prefix="/v1", tags=["balance"], route_class=DeferredRoute)


@router.get("/balance", operation_id="balance-retrieve")
def get_balance(sandbox: SandboxDep, caller: CallerDep) -> Balance:
    """Available and pending balance per currency."""
    return present.balance(settlement_reads.get_balance(sandbox, caller))


@router.get("/balance_transactions", operation_id="balance-transactions-list")
def list_balance_transactions(
    sandbox: SandboxDep,
    caller: CallerDep,
    page: PageDep,
    type: Literal["capture", "refund", "payout", "payout_failure"] | None = None,
    loan: Annotated[str | None, Query(max_length=64)] = None,
    payout: Annotated[str | None, Query(max_length=64)] = None,
) -> BalanceTransactionList:
    """Balance transactions newest first, by type, loan or payout."""
    listing = settlement_reads.list_transactions(
        sandbox, caller, page.limit, page.starting_after, type, loan, payout
    )
    return present.balance_transaction_list(listing)


@router.get("/balance_transactions/{txn_id}", operation_id="balance-transactions-retrieve")
def get_balance_transaction(
    txn_id: str, sandbox: SandboxDep, caller: CallerDep
) -> BalanceTransaction:
    """One balance transaction."""
    return present.balance_transaction(settlement_reads.get_transaction(sandbox, caller, txn_id))


@router.get("/payouts", operation_id="payouts-list")
def list_payouts(
    sandbox: SandboxDep,
    caller: CallerDep,
    page: PageDep,
    status: Literal["in_transit", "paid", "failed"] | None = None,
) -> PayoutList:
    """Payouts newest first."""
    listing = settlement_reads.list_payouts(
        sandbox, caller, page.limit, page.starting_after, status
    )
    return present.payout_list(listing)


@router.get("/payouts/{payout_id}", operation_id="payouts-retrieve")
def get_payout(payout_id: str, sandbox: SandboxDep, caller: CallerDep) -> Payout:
    """One payout."""
    return present.payout(settlement_reads.get_payout(sandbox, caller, payout_id))


@router.get(
    "/settlement_reports/{day}",
    operation_id="settlement-reports-retrieve",
    response_model=SettlementReport,
    responses={200: {"content": {"text/csv": {}}}},
)
def get_settlement_report(
    day: date,
    request: Request,
    sandbox: SandboxDep,
    caller: CallerDep,
    format: Literal["json", "csv"] | None = None,
) -> Any:
    """A sandbox day's settlement report: JSON, or CSV (`?format=csv` or `Accept: text/csv`)."""
    wants_csv = format == "csv" or (
        format is None and "text/csv" in request.headers.get("accept", "")
    )
    if wants_csv:
        body = settlement_reads.settlement_report_csv(sandbox, caller, day)
        name = f"settlement_{day.isoformat()}.csv"
        return Response(
            body,
            media_type="text/csv",
            headers={"Content-Disposition": f'attachment; filename="{name}"'},
        )
    return present.settlement_report(settlement_reads.settlement_report(sandbox, caller, day))
