"""Alembic's environment: run migrations on the connection the sandbox hands over (or a URL).

`mock_server.storage.schema` passes its open connection in `config.attributes["connection"]`, so
start-up upgrades run inside the transaction that holds the migration lock. The `alembic` command
line (with the repository's alembic.ini) passes `-x db=URL` or sets `INSTALLO_DB` instead.
Batch mode is on so ALTERs work on SQLite, which rebuilds a table to change it.
"""

from __future__ import annotations

import os
from typing import Any, Literal

from alembic import context
from alembic.autogenerate.api import AutogenContext
from sqlalchemy import Connection, create_engine

from mock_server.storage.models import Base, UtcDateTime


def _render_item(kind: str, obj: Any, _context: AutogenContext) -> str | Literal[False]:
    """Autogenerate writes plain SQLAlchemy types, so a migration never imports the models."""
    if kind == "type" and isinstance(obj, UtcDateTime):
        return "sa.DateTime()"
    return False


def _migrate(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=True,
        compare_type=True,
        render_item=_render_item,
    )
    with context.begin_transaction():
        context.run_migrations()


def _url() -> str:
    url = context.get_x_argument(as_dictionary=True).get("db") or os.environ.get("INSTALLO_DB")
    if not url:
        raise SystemExit("say which database: alembic -x db=URL ... (or set INSTALLO_DB)")
    return url


def run() -> None:
    """Migrate the handed-over connection, or one opened from the URL."""
    connection: Connection | None = context.config.attributes.get("connection")
    if connection is not None:
        _migrate(connection)
        return
    engine = create_engine(_url())
    try:
        with engine.connect() as opened:
            _migrate(opened)
            opened.commit()
    finally:
        engine.dispose()


if context.is_offline_mode():
    raise SystemExit("offline (--sql) migrations are not supported; run against a database")
run()
