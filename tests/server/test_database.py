"""SQLite use: WAL on files, one writer with concurrent readers, one transaction per request."""

from __future__ import annotations

import json
import threading
from datetime import UTC, datetime
from pathlib import Path

import anyio
from sqlalchemy import select, text

from mock_server.storage import Database
from mock_server.storage.database import json_text, json_value
from mock_server.storage.models import IdempotencyRow


def _clock(key: str, status: int) -> IdempotencyRow:
    """A row in a table with no foreign key (only its key and status matter here)."""
    return IdempotencyRow(
        merchant_id="mer_test", key=key, created=datetime.now(UTC), method="POST", path="/v1/x",
        fingerprint="f", request_body="{}", state="done", status_code=status, response_body="",
    )  # fmt: skip


def _offsets(db: Database) -> dict[str, int | None]:
    with db.reader() as session:
        return {r.key: r.status_code for r in session.scalars(select(IdempotencyRow))}


def test_a_file_database_runs_in_wal_mode(tmp_path: Path) -> None:
    db = Database(f"sqlite:///{tmp_path / 'wal.db'}")
    db.create_schema()
    with db.reader() as session:
        assert session.execute(text("PRAGMA journal_mode")).scalar() == "wal"
    db.dispose()


def test_readers_of_a_file_database_do_not_wait_for_the_writer(tmp_path: Path) -> None:
    db = Database(f"sqlite:///{tmp_path / 'readers.db'}")
    db.create_schema()
    with db.transaction() as session:
        session.add(_clock("mer_committed", 1))
    seen: list[dict[str, int]] = []
    writing, read = threading.Event(), threading.Event()

    def writer() -> None:
        with db.transaction() as session:
            session.add(_clock("mer_pending", 2))
            session.flush()
            writing.set()
            assert read.wait(timeout=30)  # hold the writer lock until the reader is done

    thread = threading.Thread(target=writer)
    thread.start()
    assert writing.wait(timeout=30)
    seen.append(_offsets(db))  # would deadlock if readers took the writer's lock
    read.set()
    thread.join()
    assert seen == [{"mer_committed": 1}]  # the last committed state, not the pending write
    assert _offsets(db) == {"mer_committed": 1, "mer_pending": 2}
    db.dispose()


def test_a_request_transaction_joins_every_transaction_its_work_opens() -> None:
    db = Database("sqlite://")
    db.create_schema()

    async def request(fail: bool) -> None:
        tx = db.request_transaction()
        await tx.begin()
        with db.transaction() as session:
            session.add(_clock("mer_a" if not fail else "mer_b", 1))
        try:
            with db.transaction() as session:
                session.add(_clock("mer_c" if not fail else "mer_d", 2))
                if fail:
                    raise ValueError("the work failed")
        except ValueError:
            pass
        with db.reader() as session:  # reads what the request wrote so far
            assert session.get(IdempotencyRow, ("mer_test", "mer_a" if not fail else "mer_b"))
        tx.end()
        if tx.doomed:
            tx.rollback()
        else:
            tx.commit()

    anyio.run(request, False)
    anyio.run(request, True)
    assert _offsets(db) == {"mer_a": 1, "mer_c": 2}  # the failed request left nothing
    db.dispose()


def test_a_request_cancelled_while_waiting_for_the_writer_never_keeps_the_lock() -> None:
    """A client that gives up while its request waits for the writer (an embedded sandbox's
    caller cancelling a task) must not leave the lock taken: every later request would hang."""
    db = Database("sqlite://")
    db.create_schema()

    async def scene() -> None:
        holder = db.request_transaction()
        await holder.begin()
        async with anyio.create_task_group() as group:
            waiting = db.request_transaction()
            group.start_soon(waiting.begin)
            for _ in range(20):  # let the waiter's thread block on the lock
                await anyio.lowlevel.checkpoint()
            group.cancel_scope.cancel()
        holder.end()
        holder.rollback()
        late = db.request_transaction()
        await late.begin()  # hung forever when the cancelled waiter's thread kept the lock
        with db.transaction() as session:
            session.add(_clock("mer_late", 3))
        late.end()
        late.commit()

    anyio.run(scene)
    assert _offsets(db) == {"mer_late": 3}
    db.dispose()


def test_json_columns_read_back_ints_beyond_64_bits_exactly() -> None:
    big = 2**70 + 1  # orjson refuses to write it and would read it back as a float
    for value in ({"n": big}, [big], big, {"n": [1, {"m": -big}]}):
        assert json_value(json_text(value)) == value
    assert json_value(json.dumps({"n": big, "s": "a, b"})) == {"n": big, "s": "a, b"}


def test_json_columns_read_back_what_orjson_wrote() -> None:
    value = {"loan": {"amount": 60_000, "history": [{"detail": "x: y, z"}]}, "rate": 0.5}
    assert json_value(json_text(value)) == value
    assert isinstance(json_value(json_text({"n": 2**63 - 1}))["n"], int)
    assert json_value(json_text(value).encode()) == value  # PostgreSQL's driver hands bytes
