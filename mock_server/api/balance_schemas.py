"""Response models of the merchant's money: balance, balance transactions, payouts and
settlement reports (the routes are in api/balance.py)."""

from typing import Literal

from mock_server.api.schemas import ApiModel, ObjectBase

__all__ = [
    "Balance",
    "BalanceAmount",
    "BalanceTransaction",
    "BalanceTransactionList",
    "Payout",
    "PayoutList",
    "SettlementReport",
    "SettlementSummary",
]


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
