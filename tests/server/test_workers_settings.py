"""`--workers N`: PostgreSQL only, the rate limit shared out per process, settings handed over."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from mock_server.__main__ import main
from mock_server.app import app_from_environment
from mock_server.settings import Settings

PG = "postgresql+psycopg://sandbox@127.0.0.1:5432/sandbox"


def test_more_than_one_worker_on_sqlite_is_refused_with_the_reason(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["--workers", "2", "--db", "sqlite:///sandbox.db"]) == 2
    said = capsys.readouterr().err
    assert "--workers 2 needs PostgreSQL" in said
    assert "SQLite allows one writer" in said


def test_one_worker_on_sqlite_is_the_default() -> None:
    assert Settings(db="sqlite://").workers == 1


def test_each_worker_holds_its_share_of_the_rate_limit() -> None:
    assert Settings(db=PG, workers=4, rate_limit=20).rate_limit_per_process == 5
    assert Settings(db=PG, workers=1, rate_limit=20).rate_limit_per_process == 20


def test_a_rate_limit_that_does_not_share_evenly_is_refused() -> None:
    with pytest.raises(ValidationError, match="use a multiple of 3"):
        Settings(db=PG, workers=3, rate_limit=10)


def test_worker_processes_read_the_same_settings_from_the_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    given = Settings(db="sqlite://", seed=42, rate_limit=9, webhook_worker=False)
    for name, value in given.as_environment().items():
        monkeypatch.setenv(name, value)
    assert Settings() == given
    app = app_from_environment()
    try:
        assert app.state.sandbox.settings == given
    finally:
        app.state.sandbox.close()
