"""In store: the terminal shows the hosted page's QR code (drawn in the terminal) and short
code; beside it a simulated phone scans it and walks the page's steps; on approval the terminal
reads its single-use virtual card and charges it through the simulated card network."""

from __future__ import annotations

from typing import ClassVar

from installo._exceptions import APIError
from installo.types.checkout import Checkout
from installo.types.point_of_sale import VirtualCard
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Footer, Label, Static

from merchant_sim.money import format_money
from merchant_sim.phone import PHONE_STEPS, HostedPagePhone
from merchant_sim.screens._base import SimScreen
from merchant_sim.widgets.mode_bar import ModeBar
from merchant_sim.widgets.qr_view import QrCode

__all__ = ["STORE_ID", "TERMINAL_ID", "InStoreScreen"]

STORE_ID = "store-1"
TERMINAL_ID = "lane-3"


def phone_steps(reached: str) -> str:
    """The page's steps with the one the phone is on marked."""
    order = [key for key, _ in PHONE_STEPS]
    at = order.index(reached)
    marks = ["[green]✓[/]" if i < at else "[b]▶[/]" if i == at else "[dim]·[/]" for i in range(5)]
    return "\n".join(f"{mark} {label}" for mark, (_, label) in zip(marks, PHONE_STEPS, strict=True))


class InStoreScreen(SimScreen):
    """The store's terminal and the shopper's phone, side by side."""

    DEFAULT_CSS = """
    #in-store { height: 1fr; }
    #terminal { width: 1fr; }
    #phone { width: 40; }
    #qr { margin: 1 0; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("n", "new_sale", "New sale"),
        Binding("p", "phone_step", "Phone: next step"),
        Binding("s", "text_link", "Text the link"),
        Binding("c", "charge", "Charge card"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.checkout: Checkout | None = None
        self.card: VirtualCard | None = None
        self.phone: HostedPagePhone | None = None
        self.charges = 0
        self.last_result = ""

    def compose(self) -> ComposeResult:
        """Terminal (sale, QR code, short code, status) and phone (steps, screen)."""
        yield ModeBar()
        with Horizontal(id="in-store"):
            with Vertical(id="terminal", classes="pane"):
                yield Label(f"Terminal {TERMINAL_ID} · {STORE_ID}", classes="pane-title")
                yield Static(id="sale")
                yield QrCode(id="qr")
                yield Static(id="short-code")
                yield Static(id="terminal-status")
            with Vertical(id="phone", classes="pane"):
                yield Label("Shopper's phone", classes="pane-title")
                yield Static(id="phone-steps")
                yield Static(id="phone-screen")
        yield Footer()

    def on_mount(self) -> None:
        """Show the empty terminal."""
        self.redraw()

    def redraw(self) -> None:
        """Read the sale, the card and the phone into the widgets."""
        checkout, cart = self.checkout, self.session.cart
        if checkout is None:
            sale = f"Cart: {cart.item_count} items, {format_money(cart.total, cart.currency)}"
            sale += "\n[dim]n starts an in-store sale for this cart and shopper[/]"
        else:
            sale = f"Sale {format_money(checkout.amount, checkout.currency)} · {checkout.status}"
        self.query_one("#sale", Static).update(sale)
        action = checkout.next_action if checkout else None
        self.query_one(QrCode).show(action.url if action else None)
        code = f"Or type code [b]{checkout.short_code}[/] at /pay" if action and checkout else ""
        self.query_one("#short-code", Static).update(code)
        self.query_one("#terminal-status", Static).update(self._status())
        view = self.phone.view if self.phone else None
        self.query_one("#phone-steps", Static).update(phone_steps(view.step if view else "scan"))
        screen = f"[b]{view.heading}[/]\n" + "\n".join(view.lines) if view else "[dim]idle[/]"
        self.query_one("#phone-screen", Static).update(screen)

    def _status(self) -> str:
        checkout, card = self.checkout, self.card
        if checkout is None:
            return ""
        if card is not None:
            limit = format_money(card.amount_limit, card.currency)
            expiry = f"{card.exp_month:02d}/{card.exp_year % 100:02d}"
            line = f"Virtual card •••• {card.last4}  exp {expiry}  limit {limit}"
            return f"[green]Approved[/]\n{line}\nc charges it\n{self.last_result}"
        if str(checkout.status) == "open":
            return "Waiting for the shopper (p: the phone's next step)"
        codes = ", ".join(checkout.decision.reason_codes) if checkout.decision else ""
        return f"{checkout.status}  {codes}".strip()

    def action_new_sale(self) -> None:
        """Open an in-store checkout for the cart and the current shopper."""
        if not self.session.cart.lines or self.session.identity is None or self.gateway is None:
            self.notify(
                "Fill a cart and pick a shopper in the store first (F1)", severity="warning"
            )
            return
        self.open_sale()

    @work(exclusive=True, group="in_store")
    async def open_sale(self) -> None:
        """Create the checkout; the QR code and short code appear."""
        gateway, identity = self.gateway, self.session.identity
        assert gateway is not None and identity is not None
        if self.phone is not None:
            await self.phone.aclose()
        self.card, self.charges, self.last_result = None, 0, ""
        try:
            self.checkout = await gateway.create_in_store_checkout(
                self.session.cart, identity, store_id=STORE_ID, terminal_id=TERMINAL_ID
            )
        except APIError as exc:
            self.notify(f"Sale refused: {exc}", severity="error")
            return
        action = self.checkout.next_action
        connection = self.sim.connection
        transport = connection.page_transport if connection is not None else None
        if action is not None:
            self.phone = HostedPagePhone(action.url, identity, transport)
        self.redraw()

    def action_phone_step(self) -> None:
        """The shopper does the page's next step on the phone."""
        if self.phone is None or self.phone.done:
            self.notify("No page open on the phone (n starts a sale)", severity="warning")
            return
        self.phone_step()

    @work(exclusive=True, group="in_store")
    async def phone_step(self) -> None:
        """Post the step's form; after the decision the terminal learns it (poll)."""
        assert self.phone is not None and self.checkout is not None and self.gateway is not None
        await self.phone.advance()
        if self.phone.done:
            self.checkout = await self.gateway.checkout(self.checkout.id)
            if self.checkout.virtual_card:
                self.card = await self.gateway.virtual_card(self.checkout.virtual_card)
        self.redraw()

    def action_text_link(self) -> None:
        """Text the page link to the shopper's phone (the sandbox's SMS outbox)."""
        if self.checkout is None or self.gateway is None:
            self.notify("No sale yet (n starts one)", severity="warning")
            return
        self.text_link()

    @work(group="in_store_sms")
    async def text_link(self) -> None:
        """Send the SMS and say where it went."""
        assert self.checkout is not None and self.gateway is not None
        try:
            sent = await self.gateway.client.checkouts.send_sms(self.checkout.id)
        except APIError as exc:
            self.notify(f"No SMS: {exc}", severity="warning")
            return
        self.notify(f"Texted the link to {sent.to}")

    def action_charge(self) -> None:
        """Charge the virtual card on the terminal."""
        if self.card is None:
            self.notify("No approved card to charge yet", severity="warning")
            return
        self.charge()

    @work(exclusive=True, group="in_store")
    async def charge(self) -> None:
        """One charge through the card network: the first captures the loan, a second is
        declined (single use)."""
        assert self.card is not None and self.gateway is not None
        self.charges += 1
        answer = await self.gateway.client.card_network.charge(
            self.card, idempotency_key=f"terminal-{self.card.id}-{self.charges}"
        )
        colour = "green" if answer.approved else "red"
        self.last_result = f"[{colour}]{answer.response_code} {answer.message}[/]"
        if answer.approved:
            self.last_result += " · loan captured"
        self.redraw()
