"""`mock-server db ...`: the schema's migrations from the command line.

- `mock-server db upgrade --db URL` brings an older database (a SQLite file or PostgreSQL) to this
  sandbox's schema without losing rows; an empty one gets the whole schema.
- `mock-server db current --db URL` prints the database's revision and the newest one shipped.
- `mock-server db revision -m "what changed"` writes a new migration by comparing the models in
  mock_server/storage/models.py with the schema the existing migrations build (docs/migrations.md).
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

from alembic import command
from sqlalchemy import create_engine

from mock_server.settings import Settings
from mock_server.storage import Database
from mock_server.storage.schema import (
    OutdatedSchema,
    SchemaStatus,
    alembic_config,
    schema_status,
)

__all__ = ["build_db_parser", "run_db_command"]


def build_db_parser() -> argparse.ArgumentParser:
    """The `mock-server db` command line."""
    parser = argparse.ArgumentParser(
        prog="mock-server db", description="Schema migrations of the sandbox's database"
    )
    verbs = parser.add_subparsers(dest="verb", required=True)
    for verb, help_text in (
        ("upgrade", "upgrade the database to this sandbox's schema"),
        ("current", "print the database's schema revision and the newest shipped"),
    ):
        sub = verbs.add_parser(verb, help=help_text)
        sub.add_argument("--db", help="SQLAlchemy URL (default: INSTALLO_DB)")
    revision = verbs.add_parser("revision", help="write a migration for a change to the models")
    revision.add_argument("-m", "--message", required=True, help="what the migration changes")
    return parser


def run_db_command(argv: Sequence[str]) -> int:
    """Run one `mock-server db` verb; answer the exit code."""
    args = build_db_parser().parse_args(argv)
    if args.verb == "revision":
        return _revision(args.message)
    url = args.db or Settings().db
    database = Database(url)
    where = database.url.render_as_string(hide_password=True)
    try:
        if args.verb == "upgrade":
            print(f"{where}: {_upgrade_summary(database.create_schema(upgrade=True))}")
        else:
            with database.engine.connect() as connection:
                status = schema_status(connection)
            print(f"{where}: revision {status.revision or 'none'}; newest shipped {status.head}")
    except OutdatedSchema as exc:
        print(f"mock-server db: {exc}", file=sys.stderr)
        return 2
    finally:
        database.dispose()
    return 0


def _upgrade_summary(before: SchemaStatus) -> str:
    if before.empty:
        return f"created the schema at revision {before.head}"
    if before.current:
        return f"already at revision {before.head}"
    source = before.revision or "none (made before migrations)"
    return f"upgraded from revision {source} to {before.head}"


def _revision(message: str) -> int:
    """Autogenerate a migration against a scratch database the existing migrations built."""
    with tempfile.TemporaryDirectory(prefix="installo-migrate-") as scratch:
        engine = create_engine(f"sqlite:///{Path(scratch) / 'head.db'}")
        try:
            with engine.begin() as connection:
                config = alembic_config(connection)
                command.upgrade(config, "head")
                script = command.revision(config, message=message, autogenerate=True)
        finally:
            engine.dispose()
    written = script[0] if isinstance(script, list) else script
    if written is None:
        return 1
    _tidy(written.path)
    print(f"wrote {written.path}; read it, then run the migration tests")
    return 0


def _tidy(path: str) -> None:
    """Format the new migration the way the repository's lint wants it (when ruff is there)."""
    ruff = shutil.which("ruff") or shutil.which("ruff", path=str(Path(sys.executable).parent))
    if ruff is None:
        return
    subprocess.run([ruff, "check", "--fix", "--quiet", path], check=False)
    subprocess.run([ruff, "format", "--quiet", path], check=False)
