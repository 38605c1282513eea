"""Money for display only: integers in minor units become text at the edge, never floats."""

from __future__ import annotations

__all__ = ["MINOR_UNITS", "format_money", "format_rate_bps"]

MINOR_UNITS: dict[str, int] = {"USD": 2, "EUR": 2, "GBP": 2, "CNY": 2, "JPY": 0}
_SYMBOLS: dict[str, str] = {"USD": "$", "EUR": "€", "GBP": "£", "CNY": "¥", "JPY": "¥"}


def format_money(amount: int, currency: str) -> str:
    """Format minor units for display: `format_money(129900, "USD") == "$1,299.00"`."""
    code = currency.upper()
    digits = MINOR_UNITS.get(code, 2)
    sign = "-" if amount < 0 else ""
    major, minor = divmod(abs(amount), 10**digits)
    text = f"{major:,}" + (f".{minor:0{digits}d}" if digits else "")
    symbol = _SYMBOLS.get(code)
    return f"{sign}{symbol}{text}" if symbol else f"{sign}{text} {code}"


def format_rate_bps(bps: int) -> str:
    """Format basis points as a percentage: `format_rate_bps(2499) == "24.99%"`."""
    whole, frac = divmod(abs(bps), 100)
    return f"{'-' if bps < 0 else ''}{whole}.{frac:02d}%"
