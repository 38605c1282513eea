"""An older sandbox's database file is refused at start, naming what it lacks."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

from mock_server.storage.database import Database


def _drop_column(path: Path, table: str, column: str) -> None:
    with sqlite3.connect(path) as connection:
        connection.execute(f"ALTER TABLE {table} DROP COLUMN {column}")


def test_a_file_missing_a_newer_column_is_refused_with_its_name(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    Database(f"sqlite:///{path}").create_schema()
    _drop_column(path, "merchants", "display_name")
    result = subprocess.run(
        [sys.executable, "-m", "mock_server", "--db", f"sqlite:///{path}", "--port", "0"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert "merchants.display_name" in result.stderr
    assert "new --db file" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_current_file_is_accepted_again(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'current.db'}"
    Database(url).create_schema()
    database = Database(url)
    database.create_schema()
    database.dispose()
