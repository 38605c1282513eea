"""Money for display: integers in minor units become text only here."""

from __future__ import annotations

__all__ = [
    "MINOR_DIGITS",
    "format_bps",
    "format_money",
    "minor_per_major",
    "parse_money",
    "percent_of",
]

MINOR_DIGITS: dict[str, int] = {"USD": 2, "EUR": 2, "GBP": 2, "CNY": 2, "JPY": 0}
_SYMBOLS: dict[str, str] = {"USD": "$", "EUR": "€", "GBP": "£", "CNY": "CN¥", "JPY": "¥"}


def format_money(amount: int, currency: str) -> str:
    """``format_money(129900, "USD") -> "$1,299.00"``; unknown currencies get their code."""
    digits = MINOR_DIGITS.get(currency, 2)
    sign = "-" if amount < 0 else ""
    whole, minor = divmod(abs(amount), 10**digits)
    symbol = _SYMBOLS.get(currency)
    number = f"{whole:,}" + (f".{minor:0{digits}d}" if digits else "")
    if symbol is None:
        return f"{sign}{number} {currency}"
    return f"{sign}{symbol}{number}"


def minor_per_major(currency: str) -> int:
    """Minor units in one major unit: 100 for USD, 1 for JPY."""
    return int(10 ** MINOR_DIGITS.get(currency, 2))


def format_bps(bps: int) -> str:
    """Basis points as a percentage: ``format_bps(2499) -> "24.99%"``."""
    sign = "-" if bps < 0 else ""
    whole, frac = divmod(abs(bps), 100)
    return f"{sign}{whole}.{frac:02d}%"


def percent_of(amount: int, bps: int) -> int:
    """``amount * bps / 10000`` rounded half up, in integers."""
    return (amount * bps + 5_000) // 10_000


def parse_money(text: str, currency: str) -> int:
    """Read ``"12.34"`` / ``"$1,299"`` as minor units, exactly; raises ``ValueError``."""
    digits = MINOR_DIGITS.get(currency, 2)
    cleaned = "".join(ch for ch in text.strip() if ch.isdigit() or ch in ".-")
    if not cleaned or cleaned.count(".") > 1 or "-" in cleaned[1:]:
        raise ValueError(f"{text!r} is not an amount")
    negative = cleaned.startswith("-")
    whole, _, frac = cleaned.lstrip("-").partition(".")
    if len(frac) > digits:
        raise ValueError(f"{text!r} has more than {digits} decimals for {currency}")
    if not whole and not frac:
        raise ValueError(f"{text!r} is not an amount")
    amount = int(whole or "0") * 10**digits + int((frac or "0").ljust(digits, "0") or "0")
    return int(-amount if negative else amount)
