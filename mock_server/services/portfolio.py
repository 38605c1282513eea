"""Portfolio analytics for the lender (every merchant) or one merchant, as of sandbox time.

Reads merchants, their sandbox clocks, confirmed checkouts, reviews and loans, turns them into the
analytics' inputs, and answers `analytics.build_portfolio`. Each merchant's loans are seen as of
that merchant's own sandbox date; the portfolio's `as_of` is the latest of them. The analytics
package loads at the first portfolio read, not with the sandbox.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import Session

from mock_server.domain import Loan
from mock_server.services.clock import merchant_now
from mock_server.services.context import Caller, Sandbox
from mock_server.storage.models import CheckoutRow, LoanRow, MerchantRow, ReviewRow

if TYPE_CHECKING:
    from mock_server.analytics import Application, Portfolio

__all__ = ["lender_portfolio", "merchant_portfolio"]

_DECIDED = ("approved", "declined", "in_review")


def lender_portfolio(sandbox: Sandbox) -> Portfolio:
    """Every merchant's loans and applications."""
    with sandbox.db.reader() as session:
        merchant_ids = list(session.scalars(select(MerchantRow.id).order_by(MerchantRow.seq)))
        return _portfolio(session, sandbox, merchant_ids)


def merchant_portfolio(sandbox: Sandbox, caller: Caller) -> Portfolio:
    """The calling merchant's own loans and applications."""
    with sandbox.db.reader() as session:
        return _portfolio(session, sandbox, [caller.merchant.id])


def _portfolio(session: Session, sandbox: Sandbox, merchant_ids: Sequence[str]) -> Portfolio:
    from mock_server.analytics import BookedLoan, MerchantTerms, build_portfolio

    rows = session.scalars(select(MerchantRow).where(MerchantRow.id.in_(merchant_ids)))
    merchants = {r.id: MerchantTerms(r.id, r.display_name or r.legal_name, r.mdr_bps) for r in rows}
    today = {m: merchant_now(session, m, sandbox.wall).date() for m in merchant_ids}
    reviewed = set(
        session.scalars(
            select(ReviewRow.checkout_id).where(ReviewRow.merchant_id.in_(merchant_ids))
        )
    )
    applications = [
        _application(row, row.id in reviewed)
        for row in session.scalars(
            select(CheckoutRow)
            .where(CheckoutRow.merchant_id.in_(merchant_ids), CheckoutRow.status.in_(_DECIDED))
            .order_by(CheckoutRow.seq)
        )
    ]
    loans = [
        BookedLoan(row.merchant_id, Loan.from_dict(row.data), today[row.merchant_id])
        for row in session.scalars(
            select(LoanRow).where(LoanRow.merchant_id.in_(merchant_ids)).order_by(LoanRow.seq)
        )
    ]
    as_of = max(today.values(), default=sandbox.wall().date())
    return build_portfolio(applications, loans, merchants, as_of)


def _application(row: CheckoutRow, reviewed: bool) -> Application:
    from mock_server.analytics import Application

    decision = row.data.get("decision") or {}
    return Application(
        id=row.id,
        merchant_id=row.merchant_id,
        currency=row.currency,
        amount=row.amount,
        on=row.created.date(),
        status=row.status,
        reason_codes=tuple(str(code) for code in decision.get("reason_codes", [])),
        reviewed=reviewed,
    )
