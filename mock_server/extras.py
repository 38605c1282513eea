"""Console scripts check their extra first, so a base install says what to install.

The base install (`pip install installo`) is the SDK alone; `mock-server` needs the `server`
extra and `merchant-sim` the `sim` extra. Without them, the scripts print the pip command to run
instead of a ModuleNotFoundError.
"""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Callable

__all__ = ["EXTRA_MODULES", "launch", "missing_extra_hint"]

_SERVER = ("fastapi", "uvicorn", "sqlalchemy", "pydantic_settings", "yaml", "faker", "orjson")
EXTRA_MODULES: dict[str, tuple[str, ...]] = {
    "server": _SERVER,
    "sim": (*_SERVER, "textual", "rich"),
}


def missing_extra_hint(command: str, extra: str) -> str | None:
    """The install hint when a module of `extra` is missing, else None."""
    missing = [name for name in EXTRA_MODULES[extra] if importlib.util.find_spec(name) is None]
    if not missing:
        return None
    return (
        f"{command} needs the '{extra}' extra (missing: {', '.join(missing)}).\n"
        f"Install it with:  pip install 'installo[{extra}]'"
    )


def launch(command: str, extra: str, load: Callable[[], Callable[[], int]]) -> int:
    """Run the command `load()` returns, or print the install hint and answer 1."""
    hint = missing_extra_hint(command, extra)
    if hint is not None:
        print(hint, file=sys.stderr)
        return 1
    return load()()
