"""Findings 6 and 9: logs cannot be forged through a URL, an injected reset is one line, and
the banner never prints a key the operator chose."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import httpx
import pytest
from fastapi import FastAPI

from mock_server.__main__ import _banner
from mock_server.settings import Settings
from tests.security.conftest import serving

AUTH = {"Authorization": "Bearer sk_test_demo"}


class Collect(logging.Handler):
    """Every record, formatted the way a log file would show it (tracebacks included)."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.setFormatter(logging.Formatter("%(levelname)s %(name)s %(message)s"))
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines += self.format(record).splitlines()


@pytest.fixture
def collected() -> Iterator[Collect]:
    handler = Collect()
    loggers = [logging.getLogger(name) for name in ("", "uvicorn", "uvicorn.error")]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)
    yield handler
    for logger, level in zip(loggers, levels, strict=True):
        logger.removeHandler(handler)
        logger.setLevel(level)


async def test_a_newline_in_the_url_cannot_forge_a_log_line(
    client: httpx.AsyncClient, collected: Collect
) -> None:
    forged = "2026-01-01 00:00:00 INFO mock_server.access POST /v1/admin 200"
    await client.get(f"/v1/checkouts/chk_1%0A{forged}%0D%00")
    access = [line for line in collected.lines if line.startswith("INFO mock_server.access")]
    assert len(access) == 1
    assert "chk_1\\x0a2026-01-01" in access[0]
    assert "\\x0d\\x00" in access[0]


def test_an_injected_reset_is_logged_in_one_line(app: FastAPI, collected: Collect) -> None:
    with serving(app) as base, httpx.Client(base_url=base, headers=AUTH) as c:
        with pytest.raises(httpx.HTTPError):
            c.get("/v1/merchants/me", headers={"Installo-Sandbox-Fault": "reset"})
        c.get("/healthz")  # the server carries on
    mentions = [
        line for line in collected.lines if "/v1/merchants/me" in line and "httpx" not in line
    ]
    assert len(mentions) == 1, collected.lines
    assert " reset " in mentions[0]
    assert not [line for line in collected.lines if "Traceback" in line]


def test_the_banner_shows_keys_only_while_they_are_the_demo_defaults() -> None:
    default = _banner(Settings(), 8787)
    assert "admin_test_demo" in default and "sk_test_demo" in default
    private = _banner(Settings(admin_key="admin_private_77", demo_secret_key="sk_test_mine_1"), 1)
    assert "admin_private_77" not in private
    assert "sk_test_mine_1" not in private
