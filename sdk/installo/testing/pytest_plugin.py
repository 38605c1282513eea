"""The `installo` pytest plugin: fixtures for testing an Installo integration.

Registered through the `pytest11` entry point, so installing the package is enough:

- `installo_mock`: a `MockAPI` (respx) at the SDK's base URL; no server needed.
- `installo_sandbox_app`: the real sandbox's ASGI app (needs the `[server]` extra).
- `installo_client` / `installo_async_client`: clients driving that app in-process.
- `installo_sandbox_url`: the sandbox served on a loopback port, for code that opens its own client.

Nothing here imports the server until a fixture that needs it runs.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import TYPE_CHECKING, Any

import pytest

from .._client import AsyncInstallo, Installo

if TYPE_CHECKING:
    from ._mock import MockAPI

__all__ = [
    "installo_async_client",
    "installo_client",
    "installo_mock",
    "installo_sandbox_app",
    "installo_sandbox_url",
]


@pytest.fixture
def installo_mock() -> Iterator[MockAPI]:
    """A mock of the API at the SDK's base URL, approving by default (`.outcome = "decline"`)."""
    from . import mock_api

    with mock_api() as api:
        yield api


@pytest.fixture
def installo_sandbox_app() -> Iterator[Any]:
    """A fresh in-memory sandbox app; skips the test when the `[server]` extra is missing.

    Closed after the test: its webhook worker and idempotency purge threads stop (an app driven
    through ASGI without a lifespan, as the async client drives it, would keep them running).
    """
    from .sandbox import sandbox_app

    try:
        app = sandbox_app()
    except ImportError as exc:
        pytest.skip(str(exc))
    try:
        yield app
    finally:
        app.state.sandbox.close()


@pytest.fixture
def installo_client(installo_sandbox_app: Any) -> Iterator[Installo]:
    """A sync client (demo merchant and admin keys) driving the sandbox in-process."""
    from .sandbox import in_process_client

    with in_process_client(installo_sandbox_app) as client:
        yield client


@pytest.fixture
async def installo_async_client(installo_sandbox_app: Any) -> AsyncIterator[AsyncInstallo]:
    """An async client (demo merchant and admin keys) driving the sandbox through ASGI."""
    from .sandbox import async_in_process_client

    async with async_in_process_client(installo_sandbox_app) as client:
        yield client


@pytest.fixture
def installo_sandbox_url(installo_sandbox_app: Any) -> Iterator[str]:
    """The sandbox served over a real loopback socket; yields its base URL."""
    from .sandbox import serve_sandbox

    with serve_sandbox(installo_sandbox_app) as url:
        yield url
