"""storage.bulk.GrowingJsonList: an append-only list's JSON text, each entry serialized once."""

from __future__ import annotations

from typing import Any

import orjson

from mock_server.storage.bulk import GrowingJsonList


def _text(value: Any) -> bytes:
    return orjson.dumps({"object": {"history": value}})


def test_a_growing_json_list_writes_what_orjson_writes_as_the_list_grows_or_is_replaced() -> None:
    first = {"kind": "capture", "amount": 60000, "note": None}
    second = {"kind": "payment", "amount": 5415, "lines": [1, {"a": "é"}]}
    third = {"kind": "late_fee", "amount": 700}
    shown = GrowingJsonList()
    steps: list[list[dict[str, Any]]] = [
        [],
        [first],
        [first],  # unchanged
        [first, second, third],  # grown by two
        [first, {**second}, third],  # an entry replaced by a new dict
        [second],  # replaced by a shorter list
        [],
        [third, first],
    ]
    for entries in steps:
        assert _text(shown.fragment(list(entries))) == _text(entries)


def test_a_growing_json_list_serializes_only_the_entries_added_since() -> None:
    entry = {"kind": "capture", "amount": 100}
    shown = GrowingJsonList()
    shown.fragment([entry])
    entry["amount"] = 999  # the contract: entries are read-only once shown; this breaks it
    added = {"kind": "payment", "amount": 1}
    before = {"kind": "capture", "amount": 100}
    assert _text(shown.fragment([entry, added])) == _text([before, added])
