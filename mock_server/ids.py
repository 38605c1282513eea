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

# Random bytes become base-62 characters by one `bytes.translate`: a byte below 248 (4 x 62) is
# the character at its value modulo 62, each with the same chance; a byte from 248 up is
# dropped. Uniform, ~5.95 bits per character (24 characters: ~143 bits), and done in C: a clock
# advance makes thousands of ids (writing a 192-bit draw in base 62 by divmod cost ~3 us an id).
_KEPT: Final = 4 * len(_ALPHABET)
_TO_CHARACTERS: Final = bytes(ord(_ALPHABET[n % len(_ALPHABET)]) for n in range(_KEPT)).ljust(256)
_DROPPED: Final = bytes(range(_KEPT, 256))


def _characters(count: int) -> str:
    """`count` uniformly random base-62 characters."""
    text = b""
    while len(text) < count:  # 2 bytes more per id than needed: one id's draw falls short
        # about once in 20 (it draws again), a batch's hardly ever (1 byte in 32 is dropped)
        pool = secrets.token_bytes(count - len(text) + (count // _LENGTH + 1) * 2)
        text += pool.translate(_TO_CHARACTERS, _DROPPED)
    return text[:count].decode("ascii")


def new_id(prefix: Prefix) -> str:
    """A fresh id such as `chk_3xAq...` (24 base-62 characters, ~143 bits of randomness)."""
    return prefix + "_" + _characters(_LENGTH)


def new_ids(prefix: Prefix, count: int) -> list[str]:
    """`count` fresh ids, as `new_id` makes them, from one draw of the OS's randomness."""
    text = _characters(_LENGTH * count)
    head = prefix + "_"
    return [head + text[at : at + _LENGTH] for at in range(0, _LENGTH * count, _LENGTH)]
