"""Money: currencies, formatting, sandbox FX and the Money value type."""

from decimal import ROUND_HALF_EVEN, Decimal, localcontext
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mock_server.domain.money import (
    CURRENCIES,
    SANDBOX_USD_RATES,
    CurrencyMismatch,
    Money,
    UnsupportedCurrency,
    format_money,
    get_currency,
    round_half_even,
    to_usd_minor,
)


def test_supported_currencies_have_their_iso_exponents() -> None:
    exponents = {code: c.exponent for code, c in CURRENCIES.items()}
    assert exponents == {"USD": 2, "EUR": 2, "GBP": 2, "CNY": 2, "JPY": 0}


def test_get_currency_is_case_insensitive() -> None:
    assert get_currency("usd") is CURRENCIES["USD"]


def test_unsupported_currency_names_the_code() -> None:
    with pytest.raises(UnsupportedCurrency, match="'XYZ'") as info:
        get_currency("XYZ")
    assert isinstance(info.value, ValueError)
    assert info.value.code == "XYZ"


@pytest.mark.parametrize(
    ("amount", "currency", "text"),
    [
        (129900, "USD", "$1,299.00"),
        (12900, "JPY", "¥12,900"),
        (5, "EUR", "€0.05"),
        (100000050, "GBP", "£1,000,000.50"),
        (888800, "CNY", "CN¥8,888.00"),
        (0, "USD", "$0.00"),
        (-1999, "USD", "-$19.99"),
        (-7, "JPY", "-¥7"),
    ],
)
def test_format_money_renders_symbol_grouping_and_decimals(
    amount: int, currency: str, text: str
) -> None:
    assert format_money(amount, currency) == text


def test_format_money_refuses_floats() -> None:
    with pytest.raises(TypeError, match="int in minor units"):
        format_money(12.5, "USD")  # type: ignore[arg-type]


@given(
    amount=st.integers(min_value=-(10**15), max_value=10**15),
    currency=st.sampled_from(sorted(SANDBOX_USD_RATES)),
)
def test_to_usd_minor_is_the_exact_product_rounded_half_even(amount: int, currency: str) -> None:
    """The conversion equals its definition worked out in exact decimals: amount x rate x
    (cents per dollar / minor units per major unit), rounded half-even once, at the end."""
    minor = get_currency(currency).minor_per_major
    with localcontext() as ctx:
        ctx.prec = 60  # no intermediate rounding at these sizes
        exact = Decimal(amount) * SANDBOX_USD_RATES[currency] * 100 / minor
        expected = int(exact.quantize(Decimal(1), rounding=ROUND_HALF_EVEN))
    assert to_usd_minor(amount, currency) == expected


@pytest.mark.parametrize(
    ("amount", "currency", "cents"),
    [
        (129900, "USD", 129900),
        (10000, "EUR", 10800),  # 100.00 EUR * 1.08
        (10000, "GBP", 12700),
        (100000, "CNY", 14000),  # 1,000.00 CNY * 0.14
        (10000, "JPY", 6700),  # 10,000 yen * 0.0067 USD
        (75, "JPY", 50),  # 50.25 cents rounds down
        (1, "EUR", 1),  # 1.08 cents
        (3750, "JPY", 2512),  # 2512.5 cents: tie goes to the even neighbour
        (3751, "JPY", 2513),  # 2513.17 cents
        (-10000, "EUR", -10800),
    ],
)
def test_to_usd_minor_uses_fixed_rates_and_half_even(
    amount: int, currency: str, cents: int
) -> None:
    assert to_usd_minor(amount, currency) == cents


@pytest.mark.parametrize(
    ("value", "rounded"),
    [
        (Fraction(5, 2), 2),
        (Fraction(7, 2), 4),
        (Fraction(-5, 2), -2),
        (Fraction(-7, 2), -4),
        (Fraction(251, 100), 3),
        (Fraction(249, 100), 2),
        (Fraction(-251, 100), -3),
        (Fraction(4), 4),
    ],
)
def test_round_half_even_rounds_ties_to_even(value: Fraction, rounded: int) -> None:
    assert round_half_even(value) == rounded


def test_money_adds_and_subtracts_in_one_currency() -> None:
    total = Money(1000, "usd") + Money(250, "USD") - Money(50, "USD")
    assert total == Money(1200, "USD")
    assert total.currency == "USD"
    assert (-total).amount == -1200


def test_money_refuses_mixed_currencies() -> None:
    with pytest.raises(CurrencyMismatch, match="USD with EUR"):
        _ = Money(1, "USD") + Money(1, "EUR")
    with pytest.raises(CurrencyMismatch):
        _ = Money(1, "USD") - Money(1, "JPY")


def test_money_refuses_non_int_amounts_and_unknown_currencies() -> None:
    with pytest.raises(TypeError):
        Money(True, "USD")
    with pytest.raises(UnsupportedCurrency):
        Money(1, "ABC")


def test_money_formats_and_converts() -> None:
    money = Money(10000, "EUR")
    assert money.format() == "€100.00"
    assert money.to_usd_minor() == 10800
    assert Money.zero("JPY") == Money(0, "JPY")
