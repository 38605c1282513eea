"""Money formatting at the display edge: integers in minor units, never floats."""

from __future__ import annotations

import pytest
from installo import format_money
from installo._money import format_rate_bps


@pytest.mark.parametrize(
    ("amount", "currency", "text"),
    [
        (129900, "USD", "$1,299.00"),
        (5, "EUR", "€0.05"),
        (-2550, "GBP", "-£25.50"),
        (129900, "JPY", "¥129,900"),
        (100, "CNY", "¥1.00"),
        (123456, "CHF", "1,234.56 CHF"),
        (0, "usd", "$0.00"),
    ],
)
def test_format_money(amount: int, currency: str, text: str) -> None:
    assert format_money(amount, currency) == text


@pytest.mark.parametrize(("bps", "text"), [(0, "0.00%"), (2499, "24.99%"), (5, "0.05%")])
def test_format_rate_bps(bps: int, text: str) -> None:
    assert format_rate_bps(bps) == text
