"""The merchant's money screen (F6): a captured loan shows up in the balance, a day of clock
later it is paid out, and the balance transactions link each movement to its loan or payout."""

from __future__ import annotations

from collections.abc import Callable

from textual.widgets import DataTable

from merchant_sim.app import MerchantSimApp
from merchant_sim.money import format_money
from merchant_sim.screens.money import EMPTY_BALANCE, MoneyScreen

from .test_pilot_keys import _captured_loan, _pinned, _settle

SvgText = Callable[[str], str]


def _rows(screen: MoneyScreen, selector: str) -> list[list[str]]:
    table = screen.query_one(selector, DataTable)
    return [[str(cell) for cell in table.get_row_at(i)] for i in range(table.row_count)]


async def test_a_capture_settles_into_the_balance_and_a_day_later_is_paid_out(
    svg_text: SvgText,
) -> None:
    app = MerchantSimApp(_pinned, webhooks=False)
    async with app.run_test(size=(120, 36)) as pilot:
        await _settle(pilot)
        await pilot.press("f6")
        await _settle(pilot)
        assert EMPTY_BALANCE.split(":")[0] in svg_text(app.export_screenshot())
        await pilot.press("f1")
        await _captured_loan(app, pilot)
        loan = app.session.loan
        assert loan is not None
        await pilot.press("f6")
        await _settle(pilot)
        screen = app.screen
        assert isinstance(screen, MoneyScreen)
        captures = [r for r in _rows(screen, "#transactions") if r[0] == "capture"]
        assert len(captures) == 1 and captures[0][-1] == loan.id
        assert captures[0][1] == format_money(loan.captured_amount, loan.currency)
        net = captures[0][3]
        assert net in svg_text(app.export_screenshot())  # in the balance, pending or available
        for _ in range(3):
            await pilot.press("n")
            await _settle(pilot)
        payouts = _rows(screen, "#payouts")
        assert payouts and payouts[-1][1] == net and payouts[-1][2] in ("in_transit", "paid")
        assert any(r[0] == "payout" for r in _rows(screen, "#transactions"))
        assert "sandbox time 2026-12-04" in svg_text(app.export_screenshot())
