"""The scripted demo tour plays through, and any key stops it."""

from __future__ import annotations

from merchant_sim.app import MerchantSimApp
from merchant_sim.connection import SandboxConnection
from merchant_sim.demo import DemoTour
from merchant_sim.screens.in_store import InStoreScreen


def _embedded() -> SandboxConnection:
    return SandboxConnection.start_embedded(seed=3)


async def test_demo_tour_plays_approval_decline_review_and_refund() -> None:
    app = MerchantSimApp(_embedded)
    async with app.run_test(size=(100, 30)) as pilot:
        await app.workers.wait_for_complete()
        tour = DemoTour(app, beat=0.01)
        tour.start()
        assert app.demo_tour is tour
        await app.workers.wait_for_complete()
        await pilot.pause()
        outcomes = app.session.stats.outcome_counts()
        assert outcomes["approved"] >= 1
        assert outcomes["declined"] == 1
        assert outcomes["in_review"] + outcomes["approved"] == 2
        assert app.session.loan is not None
        assert app.session.loan.refunded_amount == app.session.loan.captured_amount // 4
        assert str(app.session.loan.status) in {"paid_off", "active", "refunded"}
        assert isinstance(app.screen, InStoreScreen) and app.screen.card is not None
        assert app.screen.last_result.startswith("[green]00")  # the in-store act's charge
        assert app.demo_tour is None


async def test_any_key_interrupts_the_demo() -> None:
    app = MerchantSimApp(_embedded, demo=True)
    async with app.run_test(size=(100, 30)) as pilot:
        while app.demo_tour is None:
            await pilot.pause()
        await pilot.press("z")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.demo_tour is None
        assert len(app.session.stats.records) <= 1
        assert any(n.message == "Demo stopped" for n in app._notifications)
