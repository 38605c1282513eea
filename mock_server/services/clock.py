"""Sandbox time: real time plus each merchant's clock offset (which only moves forward)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from sqlalchemy.orm import Session

from mock_server.storage.models import ClockRow

__all__ = ["WallClock", "advance_clock", "merchant_now", "utc_now"]

WallClock = Callable[[], datetime]


def utc_now() -> datetime:
    """The real time, timezone-aware UTC."""
    return datetime.now(UTC)


def merchant_now(session: Session, merchant_id: str, wall: WallClock = utc_now) -> datetime:
    """The merchant's sandbox time."""
    row = session.get(ClockRow, merchant_id)
    offset = row.offset_seconds if row is not None else 0
    return wall() + timedelta(seconds=offset)


def advance_clock(session: Session, merchant_id: str, delta: timedelta) -> None:
    """Move the merchant's sandbox time forward by `delta` (never backward)."""
    if delta < timedelta(0):
        raise ValueError("the sandbox clock only moves forward")
    row = session.get(ClockRow, merchant_id)
    if row is None:
        row = ClockRow(merchant_id=merchant_id, offset_seconds=0)
        session.add(row)
    row.offset_seconds = (row.offset_seconds or 0) + int(delta.total_seconds())
