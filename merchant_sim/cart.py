"""The storefront's catalog and cart: pure, integer money, no I/O."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from merchant_sim.money import percent_of

__all__ = ["DEMO_CATALOG", "Cart", "CartLine", "Product"]


@dataclass(frozen=True)
class Product:
    """A product for sale; ``price`` in minor units of the store currency."""

    sku: str
    name: str
    price: int


@dataclass
class CartLine:
    """A product and how many of it."""

    product: Product
    quantity: int

    @property
    def amount(self) -> int:
        """The line's total in minor units."""
        return self.product.price * self.quantity


@dataclass
class Cart:
    """A shopping cart with shipping and tax; totals are exact integers."""

    currency: str = "USD"
    shipping_amount: int = 0
    tax_bps: int = 0
    lines: dict[str, CartLine] = field(default_factory=dict)

    def add(self, product: Product, quantity: int = 1) -> None:
        """Add ``quantity`` of ``product``."""
        if quantity < 1:
            raise ValueError(f"quantity {quantity} must be at least 1")
        line = self.lines.get(product.sku)
        if line is None:
            self.lines[product.sku] = CartLine(product, quantity)
        else:
            line.quantity += quantity

    def decrement(self, sku: str) -> None:
        """Take one of ``sku`` out; the line goes when it reaches zero."""
        line = self.lines.get(sku)
        if line is None:
            return
        line.quantity -= 1
        if line.quantity <= 0:
            del self.lines[sku]

    def clear(self) -> None:
        """Empty the cart."""
        self.lines.clear()

    @property
    def item_count(self) -> int:
        """How many units are in the cart."""
        return sum(line.quantity for line in self.lines.values())

    @property
    def subtotal(self) -> int:
        """The items' sum."""
        return sum(line.amount for line in self.lines.values())

    @property
    def shipping(self) -> int:
        """Shipping, charged only when the cart has items."""
        return self.shipping_amount if self.lines else 0

    @property
    def tax(self) -> int:
        """Tax on the subtotal, rounded half up."""
        return percent_of(self.subtotal, self.tax_bps)

    @property
    def total(self) -> int:
        """Subtotal plus shipping plus tax: the checkout amount."""
        return self.subtotal + self.shipping + self.tax

    def items_payload(self) -> list[dict[str, Any]]:
        """The cart as checkout ``items`` for the API."""
        return [
            {
                "sku": line.product.sku,
                "name": line.product.name,
                "unit_amount": line.product.price,
                "quantity": line.quantity,
            }
            for line in self.lines.values()
        ]


DEMO_CATALOG: tuple[Product, ...] = (
    Product("LAP-14", "Aero 14 laptop", 129_900),
    Product("PHN-X", "Pixelon X phone", 79_900),
    Product("HDP-NC", "Noise-cancelling headphones", 34_900),
    Product("BIK-E", "City e-bike", 189_000),
    Product("SOF-3", "Three-seat sofa", 99_500),
    Product("WAT-S", "Smartwatch", 24_900),
    Product("CAM-M", "Mirrorless camera", 149_900),
    Product("MUG-1", "Enamel mug", 1_800),
)
