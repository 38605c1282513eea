"""The rule engine's public surface: `__all__` lists exactly the public names it exports."""

from __future__ import annotations

import types
import typing

import mock_server.rules as rules
from tests.public_names import public_names


def test_all_lists_every_public_name_and_nothing_else() -> None:
    public = {
        name
        for name in public_names(rules)
        if not isinstance(getattr(rules, name), types.ModuleType)
    }
    assert sorted(rules.__all__) == sorted(public)


def test_dry_run_name_is_the_function_not_the_module() -> None:
    assert callable(rules.dry_run)
    assert rules.dry_run.__module__ == "mock_server.rules.dry_run"


def test_every_exported_function_and_class_has_a_docstring() -> None:
    for name in rules.__all__:
        value = getattr(rules, name)
        if isinstance(value, (type, types.FunctionType)):
            assert value.__doc__, name
    assert typing.get_args(rules.Outcome) == ("approve", "review", "decline")
