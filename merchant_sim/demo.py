"""The scripted demo tour: approval, decline, a review by hand, a refund, a clock jump to payoff,
and a sale in store."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import TYPE_CHECKING

from textual import events

from merchant_sim.cart import DEMO_CATALOG
from merchant_sim.identity import Identity
from merchant_sim.screens.checkout import CheckoutScreen
from merchant_sim.screens.lender import LenderScreen
from merchant_sim.screens.loan import LoanScreen
from merchant_sim.screens.store import StoreScreen

if TYPE_CHECKING:
    from merchant_sim.app import MerchantSimApp

__all__ = ["DemoInterrupted", "DemoTour"]

#: Seconds between beats, so an audience can read each screen.
BEAT_SECONDS = 1.6
WAIT_LIMIT_SECONDS = 30.0
MAX_MONTHS_TO_PAYOFF = 60


class DemoInterrupted(Exception):
    """A key was pressed: the tour stops and the app is the user's again."""


class DemoTour:
    """Drives the app's own screens and actions, as a presenter would."""

    def __init__(self, app: MerchantSimApp, *, beat: float = BEAT_SECONDS) -> None:
        self.app = app
        self.beat = beat
        self.stopped = False

    def start(self) -> None:
        """Run the tour in a worker; any key interrupts it."""
        self.app.demo_tour = self
        self.app.run_worker(self.play(), group="demo", exclusive=True)

    def interrupt(self, _event: events.Key | None = None) -> None:
        """Stop at the next beat."""
        self.stopped = True

    async def pause(self, factor: float = 1.0) -> None:
        """Wait one beat, unless interrupted."""
        await asyncio.sleep(self.beat * factor)
        if self.stopped:
            raise DemoInterrupted

    async def until(self, ready: Callable[[], bool], what: str) -> None:
        """Wait for ``ready()`` (a worker to finish), checking for interrupts."""
        waited = 0.0
        while not ready():
            if self.stopped:
                raise DemoInterrupted
            if waited > WAIT_LIMIT_SECONDS:
                raise TimeoutError(f"demo: gave up waiting for {what}")
            await asyncio.sleep(0.05)
            waited += 0.05

    def say(self, text: str) -> None:
        """Caption the current beat."""
        self.app.notify(text, title="Demo", timeout=self.beat * 2.5)

    async def play(self) -> None:
        """The whole tour."""
        try:
            await self.until(lambda: self.app.gateway is not None, "the sandbox")
            await self.checkout_as("prime", "approve", "A prime shopper is approved")
            await self.checkout_as("subprime", "decline", "A declined application explains itself")
            await self.review_by_hand()
            await self.refund_and_payoff()
            await self.in_store()
            self.say(
                "That's the tour. The app is yours: F1 store, F2 loan, F3 lender, F4 dashboard"
            )
        except DemoInterrupted:
            self.app.notify("Demo stopped", timeout=2)
        finally:
            self.app.demo_tour = None

    async def in_store(self) -> None:
        """The in-store act (merchant_sim/in_store_tour.py): QR code, phone, virtual card."""
        from merchant_sim.in_store_tour import IN_STORE_CAPTION, in_store_act

        self.say(IN_STORE_CAPTION)
        await in_store_act(self)

    def _identity(self, tier: str, tag: str | None) -> Identity:
        personas = [p for p in self.app.session.personas if p.tier == tier]
        persona = personas[0] if personas else None
        if persona is not None:
            return Identity.from_persona(persona).with_tag(tag)
        return Identity(name=f"Demo {tier}", email=f"demo.{tier}@example.com", tier=tier).with_tag(
            tag
        )

    async def checkout_as(self, tier: str, tag: str | None, caption: str) -> None:
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
        self.say(caption)
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
        await self.checkout_as("prime", "review", "This one needs a human: it goes to review")
        await self.app.switch_mode("lender")
        lender = self.app.screen
        assert isinstance(lender, LenderScreen)
        self.say("The lender works the review queue by hand")
        await self.until(lambda: not lender.workers_busy("reviews"), "the review queue")
        await self.pause()
        lender.action_settle(True)
        await self.pause(2)

    async def refund_and_payoff(self) -> None:
        """Capture, refund part, then move the clock until the loan is paid off."""
        app = self.app
        approved = [r for r in app.session.stats.records if r.outcome == "approved" and r.loan_id]
        if not approved or approved[0].loan_id is None:
            return
        app.open_loan(approved[0].loan_id)
        await self.until(lambda: app.session.loan is not None, "the loan")
        screen = app.screen
        assert isinstance(screen, LoanScreen)
        self.say("The merchant ships and captures the loan")
        await self.pause()
        screen.action_capture()
        await self.until(lambda: str(app.session.loan.status) != "authorized", "capture")  # type: ignore[union-attr]
        await self.pause()
        self.say("A returned item: a partial refund re-amortizes the schedule")
        loan = app.session.loan
        assert loan is not None
        screen.refund_loan(loan.id, loan.captured_amount // 4)
        await self.until(lambda: not screen.workers_busy("loan"), "the refund")
        await self.pause(2)
        self.say("Months pass on the sandbox clock; autopay pays each installment")
        for _ in range(MAX_MONTHS_TO_PAYOFF):
            if app.session.loan is not None and str(app.session.loan.status) == "paid_off":
                break
            screen.action_advance_clock()
            await self.until(lambda: not screen.workers_busy("loan"), "the clock")
            if screen.clock_unavailable:
                break
            await self.pause(0.5)
