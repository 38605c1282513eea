"""`--db-pool-size`: the PostgreSQL connections each sandbox process keeps open."""

from __future__ import annotations

from contextlib import ExitStack

from mock_server.__main__ import settings_from_args
from mock_server.app import build_sandbox
from mock_server.local_postgres import LocalPostgres
from mock_server.settings import Settings


def _kept_after_a_burst(settings: Settings, burst: int) -> int:
    """Connections the sandbox's pool keeps once `burst` requests' connections come back."""
    sandbox = build_sandbox(settings)
    try:
        engine = sandbox.db.engine
        with ExitStack() as held:
            for _ in range(burst):
                held.enter_context(engine.connect())
        kept: int = engine.pool.checkedin()  # type: ignore[attr-defined]
        return kept
    finally:
        sandbox.close()


def test_the_pool_keeps_as_many_connections_as_the_setting_says(
    local_postgres: LocalPostgres,
) -> None:
    small = Settings(db=local_postgres.create_database(), db_pool_size=3)
    assert _kept_after_a_burst(small, burst=6) == 3  # the other 3 were opened and closed
    default = Settings(db=local_postgres.create_database())
    assert default.db_pool_size == 20
    assert _kept_after_a_burst(default, burst=12) == 12  # a burst of 12 keeps every one


def test_the_flag_sets_the_pool_size() -> None:
    assert settings_from_args(["--db-pool-size", "7"]).db_pool_size == 7
    assert settings_from_args([]).db_pool_size == 20
