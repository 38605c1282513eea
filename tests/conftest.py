"""Shared fixtures: the project-started PostgreSQL cluster and the database the server suite uses.

`pytest --db=postgresql` (or INSTALLO_TEST_DB=postgresql) runs the server fixtures on a database in
a local cluster the suite starts itself (one per session, on a free loopback port, stopped at the
end); the default is in-memory SQLite. Tests that need PostgreSQL whatever the option use the
`local_postgres` fixture directly.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from sqlalchemy import create_engine, text

from mock_server.api import present
from mock_server.local_postgres import LocalPostgres, PostgresUnavailable
from mock_server.storage import Base, Database

BACKENDS = ("sqlite", "postgresql")


def pytest_addoption(parser: pytest.Parser) -> None:
    """`--db sqlite|postgresql`: the database the server suite's sandboxes run on."""
    parser.addoption(
        "--db",
        dest="installo_db",
        choices=BACKENDS,
        default=os.environ.get("INSTALLO_TEST_DB", "sqlite"),
        help="database backend for the server fixtures (default sqlite, in memory)",
    )


def pytest_report_header(config: pytest.Config) -> str:
    """Say which backend the server fixtures run on."""
    return f"installo server fixtures on: {config.getoption('installo_db')}"


@pytest.fixture(scope="session", autouse=True)
def checkout_answers_match_their_schema() -> Iterator[None]:
    """Every checkout the sandbox answers from its read model's JSON is checked, byte for byte,
    against the `Checkout` schema's JSON of it (mock_server/api/present.py)."""
    present.verify_checkout_answers(True)
    yield
    present.verify_checkout_answers(False)


@pytest.fixture(scope="session")
def local_postgres() -> Iterator[LocalPostgres]:
    """A PostgreSQL cluster the suite starts on 127.0.0.1 and stops at the end."""
    try:
        cluster = LocalPostgres().start()
    except PostgresUnavailable as exc:
        pytest.fail(f"these tests need a local PostgreSQL cluster: {exc}")
    yield cluster
    cluster.stop()


@pytest.fixture
def postgres_database(local_postgres: LocalPostgres) -> str:
    """The URL of a new, empty database in the suite's cluster."""
    return local_postgres.create_database()


@pytest.fixture(scope="session")
def _shared_postgres_database(local_postgres: LocalPostgres) -> str:
    url = local_postgres.create_database("installo_suite")
    database = Database(url)
    database.create_schema()
    database.dispose()
    return url


def _emptied(url: str) -> str:
    """Empty every table (the schema stays) so a test starts from a fresh sandbox."""
    tables = ", ".join(f'"{table.name}"' for table in Base.metadata.sorted_tables)
    engine = create_engine(url)
    try:
        with engine.begin() as connection:
            connection.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    finally:
        engine.dispose()
    return url


@pytest.fixture
def database_url(request: pytest.FixtureRequest) -> str:
    """Where a test's sandbox stores: in-memory SQLite, or an emptied PostgreSQL database."""
    if request.config.getoption("installo_db") == "sqlite":
        return "sqlite://"
    return _emptied(request.getfixturevalue("_shared_postgres_database"))
