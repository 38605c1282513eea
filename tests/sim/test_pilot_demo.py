"""The demo tour: it plays through every step, a presenter steers it with pause, next and back,
and any other key stops it."""

from __future__ import annotations

from collections.abc import Callable

from textual.pilot import Pilot

from merchant_sim.app import MerchantSimApp
from merchant_sim.connection import SandboxConnection
from merchant_sim.demo import DemoTour

#: A beat the presenter's keys always cut short: the tour never moves on by itself here.
FOREVER = 3600.0


def _embedded() -> SandboxConnection:
    return SandboxConnection.start_embedded(seed=3)


async def _until(pilot: Pilot[None], ready: Callable[[], bool]) -> None:
    """Let the app process messages until ``ready()`` (bounded: the app's own progress)."""
    for _ in range(500):
        if ready():
            return
        await pilot.pause()
    assert ready()


async def _press(pilot: Pilot[None], tour: DemoTour, key: str) -> None:
    """Press a key and wait until the tour shows the caption it leads to."""
    tour.captioned.clear()
    await pilot.press(key)
    await tour.captioned.wait()
    await pilot.pause()  # the caption's notification is a message: let the app take it


def _caption(app: MerchantSimApp) -> str:
    return " ".join(f"{n.title} {n.message}" for n in app._notifications)


async def test_demo_tour_plays_every_step_through_the_year() -> None:
    app = MerchantSimApp(_embedded, webhooks=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await app.workers.wait_for_complete()
        tour = DemoTour(app, beat=0.01)
        tour.start()
        assert app.demo_tour is tour
        await app.workers.wait_for_complete()
        await pilot.pause()
        outcomes = app.session.stats.outcome_counts()
        assert outcomes["approved"] >= 1 and outcomes["declined"] >= 1
        assert len(app.session.stats.records) >= 40  # the crowd act
        loan = app.session.loans[next(iter(app.session.loans))]
        assert loan.refunded_amount == loan.captured_amount // 4
        book = app.session.lender_portfolio
        assert book is not None and len(book.currencies[0].months) >= 13  # a year of month-ends
        assert tour.index == len(tour.steps) and app.demo_tour is None


async def test_presenter_pauses_goes_on_goes_back_and_stops_the_tour() -> None:
    app = MerchantSimApp(_embedded, webhooks=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await app.workers.wait_for_complete()
        tour = DemoTour(app, beat=FOREVER)
        tour.start()
        await tour.captioned.wait()
        await pilot.pause()
        assert "Demo 1/9" in _caption(app)
        await _press(pilot, tour, "right")
        assert tour.index == 1 and "Demo 2/9" in _caption(app)
        assert tour.steps[1].caption in _caption(app)
        await _press(pilot, tour, "space")
        assert tour.paused and "paused" in _caption(app)
        await _press(pilot, tour, "n")  # next works while paused, and the tour stays paused
        assert tour.index == 2 and tour.paused and "Demo 3/9" in _caption(app)
        await _press(pilot, tour, "space")
        assert not tour.paused
        await _press(pilot, tour, "left")
        assert tour.index == 1
        await _press(pilot, tour, "b")
        assert tour.index == 0 and "Demo 1/9" in _caption(app)
        assert app.session.stats.records == []  # beats never ran out: nothing was checked out
        await pilot.press("z")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.demo_tour is None
        assert any(n.message == "Demo stopped" for n in app._notifications)


async def test_any_other_key_interrupts_the_demo() -> None:
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


async def test_a_looping_tour_starts_over_until_a_key_stops_it() -> None:
    app = MerchantSimApp(_embedded, webhooks=False, demo=True, loop=True)
    async with app.run_test(size=(100, 30)) as pilot:
        await _until(pilot, lambda: app.demo_tour is not None)
        tour = app.demo_tour
        assert tour is not None and tour.loop
        tour.beat = FOREVER
        while tour.rounds == 0:
            await _press(pilot, tour, "right")
        assert tour.index == 0 and "Demo 1/9" in _caption(app)
        assert app.demo_tour is tour
        await pilot.press("q")
        await app.workers.wait_for_complete()
        assert app.demo_tour is None
