"""Bringing a database to this sandbox's schema: create it, or upgrade it with Alembic migrations.

The schema's history lives in `mock_server/storage/migrations/versions/`, one revision per change,
chained from the baseline (the schema as it was before migrations existed). At start:
- an empty database gets the current tables (`create_all`) stamped with the head revision;
- a database an earlier sandbox made before migrations existed counts as the baseline;
- an older revision is upgraded to the head, or refused when upgrading at start is off;
- a revision this sandbox does not know (a newer sandbox's) is refused.
All of it runs in one transaction under a lock (an advisory lock on PostgreSQL), so several
processes starting together upgrade once.

Alembic (with every dialect's DDL code, 0.1-0.2 s to import) loads only when a database needs it:
a start on an empty database, or on one already at the head, reads and writes the revision table
with plain SQL, the head being the newest `versions/NNNN_slug.py` (each migration is named after
its revision, in order; tests/server/test_schema_migrations.py holds Alembic to the same head).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Final

from sqlalchemy import (
    Column,
    Connection,
    Engine,
    MetaData,
    PrimaryKeyConstraint,
    String,
    Table,
    inspect,
    select,
    text,
)

from mock_server.storage.models import Base

if TYPE_CHECKING:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

__all__ = [
    "BASELINE",
    "MIGRATIONS",
    "OutdatedSchema",
    "SchemaStatus",
    "alembic_config",
    "head_revision",
    "prepare_schema",
    "schema_status",
    "shipped_head",
]

MIGRATIONS: Final = Path(__file__).with_name("migrations")
BASELINE: Final = "0001_baseline"
_LOCK_KEY: Final = 0x1A57A110  # pg_advisory_xact_lock key held while the schema is prepared
# Alembic's revision table, as its `stamp` creates it (alembic.runtime.migration).
_VERSIONS: Final = Table(
    "alembic_version",
    MetaData(),
    Column("version_num", String(32), nullable=False),
    PrimaryKeyConstraint("version_num", name="alembic_version_pkc"),
)


class OutdatedSchema(RuntimeError):
    """The database's schema is not this sandbox's and will not be (or cannot be) upgraded."""


def alembic_config(connection: Connection | None = None, url: str | None = None) -> Config:
    """An Alembic config over the shipped migrations, for a connection or a URL."""
    from alembic.config import Config  # deferred: see the module's docstring

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    if url is not None:
        config.cmd_opts = None
        config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


@lru_cache(maxsize=1)
def _scripts() -> ScriptDirectory:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config())


@lru_cache(maxsize=1)
def shipped_head() -> str:
    """The newest shipped revision, read from the migrations' file names without Alembic: the
    highest-numbered `versions/NNNN_slug.py`, whose revision id is `NNNN_slug`."""
    return max(path.stem for path in (MIGRATIONS / "versions").glob("[0-9][0-9][0-9][0-9]_*.py"))


def head_revision() -> str:
    """The newest revision the shipped migrations reach (there is exactly one head)."""
    heads = _scripts().get_heads()
    if len(heads) != 1:
        raise RuntimeError(f"migrations have {len(heads)} heads ({', '.join(heads)}); merge them")
    return heads[0]


@dataclass(frozen=True, slots=True)
class SchemaStatus:
    """Where a database stands: no tables, its revision (None before migrations), the head."""

    empty: bool
    revision: str | None
    head: str

    @property
    def current(self) -> bool:
        """Whether the database is at the head."""
        return self.revision == self.head


def _known(revision: str) -> bool:
    try:
        return _scripts().get_revision(revision) is not None
    except Exception:  # alembic raises one of several errors for an id it does not know
        return False


def schema_status(connection: Connection) -> SchemaStatus:
    """Inspect a database: is it empty, and at which revision; refuse a revision unknown here."""
    from alembic.runtime.migration import MigrationContext

    tables = set(inspect(connection).get_table_names()) - {"alembic_version"}
    revision = MigrationContext.configure(connection).get_current_revision()
    head = head_revision()
    if revision is not None and not _known(revision):
        raise OutdatedSchema(
            f"the database is at schema revision {revision}, which this sandbox does not know "
            f"(a newer sandbox made it); its newest is {head}"
        )
    return SchemaStatus(empty=not tables and revision is None, revision=revision, head=head)


def _lock(connection: Connection) -> None:
    if connection.dialect.name == "postgresql":
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _LOCK_KEY})


def prepare_schema(engine: Engine, *, upgrade: bool, where: str) -> SchemaStatus:
    """Create, adopt or upgrade the schema; answer where the database stood before.

    Raises OutdatedSchema when the database needs an upgrade and `upgrade` is False, or when its
    revision is unknown.
    """
    with engine.begin() as connection:
        _lock(connection)
        before = _plain_status(connection)
        if before is None:  # older, newer or otherwise odd: Alembic reads it
            before = schema_status(connection)
            if before.empty:
                Base.metadata.create_all(connection)
                _stamp(connection, before.head)
            elif not before.current:
                _upgrade(connection, before, upgrade=upgrade, where=where)
        elif before.empty:  # no table at all: nothing to check first
            Base.metadata.create_all(connection, checkfirst=False)
            _VERSIONS.create(connection, checkfirst=False)
            connection.execute(_VERSIONS.insert().values(version_num=before.head))
        return before


def _plain_status(connection: Connection) -> SchemaStatus | None:
    """Where a database stands when telling needs no Alembic: empty (no table at all), or at
    the shipped head; None for anything else (older, newer, several revisions)."""
    head = shipped_head()
    tables = set(inspect(connection).get_table_names())
    if not tables:
        return SchemaStatus(empty=True, revision=None, head=head)
    if _VERSIONS.name not in tables:
        return None
    revisions = list(connection.scalars(select(_VERSIONS.c.version_num)))
    return SchemaStatus(empty=False, revision=head, head=head) if revisions == [head] else None


def _upgrade(connection: Connection, before: SchemaStatus, *, upgrade: bool, where: str) -> None:
    if not upgrade:
        raise OutdatedSchema(
            f"the database {where} is at schema revision "
            f"{before.revision or 'none (made before migrations)'} and this sandbox needs "
            f"{before.head}; upgrade it with `mock-server db upgrade --db URL` "
            f"(or start without --no-upgrade)"
        )
    from alembic import command

    if before.revision is None:
        _stamp(connection, BASELINE)  # made before migrations: the baseline schema
    command.upgrade(alembic_config(connection), "head")


def _stamp(connection: Connection, revision: str) -> None:
    from alembic.runtime.migration import MigrationContext

    MigrationContext.configure(connection).stamp(_scripts(), revision)
