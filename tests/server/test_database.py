"""SQLite use: WAL on files, one writer with concurrent readers, one transaction per request."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import anyio
import pytest
from sqlalchemy import Table, insert, select, text
from sqlalchemy.orm import Session

from mock_server.storage import Database
from mock_server.storage.bulk import execute_many
from mock_server.storage.database import MEMORY_PAGE_SIZE, json_text, json_value
from mock_server.storage.models import (
    ApiKeyRow,
    EventRow,
    IdempotencyRow,
    MerchantRow,
    WebhookDeliveryRow,
)


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


def test_the_in_memory_database_uses_16_kb_pages_and_a_file_sqlites_default(
    tmp_path: Path,
) -> None:
    # 4 KB pages made each commit walk the whole in-memory database (MEMORY_PAGE_SIZE); a file
    # database keeps SQLite's default, its page cache being bounded.
    memory = Database("sqlite://")
    memory.create_schema()
    on_file = Database(f"sqlite:///{tmp_path / 'pages.db'}")
    on_file.create_schema()
    with memory.reader() as session:
        assert session.execute(text("PRAGMA page_size")).scalar() == MEMORY_PAGE_SIZE == 16384
    with on_file.reader() as session:
        assert session.execute(text("PRAGMA page_size")).scalar() == 4096
    memory.dispose()
    on_file.dispose()


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


def test_a_reader_leaves_no_transaction_open_and_its_rows_readable(
    postgres_database: str,
) -> None:
    """A reader ends by closing its session: its connection goes back to the pool rolled back
    (PostgreSQL would show it `idle in transaction` otherwise), and the rows it read keep
    their values (an ORM rollback would have expired them)."""
    db = Database(postgres_database)
    db.create_schema()
    with db.transaction() as session:
        session.add(_clock("mer_read", 3))
    with db.reader() as session:
        row = session.scalars(select(IdempotencyRow)).one()
        backend = session.execute(text("SELECT pg_backend_pid()")).scalar_one()
    assert row.status_code == 3
    with db.reader() as session:
        state = session.execute(
            text("SELECT state FROM pg_stat_activity WHERE pid = :pid"), {"pid": backend}
        ).scalar_one_or_none()
        same = session.execute(text("SELECT pg_backend_pid()")).scalar_one() == backend
    assert state == ("active" if same else "idle")  # the pool's one connection, or another
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


def _merchant(merchant_id: str) -> MerchantRow:
    return MerchantRow(
        id=merchant_id, created=datetime.now(UTC), status="active", legal_name="Shop",
        mcc="5732", country="US", currency="USD", plans=[], workflow="standard", mdr_bps=0,
        review_reasons=[], application={},
    )  # fmt: skip


def _delivery(event_id: str, *, leased: bool) -> WebhookDeliveryRow:
    now = datetime.now(UTC)
    row = WebhookDeliveryRow(
        merchant_id="mer_a", endpoint_id="we_a", event_id=event_id, status="pending",
        next_attempt_at=now, attempts=[],
    )  # fmt: skip
    if leased:  # a row that sets one more column than the others
        row.lease_expires_at = now
    return row


def _in_request(db: Database, work: Callable[[Session], None]) -> None:
    async def request() -> None:
        tx = db.request_transaction()
        await tx.begin()
        with db.transaction() as session:
            work(session)
        tx.end()
        tx.commit()

    anyio.run(request)


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_execute_many_stores_a_row_alone_as_among_others_and_as_sqlalchemy_does(
    backend: str, request: pytest.FixtureRequest
) -> None:
    """A request's one row takes `execute_many`'s path for a single row; a clock's many take
    the column-wise one (a value repeated is processed once). Both store what SQLAlchemy's own
    executemany stores, JSON, aware datetimes and NULLs alike, on SQLite (positional
    parameters) and PostgreSQL (named)."""
    url = "sqlite://" if backend == "sqlite" else request.getfixturevalue("postgres_database")
    db = Database(url)
    db.create_schema()
    table = EventRow.__table__
    assert isinstance(table, Table)
    when = datetime(2026, 3, 1, 12, 30, 15, 123456, tzinfo=UTC)

    def row(index: int, *, request_id: str | None) -> dict[str, Any]:
        data = {"object": {"id": f"obj_{index}", "amounts": [1, 2**40], "note": None}}
        return {"id": f"evt_{index}", "merchant_id": "mer_x", "created": when, "type": "t",
                "object_id": f"obj_{index}", "request_id": request_id, "data": data}  # fmt: skip

    alone, among, usual = [row(0, request_id=None)], [], []
    among = [row(index, request_id="req_1") for index in (1, 2, 3)]
    usual = [row(4, request_id=None), row(5, request_id="req_1")]
    with db.transaction() as session:
        execute_many(session, insert(table), alone)
        execute_many(session, insert(table), among, flush=False, connection=session.connection())
        session.execute(insert(table), usual)
    with db.reader() as session:
        stored = {
            r.id: (r.created, r.request_id, r.data)
            for r in session.scalars(select(EventRow).order_by(EventRow.seq))
        }
    expected = {r["id"]: (when, r["request_id"], r["data"]) for r in alone + among + usual}
    assert stored == expected
    db.dispose()


def test_a_request_commit_inserts_new_rows_in_foreign_key_order_with_their_defaults(
    tmp_path: Path,
) -> None:
    db = Database(f"sqlite:///{tmp_path / 'order.db'}")  # a file: foreign keys are enforced
    db.create_schema()

    def work(session: Session) -> None:
        session.add(ApiKeyRow(key_hash="h", merchant_id="mer_a", created=datetime.now(UTC)))
        session.add(_merchant("mer_a"))  # added after the key that refers to it

    _in_request(db, work)
    with db.reader() as session:
        key = session.get(ApiKeyRow, "h")
        merchant = session.scalars(select(MerchantRow)).one()
        assert key is not None and key.scope == "secret"  # the column's default
        assert (merchant.id, merchant.requirements, merchant.display_name) == ("mer_a", {}, None)
    db.dispose()


def test_a_request_commit_keeps_the_order_rows_were_added_in() -> None:
    db = Database("sqlite://")
    db.create_schema()
    leased = [False, True, True, False, True]  # runs of rows setting different columns

    def work(session: Session) -> None:
        for index, lease in enumerate(leased):
            session.add(_delivery(f"evt_{index}", leased=lease))

    _in_request(db, work)
    with db.reader() as session:
        rows = session.scalars(select(WebhookDeliveryRow).order_by(WebhookDeliveryRow.seq))
        stored = [(r.event_id, r.lease_expires_at is not None) for r in rows]
    assert stored == [(f"evt_{i}", lease) for i, lease in enumerate(leased)]
    db.dispose()


def test_a_request_commit_writes_the_changed_columns_of_rows_it_read() -> None:
    db = Database("sqlite://")
    db.create_schema()
    _in_request(db, lambda session: session.add(_clock("mer_x", 200)))

    def work(session: Session) -> None:
        row = session.get(IdempotencyRow, ("mer_test", "mer_x"))
        assert row is not None
        row.status_code = 409
        row.response_body = "changed"

    _in_request(db, work)
    with db.reader() as session:
        row = session.get(IdempotencyRow, ("mer_test", "mer_x"))
        assert row is not None
        assert (row.status_code, row.response_body, row.fingerprint) == (409, "changed", "f")
    db.dispose()


def test_a_request_that_deletes_and_adds_a_row_of_one_key_commits_both() -> None:
    db = Database("sqlite://")
    db.create_schema()
    _in_request(db, lambda session: session.add(_clock("mer_y", 200)))

    def work(session: Session) -> None:
        old = session.get(IdempotencyRow, ("mer_test", "mer_y"))
        session.delete(old)
        session.add(_clock("mer_y", 201))  # the same key: left to the ORM's flush

    _in_request(db, work)
    assert _offsets(db) == {"mer_y": 201}
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


def test_a_row_made_with_new_stores_what_its_constructor_stores() -> None:
    """`Base.new` skips the constructor's per-attribute events; the rows stored, defaults and
    all, are the same, and a name that is no column is refused as the constructor refuses it."""
    db = Database("sqlite://")
    db.create_schema()
    when = datetime(2026, 3, 1, 9, 30, tzinfo=UTC)

    def delivery(event_id: str) -> dict[str, Any]:
        return {"merchant_id": "mer_x", "endpoint_id": "we_1", "event_id": event_id,
                "status": "pending", "next_attempt_at": when, "attempts": []}  # fmt: skip

    with db.transaction() as session:
        session.add(WebhookDeliveryRow(**delivery("evt_ctor")))
        session.add(WebhookDeliveryRow.new(**delivery("evt_new")))
    with db.reader() as session:
        columns = ("status", "next_attempt_at", "attempts", "lease_expires_at")
        rows = {
            r.event_id: {c: getattr(r, c) for c in columns}
            for r in session.scalars(select(WebhookDeliveryRow))
        }
    assert rows["evt_new"] == rows["evt_ctor"]
    assert rows["evt_new"]["next_attempt_at"] == when
    with pytest.raises(TypeError, match="no column colour"):
        WebhookDeliveryRow.new(colour="red")
    with pytest.raises(TypeError):
        WebhookDeliveryRow(colour="red")
    db.dispose()
