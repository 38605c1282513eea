"""The lender's portfolio screen: empty, then fed by loans; `m` moves a month, `y` plays a year
(space pauses and resumes it) and the figures follow the clock."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from textual.pilot import Pilot
from textual.widgets import Static

from merchant_sim.app import MerchantSimApp
from merchant_sim.cart import DEMO_CATALOG, Cart
from merchant_sim.connection import SandboxConnection
from merchant_sim.identity import Identity
from merchant_sim.screens.portfolio import YEAR_MONTHS, PortfolioScreen


def _embedded() -> SandboxConnection:
    return SandboxConnection.start_embedded(seed=5)


async def _until(pilot: Pilot[None], ready: Callable[[], bool]) -> None:
    for _ in range(500):
        if ready():
            return
        await pilot.pause()
    assert ready()


async def _book_loans(app: MerchantSimApp, count: int) -> None:
    """Approved, captured loans for a few seeded personas."""
    gateway = app.gateway
    assert gateway is not None
    for persona in app.session.personas[:count]:
        cart = Cart("USD")
        cart.add(DEMO_CATALOG[0])
        identity = Identity.from_persona(persona).with_tag("approve")
        checkout = await gateway.create_checkout(cart, identity)
        decided = await gateway.confirm(checkout.id, checkout.offers[-1].id)
        assert decided.loan is not None
        await gateway.capture(decided.loan)


def _months_between(first: date, last: date) -> int:
    return (last.year - first.year) * 12 + last.month - first.month


async def test_a_year_in_a_minute_moves_the_book_month_by_month() -> None:
    app = MerchantSimApp(_embedded, webhooks=False)
    async with app.run_test(size=(120, 36)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.press("f5")
        await app.workers.wait_for_complete()
        screen = app.screen
        assert isinstance(screen, PortfolioScreen)
        assert screen.query_one("#portfolio-empty").display
        await _book_loans(app, 3)
        await pilot.press("g")
        await app.workers.wait_for_complete()
        assert not screen.query_one("#portfolio-empty").display
        start = app.session.lender_portfolio
        assert start is not None
        screen.month_seconds = 0
        await pilot.press("space", "y")  # paused before it starts: the year waits
        await _until(pilot, lambda: screen.year_running)
        await pilot.pause()
        assert screen.months_done == 0
        assert "paused" in str(screen.query_one("#clock-status", Static).render())
        await pilot.press("space")
        await app.workers.wait_for_complete()
        after = app.session.lender_portfolio
        assert after is not None
        assert screen.months_done == YEAR_MONTHS and not screen.year_running
        assert _months_between(start.as_of, after.as_of) == YEAR_MONTHS
        (usd,) = after.currencies
        assert len(usd.months) == YEAR_MONTHS + 1
        assert usd.income.interest > 0 and usd.funnel.captured == 3
        await pilot.press("m")
        await app.workers.wait_for_complete()
        later = app.session.lender_portfolio
        assert later is not None and _months_between(after.as_of, later.as_of) == 1
