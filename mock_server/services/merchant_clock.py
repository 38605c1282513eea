"""The merchant's daily work on its sandbox clock, through the clock's periodic seam
(`services.periodic`): verification checks that complete later (the tax authority's answer) and,
in settlement, the daily payouts.

The work runs on `every_day`, but most days nothing is due: the first run of an advance notes
the dates that matter in the transaction's scratch space (`Session.info`), so the other days cost
a set lookup, not a query."""

from __future__ import annotations

from datetime import date

from mock_server.services.context import Sandbox
from mock_server.services.merchants import locked_merchant
from mock_server.services.onboarding import run_tax_id_checks
from mock_server.services.periodic import Occasion, PeriodicWork, every_day

__all__ = ["MERCHANT_DAY", "register_merchant_work"]

MERCHANT_DAY = "merchant_day"


def _due_dates(occasion: Occasion) -> set[date]:
    key = (MERCHANT_DAY, occasion.caller.merchant.id)
    found: set[date] | None = occasion.session.info.get(key)
    if found is None:
        row = locked_merchant(occasion.session, occasion.caller.merchant.id)
        found = set()
        check_on = row.verification.get("tax_id_check_on")
        if row.verification.get("tax_id") == "pending" and check_on:
            found.add(max(date.fromisoformat(check_on), occasion.on))
        occasion.session.info[key] = found
    return found


def run_merchant_day(occasion: Occasion) -> None:
    """What falls due for the merchant on `occasion.on`."""
    if occasion.on not in _due_dates(occasion):
        return
    row = locked_merchant(occasion.session, occasion.caller.merchant.id)
    run_tax_id_checks(occasion.session, occasion.sandbox, row, occasion.caller, occasion.at)


def register_merchant_work(sandbox: Sandbox) -> None:
    """Add the merchant's daily work to the sandbox clock's periodic seam (once)."""
    if all(work.name != MERCHANT_DAY for work in sandbox.periodic):
        sandbox.periodic.append(PeriodicWork(MERCHANT_DAY, every_day, run_merchant_day))
