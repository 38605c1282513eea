"""Display money and the storefront cart."""

from __future__ import annotations

import pytest

from merchant_sim.cart import Cart, Product
from merchant_sim.money import format_bps, format_money, percent_of


@pytest.mark.parametrize(
    ("amount", "currency", "text"),
    [
        (129900, "USD", "$1,299.00"),
        (5, "EUR", "€0.05"),
        (-2550, "GBP", "-£25.50"),
        (129900, "JPY", "¥129,900"),
        (100, "CNY", "CN¥1.00"),
        (1234, "CHF", "12.34 CHF"),
    ],
)
def test_format_money_uses_minor_units(amount: int, currency: str, text: str) -> None:
    assert format_money(amount, currency) == text


def test_format_bps_and_percent_of_round_half_up() -> None:
    assert format_bps(2499) == "24.99%"
    assert format_bps(0) == "0.00%"
    assert percent_of(1000, 825) == 83
    assert percent_of(999, 50) == 5


def test_cart_totals_are_exact_integers() -> None:
    cart = Cart(currency="USD", shipping_amount=799, tax_bps=825)
    laptop = Product("LAP", "Laptop", 129_900)
    mug = Product("MUG", "Mug", 1_800)
    cart.add(laptop)
    cart.add(mug, 2)
    cart.add(mug)
    assert cart.item_count == 4
    assert cart.subtotal == 135_300
    assert cart.tax == 11_162
    assert cart.total == 135_300 + 799 + 11_162
    assert cart.items_payload()[1] == {
        "sku": "MUG",
        "name": "Mug",
        "unit_amount": 1800,
        "quantity": 3,
    }


def test_decrement_drops_empty_lines_and_empty_cart_has_no_shipping() -> None:
    cart = Cart(shipping_amount=500)
    cart.add(Product("A", "A", 100))
    cart.decrement("A")
    cart.decrement("missing")
    assert cart.lines == {}
    assert cart.total == 0


def test_adding_zero_quantity_is_refused() -> None:
    with pytest.raises(ValueError, match="quantity 0"):
        Cart().add(Product("A", "A", 100), 0)
