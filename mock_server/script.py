"""The `mock-server` console script: checks the `server` extra before importing the sandbox.

Pydantic looks for plugins (the `pydantic` entry-point group) by reading the metadata of every
installed distribution when the first model is built: ~55 ms of a start with the ~120
distributions of a development install. The sandbox uses no plugin, so the command turns the
search off (`PYDANTIC_DISABLE_PLUGINS=__all__`, inherited by `--workers` processes) unless the
variable is already set; `PYDANTIC_DISABLE_PLUGINS=` (empty) brings plugins back.
"""

from __future__ import annotations

import os
from collections.abc import Callable

from mock_server.extras import launch

__all__ = ["main"]


def main() -> int:
    """Run `mock-server`, or say how to install the `server` extra."""
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")  # before the first model

    def load() -> Callable[[], int]:
        from mock_server.__main__ import main as run

        return run

    return launch("mock-server", "server", load)
