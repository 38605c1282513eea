"""Currencies, integer money in minor units, formatting and sandbox FX.

Amounts are always ``int`` counts of a currency's minor unit (cents for USD, yen for JPY).
No float ever touches an amount; conversions use ``Decimal``/``Fraction`` with explicit
half-even rounding.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Final

__all__ = [
    "CURRENCIES",
    "SANDBOX_USD_RATES",
    "Currency",
    "CurrencyMismatch",
    "Money",
    "UnsupportedCurrency",
    "format_money",
    "from_usd_minor",
    "get_currency",
    "round_half_even",
    "to_usd_minor",
]


class UnsupportedCurrency(ValueError):
    """The currency code is not one the sandbox supports."""

    def __init__(self, code: object) -> None:
        self.code = code
        supported = ", ".join(sorted(CURRENCIES))
        super().__init__(f"unsupported currency {code!r} (supported: {supported})")


class CurrencyMismatch(ValueError):
    """Two amounts in different currencies were combined."""


@dataclass(frozen=True, slots=True)
class Currency:
    """An ISO 4217 currency: its code, minor-unit exponent and display symbol."""

    code: str
    exponent: int
    symbol: str

    @property
    def minor_per_major(self) -> int:
        """How many minor units make one major unit (100 for USD, 1 for JPY)."""
        return int(10**self.exponent)


CURRENCIES: Final[dict[str, Currency]] = {
    c.code: c
    for c in (
        Currency("USD", 2, "$"),
        Currency("EUR", 2, "€"),
        Currency("GBP", 2, "£"),
        Currency("CNY", 2, "CN¥"),
        Currency("JPY", 0, "¥"),
    )
}

# Fixed sandbox rates: one major unit of the currency in US dollars. Strings, so no float is
# ever involved in building them.
SANDBOX_USD_RATES: Final[dict[str, Decimal]] = {
    "USD": Decimal("1"),
    "EUR": Decimal("1.08"),
    "GBP": Decimal("1.27"),
    "CNY": Decimal("0.14"),
    "JPY": Decimal("0.0067"),
}


def get_currency(code: str) -> Currency:
    """Return the supported currency for an ISO code (case-insensitive)."""
    if not isinstance(code, str):
        raise UnsupportedCurrency(code)
    try:
        return CURRENCIES[code.upper()]
    except KeyError:
        raise UnsupportedCurrency(code) from None


def _check_amount(amount: object, name: str = "amount") -> int:
    # bool is an int subclass; True is not an amount.
    if isinstance(amount, bool) or not isinstance(amount, int):
        raise TypeError(f"{name} must be an int in minor units, got {type(amount).__name__}")
    return amount


def round_half_even(value: Fraction) -> int:
    """Round an exact fraction to the nearest integer, ties to even (banker's rounding)."""
    return divide_half_even(value.numerator, value.denominator)


def divide_half_even(numerator: int, denominator: int) -> int:
    """``numerator / denominator`` (denominator > 0) rounded to the nearest integer, ties to
    even: `round_half_even` without building a Fraction."""
    quotient, remainder = divmod(numerator, denominator)
    twice = 2 * remainder
    if twice > denominator or (twice == denominator and quotient % 2 == 1):
        quotient += 1
    return quotient


def format_money(amount: int, currency: str) -> str:
    """Render minor units as display text: ``format_money(129900, "USD") == "$1,299.00"``."""
    _check_amount(amount)
    cur = get_currency(currency)
    sign = "-" if amount < 0 else ""
    major, minor = divmod(abs(amount), cur.minor_per_major)
    text = f"{major:,}"
    if cur.exponent:
        text += f".{minor:0{cur.exponent}d}"
    return f"{sign}{cur.symbol}{text}"


def to_usd_minor(amount: int, currency: str) -> int:
    """Convert minor units of ``currency`` to US cents at the fixed sandbox rate, half-even."""
    _check_amount(amount)
    cur = get_currency(currency)
    numerator, denominator = _TO_USD_CENTS[cur.code]
    return divide_half_even(amount * numerator, denominator)


def _usd_minor_per_minor_unit(code: str) -> tuple[int, int]:
    """US cents per minor unit of `code` at the sandbox's rate, exactly: (numerator,
    denominator)."""
    exact = (
        Fraction(SANDBOX_USD_RATES[code])
        * get_currency("USD").minor_per_major
        / get_currency(code).minor_per_major
    )
    return exact.numerator, exact.denominator


# Integer arithmetic instead of a 60-digit Decimal context per conversion (equal answers).
_TO_USD_CENTS: Final = {code: _usd_minor_per_minor_unit(code) for code in SANDBOX_USD_RATES}


def from_usd_minor(usd_cents: int, currency: str) -> int:
    """Convert US cents to minor units of ``currency`` at the fixed sandbox rate, half-even:
    `to_usd_minor`'s rate the other way (a credit file converts a dozen amounts)."""
    found = _TO_USD_CENTS.get(currency)
    if found is None:  # a code in lower case, or an unsupported one
        found = _TO_USD_CENTS[get_currency(currency).code]
    numerator, denominator = found
    return divide_half_even(usd_cents * denominator, numerator)


@dataclass(frozen=True, slots=True)
class Money:
    """An amount in minor units with its currency; arithmetic refuses mixed currencies."""

    amount: int
    currency: str

    def __post_init__(self) -> None:
        _check_amount(self.amount)
        object.__setattr__(self, "currency", get_currency(self.currency).code)

    @classmethod
    def zero(cls, currency: str) -> Money:
        """Zero in the given currency."""
        return cls(0, currency)

    def _same_currency(self, other: Money) -> None:
        if other.currency != self.currency:
            raise CurrencyMismatch(f"cannot combine {self.currency} with {other.currency}")

    def __add__(self, other: Money) -> Money:
        if not isinstance(other, Money):
            return NotImplemented
        self._same_currency(other)
        return Money(self.amount + other.amount, self.currency)

    def __sub__(self, other: Money) -> Money:
        if not isinstance(other, Money):
            return NotImplemented
        self._same_currency(other)
        return Money(self.amount - other.amount, self.currency)

    def __neg__(self) -> Money:
        return Money(-self.amount, self.currency)

    def format(self) -> str:
        """Display text, e.g. ``$1,299.00``."""
        return format_money(self.amount, self.currency)

    def to_usd_minor(self) -> int:
        """This amount in US cents at the fixed sandbox rate."""
        return to_usd_minor(self.amount, self.currency)
