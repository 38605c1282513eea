"""Expired idempotency keys purged on a schedule.

A key answers replays for `idempotency_ttl_hours`; after that it is dead weight (a reused expired
key is replaced anyway). Each sandbox process runs one daemon thread that deletes the expired
keys every `idempotency_purge_seconds` (0: never on a schedule), in batches so a large backlog
never holds the database's write lock for long. Several `--workers` processes purging the same
PostgreSQL table only repeat a harmless DELETE.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Final

from sqlalchemy import delete, select, tuple_

from mock_server.storage import Database
from mock_server.storage.models import IdempotencyRow

__all__ = ["BATCH", "IdempotencyPurge", "purge_expired"]

log = logging.getLogger("mock_server.idempotency")

BATCH: Final = 500  # keys deleted per transaction


def purge_expired(db: Database, cutoff: datetime) -> int:
    """Delete every idempotency key created before `cutoff`; answer how many went."""
    purged = 0
    while True:
        with db.transaction() as session:
            keys = session.execute(
                select(IdempotencyRow.merchant_id, IdempotencyRow.key)
                .where(IdempotencyRow.created < cutoff)
                .limit(BATCH)
            ).all()
            if keys:
                pair = tuple_(IdempotencyRow.merchant_id, IdempotencyRow.key)
                session.execute(delete(IdempotencyRow).where(pair.in_([tuple(k) for k in keys])))
        purged += len(keys)
        if len(keys) < BATCH:
            return purged


class IdempotencyPurge:
    """The schedule: a daemon thread purging expired keys every `every` seconds."""

    def __init__(
        self, db: Database, *, every: float, ttl: timedelta, wall: Callable[[], datetime]
    ) -> None:
        self.db, self.every, self.ttl, self.wall = db, every, ttl, wall
        self.passes = 0  # purges run so far (tests wait for the next one)
        self._ran = threading.Condition()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        """Run the schedule in the background (again after a `stop()`)."""
        if self.every <= 0 or (self._thread is not None and self._thread.is_alive()):
            return
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name="installo-purge", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 10.0) -> None:
        """Stop the schedule (a purge in progress finishes its batch)."""
        self._stop.set()
        thread = self._thread
        if thread is not None and thread is not threading.current_thread():
            thread.join(timeout)
        self._thread = None

    @property
    def running(self) -> bool:
        """Whether the schedule's thread is alive."""
        return self._thread is not None and self._thread.is_alive()

    def run_once(self) -> int:
        """Purge the keys expired by now; answer how many went."""
        purged = purge_expired(self.db, self.wall() - self.ttl)
        if purged:
            log.info("purged %d expired idempotency keys", purged)
        with self._ran:
            self.passes += 1
            self._ran.notify_all()
        return purged

    def wait_for_pass(self, after: int, timeout: float) -> bool:
        """Block until more than `after` purges have run (False if `timeout` passes first)."""
        with self._ran:
            return self._ran.wait_for(lambda: self.passes > after, timeout)

    def _run(self) -> None:
        while not self._stop.wait(self.every):
            try:
                self.run_once()
            except Exception:  # a database hiccup: log it and try at the next pass
                log.exception("purging expired idempotency keys failed")
