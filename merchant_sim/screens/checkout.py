"""Checkout: the offers with their disclosures, then the workflow and its decision."""

from __future__ import annotations

import asyncio
import time
from typing import ClassVar

from installo._exceptions import APIError
from installo.types.checkout import Checkout
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Footer, Label, OptionList, Static

from merchant_sim.messages import CheckoutDecided
from merchant_sim.money import format_money
from merchant_sim.problems import describe
from merchant_sim.screens._base import SimScreen
from merchant_sim.widgets.credit_panel import CreditPanel
from merchant_sim.widgets.decision_panel import DecisionPanel
from merchant_sim.widgets.mode_bar import ModeBar
from merchant_sim.widgets.offers import OfferList
from merchant_sim.widgets.workflow_steps import WorkflowSteps
from merchant_sim.workflow_view import STEP_NAMES, steps_for, steps_pending

#: Pause between steps lighting up, so a person can follow the workflow.
STEP_REVEAL_SECONDS = 0.12


class CheckoutScreen(SimScreen):
    """Offers for the cart; confirming one runs the lender's workflow."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back"),
        Binding("enter", "confirm", "Confirm offer", show=False),
        Binding("l", "loan", "Loan"),
        Binding("g", "reload", "Refresh"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.checkout: Checkout | None = None
        self.customer_id: str | None = None

    def compose(self) -> ComposeResult:
        """Offers and workflow side by side; decision and credit report below."""
        yield ModeBar()
        with Horizontal(id="checkout-top"):
            with Vertical(id="offers-pane", classes="pane"):
                yield Label("Pay over time", classes="pane-title")
                yield Static("Opening checkout…", id="checkout-summary")
                yield OfferList(id="offers")
            with Vertical(id="workflow-pane", classes="pane"):
                yield Label("Workflow", classes="pane-title")
                yield WorkflowSteps(id="workflow")
        with VerticalScroll(id="checkout-bottom"):
            yield Label("Decision", classes="pane-title")
            yield DecisionPanel("[dim]Choose an offer and press enter[/]", id="decision")
            yield Label("Credit report", classes="pane-title")
            yield CreditPanel("[dim]Pulled during the decision[/]", id="credit")
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        """Create the customer and checkout straight away."""
        self.open_checkout()

    @work(exclusive=True, group="checkout")
    async def open_checkout(self) -> None:
        """Create the checkout (the customer inline), then list the offers."""
        gateway, identity, cart = self.gateway, self.session.identity, self.session.cart
        if gateway is None or identity is None:
            return
        try:
            checkout = await gateway.create_checkout(cart, identity)
        except APIError as exc:
            self.query_one("#checkout-summary", Static).update(f"[red]{describe(exc)}[/]")
            return
        self.checkout = checkout
        self.customer_id = checkout.customer
        self.session.checkout = checkout
        self.query_one("#checkout-summary", Static).update(
            f"{checkout.id}  ·  {format_money(checkout.amount, checkout.currency)}  ·  "
            f"{len(checkout.offers)} offers for {identity.name}"
        )
        offers = self.query_one(OfferList)
        offers.show_offers(checkout.offers, checkout.currency)
        offers.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        """Choosing an offer confirms it."""
        event.stop()
        self.action_confirm()

    def action_confirm(self) -> None:
        """Confirm the highlighted offer."""
        offer = self.query_one(OfferList).highlighted_offer
        if self.checkout is None or offer is None:
            return
        if str(self.checkout.status) != "open":
            self.notify(f"This checkout is already {self.checkout.status}", severity="warning")
            return
        self.confirm_offer(self.checkout.id, offer.id)

    @work(exclusive=True, group="checkout")
    async def confirm_offer(self, checkout_id: str, offer_id: str) -> None:
        """Confirm, animate the workflow, then show the decision and credit report."""
        gateway, identity = self.gateway, self.session.identity
        if gateway is None or identity is None:
            return
        steps = self.query_one(WorkflowSteps)
        steps.show(steps_pending(running=0))
        started = time.perf_counter()
        try:
            checkout = await gateway.confirm(checkout_id, offer_id)
        except APIError as exc:
            steps.show(steps_pending())
            self.query_one(DecisionPanel).update(f"[red]{describe(exc)}[/]")
            return
        latency_ms = (time.perf_counter() - started) * 1000
        final = steps_for(checkout, latency_ms)
        for index in range(1, len(STEP_NAMES) + 1):
            shown = final[:index] + steps_pending(running=index)[index:]
            steps.show(shown)
            await asyncio.sleep(STEP_REVEAL_SECONDS)
        steps.show(final)
        await self.show_decision(checkout)
        self.sim.post_message(CheckoutDecided(checkout, latency_ms, identity.tier, identity.locale))

    async def show_decision(self, checkout: Checkout) -> None:
        """Fill the decision and credit report panels."""
        self.checkout = checkout
        self.session.checkout = checkout
        self.query_one(DecisionPanel).show(checkout)
        credit = self.query_one(CreditPanel)
        gateway = self.gateway
        if gateway is not None and self.customer_id is not None:
            credit.show(await gateway.credit_report(self.customer_id), "No report pulled")
        if checkout.loan:
            self.notify("Approved: press l to manage the loan")
        elif str(checkout.status) == "in_review":
            self.notify("In review: work it in the lender view (F3)")

    def action_reload(self) -> None:
        """Re-read the checkout (a review may have settled it)."""
        if self.checkout is not None:
            self.refresh_checkout(self.checkout.id)

    @work(exclusive=True, group="checkout")
    async def refresh_checkout(self, checkout_id: str) -> None:
        """Read the checkout again and redraw its decision."""
        if self.gateway is None:
            return
        checkout = await self.gateway.checkout(checkout_id)
        self.query_one(WorkflowSteps).show(steps_for(checkout))
        await self.show_decision(checkout)

    def action_loan(self) -> None:
        """Open the loan of an approved checkout."""
        if self.checkout is None or not self.checkout.loan:
            self.notify("No loan: the checkout is not approved", severity="warning")
            return
        self.sim.open_loan(self.checkout.loan)

    def action_back(self) -> None:
        """Back to the store."""
        self.app.pop_screen()
