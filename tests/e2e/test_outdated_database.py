"""A database an older sandbox made is upgraded at start; one older than the baseline migration
(missing a column the baseline has) is refused, naming what it lacks; `--no-upgrade` refuses
any older schema."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

from alembic import command
from sqlalchemy import create_engine

from mock_server.storage.database import Database
from mock_server.storage.schema import BASELINE, alembic_config


def _before_migrations(path: Path, table: str, column: str) -> None:
    """Make the file look like one a sandbox older than the baseline made: no revision table, and
    a column the baseline has missing."""
    with sqlite3.connect(path) as connection:
        connection.execute("DROP TABLE alembic_version")
        connection.execute(f"ALTER TABLE {table} DROP COLUMN {column}")


def _at_revision(path: Path, revision: str) -> None:
    engine = create_engine(f"sqlite:///{path}")
    with engine.begin() as connection:
        command.upgrade(alembic_config(connection), revision)
    engine.dispose()


def _start(path: Path, *flags: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "mock_server", "--db", f"sqlite:///{path}", "--port", "0", *flags],
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_a_file_older_than_the_baseline_is_refused_with_the_missing_column(
    tmp_path: Path,
) -> None:
    path = tmp_path / "old.db"
    _at_revision(path, BASELINE)
    _before_migrations(path, "merchants", "display_name")
    result = _start(path)
    assert result.returncode == 2
    assert "merchants.display_name" in result.stderr
    assert "new --db file" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_current_file_is_accepted_again(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'current.db'}"
    first = Database(url)
    first.create_schema()
    first.dispose()
    database = Database(url)
    database.create_schema()
    database.dispose()


def test_no_upgrade_refuses_an_older_revision_naming_the_command_to_run(tmp_path: Path) -> None:
    path = tmp_path / "baseline.db"
    _at_revision(path, BASELINE)
    result = _start(path, "--no-upgrade")
    assert result.returncode == 2
    assert f"revision {BASELINE}" in result.stderr
    assert "mock-server db upgrade --db" in result.stderr
    assert "Traceback" not in result.stderr
