"""Reading the merchant's money: balance, balance transactions, payouts, daily settlement
reports (JSON or CSV)."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, Final

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import Session

from mock_server.services.clock import merchant_now
from mock_server.services.context import Caller, Sandbox
from mock_server.services.errors import NotFound
from mock_server.services.objects import (
    BalanceObject,
    BalanceTransactionObject,
    Listing,
    PayoutObject,
    SettlementReportObject,
)
from mock_server.services.settlement import (
    SETTLEMENT_DELAY_DAYS,
    balance_amounts,
    payout_object,
    summarize,
    transaction_object,
)
from mock_server.storage.models import BalanceTransactionRow, PayoutRow

__all__ = [
    "REPORT_COLUMNS",
    "get_balance",
    "get_payout",
    "get_transaction",
    "list_payouts",
    "list_transactions",
    "settlement_report",
    "settlement_report_csv",
]

REPORT_COLUMNS: Final = (
    "id", "created", "type", "source", "loan", "payout", "amount", "fee", "net", "currency",
    "available_on", "description",
)  # fmt: skip


def _today(session: Session, sandbox: Sandbox, caller: Caller) -> date:
    return merchant_now(session, caller.merchant.id, sandbox.wall).date()


def get_balance(sandbox: Sandbox, caller: Caller) -> BalanceObject:
    """The merchant's balance per currency: available now and pending."""
    with sandbox.db.reader() as session:
        sums = balance_amounts(session, caller.merchant.id, _today(session, sandbox, caller))
    currencies = sorted(sums) or [caller.merchant.currency]
    return {
        "object": "balance",
        "livemode": False,
        "available": [{"amount": sums.get(c, {}).get("available", 0), "currency": c}
                      for c in currencies],
        "pending": [{"amount": sums.get(c, {}).get("pending", 0), "currency": c}
                    for c in currencies],
        "settlement_delay_days": SETTLEMENT_DELAY_DAYS,
    }  # fmt: skip


def _page(
    session: Session,
    model: type[BalanceTransactionRow] | type[PayoutRow],
    merchant_id: str,
    limit: int,
    starting_after: str | None,
    filters: list[ColumnElement[bool]],
) -> tuple[list[Any], bool]:
    query = select(model).where(model.merchant_id == merchant_id, *filters)
    if starting_after is not None:
        cursor = session.scalars(
            select(model.seq).where(model.id == starting_after, model.merchant_id == merchant_id)
        ).first()
        if cursor is None:
            raise NotFound(model.__tablename__.rstrip("s"), starting_after, param="starting_after")
        query = query.where(model.seq < cursor)
    rows = list(session.scalars(query.order_by(model.seq.desc()).limit(limit + 1)))
    return rows[:limit], len(rows) > limit


def list_transactions(
    sandbox: Sandbox,
    caller: Caller,
    limit: int,
    starting_after: str | None,
    type_: str | None = None,
    loan: str | None = None,
    payout: str | None = None,
) -> Listing[BalanceTransactionObject]:
    """The merchant's balance transactions, newest first, by type, loan or payout."""
    filters: list[ColumnElement[bool]] = []
    if type_:
        filters.append(BalanceTransactionRow.type == type_)
    if loan:
        filters.append(BalanceTransactionRow.loan_id == loan)
    if payout:
        filters.append(BalanceTransactionRow.payout_id == payout)
    with sandbox.db.reader() as session:
        today = _today(session, sandbox, caller)
        rows, more = _page(session, BalanceTransactionRow, caller.merchant.id, limit,
                           starting_after, filters)  # fmt: skip
        return Listing([transaction_object(r, today) for r in rows], more)


def get_transaction(sandbox: Sandbox, caller: Caller, txn_id: str) -> BalanceTransactionObject:
    """One balance transaction."""
    with sandbox.db.reader() as session:
        row = session.scalars(
            select(BalanceTransactionRow).where(
                BalanceTransactionRow.id == txn_id,
                BalanceTransactionRow.merchant_id == caller.merchant.id,
            )
        ).first()
        if row is None:
            raise NotFound("balance_transaction", txn_id, param="id")
        return transaction_object(row, _today(session, sandbox, caller))


def list_payouts(
    sandbox: Sandbox, caller: Caller, limit: int, starting_after: str | None,
    status: str | None = None,
) -> Listing[PayoutObject]:  # fmt: skip
    """The merchant's payouts, newest first."""
    filters: list[ColumnElement[bool]] = [PayoutRow.status == status] if status else []
    with sandbox.db.reader() as session:
        rows, more = _page(session, PayoutRow, caller.merchant.id, limit, starting_after, filters)
        return Listing([payout_object(r) for r in rows], more)


def get_payout(sandbox: Sandbox, caller: Caller, payout_id: str) -> PayoutObject:
    """One payout."""
    with sandbox.db.reader() as session:
        row = session.scalars(
            select(PayoutRow).where(
                PayoutRow.id == payout_id, PayoutRow.merchant_id == caller.merchant.id
            )
        ).first()
        if row is None:
            raise NotFound("payout", payout_id, param="id")
        return payout_object(row)


def _day_rows(session: Session, merchant_id: str, day: date) -> list[BalanceTransactionRow]:
    lower = datetime.combine(day, time(0), tzinfo=UTC)
    upper = lower + timedelta(days=1)
    return list(
        session.scalars(
            select(BalanceTransactionRow)
            .where(
                BalanceTransactionRow.merchant_id == merchant_id,
                BalanceTransactionRow.created >= lower,
                BalanceTransactionRow.created < upper,
            )
            .order_by(BalanceTransactionRow.seq)
        )
    )


def settlement_report(sandbox: Sandbox, caller: Caller, day: date) -> SettlementReportObject:
    """The day's settlement (sandbox date, UTC): every balance transaction and their sums."""
    with sandbox.db.reader() as session:
        today = _today(session, sandbox, caller)
        rows = _day_rows(session, caller.merchant.id, day)
        return {
            "object": "settlement_report",
            "livemode": False,
            "date": day.isoformat(),
            "currency": caller.merchant.currency,
            "summary": summarize(rows),
            "transactions": [transaction_object(r, today) for r in rows],
        }


def settlement_report_csv(sandbox: Sandbox, caller: Caller, day: date) -> str:
    """The day's settlement report as CSV: one row per balance transaction."""
    report = settlement_report(sandbox, caller, day)
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=REPORT_COLUMNS, extrasaction="ignore",
                            lineterminator="\n")  # fmt: skip
    writer.writeheader()
    for txn in report["transactions"]:
        writer.writerow(txn)
    return out.getvalue()
