"""The demo tour, as a presenter runs it: a caption per step, pause and resume (space), next
(right arrow or n), back (left arrow or b); any other key stops it and gives the app back.

Steps: an approval, a decline that explains itself, a review worked by hand, capture and a refund,
months to payoff, a sale in store (the QR code, the shopper's phone and the virtual
card), an act that runs forty shoppers through the sandbox (the dashboard fills), and
a year of sandbox clock in about a minute on the lender's portfolio (the curves move). With
``loop`` (``merchant-sim --demo --loop``) it starts over, for a booth.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual import events

from merchant_sim.cart import DEMO_CATALOG
from merchant_sim.identity import Identity
from merchant_sim.in_store_tour import IN_STORE_CAPTION, in_store_act
from merchant_sim.screens.checkout import CheckoutScreen
from merchant_sim.screens.lender import LenderScreen
from merchant_sim.screens.loan import LoanScreen
from merchant_sim.screens.portfolio import YEAR_MONTHS, PortfolioScreen
from merchant_sim.screens.store import StoreScreen
from merchant_sim.showcase import run_showcase

if TYPE_CHECKING:
    from merchant_sim.app import MerchantSimApp

__all__ = ["DemoInterrupted", "DemoTour", "Step"]

#: Seconds between beats, so an audience can read each screen.
BEAT_SECONDS = 1.6
WAIT_LIMIT_SECONDS = 60.0
MAX_MONTHS_TO_PAYOFF = 6
#: Beats per month in the year act: twelve months in about a minute.
MONTH_BEATS = 3.0
KEYS_HINT = "space pause · ← back · → next · any other key stops"
PAUSE_KEYS = frozenset({"space", "p"})
NEXT_KEYS = frozenset({"right", "n"})
BACK_KEYS = frozenset({"left", "b"})


class DemoInterrupted(Exception):
    """A key was pressed: the tour stops and the app is the user's again."""


class _Jump(Exception):
    """The presenter asked for another step."""


@dataclass(frozen=True)
class Step:
    """One step of the tour: what the audience sees, and what the tour does."""

    caption: str
    run: Callable[[], Awaitable[None]]


class DemoTour:
    """Drives the app's own screens and actions, as a presenter would."""

    def __init__(
        self, app: MerchantSimApp, *, beat: float = BEAT_SECONDS, loop: bool = False
    ) -> None:
        self.app = app
        self.beat = beat
        self.loop = loop
        self.stopped = False
        self.paused = False
        self.index = 0
        self.rounds = 0
        self.target: int | None = None
        self._wake = asyncio.Event()
        #: Set whenever a step starts or its caption changes (a presenter's key took effect).
        self.captioned = asyncio.Event()
        self.steps = [
            Step("Installo: instant installments at checkout, decided by a live lending "
                 "sandbox", self.welcome),
            Step("A prime shopper checks out and is approved in milliseconds", self.approval),
            Step("A declined application explains itself: the reasons come from the rules "
                 "that fired", self.decline),
            Step("This one needs a human: it goes to review and the lender approves it by hand",
                 self.review_by_hand),
            Step("The merchant ships and captures; a returned item re-amortizes the schedule",
                 self.capture_and_refund),
            Step("Months pass on the sandbox clock; autopay pays each installment",
                 self.months_to_payoff),
            Step(IN_STORE_CAPTION, self.in_store),
            Step("Forty shoppers of every tier: approvals, declines, latency and the tier mix "
                 "fill the dashboard", self.crowd),
            Step("A year in a minute: the lender's book, delinquency and vintage curves move "
                 "month by month", self.year),
            Step("That's the tour. The app is yours: F1 store, F2 loan, F3 lender, "
                 "F4 dashboard, F5 portfolio, F6 money, F7 in store", self.finale),
        ]  # fmt: skip

    # Control -------------------------------------------------------------------------------------

    def start(self) -> None:
        """Run the tour in a worker; keys steer or stop it."""
        self.app.demo_tour = self
        self.app.run_worker(self.play(), group="demo", exclusive=True)

    def on_key(self, event: events.Key) -> None:
        """Space pauses or resumes, right/n goes on, left/b goes back; anything else stops."""
        if event.key in PAUSE_KEYS:
            self.paused = not self.paused
            self.caption()
        elif event.key in NEXT_KEYS:
            self.target = self.index + 1
        elif event.key in BACK_KEYS:
            self.target = max(0, self.index - 1)
        else:
            self.interrupt(event)
        self._wake.set()

    def interrupt(self, _event: events.Key | None = None) -> None:
        """Stop at the next beat."""
        self.stopped = True
        self._wake.set()

    def _check(self) -> None:
        if self.stopped:
            raise DemoInterrupted
        if self.target is not None:
            raise _Jump

    async def pause(self, factor: float = 1.0) -> None:
        """Wait one beat (longer while paused), unless a key says otherwise."""
        self._check()
        self._wake.clear()
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._wake.wait(), self.beat * factor)
        while self.paused:
            self._check()
            self._wake.clear()
            await self._wake.wait()
        self._check()

    async def until(self, ready: Callable[[], bool], what: str) -> None:
        """Wait for ``ready()`` (a worker to finish), checking the keys."""
        waited = 0.0
        while not ready():
            self._check()
            if waited > WAIT_LIMIT_SECONDS:
                raise TimeoutError(f"demo: gave up waiting for {what}")
            await asyncio.sleep(0.05)
            waited += 0.05

    def caption(self) -> None:
        """Show the current step's caption until the next one."""
        self.app.clear_notifications()
        self.captioned.set()
        if self.index >= len(self.steps):
            return
        state = "paused · " if self.paused else ""
        self.app.notify(
            f"{self.steps[self.index].caption}\n[dim]{state}{KEYS_HINT}[/]",
            title=f"Demo {self.index + 1}/{len(self.steps)}",
            timeout=3600,
        )

    async def play(self) -> None:
        """The whole tour (again and again with ``loop``)."""
        try:
            await self.until(lambda: self.app.gateway is not None, "the sandbox")
            while True:
                await self._steps()
                self.rounds += 1
                if not self.loop:
                    break
        except DemoInterrupted:
            self.app.clear_notifications()
            self.app.notify("Demo stopped", timeout=2)
        finally:
            self.app.demo_tour = None

    async def _steps(self) -> None:
        self.index = 0
        while self.index < len(self.steps):
            self.caption()
            try:
                await self.steps[self.index].run()
                self.index += 1
            except _Jump:
                assert self.target is not None
                self.index, self.target = min(self.target, len(self.steps)), None

    # Steps ---------------------------------------------------------------------------------------

    async def welcome(self) -> None:
        """The store, empty."""
        await self.app.switch_mode("store")
        await self.pause(2)

    async def approval(self) -> None:
        """A prime persona, approved."""
        await self.checkout_as("prime", "approve")

    async def decline(self) -> None:
        """A subprime persona, declined with reasons."""
        await self.checkout_as("subprime", "decline")

    async def in_store(self) -> None:
        """The in-store act (merchant_sim/in_store_tour.py): QR code, phone, virtual card."""
        await in_store_act(self)

    def _identity(self, tier: str, tag: str | None) -> Identity:
        personas = [p for p in self.app.session.personas if p.tier == tier]
        persona = personas[0] if personas else None
        if persona is not None:
            return Identity.from_persona(persona).with_tag(tag)
        return Identity(name=f"Demo {tier}", email=f"demo.{tier}@example.com", tier=tier).with_tag(
            tag
        )

    async def checkout_as(self, tier: str, tag: str | None) -> None:
        """Fill a cart, check out as a persona of ``tier``, confirm the first offer."""
        app = self.app
        await app.switch_mode("store")
        while not isinstance(app.screen, StoreScreen):
            await app.pop_screen()
        store = app.screen
        assert isinstance(store, StoreScreen)
        app.session.cart.clear()
        app.session.cart.add(DEMO_CATALOG[0])
        app.session.cart.add(DEMO_CATALOG[7], 2)
        store.set_identity(self._identity(tier, tag))
        store.on_screen_resume()
        await self.pause()
        store.action_checkout()
        await self.until(lambda: isinstance(app.screen, CheckoutScreen), "checkout")
        screen = app.screen
        assert isinstance(screen, CheckoutScreen)
        await self.until(
            lambda: screen.checkout is not None and bool(screen.checkout.offers), "offers"
        )
        await self.pause()
        screen.action_confirm()
        await self.until(
            lambda: screen.checkout is not None and str(screen.checkout.status) != "open",
            "decision",
        )
        await self.pause(2)

    async def review_by_hand(self) -> None:
        """A +review application lands in the queue; the lender approves it."""
        await self.checkout_as("prime", "review")
        await self.app.switch_mode("lender")
        lender = self.app.screen
        assert isinstance(lender, LenderScreen)
        await self.until(lambda: not lender.workers_busy("reviews"), "the review queue")
        await self.pause()
        lender.action_settle(True)
        await self.until(lambda: not lender.workers_busy("reviews"), "the approval")
        await self.pause(2)

    def _approved_loan(self) -> str | None:
        records = self.app.session.stats.records
        return next((r.loan_id for r in records if r.outcome == "approved" and r.loan_id), None)

    async def capture_and_refund(self) -> None:
        """Capture the first approved loan, then refund a quarter of it."""
        app, loan_id = self.app, self._approved_loan()
        if loan_id is None:
            return
        app.open_loan(loan_id)
        await self.until(lambda: app.session.loan is not None, "the loan")
        screen = app.screen
        assert isinstance(screen, LoanScreen)
        await self.pause()
        if str(app.session.loan.status) == "authorized":  # type: ignore[union-attr]
            screen.action_capture()
            await self.until(lambda: str(app.session.loan.status) != "authorized", "capture")  # type: ignore[union-attr]
            await self.pause()
            loan = app.session.loan
            assert loan is not None
            screen.refund_loan(loan.id, loan.captured_amount // 4)
            await self.until(lambda: not screen.workers_busy("loan"), "the refund")
        await self.pause(2)

    async def months_to_payoff(self) -> None:
        """Move the clock a month at a time while the loan pays down."""
        app = self.app
        screen = app.screen
        if not isinstance(screen, LoanScreen):
            return
        for _ in range(MAX_MONTHS_TO_PAYOFF):
            if app.session.loan is not None and str(app.session.loan.status) == "paid_off":
                break
            screen.action_advance_clock()
            await self.until(lambda: not screen.workers_busy("loan"), "the clock")
            if screen.clock_unavailable:
                break
            await self.pause(0.5)

    async def crowd(self) -> None:
        """The showcase scenario, watched on the dashboard."""
        app = self.app
        await app.switch_mode("dashboard")
        gateway = app.gateway
        assert gateway is not None
        task = asyncio.ensure_future(
            run_showcase(gateway, app.session, seed=16 + self.rounds * 100 + self.index)
        )
        try:
            await self.until(task.done, "the scenario")
        finally:
            if not task.done():
                task.cancel()
        task.result()
        await app.screen.run_action("reload")
        await self.pause(3)

    async def year(self) -> None:
        """Twelve months of clock on the lender's portfolio, one every few beats."""
        app = self.app
        await app.switch_mode("portfolio")
        screen = app.screen
        assert isinstance(screen, PortfolioScreen)
        await screen.fetch()
        await self.pause()
        screen.months_done = 0
        for _ in range(YEAR_MONTHS):
            if await screen.advance_month() is None:
                break
            screen.show_status()
            await self.pause(MONTH_BEATS)

    async def finale(self) -> None:
        """The last caption stays a moment."""
        await self.pause(3)
