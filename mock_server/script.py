"""The `mock-server` console script: checks the `server` extra before importing the sandbox."""

from __future__ import annotations

from collections.abc import Callable

from mock_server.extras import launch

__all__ = ["main"]


def main() -> int:
    """Run `mock-server`, or say how to install the `server` extra."""

    def load() -> Callable[[], int]:
        from mock_server.__main__ import main as run

        return run

    return launch("mock-server", "server", load)
