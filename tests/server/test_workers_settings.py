"""`--workers N`: PostgreSQL only, the rate limit shared out per process, settings handed over."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from mock_server.__main__ import _shared_secrets_key, main
from mock_server.app import app_from_environment
from mock_server.settings import Settings
from mock_server.storage.sealing import Sealer, sealing_key

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


def test_worker_processes_share_one_secrets_key_when_none_is_set(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert _shared_secrets_key(Settings(db=PG, workers=2, secrets_key="mine")).secrets_key == "mine"
    assert _shared_secrets_key(Settings(db=PG)).secrets_key is None  # one process: its own key
    supervisor = _shared_secrets_key(Settings(db=PG, workers=2))
    assert supervisor.secrets_key
    for name, value in supervisor.as_environment().items():
        monkeypatch.setenv(name, value)
    worker = Settings()
    sealed = Sealer(sealing_key(PG, supervisor.secrets_key)).seal("whsec_abc")
    assert Sealer(sealing_key(PG, worker.secrets_key)).open(sealed) == "whsec_abc"
