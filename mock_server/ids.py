"""Prefixed object ids (`chk_...`, `loan_...`): random, URL-safe, never reused."""

from __future__ import annotations

import secrets
import string
from typing import Final, Literal

__all__ = ["Prefix", "new_id"]

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


def new_id(prefix: Prefix) -> str:
    """A fresh id such as `chk_3xAq...` (24 base62 characters, ~143 bits of randomness)."""
    # One 192-bit draw written in base 62 (the bias is below 2**-49): a clock advance makes
    # thousands of ids, and one call to the OS per character cost more than the rest of them.
    number = int.from_bytes(secrets.token_bytes(_LENGTH), "big")
    digits = []
    for _ in range(_LENGTH):
        number, digit = divmod(number, 62)
        digits.append(_ALPHABET[digit])
    return prefix + "_" + "".join(digits)
