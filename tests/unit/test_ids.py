"""Object ids: `prefix_` and 24 uniformly random base-62 characters."""

from __future__ import annotations

import re
import secrets
import string
from collections import Counter
from collections.abc import Iterator

import pytest

from mock_server import ids
from mock_server.ids import new_id, new_ids

ALPHABET = string.ascii_letters + string.digits


def test_an_id_is_its_prefix_and_24_base62_characters_and_a_batch_is_all_new() -> None:
    batch = new_ids("evt", 500)
    assert len(batch) == 500 and len(set(batch)) == 500
    for made in [*batch, new_id("chk")]:
        assert re.fullmatch(r"(evt|chk)_[A-Za-z0-9]{24}", made), made


def test_every_character_comes_from_the_same_number_of_byte_values() -> None:
    """Four byte values per character and the rest dropped: each character equally likely."""
    kept = Counter(chr(byte) for byte in ids._TO_CHARACTERS[: ids._KEPT])
    assert kept == dict.fromkeys(ALPHABET, 4)
    assert set(ids._DROPPED) == set(range(ids._KEPT, 256))


def test_bytes_map_by_value_modulo_62_and_a_short_draw_draws_again(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    draws: Iterator[bytes] = iter(
        [
            bytes([255] * 20 + [0, 61, 62, 247, 248, 123]),  # 5 kept of 26: short
            bytes(range(26)),
        ]
    )
    monkeypatch.setattr(secrets, "token_bytes", lambda size: next(draws))
    assert new_id("loan") == "loan_a9a99" + ALPHABET[:19]
