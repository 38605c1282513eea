"""The merchant's money: balance, balance transactions, payouts and settlement reports."""

from __future__ import annotations

from pydantic import Field

from .._models import BaseModel, InstalloObject, OpenEnum

__all__ = [
    "Balance",
    "BalanceAmount",
    "BalanceTransaction",
    "BalanceTransactionType",
    "Payout",
    "PayoutStatus",
    "SettlementReport",
    "SettlementSummary",
]


class BalanceAmount(BaseModel):
    """An amount (minor units) in one currency."""

    amount: int
    currency: str


class Balance(BaseModel):
    """What the merchant is owed: `available` (paid out daily) and `pending` (settling)."""

    object: str = "balance"
    livemode: bool = False
    available: list[BalanceAmount] = Field(default_factory=list)
    pending: list[BalanceAmount] = Field(default_factory=list)
    settlement_delay_days: int | None = None


class BalanceTransactionType(OpenEnum):
    """What moved the balance."""

    CAPTURE = "capture"
    REFUND = "refund"
    PAYOUT = "payout"
    PAYOUT_FAILURE = "payout_failure"


class BalanceTransaction(InstalloObject):
    """One movement of the balance: `net` = `amount` - `fee`, linked to its loan or payout."""

    type: BalanceTransactionType
    amount: int
    fee: int
    net: int
    currency: str
    status: str
    available_on: str
    source: str
    loan: str | None = None
    payout: str | None = None
    description: str | None = None


class PayoutStatus(OpenEnum):
    """Where a payout stands."""

    IN_TRANSIT = "in_transit"
    PAID = "paid"
    FAILED = "failed"


class Payout(InstalloObject):
    """A payout of the available balance to the merchant's bank account."""

    amount: int
    currency: str
    status: PayoutStatus
    arrival_date: str
    bank_account_last4: str | None = None
    failure_code: str | None = None
    failure_message: str | None = None


class SettlementSummary(BaseModel):
    """A day's sums (minor units)."""

    captures: int
    captured: int
    fees: int
    refunds: int
    refunded: int
    net_settled: int
    paid_out: int
    payouts_returned: int


class SettlementReport(BaseModel):
    """One sandbox day's balance transactions and their sums."""

    object: str = "settlement_report"
    livemode: bool = False
    date: str
    currency: str
    summary: SettlementSummary
    transactions: list[BalanceTransaction] = Field(default_factory=list)
