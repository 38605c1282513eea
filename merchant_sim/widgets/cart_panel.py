"""The cart: lines, subtotal, shipping, tax and total."""

from __future__ import annotations

from rich.console import RenderableType
from rich.table import Table
from textual.reactive import reactive
from textual.widgets import Static

from merchant_sim.cart import Cart
from merchant_sim.money import format_bps, format_money


class CartPanel(Static):
    """Shows a cart; set ``cart`` and bump ``revision`` to redraw."""

    revision: reactive[int] = reactive(0)

    def __init__(self, cart: Cart, **kwargs: str) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.cart = cart

    def watch_revision(self, _revision: int) -> None:
        """Redraw when the cart changes."""
        self.update(self.render_cart())

    def on_mount(self) -> None:
        """First draw."""
        self.update(self.render_cart())

    def render_cart(self) -> RenderableType:
        """The cart as a table."""
        cart, cur = self.cart, self.cart.currency
        table = Table.grid(padding=(0, 1), expand=True)
        table.add_column(ratio=1)
        table.add_column(justify="right")
        if not cart.lines:
            table.add_row("[dim]Cart is empty: press [b]a[/b] to add[/]", "")
        for line in cart.lines.values():
            table.add_row(f"{line.quantity} × {line.product.name}", format_money(line.amount, cur))
        table.add_row("", "")
        table.add_row("Subtotal", format_money(cart.subtotal, cur))
        table.add_row("Shipping", format_money(cart.shipping, cur))
        table.add_row(f"Tax ({format_bps(cart.tax_bps)})", format_money(cart.tax, cur))
        table.add_row("[b]Total[/]", f"[b]{format_money(cart.total, cur)}[/]")
        return table
