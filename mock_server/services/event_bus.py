"""Wakes live event streams when a commit recorded events (see services.event_stream)."""

from __future__ import annotations

import asyncio
import threading

from sqlalchemy.orm import Session

__all__ = ["EVENTS_RECORDED", "EventBus"]

# Set on a session whose commit should wake the live event streams.
EVENTS_RECORDED = "events_recorded"


class EventBus:
    """A generation counter bumped by each commit that recorded events; streams wait for it to
    move past the generation they last read at."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._generation = 0
        self._waiters: set[tuple[asyncio.AbstractEventLoop, asyncio.Event]] = set()

    @property
    def generation(self) -> int:
        """How many event-recording commits this process has seen."""
        return self._generation

    def after_commit(self, session: Session) -> None:
        """Database hook: wake every waiting stream when the commit recorded events."""
        if session.info.pop(EVENTS_RECORDED, False):
            self.notify()

    def notify(self) -> None:
        """Move the generation on and wake every waiting stream."""
        with self._lock:
            self._generation += 1
            waiters = list(self._waiters)
        for loop, event in waiters:
            if not loop.is_closed():
                loop.call_soon_threadsafe(event.set)

    async def wait(self, seen: int, timeout: float) -> bool:
        """Wait until the generation moves past `seen` (answer True) or `timeout` seconds pass
        (answer False)."""
        waiter = (asyncio.get_running_loop(), asyncio.Event())
        with self._lock:
            if self._generation != seen:
                return True
            self._waiters.add(waiter)
        try:
            await asyncio.wait_for(waiter[1].wait(), timeout)
            return True
        except TimeoutError:
            return False
        finally:
            with self._lock:
                self._waiters.discard(waiter)
