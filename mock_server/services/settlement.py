"""Settlement: the merchant's balance, its balance transactions and daily payouts.

- A capture credits the merchant with the captured amount less the discount fee: `mdr_bps` of
  the amount, rounded half up to the minor unit (the rate includes what the merchant's 0%
  promotions cost, see services.merchants.required_mdr_bps). The credit is `pending` until
  `SETTLEMENT_DELAY_DAYS` (2) sandbox days after the capture, then `available`.
- A refund debits the refunded amount at once; the discount fee is not returned (as card
  processors do). A void releases an authorization that was never captured, so nothing was
  credited and nothing moves.
- Each sandbox day (the clock's periodic seam, services.merchant_clock), an `active` merchant's
  available balance, if positive, is paid out to its bank account: a `payout` transaction debits
  it and the payout is `in_transit` until the next day, when it is `paid`, or `failed` (the magic
  account `000111111116`): then a `payout_failure` transaction returns the money and the merchant
  is `restricted` until it gives another account; the next daily payout retries.

So for every merchant, at any time: payouts (in transit or paid) + available + pending =
captured - fees - refunds.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta
from typing import Any, Final

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from mock_server.ids import new_id
from mock_server.services.objects import (
    BalanceTransactionObject,
    PayoutObject,
    SettlementSummaryObject,
)
from mock_server.services.presenters import iso
from mock_server.storage.models import BalanceTransactionRow, MerchantRow, PayoutRow

__all__ = [
    "SETTLEMENT_DELAY_DAYS",
    "balance_amounts",
    "discount_fee",
    "payout_object",
    "record_capture",
    "record_refund",
    "transaction_object",
]

SETTLEMENT_DELAY_DAYS: Final = 2


def discount_fee(amount: int, mdr_bps: int) -> int:
    """The discount fee on a captured amount: `mdr_bps` basis points, rounded half up."""
    return (amount * mdr_bps + 5_000) // 10_000


def _add(
    session: Session,
    merchant_id: str,
    type_: str,
    amount: int,
    fee: int,
    currency: str,
    source: str,
    now: datetime,
    available_on: date,
    description: str,
    *,
    loan_id: str | None = None,
    payout_id: str | None = None,
) -> BalanceTransactionRow:
    row = BalanceTransactionRow.new(
        id=new_id("txn"),
        merchant_id=merchant_id,
        created=now,
        type=type_,
        amount=amount,
        fee=fee,
        net=amount - fee,
        currency=currency,
        source=source,
        loan_id=loan_id,
        payout_id=payout_id,
        available_on=available_on,
        description=description,
    )
    session.add(row)
    return row


def record_capture(
    session: Session,
    merchant_id: str,
    mdr_bps: int,
    loan_id: str,
    amount: int,
    currency: str,
    now: datetime,
) -> None:
    """Credit a capture less its discount fee, available after the settlement delay."""
    fee = discount_fee(amount, mdr_bps)
    available_on = now.date() + timedelta(days=SETTLEMENT_DELAY_DAYS)
    description = f"capture of {loan_id} less {mdr_bps} bps discount fee"
    _add(session, merchant_id, "capture", amount, fee, currency, loan_id, now, available_on,
         description, loan_id=loan_id)  # fmt: skip


def record_refund(
    session: Session, merchant_id: str, loan_id: str, amount: int, currency: str, now: datetime
) -> None:
    """Debit a refund at once (the discount fee is not returned)."""
    _add(session, merchant_id, "refund", -amount, 0, currency, loan_id, now, now.date(),
         f"refund on {loan_id}", loan_id=loan_id)  # fmt: skip


def balance_amounts(session: Session, merchant_id: str, today: date) -> dict[str, dict[str, int]]:
    """Per currency: `available` (net available on or before today, less payouts) and
    `pending` (net not yet available)."""
    # Grouped by the plain date and split in Python: PostgreSQL refuses a GROUP BY on
    # `available_on <= :today` when the select list binds its own copy of `today`.
    rows = session.execute(
        select(
            BalanceTransactionRow.currency,
            BalanceTransactionRow.available_on,
            func.sum(BalanceTransactionRow.net),
        )
        .where(BalanceTransactionRow.merchant_id == merchant_id)
        .group_by(BalanceTransactionRow.currency, BalanceTransactionRow.available_on)
    ).all()
    out: dict[str, dict[str, int]] = {}
    for currency, available_on, total in rows:
        sums = out.setdefault(str(currency), {"available": 0, "pending": 0})
        sums["available" if available_on <= today else "pending"] += int(total or 0)
    return out


def settle_payouts(
    session: Session, merchant: MerchantRow, on: date, now: datetime
) -> list[tuple[str, PayoutRow]]:
    """The bank's answers for payouts arriving on `on`; answer (event type, payout) for each."""
    changed = []
    arriving = session.scalars(
        select(PayoutRow).where(
            PayoutRow.merchant_id == merchant.id,
            PayoutRow.status == "in_transit",
            PayoutRow.arrival_date <= on,
        )
    ).all()
    for payout in arriving:
        if payout.fails_with:
            payout.status, payout.failure_code = "failed", payout.fails_with
            _add(session, merchant.id, "payout_failure", payout.amount, 0, payout.currency,
                 payout.id, now, on, f"payout {payout.id} returned: {payout.fails_with}",
                 payout_id=payout.id)  # fmt: skip
            merchant.verification = {
                **merchant.verification,
                "payout_failure": {"payout": payout.id, "code": payout.fails_with},
            }
            changed.append(("payout.failed", payout))
        else:
            payout.status = "paid"
            changed.append(("payout.paid", payout))
    return changed


def create_payouts(
    session: Session, merchant: MerchantRow, on: date, now: datetime
) -> list[PayoutRow]:
    """Pay out each currency's positive available balance to the merchant's bank account."""
    from mock_server.kyb import payout_failure_for  # KYB loads at first use, not at start

    account = merchant.application.get("bank_account") or {}
    created = []
    for currency, sums in sorted(balance_amounts(session, merchant.id, on).items()):
        if sums["available"] <= 0:
            continue
        payout = PayoutRow(
            id=new_id("po"),
            merchant_id=merchant.id,
            created=now,
            amount=sums["available"],
            currency=currency,
            status="in_transit",
            arrival_date=on + timedelta(days=1),
            bank_last4=_last4(account),
            failure_code=None,
            fails_with=payout_failure_for(account),
        )
        session.add(payout)
        _add(session, merchant.id, "payout", -payout.amount, 0, currency, payout.id, now, on,
             f"daily payout {payout.id}", payout_id=payout.id)  # fmt: skip
        created.append(payout)
    return created


def _last4(account: dict[str, Any]) -> str | None:
    number = str(account.get("account_number") or account.get("iban") or "")
    digits = "".join(ch for ch in number if ch.isalnum())
    return digits[-4:] or None


def payout_object(row: PayoutRow) -> PayoutObject:
    """A payout as the API shows it."""
    messages = {"no_account": "the bank account does not exist or was closed"}
    return {
        "id": row.id,
        "object": "payout",
        "created": iso(row.created),
        "livemode": False,
        "amount": row.amount,
        "currency": row.currency,
        "status": row.status,
        "arrival_date": row.arrival_date.isoformat(),
        "bank_account_last4": row.bank_last4,
        "failure_code": row.failure_code,
        "failure_message": messages.get(row.failure_code or "") if row.failure_code else None,
    }


def transaction_object(row: BalanceTransactionRow, today: date) -> BalanceTransactionObject:
    """A balance transaction as the API shows it (`status` as of the merchant's today)."""
    return {
        "id": row.id,
        "object": "balance_transaction",
        "created": iso(row.created),
        "livemode": False,
        "type": row.type,
        "amount": row.amount,
        "fee": row.fee,
        "net": row.net,
        "currency": row.currency,
        "status": "available" if row.available_on <= today else "pending",
        "available_on": row.available_on.isoformat(),
        "source": row.source,
        "loan": row.loan_id,
        "payout": row.payout_id,
        "description": row.description,
    }


def summarize(rows: Sequence[BalanceTransactionRow]) -> SettlementSummaryObject:
    """The sums of a day's transactions, as a settlement report shows them."""
    captures = [r for r in rows if r.type == "capture"]
    refunds = [r for r in rows if r.type == "refund"]
    return {
        "captures": len(captures),
        "captured": sum(r.amount for r in captures),
        "fees": sum(r.fee for r in rows),
        "refunds": len(refunds),
        "refunded": -sum(r.amount for r in refunds),
        "net_settled": sum(r.net for r in captures + refunds),
        "paid_out": -sum(r.amount for r in rows if r.type == "payout"),
        "payouts_returned": sum(r.amount for r in rows if r.type == "payout_failure"),
    }
