"""The `merchant-sim` console script: checks the `sim` extra before importing the simulator."""

from __future__ import annotations

from collections.abc import Callable

from mock_server.extras import launch

__all__ = ["main"]


def main() -> int:
    """Run `merchant-sim`, or say how to install the `sim` extra."""

    def load() -> Callable[[], int]:
        from merchant_sim.__main__ import main as run

        return run

    return launch("merchant-sim", "sim", load)
