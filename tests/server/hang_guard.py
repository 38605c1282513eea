"""Running an async scenario that could deadlock the app: on its own event loop in a daemon
thread, failing the test with the last step it reached instead of hanging the suite."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Awaitable, Callable

import pytest

__all__ = ["HANG_S", "run_bounded", "until"]

HANG_S = 120.0  # only a hang detector: each scenario takes well under a second


def run_bounded(scenario: Callable[[list[str]], Awaitable[None]], name: str) -> None:
    """Run the scenario (which appends the step it is at to its list) on its own event loop in
    a thread; fail naming its last step if it has not finished within HANG_S seconds (the
    thread is a daemon: a hang cannot block the run)."""
    steps: list[str] = ["starting"]
    failure: list[BaseException] = []

    def run() -> None:
        try:
            asyncio.run(scenario(steps))  # type: ignore[arg-type]
        except BaseException as exc:
            failure.append(exc)

    thread = threading.Thread(target=run, name=name, daemon=True)
    thread.start()
    thread.join(HANG_S)
    if thread.is_alive():
        pytest.fail(f"the app stopped answering: no progress after step {steps[-1]!r}")
    if failure:
        raise failure[0]


async def until(condition: Callable[[], bool]) -> None:
    """Give the event loop turns until the condition holds (no sleeping)."""
    while not condition():
        await asyncio.to_thread(lambda: None)
