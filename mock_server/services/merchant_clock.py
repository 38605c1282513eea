"""The merchant's daily work on its sandbox clock, through the clock's periodic seam
(`services.periodic`): verification checks that complete later (the tax authority's answer)
and the daily payouts (services.settlement).

The work runs on `every_day`, but most days nothing is due: the first run of an advance notes
the dates that matter (the first day, the days pending credits become available, payouts'
arrival days, a pending tax id check) in the transaction's scratch space (`Session.info`), and
a payout adds its arrival day; the other days cost a set lookup, not a query."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from mock_server.services.context import Sandbox
from mock_server.services.merchants import locked_merchant
from mock_server.services.onboarding import reevaluate, run_tax_id_checks, settle_status
from mock_server.services.periodic import Occasion, PeriodicWork, every_day
from mock_server.services.settlement import create_payouts, payout_object, settle_payouts
from mock_server.storage.models import BalanceTransactionRow, MerchantRow, PayoutRow

__all__ = ["MERCHANT_DAY", "register_merchant_work", "run_merchant_day"]

MERCHANT_DAY = "merchant_day"


def _due_dates(occasion: Occasion) -> set[date]:
    key = (MERCHANT_DAY, occasion.caller.merchant.id)
    found: set[date] | None = occasion.session.info.get(key)
    if found is None:
        found = _first_due_dates(occasion)
        occasion.session.info[key] = found
    return found


def _first_due_dates(occasion: Occasion) -> set[date]:
    session, merchant_id, on = occasion.session, occasion.caller.merchant.id, occasion.on
    row = locked_merchant(session, merchant_id)
    found = {on}  # the first day of the advance: anything already available is paid out
    check_on = row.verification.get("tax_id_check_on")
    if row.verification.get("tax_id") == "pending" and check_on:
        found.add(max(date.fromisoformat(check_on), on))
    found.update(
        session.scalars(
            select(BalanceTransactionRow.available_on)
            .where(
                BalanceTransactionRow.merchant_id == merchant_id,
                BalanceTransactionRow.available_on > on,
            )
            .distinct()
        )
    )
    found.update(
        max(day, on)
        for day in session.scalars(
            select(PayoutRow.arrival_date).where(
                PayoutRow.merchant_id == merchant_id, PayoutRow.status == "in_transit"
            )
        )
    )
    return found


def run_merchant_day(occasion: Occasion) -> None:
    """What falls due for the merchant on `occasion.on`: tax id checks, then payouts."""
    due = _due_dates(occasion)
    if occasion.on not in due:
        return
    row = locked_merchant(occasion.session, occasion.caller.merchant.id)
    run_tax_id_checks(occasion.session, occasion.sandbox, row, occasion.caller, occasion.at)
    _run_payouts(occasion, row, due)


def _run_payouts(occasion: Occasion, row: MerchantRow, due: set[date]) -> None:
    session, at = occasion.session, occasion.at
    for type_, payout in settle_payouts(session, row, occasion.on, at):
        occasion.record(type_, payout_object(payout))
        if type_ == "payout.failed":
            before = row.status
            reevaluate(occasion.sandbox, row, occasion.on)
            settle_status(session, occasion.sandbox, row, before, occasion.caller, at)
    if row.status != "active":
        return  # payouts pause while restricted or suspended
    for payout in create_payouts(session, row, occasion.on, at):
        occasion.record("payout.created", payout_object(payout))
        due.add(occasion.on + timedelta(days=1))


def register_merchant_work(sandbox: Sandbox) -> None:
    """Add the merchant's daily work to the sandbox clock's periodic seam (once)."""
    if all(work.name != MERCHANT_DAY for work in sandbox.periodic):
        # Tax id checks and payouts read the merchant and its balance, never the loans: the
        # advance need not store its loans every day for them (see services.periodic).
        sandbox.periodic.append(
            PeriodicWork(MERCHANT_DAY, every_day, run_merchant_day, reads_stored_loans=False)
        )
