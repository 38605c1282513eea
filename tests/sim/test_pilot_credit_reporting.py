"""Pilot test: the loan screen and the lender desk show how a loan was last reported."""

from __future__ import annotations

from collections.abc import Callable

from textual.pilot import Pilot

from merchant_sim.app import MerchantSimApp
from merchant_sim.connection import SandboxConnection
from merchant_sim.identity import Identity
from merchant_sim.screens.lender import LenderScreen
from merchant_sim.screens.loan import LoanScreen
from merchant_sim.screens.store import StoreScreen

SvgText = Callable[[str], str]


async def _settle(pilot: Pilot[None]) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def test_the_loan_and_the_lender_desk_show_the_last_furnished_status_and_score(
    svg_text: SvgText,
) -> None:
    app = MerchantSimApp(lambda: SandboxConnection.start_embedded(seed=11), webhooks=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await _settle(pilot)
        store = app.screen
        assert isinstance(store, StoreScreen)
        prime = next(p for p in app.session.personas if p.tier == "prime")
        store.set_identity(Identity.from_persona(prime).with_tag("approve"))
        await pilot.press("a", "k")
        await _settle(pilot)
        await pilot.press("enter")
        await _settle(pilot)
        await pilot.press("l")
        await _settle(pilot)
        assert isinstance(app.screen, LoanScreen)
        await pilot.press("p")  # capture
        await _settle(pilot)
        for _ in range(2):  # 60 days: at least one month-end
            await pilot.press("m")
            await _settle(pilot)
        loan = app.session.loan
        assert loan is not None and loan.last_furnished is not None
        reported = loan.last_furnished
        text = svg_text(app.export_screenshot())
        assert f"Reported {reported.period}: status 11" in text
        assert f"score {reported.score_before} → {reported.score_after} (+0)" in text
        await pilot.press("f3")
        await _settle(pilot)
        assert isinstance(app.screen, LenderScreen)
        desk = svg_text(app.export_screenshot())
        assert f"File {reported.period}: 1 accounts (11×1)" in desk
        assert "current loan 11, score" in desk
