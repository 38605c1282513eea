"""Live events for `GET /v1/events/stream` (server-sent events, used by `installo listen`).

A stream starts after the merchant's newest event (or after the event a reconnecting client last
saw) and answers each later event in order. Commits that record events wake the waiting streams
through the database's after-commit hook, so a stream reads the database only when something
happened (and once per `IDLE_RECHECK` seconds otherwise, for events other processes wrote).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import Final

from sqlalchemy import func, select

from mock_server.services.context import Caller, Sandbox
from mock_server.services.errors import NotFound
from mock_server.services.event_bus import EventBus
from mock_server.services.events import event_object
from mock_server.services.objects import EventObject
from mock_server.storage.models import EventRow

__all__ = ["BATCH", "IDLE_RECHECK", "events_after", "stream_start", "wait_for_events"]

BATCH: Final = 100
IDLE_RECHECK: Final = 5.0
DISCONNECT_CHECK: Final = 1.0


def stream_start(sandbox: Sandbox, caller: Caller, last_event_id: str | None) -> int:
    """The position a stream starts after: the event the client last saw, else the newest."""
    with sandbox.db.reader() as session:
        if last_event_id is None:
            newest = session.scalar(
                select(func.max(EventRow.seq)).where(EventRow.merchant_id == caller.merchant.id)
            )
            return int(newest or 0)
        seq = session.scalar(
            select(EventRow.seq).where(
                EventRow.id == last_event_id, EventRow.merchant_id == caller.merchant.id
            )
        )
    if seq is None:
        raise NotFound("event", last_event_id, param="Last-Event-ID")
    return int(seq)


def events_after(
    sandbox: Sandbox, caller: Caller, after: int, types: Sequence[str]
) -> tuple[list[EventObject], int, bool]:
    """The merchant's events after position `after` (of these types, when given), oldest first;
    the position to continue after; and whether that was all of them for now."""
    query = (
        select(EventRow)
        .where(EventRow.merchant_id == caller.merchant.id, EventRow.seq > after)
        .order_by(EventRow.seq)
        .limit(BATCH)
    )
    with sandbox.db.reader() as session:
        rows = list(session.scalars(query))
        position = rows[-1].seq if rows else after
        wanted = [event_object(r) for r in rows if not types or r.type in types]
    return wanted, position, len(rows) < BATCH


async def wait_for_events(
    bus: EventBus, seen: int, disconnected: Callable[[], Awaitable[bool]]
) -> None:
    """Return when a commit recorded events after generation `seen`, when the client has gone,
    or after `IDLE_RECHECK` seconds (for events another process recorded)."""
    for _ in range(int(IDLE_RECHECK / DISCONNECT_CHECK)):
        if await bus.wait(seen, DISCONNECT_CHECK) or await disconnected():
            return
