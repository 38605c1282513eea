"""/docs and /redoc work with no network: every asset they load is served by the sandbox."""

from __future__ import annotations

import re
import socket
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from mock_server.api.docs_policy import DOCS_CONTENT_SECURITY_POLICY

EXTERNAL = re.compile(r"(?:https?:)?//[\w.-]+")
REFERENCES = re.compile(r"""(?:src|href|spec-url)=["']([^"']+)["']|url:\s*'([^']+)'""")
CSS_URLS = re.compile(r"""url\(\s*["']?([^"')]+)""")
CSS_IMPORTS = re.compile(r"@import")


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[Any]]:
    """Refuse every socket connection for the test; answer the addresses that were tried."""
    tried: list[Any] = []

    def refuse(self: socket.socket, address: Any) -> None:
        tried.append(address)
        raise OSError("network disabled for this test")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    yield tried


def references(page: str) -> list[str]:
    """Every URL the page's markup and inline script point at."""
    return [a or b for a, b in REFERENCES.findall(page)]


@pytest.mark.parametrize("path", ["/docs", "/redoc"])
async def test_docs_page_and_its_assets_load_offline_from_the_sandbox(
    anonymous: httpx.AsyncClient, no_network: list[Any], path: str
) -> None:
    page = await anonymous.get(path)
    assert page.status_code == 200
    assert EXTERNAL.search(page.text) is None, EXTERNAL.findall(page.text)
    found = references(page.text)
    assert "/openapi.json" in found
    assets = [url for url in found if url.startswith("/static-offline-docs/")]
    assert any(url.endswith(".js") for url in assets)
    for url in found:
        assert url.startswith("/"), f"{url} is not served by the sandbox"
        answer = await anonymous.get(url)
        assert answer.status_code == 200, url
        assert len(answer.content) > 0
        if url.endswith(".css"):
            assert CSS_IMPORTS.search(answer.text) is None
            external = [u for u in CSS_URLS.findall(answer.text) if not u.startswith("data:")]
            assert external == [], external
    assert no_network == []


@pytest.mark.parametrize("path", ["/docs", "/redoc"])
async def test_docs_pages_forbid_the_browser_any_other_origin(
    anonymous: httpx.AsyncClient, path: str
) -> None:
    policy = (await anonymous.get(path)).headers["content-security-policy"]
    assert policy == DOCS_CONTENT_SECURITY_POLICY
    sources = [part.split()[1:] for part in policy.split("; ")]
    allowed = {"'self'", "'unsafe-inline'", "data:", "blob:"}
    assert all(set(s) <= allowed for s in sources), sources
    assert policy.startswith("default-src 'self'")


async def test_the_api_answers_carry_no_docs_policy(client: httpx.AsyncClient) -> None:
    response = await client.get("/v1/merchants/me")
    assert "content-security-policy" not in response.headers
