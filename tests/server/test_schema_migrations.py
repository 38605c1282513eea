"""Schema migrations: they build exactly the models, and bring a previous release's database
forward at start (or on `mock-server db upgrade`) without losing its loans, on SQLite and
PostgreSQL alike.

The previous release is the baseline revision: the schema of the last sandbox before migrations
existed, which kept no revision table.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, MetaData, create_engine, insert, select, text, update

from mock_server.__main__ import main
from mock_server.app import build_sandbox, create_app
from mock_server.settings import Settings
from mock_server.storage import Base
from mock_server.storage.schema import (
    BASELINE,
    MIGRATIONS,
    OutdatedSchema,
    alembic_config,
    head_revision,
    schema_status,
    shipped_head,
)

LOAN_FIELDS = (
    "status", "authorized_amount", "captured_amount", "refunded_amount", "principal_balance",
    "currency", "apr_bps", "schedule", "checkout", "customer",
)  # fmt: skip


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """An empty database: a new SQLite file, or a new database in the suite's cluster."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'sandbox.db'}"
    url: str = request.getfixturevalue("postgres_database")
    return url


@pytest.fixture
def engine(empty_url: str) -> Iterator[Engine]:
    """An engine on the empty database."""
    made = create_engine(empty_url)
    yield made
    made.dispose()


def _migrate(engine: Engine, revision: str) -> None:
    with engine.begin() as connection:
        command.upgrade(alembic_config(connection), revision)


def _revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def test_the_migrations_have_one_head() -> None:
    assert head_revision()  # raises, naming them, when two migrations share a parent


def test_each_migration_is_named_after_its_revision_and_follows_the_one_before() -> None:
    # The start reads the head from the file names (without Alembic): it must be Alembic's.
    scripts = _scripts()
    names = sorted(path.stem for path in (MIGRATIONS / "versions").glob("[0-9]*.py"))
    assert [scripts.get_revision(name).revision for name in names] == names
    assert [scripts.get_revision(name).down_revision for name in names] == [None, *names[:-1]]
    assert shipped_head() == names[-1] == head_revision()


def _scripts() -> ScriptDirectory:
    return ScriptDirectory.from_config(alembic_config())


def test_a_new_database_gets_the_revision_table_alembic_makes(
    engine: Engine, empty_url: str, tmp_path: Path
) -> None:
    build_sandbox(Settings(db=empty_url, webhook_worker=False)).close()  # created without Alembic
    stamped = create_engine(f"sqlite:///{tmp_path / 'stamped.db'}")
    with stamped.begin() as connection:
        MigrationContext.configure(connection).stamp(_scripts(), "head")
    made, alembics = _version_table(engine), _version_table(stamped)
    stamped.dispose()
    assert [(c.name, c.nullable, c.type.length) for c in made.columns] == [
        (c.name, c.nullable, c.type.length) for c in alembics.columns
    ]
    assert made.primary_key.name == alembics.primary_key.name == "alembic_version_pkc"
    assert _revision(engine) == head_revision()
    with engine.begin() as connection:  # Alembic reads it as its own: nothing left to upgrade
        command.upgrade(alembic_config(connection), "head")
    assert _revision(engine) == head_revision()


def test_the_migrations_build_exactly_the_models(engine: Engine) -> None:
    _migrate(engine, "head")
    with engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    assert differences == [], "a model changed without a migration: mock-server db revision -m"


def _previous_release(engine: Engine) -> None:
    """The schema the last sandbox before migrations made: the baseline, with no revision."""
    _migrate(engine, BASELINE)
    with engine.begin() as connection:
        connection.execute(text("DROP TABLE alembic_version"))


async def _loan_made_today(client: httpx.AsyncClient, kit: Any) -> dict[str, Any]:
    people = (await client.get("/v1/sandbox/personas", params={"tier": "prime"})).json()["data"]
    customer = kit.persona_identity(people[0], kit.tagged(people[0], "approve"))
    checkout = (await client.post("/v1/checkouts", json=kit.cart(customer=customer))).json()
    offer = next(o["id"] for o in checkout["offers"] if o["plan"] == "monthly_12")
    path = f"/v1/checkouts/{checkout['id']}/confirm"
    confirmed = (await client.post(path, json={"offer": offer, "consent": True})).json()
    loan_path = f"/v1/loans/{confirmed['loan']}"
    await client.post(f"{loan_path}/capture", json={})
    refunded: dict[str, Any] = (
        await client.post(f"{loan_path}/refunds", json={"amount": 20_000})
    ).json()
    assert refunded["refunded_amount"] == 20_000
    return refunded


def _copy_rows(source: Engine, target: Engine) -> None:
    """Write every row of the source into the target's tables, in the columns the target has."""
    old = MetaData()
    old.reflect(target)
    with source.connect() as reading, target.begin() as writing:
        for table in Base.metadata.sorted_tables:
            if table.name not in old.tables:
                continue
            kept = old.tables[table.name]
            rows = [dict(row._mapping) for row in reading.execute(select(table))]
            if rows:
                columns = set(kept.columns.keys())
                writing.execute(
                    insert(kept), [{k: v for k, v in r.items() if k in columns} for r in rows]
                )


async def _client_for(app: Any, kit: Any) -> httpx.AsyncClient:
    transport = httpx.ASGITransport(app=app)
    return httpx.AsyncClient(transport=transport, base_url="http://t", headers=kit.auth)


async def test_a_previous_release_database_keeps_its_loans_through_the_upgrade(
    engine: Engine, empty_url: str, tmp_path: Path, kit: Any
) -> None:
    today = f"sqlite:///{tmp_path / 'today.db'}"
    app = create_app(Settings(db=today, seed=7, webhook_worker=False))
    async with await _client_for(app, kit) as client:
        loan = await _loan_made_today(client, kit)
    _previous_release(engine)
    _copy_rows(app.state.sandbox.db.engine, engine)
    app.state.sandbox.close()

    upgraded = create_app(Settings(db=empty_url, seed=7, webhook_worker=False))
    try:
        async with await _client_for(upgraded, kit) as client:
            read_back = (await client.get(f"/v1/loans/{loan['id']}")).json()
            listed = (await client.get("/v1/loans")).json()["data"]
    finally:
        upgraded.state.sandbox.close()
    assert _revision(engine) == head_revision()
    assert {k: read_back[k] for k in LOAN_FIELDS} == {k: loan[k] for k in LOAN_FIELDS}
    assert [row["id"] for row in listed] == [loan["id"]]


def test_an_older_revision_is_upgraded_at_start(engine: Engine, empty_url: str) -> None:
    _previous_release(engine)
    sandbox = build_sandbox(Settings(db=empty_url, webhook_worker=False, upgrade_on_start=True))
    sandbox.close()
    assert _revision(engine) == head_revision()


def test_no_upgrade_on_start_refuses_an_older_revision_and_leaves_it(
    engine: Engine, empty_url: str
) -> None:
    _migrate(engine, BASELINE)
    settings = Settings(db=empty_url, webhook_worker=False, upgrade_on_start=False)
    with pytest.raises(OutdatedSchema, match="mock-server db upgrade"):
        build_sandbox(settings)
    assert _revision(engine) == BASELINE


def test_no_upgrade_accepts_a_database_already_at_the_head(engine: Engine, empty_url: str) -> None:
    _migrate(engine, "head")
    build_sandbox(Settings(db=empty_url, webhook_worker=False, upgrade_on_start=False)).close()
    assert _revision(engine) == head_revision()


def test_a_revision_from_a_newer_sandbox_is_refused(engine: Engine, empty_url: str) -> None:
    _migrate(engine, "head")
    with engine.begin() as connection:
        connection.execute(update(_version_table(engine)).values(version_num="ffff_from_later"))
    with pytest.raises(OutdatedSchema, match="ffff_from_later"):
        build_sandbox(Settings(db=empty_url, webhook_worker=False))


def _version_table(engine: Engine) -> Any:
    found = MetaData()
    found.reflect(engine, only=["alembic_version"])
    return found.tables["alembic_version"]


def test_db_upgrade_command_upgrades_and_says_from_where(
    engine: Engine, empty_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    _previous_release(engine)
    assert main(["db", "upgrade", "--db", empty_url]) == 0
    said = capsys.readouterr().out
    assert f"upgraded from revision none (made before migrations) to {head_revision()}" in said
    with engine.connect() as connection:
        assert schema_status(connection).current
    assert main(["db", "current", "--db", empty_url]) == 0
    assert f"revision {head_revision()}" in capsys.readouterr().out


def test_db_upgrade_command_refuses_a_newer_database(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'later.db'}"
    later = create_engine(url)
    _migrate(later, "head")
    with later.begin() as connection:
        connection.execute(update(_version_table(later)).values(version_num="ffff_from_later"))
    later.dispose()
    assert main(["db", "upgrade", "--db", url]) == 2
