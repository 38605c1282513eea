"""The database: engine per URL, SQLite tuned for durability, one lock serializing SQLite access.

SQLite allows one writer; rather than let threads fight over `database is locked`, every session
on SQLite runs under one process-wide lock (the in-memory database is a single shared connection,
so reads need it too). PostgreSQL sessions run concurrently and rely on row locks instead.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Iterator
from typing import Any

from sqlalchemy import Engine, create_engine, event, inspect
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import StaticPool

from mock_server.storage.models import Base
from mock_server.storage.schema import OutdatedSchema, SchemaStatus, prepare_schema

__all__ = ["Database", "OutdatedSchema"]


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


class Database:
    """An engine and its sessions; `transaction()` commits on success, rolls back on error.

    `after_commit` hooks run after each commit (e.g. to wake the webhook dispatcher).
    """

    def __init__(self, url: str) -> None:
        parsed = make_url(url)
        self.url = parsed
        self.is_sqlite = parsed.get_backend_name() == "sqlite"
        self.in_memory = self.is_sqlite and parsed.database in (None, "", ":memory:")
        self.engine: Engine = self._create_engine(url)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        self.after_commit: list[Callable[[Session], None]] = []
        event.listen(self._sessions, "after_commit", self._run_after_commit)
        self._lock: contextlib.AbstractContextManager[Any] = (
            threading.RLock() if self.is_sqlite else contextlib.nullcontext()
        )

    def _create_engine(self, url: str) -> Engine:
        if self.in_memory:
            engine = create_engine(
                url, poolclass=StaticPool, connect_args={"check_same_thread": False}
            )
        elif self.is_sqlite:
            engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})
            event.listen(engine, "connect", _sqlite_pragmas)
        else:
            engine = create_engine(url, pool_pre_ping=True)
        return engine

    def _run_after_commit(self, session: Session) -> None:
        for hook in self.after_commit:
            hook(session)

    def create_schema(self, *, upgrade: bool = True) -> SchemaStatus:
        """Bring the database to this sandbox's schema; answer where it stood before.

        An empty database gets the current tables; an older one is upgraded by the migrations
        (or refused with OutdatedSchema when `upgrade` is False). A file made before the
        baseline revision that still lacks a column is refused, naming the column, rather than
        failing later with a 500.
        """
        with self._lock:
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

    @contextlib.contextmanager
    def transaction(self) -> Iterator[Session]:
        """A session whose work commits when the block ends without an exception."""
        with self._lock, self._sessions.begin() as session:
            yield session

    @contextlib.contextmanager
    def reader(self) -> Iterator[Session]:
        """A session for reads; nothing it does is committed."""
        with self._lock, self._sessions() as session:
            try:
                yield session
            finally:
                session.rollback()

    def dispose(self) -> None:
        """Close every pooled connection."""
        self.engine.dispose()
