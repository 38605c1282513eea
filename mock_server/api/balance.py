"""The merchant's money: `/v1/balance`, `/v1/balance_transactions`, `/v1/payouts` and
`/v1/settlement_reports/{date}` (JSON, or CSV with `?format=csv` or `Accept: text/csv`)."""

from datetime import date
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from mock_server.api.deps import CallerDep, PageDep, SandboxDep
from mock_server.api.schemas import ApiModel, ObjectBase
from mock_server.services import settlement_reads

__all__ = ["router"]

router = APIRouter(prefix="/v1", tags=["balance"])


class BalanceAmount(ApiModel):
    """An amount in one currency."""

    amount: int
    currency: str


class Balance(ApiModel):
    """What the merchant is owed: available now (paid out daily) and pending."""

    object: Literal["balance"] = "balance"
    livemode: bool = False
    available: list[BalanceAmount]
    pending: list[BalanceAmount]
    settlement_delay_days: int


class BalanceTransaction(ObjectBase):
    """One movement of the balance, linked to its loan (captures, refunds) or payout."""

    object: Literal["balance_transaction"] = "balance_transaction"
    type: Literal["capture", "refund", "payout", "payout_failure"]
    amount: int
    fee: int
    net: int
    currency: str
    status: Literal["pending", "available"]
    available_on: str
    source: str
    loan: str | None
    payout: str | None
    description: str


class BalanceTransactionList(ApiModel):
    """A page of balance transactions."""

    object: Literal["list"] = "list"
    data: list[BalanceTransaction]
    has_more: bool


class Payout(ObjectBase):
    """A payout of the available balance to the merchant's bank account."""

    object: Literal["payout"] = "payout"
    amount: int
    currency: str
    status: Literal["in_transit", "paid", "failed"]
    arrival_date: str
    bank_account_last4: str | None
    failure_code: str | None
    failure_message: str | None


class PayoutList(ApiModel):
    """A page of payouts."""

    object: Literal["list"] = "list"
    data: list[Payout]
    has_more: bool


class SettlementSummary(ApiModel):
    """The day's sums."""

    captures: int
    captured: int
    fees: int
    refunds: int
    refunded: int
    net_settled: int
    paid_out: int
    payouts_returned: int


class SettlementReport(ApiModel):
    """One sandbox day's balance transactions and their sums."""

    object: Literal["settlement_report"] = "settlement_report"
    livemode: bool = False
    date: str
    currency: str
    summary: SettlementSummary
    transactions: list[BalanceTransaction]


def _page(data: list[dict[str, Any]], has_more: bool) -> dict[str, Any]:
    return {"data": data, "has_more": has_more}


@router.get("/balance", operation_id="balance-retrieve")
def get_balance(sandbox: SandboxDep, caller: CallerDep) -> Balance:
    """Available and pending balance per currency."""
    return Balance.model_validate(settlement_reads.get_balance(sandbox, caller))


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
    data, more = settlement_reads.list_transactions(
        sandbox, caller, page.limit, page.starting_after, type, loan, payout
    )
    return BalanceTransactionList.model_validate(_page(data, more))


@router.get("/balance_transactions/{txn_id}", operation_id="balance-transactions-retrieve")
def get_balance_transaction(
    txn_id: str, sandbox: SandboxDep, caller: CallerDep
) -> BalanceTransaction:
    """One balance transaction."""
    return BalanceTransaction.model_validate(
        settlement_reads.get_transaction(sandbox, caller, txn_id)
    )


@router.get("/payouts", operation_id="payouts-list")
def list_payouts(
    sandbox: SandboxDep,
    caller: CallerDep,
    page: PageDep,
    status: Literal["in_transit", "paid", "failed"] | None = None,
) -> PayoutList:
    """Payouts newest first."""
    data, more = settlement_reads.list_payouts(
        sandbox, caller, page.limit, page.starting_after, status
    )
    return PayoutList.model_validate(_page(data, more))


@router.get("/payouts/{payout_id}", operation_id="payouts-retrieve")
def get_payout(payout_id: str, sandbox: SandboxDep, caller: CallerDep) -> Payout:
    """One payout."""
    return Payout.model_validate(settlement_reads.get_payout(sandbox, caller, payout_id))


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
    return SettlementReport.model_validate(settlement_reads.settlement_report(sandbox, caller, day))
