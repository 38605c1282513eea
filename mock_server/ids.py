"""Prefixed object ids (`chk_...`, `loan_...`): random, URL-safe, never reused."""

from __future__ import annotations

import secrets
import string
from typing import Final, Literal

__all__ = ["Prefix", "new_id", "new_ids"]

Prefix = Literal[
    "mer",
    "cus",
    "chk",
    "loan",
    "evt",
    "whe",
    "rev",
    "pol",
    "wf",
    "req",
    "ofr",
    "cr",
    "pq",
    "po",
    "txn",
    "clock",
    "vcard",
    "auth",
    "sms",
    "ff",
    "dsp",
]

_ALPHABET: Final = string.ascii_letters + string.digits
_LENGTH: Final = 24


# Two base-62 digits at a time, the less significant first (as written one by one).
_PAIRS: Final = tuple(_ALPHABET[n % 62] + _ALPHABET[n // 62] for n in range(62 * 62))


def _written(prefix: str, number: int) -> str:
    digits = []
    for _ in range(_LENGTH // 2):
        number, pair = divmod(number, 62 * 62)
        digits.append(_PAIRS[pair])
    return prefix + "_" + "".join(digits)


def new_id(prefix: Prefix) -> str:
    """A fresh id such as `chk_3xAq...` (24 base62 characters, ~143 bits of randomness)."""
    # One 192-bit draw written in base 62 (the bias is below 2**-49): a clock advance makes
    # thousands of ids, and one call to the OS per character cost more than the rest of them.
    return _written(prefix, int.from_bytes(secrets.token_bytes(_LENGTH), "big"))


def new_ids(prefix: Prefix, count: int) -> list[str]:
    """`count` fresh ids, as `new_id` makes them, from one draw of the OS's randomness."""
    pool = secrets.token_bytes(_LENGTH * count)
    return [
        _written(prefix, int.from_bytes(pool[at : at + _LENGTH], "big"))
        for at in range(0, _LENGTH * count, _LENGTH)
    ]
