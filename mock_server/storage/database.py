"""The database: engine per URL, SQLite in WAL mode with one writer and concurrent readers.

SQLite allows one writer at a time. Writers take the database's writer lock for their whole
transaction (so a read-modify-write is never interleaved with another writer's); on a file
database in WAL mode, readers take no lock and read the last committed state while a writer
works. The in-memory database is one shared connection, so its readers take the lock too.
PostgreSQL transactions run concurrently and rely on row locks instead.

A request's work runs in one `RequestTransaction`: every `transaction()` and `reader()` opened
while it is active joins it, so everything the request does commits together or not at all.
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import json
import threading
import weakref
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, Final

import anyio
import orjson
from anyio import to_thread
from sqlalchemy import Engine, Table, bindparam, create_engine, event, insert, inspect, update
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.attributes import instance_state
from sqlalchemy.pool import StaticPool
from sqlalchemy.sql.dml import Insert, Update

from mock_server.settings import DEFAULT_DB_POOL_SIZE
from mock_server.storage.bulk import execute_many
from mock_server.storage.models import Base, attribute_columns
from mock_server.storage.schema import OutdatedSchema, SchemaStatus, prepare_schema
from mock_server.storage.sealing import Sealer

__all__ = [
    "MEMORY_PAGE_SIZE",
    "Database",
    "OutdatedSchema",
    "RequestTransaction",
    "json_text",
    "json_value",
    "work_may_run_on_loop",
]


def json_text(value: Any) -> str:
    """JSON columns' text: orjson (several times faster), the standard library for what orjson
    refuses (an int beyond 64 bits), written after one space so that `json_value` knows to read
    it back with the standard library too."""
    try:
        return orjson.dumps(value).decode()  # string keys only: twice as fast as the option
    except TypeError:
        pass
    try:
        return orjson.dumps(value, option=orjson.OPT_NON_STR_KEYS).decode()
    except TypeError:
        return " " + json.dumps(value)


def json_value(text: str | bytes | memoryview) -> Any:
    """JSON columns' values: orjson, or the standard library for text it may misread (an int
    beyond 64 bits would come back a float): text `json_text` marked with a leading space, and
    text the standard library wrote before (its `": ` and `, ` separators; orjson writes none,
    so only a string holding one sends orjson's text this slower, still exact, way)."""
    if not isinstance(text, str):  # psycopg hands over the column's bytes
        text = bytes(text).decode()
    if text[:1] == " " or '": ' in text or ", " in text:
        return json.loads(text)
    return orjson.loads(text)


# The in-memory database's page size. With SQLite's 4 KB pages, a checkout (offers, events and,
# once confirmed, its loan: ~80 KB of JSON) spans chains of overflow pages, and a commit that
# freed some (a confirm rewrites the checkout's 15 KB) made SQLite walk its whole page cache,
# which for an in-memory database is the whole database: a confirm's COMMIT took 0.1 ms after
# 500 checkouts and 1.4 ms after 6,000 (CPU, in process), so a long QA run slowed as it went.
# With 16 KB pages a checkout's rows fit a page or two: 0.03-0.06 ms over the same 6,000.
MEMORY_PAGE_SIZE: Final = 16 * 1024


def _memory_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # Before the first table: SQLite fixes the page size when the database is created.
    dbapi_connection.execute(f"PRAGMA page_size={MEMORY_PAGE_SIZE}")


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


# Each table's place in foreign-key order (a referenced table goes in before its referrers).
_TABLE_ORDER: dict[Table, int] = {t: i for i, t in enumerate(Base.metadata.sorted_tables)}


def write_changes(session: Session) -> None:
    """Write the rows added to the session and the changes to rows it read, by core
    statements: one INSERT per table (an executemany, in foreign-key order), then one UPDATE
    by primary key per table and set of changed columns (an executemany), each statement
    compiled once (`bulk.execute_many`); the session then stops tracking its rows (it is
    committed and closed next: `RequestTransaction.commit`, the only caller).

    The ORM's flush of a request's few rows cost more than the rest of its commit (its unit of
    work sorts, snapshots and fetches back every row); these rows are never read back through
    the session after the commit, so core statements do the same work for less. Columns a new
    row leaves unset take their defaults as in a flush. A session that also deletes rows is
    left to the ORM, which orders a delete and an insert of the same key.
    """
    if session.deleted or not (session.new or session.dirty):
        return
    added = sorted(session.new, key=lambda obj: instance_state(obj).insert_order or 0)
    changed = list(session.dirty)
    connection = session.connection()
    for table, values in _insert_batches(added):
        execute_many(session, _insert_of(table), values, flush=False, connection=connection)
    updates: dict[tuple[Table, tuple[str, ...]], list[dict[str, Any]]] = {}
    for row in changed:
        state = instance_state(row)
        changes = {
            f"set_{column}": state.dict[attribute]
            for attribute, column in attribute_columns(state.class_)
            if attribute in state.committed_state and attribute in state.dict
        }
        if changes:
            changed_table = state.mapper.local_table
            assert isinstance(changed_table, Table)
            key = state.mapper.primary_key_from_instance(row)
            for column, value in zip(state.mapper.primary_key, key, strict=True):
                changes[f"key_{column.key}"] = value
            updates.setdefault((changed_table, tuple(changes)), []).append(changes)
    for (changed_table, names), values in updates.items():  # one statement per kind of change
        execute_many(
            session, _update_of(changed_table, names), values, flush=False, connection=connection
        )
    session.expunge_all()  # written; the commit and close that follow have nothing to flush


_INSERTS: dict[Table, Insert] = {}
_UPDATES: dict[tuple[Table, tuple[str, ...]], Update] = {}


def _insert_of(table: Table) -> Insert:
    """The table's INSERT, built once (`execute_many` compiles a statement once)."""
    statement = _INSERTS.get(table)
    if statement is None:
        statement = _INSERTS[table] = insert(table)
    return statement


def _update_of(table: Table, names: tuple[str, ...]) -> Update:
    """The table's UPDATE by primary key of the columns named `set_<column>` among `names`
    (the key's columns are `key_<column>`), built once per kind of change."""
    statement = _UPDATES.get((table, names))
    if statement is None:
        columns = [name.removeprefix("set_") for name in names if name.startswith("set_")]
        statement = _UPDATES[(table, names)] = (
            update(table)
            .where(*(c == bindparam(f"key_{c.key}") for c in table.primary_key.columns))
            .values({column: bindparam(f"set_{column}") for column in columns})
        )
    return statement


def _insert_batches(rows: list[Any]) -> list[tuple[Table, list[dict[str, Any]]]]:
    """New rows as (table, values of each row), tables in foreign-key order, rows in the order
    they were added (a run of rows that set the same columns per batch)."""
    batches: list[tuple[Table, tuple[str, ...], list[dict[str, Any]]]] = []
    open_batch: dict[Table, tuple[tuple[str, ...], list[dict[str, Any]]]] = {}
    for row in rows:
        state = instance_state(row)
        table = state.mapper.local_table
        assert isinstance(table, Table)
        values = {
            column: state.dict[attribute]
            for attribute, column in attribute_columns(state.class_)
            if attribute in state.dict
        }
        keys = tuple(values)
        current = open_batch.get(table)
        if current is None or current[0] != keys:  # a new run: rows keep their order
            current = open_batch[table] = (keys, [])
            batches.append((table, keys, current[1]))
        current[1].append(values)
    batches.sort(key=lambda batch: _TABLE_ORDER[batch[0]])  # stable: runs keep their order
    return [(table, values) for table, _, values in batches]


class _WriterLock:
    """The SQLite writer lock: re-entrant for the thread holding it in `hold()`, and also
    takeable by a request (`acquire`/`release`) whose work hops between threads."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._owner: int | None = None
        self._depth = 0
        self._queues: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Lock] = (
            weakref.WeakKeyDictionary()
        )

    @contextlib.contextmanager
    def hold(self) -> Iterator[None]:
        """Hold the lock in this thread for the block (nested holds are free)."""
        me = threading.get_ident()
        if self._owner == me:
            self._depth += 1
            try:
                yield
            finally:
                self._depth -= 1
            return
        with self._lock:
            self._owner = me
            try:
                yield
            finally:
                self._owner = None

    async def acquire(self) -> _RequestHold:
        """Take the lock for a request without blocking the event loop; answer the hold to
        release. Requests of one event loop queue on that loop (FIFO, no thread each); only
        when another thread holds the lock (background work, another loop) does the request
        wait in a thread. A request cancelled while it waits never keeps the lock: its waiting
        thread hands the lock back as soon as it gets it."""
        loop = asyncio.get_running_loop()
        queue = self._queues.get(loop)
        if queue is None:
            queue = self._queues[loop] = asyncio.Lock()
        await queue.acquire()
        try:
            if not self._lock.acquire(blocking=False):
                waiter = _Waiter(self._lock)
                try:
                    # A thread of its own, so requests waiting here never starve the pool.
                    await to_thread.run_sync(
                        waiter.take, abandon_on_cancel=True, limiter=anyio.CapacityLimiter(1)
                    )
                except BaseException:
                    waiter.abandon()
                    raise
        except BaseException:
            queue.release()
            raise
        return _RequestHold(self._lock, queue, loop)


class _RequestHold:
    """A request's hold on the writer lock, released from any thread: the lock at once, the
    request queue of its event loop on that loop."""

    def __init__(
        self, lock: threading.Lock, queue: asyncio.Lock, loop: asyncio.AbstractEventLoop
    ) -> None:
        self._lock = lock
        self._queue = queue
        self._loop = loop

    def release(self) -> None:
        """Give the lock back, then let the loop's next request in."""
        self._lock.release()
        try:
            on_loop = asyncio.get_running_loop() is self._loop
        except RuntimeError:  # a worker thread: no loop runs here
            on_loop = False
        if on_loop:
            self._queue.release()
            return
        # A closed loop (RuntimeError) has nothing waiting on its queue any more.
        with contextlib.suppress(RuntimeError):
            self._loop.call_soon_threadsafe(self._queue.release)


class _Waiter:
    """One request's wait for the writer lock in a thread; if the request is gone by the time
    the thread gets the lock (cancelled), the lock goes straight back."""

    def __init__(self, lock: threading.Lock) -> None:
        self._lock = lock
        self._guard = threading.Lock()
        self._taken = False
        self._abandoned = False

    def take(self) -> None:
        """Wait for the lock (in a worker thread); keep it only for a request still waiting."""
        self._lock.acquire()
        with self._guard:
            if self._abandoned:
                self._lock.release()
            else:
                self._taken = True

    def abandon(self) -> None:
        """The request stopped waiting: give the lock back now, or when the thread gets it."""
        with self._guard:
            self._abandoned = True
            if self._taken:
                self._taken = False
                self._lock.release()


@dataclass(slots=True)
class _Scope:
    """An open transaction that later `transaction()`/`reader()` calls in this context join."""

    db: Database
    session: Session
    doomed: bool = False
    request: bool = False  # a request's transaction, holding the writer lock from its loop


_active: contextvars.ContextVar[_Scope | None] = contextvars.ContextVar(
    "installo_transaction", default=None
)


def work_may_run_on_loop() -> bool:
    """Whether the running request's database work may run on its event loop rather than in a
    worker thread: it holds the request transaction (and so the writer lock) of a database
    whose work runs on the loop (`Database.work_runs_on_loop`)."""
    scope = _active.get()
    return scope is not None and scope.request and scope.db.work_runs_on_loop


class Database:
    """An engine and its sessions; `transaction()` commits on success, rolls back on error.

    `after_commit` hooks run after each commit (e.g. to wake the webhook dispatcher).
    `sealer` seals the secrets it stores (a per-process key unless one is given).
    """

    def __init__(
        self, url: str, sealer: Sealer | None = None, *, pool_size: int = DEFAULT_DB_POOL_SIZE
    ) -> None:
        self.sealer = sealer or Sealer()
        self.pool_size = pool_size
        parsed = make_url(url)
        self.url = parsed
        self.is_sqlite = parsed.get_backend_name() == "sqlite"
        self.in_memory = self.is_sqlite and parsed.database in (None, "", ":memory:")
        self.engine: Engine = self._create_engine(url)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        self.after_commit: list[Callable[[Session], None]] = []
        event.listen(self._sessions, "after_commit", self._run_after_commit)
        self._writer = _WriterLock() if self.is_sqlite else None

    def _create_engine(self, url: str) -> Engine:
        if self.in_memory:
            engine = create_engine(
                url,
                poolclass=StaticPool,
                connect_args={"check_same_thread": False},
                json_serializer=json_text,
                json_deserializer=json_value,
            )
            event.listen(engine, "connect", _memory_pragmas)
        elif self.is_sqlite:
            engine = create_engine(
                url,
                connect_args={"check_same_thread": False, "timeout": 30},
                json_serializer=json_text,
                json_deserializer=json_value,
            )
            event.listen(engine, "connect", _sqlite_pragmas)
        else:
            # As many kept connections as requests run at once: with SQLAlchemy's default of 5,
            # a process serving 16 shoppers opened and closed a PostgreSQL connection (a
            # backend process) for most requests, and PostgreSQL spent twice the CPU per
            # checkout (bench_scale). Bursts above it get as many again, closed after use.
            engine = create_engine(
                url,
                pool_pre_ping=True,
                pool_size=self.pool_size,
                max_overflow=self.pool_size,
                json_serializer=json_text,
                json_deserializer=json_value,
            )
        return engine

    @property
    def work_runs_on_loop(self) -> bool:
        """Whether a request's work on this database runs on its event loop rather than in a
        worker thread: an in-memory database's one connection does CPU work only (no disk or
        network wait) under the writer lock each write holds, so a thread hop would cost CPU
        (~0.5 ms a hop measured, bench_server's docstring) and buy no concurrency."""
        return self.in_memory

    def _run_after_commit(self, session: Session) -> None:
        for hook in self.after_commit:
            hook(session)

    def _writing(self) -> contextlib.AbstractContextManager[None]:
        return self._writer.hold() if self._writer is not None else contextlib.nullcontext()

    def create_schema(self, *, upgrade: bool = True) -> SchemaStatus:
        """Bring the database to this sandbox's schema; answer where it stood before.

        An empty database gets the current tables; an older one is upgraded by the migrations
        (or refused with OutdatedSchema when `upgrade` is False). A file made before the
        baseline revision that still lacks a column is refused, naming the column, rather than
        failing later with a 500.
        """
        with self._writing():
            before = prepare_schema(self.engine, upgrade=upgrade, where=self._where)
            if not before.empty:
                self._check_columns()
        return before

    @property
    def _where(self) -> str:
        return self.url.render_as_string(hide_password=True)

    def _check_columns(self) -> None:
        inspector = inspect(self.engine)
        tables = set(inspector.get_table_names())
        missing: list[str] = [t.name for t in Base.metadata.sorted_tables if t.name not in tables]
        for table in Base.metadata.sorted_tables:
            if table.name not in tables:
                continue
            present = {column["name"] for column in inspector.get_columns(table.name)}
            missing += [f"{table.name}.{c.name}" for c in table.columns if c.name not in present]
        if missing:
            raise OutdatedSchema(
                f"the database {self._where} was made by an older sandbox and lacks "
                f"{', '.join(missing)}; start with a new --db file (or delete this one)"
            )

    def _joined(self) -> _Scope | None:
        scope = _active.get()
        return scope if scope is not None and scope.db is self else None

    @contextlib.contextmanager
    def transaction(self) -> Iterator[Session]:
        """A session whose work commits when the block ends without an exception (inside a
        request's transaction: joins it; an exception dooms the whole request's work)."""
        scope = self._joined()
        if scope is not None:
            try:
                yield scope.session
            except BaseException:
                scope.doomed = True
                raise
            return
        with self._writing(), self._sessions.begin() as session:
            token = _active.set(_Scope(self, session))
            try:
                yield session
            finally:
                _active.reset(token)

    @contextlib.contextmanager
    def reader(self) -> Iterator[Session]:
        """A session for reads; nothing it does is committed (inside a transaction: joins it,
        so it reads what the transaction wrote)."""
        scope = self._joined()
        if scope is not None:
            yield scope.session
            return
        lock = self._writing() if self.in_memory else contextlib.nullcontext()
        # Closing the session (inside the lock) rolls its connection back: an ORM rollback
        # before it would first expire every row read, a third of a one-query read's CPU.
        with lock, self._sessions() as session:
            token = _active.set(_Scope(self, session))
            try:
                yield session
            finally:
                _active.reset(token)

    def request_transaction(self) -> RequestTransaction:
        """A transaction for one request's whole work (see `RequestTransaction`)."""
        return RequestTransaction(self)

    def dispose(self) -> None:
        """Close every pooled connection."""
        self.engine.dispose()


class RequestTransaction:
    """One request's transaction: every `transaction()` and `reader()` its code opens joins it,
    so the idempotency claim, the work, the stored answer and the events commit together, and a
    crash leaves nothing behind. On SQLite it holds the writer lock from `begin()` to `end()`.

    Use from the request's coroutine: `await begin()`, run the work, `end()`, then `commit()` or
    `rollback()` (which may run in a worker thread). An exception raised in a joined
    `transaction()` block dooms the work, as that block's rollback would have.
    """

    def __init__(self, db: Database) -> None:
        self.db = db
        self._scope: _Scope | None = None
        self._token: contextvars.Token[_Scope | None] | None = None
        self._hold: _RequestHold | None = None

    @property
    def session(self) -> Session:
        """The request's session."""
        assert self._scope is not None, "begin() first"
        return self._scope.session

    @property
    def doomed(self) -> bool:
        """Whether the work failed and must be rolled back."""
        return self._scope is not None and self._scope.doomed

    async def begin(self) -> None:
        """Take the writer lock (waiting without holding a worker thread) and open the session."""
        if self.db._writer is not None:
            self._hold = await self.db._writer.acquire()
        self._scope = _Scope(self.db, self.db._sessions(), request=True)
        self._token = _active.set(self._scope)

    def end(self) -> None:
        """Stop joining later `transaction()` calls in this context (call before committing)."""
        if self._token is not None:
            _active.reset(self._token)
            self._token = None

    def commit(self) -> None:
        """Commit the request's work and release the lock."""
        try:
            write_changes(self.session)
            self.session.commit()
        except BaseException:
            self.session.rollback()
            raise
        finally:
            self._close()

    def rollback(self) -> None:
        """Forget the request's work and release the lock."""
        try:
            if self._scope is not None:
                self._scope.session.rollback()
        finally:
            self._close()

    def abandon(self) -> None:
        """Roll back and release the lock now if neither `commit()` nor `rollback()` ran (the
        request was cancelled at an await on its way there); nothing otherwise."""
        if self._scope is not None or self._hold is not None:
            self.end()
            self.rollback()

    def _close(self) -> None:
        scope, self._scope = self._scope, None
        try:
            if scope is not None:
                scope.session.close()
        finally:
            hold, self._hold = self._hold, None
            if hold is not None:
                hold.release()
