"""The storefront: catalog, cart and the shopper at the till."""

from __future__ import annotations

import random
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Footer, Label, Static

from merchant_sim.identity import Identity
from merchant_sim.messages import SandboxFailed, SandboxReady
from merchant_sim.screens._base import SimScreen
from merchant_sim.widgets.cart_panel import CartPanel
from merchant_sim.widgets.catalog import CatalogTable
from merchant_sim.widgets.customer_card import CustomerCard
from merchant_sim.widgets.mode_bar import ModeBar


class StoreScreen(SimScreen):
    """Browse, fill the cart, pick a shopper, check out."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("a", "add", "Add"),
        Binding("x", "remove", "Remove"),
        Binding("c", "pick_customer", "Customer"),
        Binding("n", "random_customer", "Random"),
        Binding("k", "checkout", "Checkout"),
        Binding("e", "empty_cart", "Empty", show=False),
    ]

    def compose(self) -> ComposeResult:
        """Catalog on the left; shopper and cart on the right."""
        yield ModeBar()
        with Horizontal(id="store"):
            with Vertical(id="catalog-pane", classes="pane"):
                yield Label("Catalog", classes="pane-title")
                yield CatalogTable(self.session.catalog, self.session.cart.currency, id="catalog")
            with Vertical(id="till-pane", classes="pane"):
                yield Label("Customer", classes="pane-title")
                yield CustomerCard(id="customer")
                yield Label("Cart", classes="pane-title")
                yield CartPanel(self.session.cart, id="cart")
        yield Static("Starting the sandbox…", id="status-line")
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        """Show the current shopper and connection state."""
        self.query_one(CustomerCard).identity = self.session.identity
        if self.gateway is not None:
            self._set_status(self.sim.connection_label)

    def on_screen_resume(self) -> None:
        """Redraw after coming back from checkout."""
        self.query_one(CartPanel).revision += 1
        self.query_one(CustomerCard).identity = self.session.identity

    def on_sandbox_ready(self, _message: SandboxReady) -> None:
        """The sandbox is up: say where."""
        self._set_status(self.sim.connection_label)

    def on_sandbox_failed(self, message: SandboxFailed) -> None:
        """Say why there is no sandbox."""
        self._set_status(f"[red]{message.reason}[/]")

    def _set_status(self, text: str) -> None:
        self.query_one("#status-line", Static).update(text)

    def on_catalog_table_product_chosen(self, message: CatalogTable.ProductChosen) -> None:
        """Enter on a product adds it."""
        self.session.cart.add(message.product)
        self.query_one(CartPanel).revision += 1

    def action_add(self) -> None:
        """Add the highlighted product."""
        product = self.query_one(CatalogTable).highlighted_product
        if product is not None:
            self.session.cart.add(product)
            self.query_one(CartPanel).revision += 1

    def action_remove(self) -> None:
        """Take one of the highlighted product out."""
        product = self.query_one(CatalogTable).highlighted_product
        if product is not None:
            self.session.cart.decrement(product.sku)
            self.query_one(CartPanel).revision += 1

    def action_empty_cart(self) -> None:
        """Empty the cart."""
        self.session.cart.clear()
        self.query_one(CartPanel).revision += 1

    def set_identity(self, identity: Identity | None) -> None:
        """Make ``identity`` the shopper (None keeps the current one)."""
        if identity is not None:
            self.session.identity = identity
            self.query_one(CustomerCard).identity = identity

    def action_pick_customer(self) -> None:
        """Open the customer picker."""
        from merchant_sim.screens.customer_picker import CustomerPicker

        self.app.push_screen(CustomerPicker(self.session.personas), self.set_identity)

    def action_random_customer(self) -> None:
        """A random persona becomes the shopper."""
        if not self.session.personas:
            self.notify("No personas loaded yet", severity="warning")
            return
        self.set_identity(Identity.from_persona(random.choice(self.session.personas)))

    def action_checkout(self) -> None:
        """Go to checkout with this cart and shopper."""
        from merchant_sim.screens.checkout import CheckoutScreen

        if not self.session.cart.lines:
            self.notify("The cart is empty", severity="warning")
        elif self.session.identity is None:
            self.notify("Pick a customer first (c, or n for a random one)", severity="warning")
        elif self.gateway is None:
            self.notify("The sandbox is still starting", severity="warning")
        else:
            self.app.push_screen(CheckoutScreen())
