"""The names a module defines for others: what the packages' `__all__` tests compare."""

from __future__ import annotations

from types import ModuleType


def public_names(module: ModuleType) -> set[str]:
    """The module's names that do not start with `_`. pytest's assertion rewriting, which
    pytest 9.2 applies to this editable install's packages (the project's pytest plugin makes
    them a plugin's distribution), adds `@py_builtins` and `@pytest_ar` to a module it loads:
    not identifiers, so nothing the module itself defines or imports."""
    return {name for name in vars(module) if name.isidentifier() and not name.startswith("_")}
