"""The sandbox's cold start: what it leaves until first use is not loaded at start, and works on
first use in a fresh `mock-server` process, right after its first `/healthz` answer.

Left until first use: Alembic (a database already at the newest revision, or a new one, needs
none), httpx and the webhook client's TLS set-up (the first delivery), Faker (the first generated
person), Jinja (the first hosted page), segno (the first QR code), rapidfuzz (the first sanctions
screening), the portfolio analytics (the first portfolio read), cryptography (the first secret
sealed or opened: a webhook endpoint's signing secret), FastAPI's analysis of the routes (each
analysed at its router's first request; `pydantic.v1` is imported by the first analysis), PyYAML
and the shipped loan processes (the first workflow looked up: a checkout's decision). No WebSocket
library is loaded at all: no route speaks WebSocket.
"""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, ClassVar

import httpx
import pytest

AUTH = {"Authorization": "Bearer sk_test_demo"}
DEFERRED = (
    "alembic", "faker", "jinja2", "segno", "httpx", "rapidfuzz", "wsproto", "mock_server.analytics",
    "cryptography", "pydantic.v1", "yaml",
)  # fmt: skip

# Starts the sandbox as `mock-server` does (its module, the schema, the demo merchant, the app,
# uvicorn's configuration loaded) and names every deferred library that got loaded on the way.
_LOADED_AT_START = f"""
import sys
import mock_server.__main__
from mock_server.app import build_sandbox, create_app
from mock_server.serving import server_config
from mock_server.settings import Settings

settings = Settings(db=sys.argv[1], webhook_worker=False)
sandbox = build_sandbox(settings)
server_config(create_app(sandbox=sandbox), settings).load()
sandbox.close()
print(" ".join(name for name in {DEFERRED!r} if name in sys.modules))
"""


def _loaded_at_start(url: str) -> list[str]:
    done = subprocess.run(
        [sys.executable, "-c", _LOADED_AT_START, url],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    return done.stdout.split()


def test_a_start_on_a_new_or_current_database_loads_none_of_the_deferred_libraries(
    tmp_path: Path,
) -> None:
    url = f"sqlite:///{tmp_path / 'sandbox.db'}"
    assert _loaded_at_start(url) == []  # a new file: created at the head without Alembic
    assert _loaded_at_start(url) == []  # the same file, now at the head
    assert _loaded_at_start("sqlite://") == []  # the default, in memory


class _Hooks(BaseHTTPRequestHandler):
    """A webhook receiver that records the event types it is sent."""

    types: ClassVar[list[str]] = []
    arrived: ClassVar[threading.Event] = threading.Event()

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        self.types.append(json.loads(body)["type"])
        self.arrived.set()
        self.send_response(200)
        self.end_headers()

    def log_message(self, format: str, *args: object) -> None:
        """Quiet."""


@pytest.fixture
def hooks_url() -> Iterator[str]:
    """A receiver on loopback (the sandbox listening on loopback may deliver there)."""
    _Hooks.types, _Hooks.arrived = [], threading.Event()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Hooks)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/hooks"
    server.shutdown()
    server.server_close()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@pytest.fixture
def fresh_server(tmp_path: Path) -> Iterator[str]:
    """A new `mock-server` process (in-memory database) that has just answered its first
    `/healthz`: its base URL."""
    port, log = _free_port(), tmp_path / "server.log"
    script = Path(sys.executable).with_name("mock-server")
    with log.open("wb") as out:
        process = subprocess.Popen(
            [str(script), "--port", str(port)], stdout=out, stderr=subprocess.STDOUT
        )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(1200):  # a start-up wait, not a speed check
            if process.poll() is not None:
                pytest.fail(f"mock-server exited: {log.read_text()}")
            try:
                if httpx.get(f"{base}/healthz").status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.05)
        else:
            pytest.fail(f"mock-server did not answer: {log.read_text()}")
        yield base
    finally:
        process.terminate()
        process.wait(timeout=30)


def _approving_customer(client: httpx.Client) -> dict[str, Any]:
    """A generated prime persona (Faker), its email tagged to be approved."""
    people = client.get("/v1/sandbox/personas", params={"tier": "prime", "limit": 1})
    assert people.status_code == 200, people.text
    person = people.json()["data"][0]
    local, _, domain = person["email"].partition("@")
    keys = ("name", "phone", "date_of_birth", "address", "national_id_last4", "locale")
    return {**{k: person[k] for k in keys}, "email": f"{local}+approve@{domain}"}


def _cart(customer: dict[str, Any], **extra: Any) -> dict[str, Any]:
    item = {"sku": "lamp", "name": "Lamp", "unit_amount": 40_000, "quantity": 1}
    return {"items": [item], "amount": 40_000, "currency": "USD", "customer": customer, **extra}


def _approved_checkout(client: httpx.Client, customer: dict[str, Any]) -> dict[str, Any]:
    """A checkout, its hosted page as the shopper's browser gets it, and its confirmation."""
    created = client.post("/v1/checkouts", json=_cart(customer))
    assert created.status_code == 201, created.text
    checkout: dict[str, Any] = created.json()
    page = httpx.get(checkout["next_action"]["url"])  # the shopper's browser: no key
    assert page.status_code == 200 and "<form" in page.text
    offer = checkout["offers"][0]["id"]
    path = f"/v1/checkouts/{checkout['id']}/confirm"
    confirmed = client.post(path, json={"offer": offer, "consent": True})
    assert confirmed.status_code == 200, confirmed.text
    decided: dict[str, Any] = confirmed.json()
    return decided


def test_a_fresh_process_serves_each_deferred_piece_on_its_first_use(
    fresh_server: str, hooks_url: str
) -> None:
    with httpx.Client(base_url=fresh_server, headers=AUTH) as client:
        endpoint = client.post("/v1/webhook_endpoints", json={"url": hooks_url})
        assert endpoint.status_code in (200, 201), endpoint.text
        customer = _approving_customer(client)
        decided = _approved_checkout(client, customer)
        assert decided["status"] == "approved" and decided["loan"].startswith("loan_")
        in_store = client.post(
            "/v1/checkouts",
            json=_cart(customer, channel="in_store", store_id="s1", terminal_id="t1"),
        )
        assert in_store.status_code == 201, in_store.text
        png = client.get(in_store.json()["next_action"]["qr_png_url"])
        assert (png.status_code, png.headers["content-type"]) == (200, "image/png")
        assert png.content.startswith(b"\x89PNG")
        portfolio = client.get("/v1/portfolio")
        assert portfolio.status_code == 200, portfolio.text
        assert portfolio.json()["currencies"], portfolio.text
    assert _Hooks.arrived.wait(timeout=60)  # waiting for the background delivery, not timing it
    assert _Hooks.types[0] in {"customer.created", "checkout.created"}
