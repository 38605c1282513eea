"""storage.bulk.JsonList: a list's JSON text, reusing the text of entries shown before."""

from __future__ import annotations

from typing import Any

import orjson

from mock_server.storage.bulk import JsonList


def _text(value: Any) -> bytes:
    return orjson.dumps({"object": {"schedule": value}})


def test_a_json_list_writes_what_orjson_writes_as_the_list_grows_changes_and_shrinks() -> None:
    first = {"sequence": 1, "amount": 5415, "status": "paid", "note": None}
    second = {"sequence": 2, "amount": 5415, "status": "due", "nested": [1, {"a": "é"}]}
    shown = JsonList()
    steps: list[list[dict[str, Any]]] = [
        [],
        [first],
        [first, second],
        [first, {**second, "status": "paid"}],  # an entry replaced by a new dict
        [first, second, {"sequence": 3}],
        [second],  # replaced, not grown
        [],
    ]
    for entries in steps:
        assert _text(shown.fragment(entries)) == _text(entries)


def test_a_json_list_serializes_only_the_entries_that_are_new_objects() -> None:
    entry = {"sequence": 1, "amount": 100}
    shown = JsonList()
    shown.fragment([entry])
    entry["amount"] = 999  # the contract: entries are read-only once shown; this breaks it
    assert _text(shown.fragment([entry])) == _text([{"sequence": 1, "amount": 100}])
