"""Sandbox time: real time plus each merchant's clock offset (which only moves forward)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from mock_server.storage.models import ClockRow, TestClockRow

__all__ = [
    "WallClock",
    "advance_clock",
    "find_test_clock",
    "hold_clock",
    "merchant_now",
    "remember_offset",
    "utc_now",
]

WallClock = Callable[[], datetime]


def utc_now() -> datetime:
    """The real time, timezone-aware UTC."""
    return datetime.now(UTC)


_OFFSETS = "sandbox_clock_offsets"  # session.info: merchant id -> offset read in this session


def remember_offset(session: Session, merchant_id: str, offset: int | None) -> None:
    """Keep a clock offset read along with the merchant, so `merchant_now` needs no query."""
    session.info.setdefault(_OFFSETS, {})[merchant_id] = offset or 0


def find_test_clock(
    session: Session, merchant_id: str, clock_id: str, *, for_update: bool = False
) -> TestClockRow | None:
    """The merchant's test clock with this id, if there is one."""
    query = select(TestClockRow).where(
        TestClockRow.id == clock_id, TestClockRow.merchant_id == merchant_id
    )
    return session.scalars(query.with_for_update() if for_update else query).first()


def merchant_now(
    session: Session, merchant_id: str, wall: WallClock = utc_now, test_clock: str | None = None
) -> datetime:
    """The merchant's sandbox time; for an object attached to a test clock, that clock's time."""
    if test_clock is not None:
        frozen = session.scalar(
            select(TestClockRow.frozen_time).where(
                TestClockRow.id == test_clock, TestClockRow.merchant_id == merchant_id
            )
        )
        if frozen is not None:
            return frozen
    offsets: dict[str, int] = session.info.setdefault(_OFFSETS, {})
    offset = offsets.get(merchant_id)
    if offset is None:
        row = session.get(ClockRow, merchant_id)
        offset = offsets[merchant_id] = row.offset_seconds if row is not None else 0
    return wall() + timedelta(seconds=offset)


_CLOCK_LOCKS = 0x1C10C  # namespace of the per-merchant advisory locks


def hold_clock(session: Session, merchant_id: str) -> None:
    """Hold the merchant's clock until the transaction ends, so advances never interleave.

    On PostgreSQL this is an advisory lock, shared by every sandbox process on the database
    (`--workers N`); on SQLite the database's one writer already serializes them.
    """
    if session.get_bind().dialect.name == "postgresql":
        session.execute(
            text("SELECT pg_advisory_xact_lock(:space, hashtext(:merchant))"),
            {"space": _CLOCK_LOCKS, "merchant": merchant_id},
        )
    # What this session read before the lock may predate another process's advance: read again.
    session.info.get(_OFFSETS, {}).pop(merchant_id, None)
    session.get(ClockRow, merchant_id, populate_existing=True)


def advance_clock(session: Session, merchant_id: str, delta: timedelta) -> None:
    """Move the merchant's sandbox time forward by `delta` (never backward)."""
    if delta < timedelta(0):
        raise ValueError("the sandbox clock only moves forward")
    row = session.get(ClockRow, merchant_id)
    if row is None:
        row = ClockRow(merchant_id=merchant_id, offset_seconds=0)
        session.add(row)
    row.offset_seconds = (row.offset_seconds or 0) + int(delta.total_seconds())
    remember_offset(session, merchant_id, row.offset_seconds)
