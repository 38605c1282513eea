"""Kill and restart a real `mock-server`: webhook deliveries still pending and an application
waiting in manual review are rows, so the restarted server delivers the first and resumes the
second."""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
import pytest

AUTH = {"Authorization": "Bearer sk_test_demo"}
ADMIN = {"Authorization": "Bearer admin_test_demo"}
IDENTITY_KEYS = ("name", "phone", "date_of_birth", "address", "national_id_last4", "locale")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@contextmanager
def mock_server(db: Path, port: int, log: Path) -> Iterator[subprocess.Popen[bytes]]:
    script = Path(sys.executable).with_name("mock-server")
    command = [str(script)] if script.exists() else [sys.executable, "-m", "mock_server"]
    with log.open("ab") as out:
        process = subprocess.Popen(
            [*command, "--port", str(port), "--db", f"sqlite:///{db}", "--seed", "3"],
            stdout=out,
            stderr=subprocess.STDOUT,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )
    try:
        for _ in range(600):  # a start-up wait, not a speed check
            if process.poll() is not None:
                pytest.fail(f"mock-server exited: {log.read_text()}")
            try:
                if httpx.get(f"http://127.0.0.1:{port}/healthz").status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.1)
        yield process
    finally:
        if process.poll() is None:
            process.kill()
        process.wait()


class Inbox(BaseHTTPRequestHandler):
    """Keeps each delivery's raw body and signature."""

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        self.server.received.append((body, self.headers["Installo-Signature"]))  # type: ignore[attr-defined]
        self.send_response(200)
        self.end_headers()

    def log_message(self, format: str, *args: object) -> None:
        """Quiet."""


@contextmanager
def receiver(port: int) -> Iterator[list[tuple[bytes, str]]]:
    server = ThreadingHTTPServer(("127.0.0.1", port), Inbox)
    server.received = []  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.received  # type: ignore[attr-defined]
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def signed_by(secret: str, body: bytes, header: str) -> bool:
    parts = dict(item.split("=", 1) for item in header.split(","))
    digest = hmac.new(secret.encode(), f"{parts['t']}.".encode() + body, hashlib.sha256)
    return hmac.compare_digest(digest.hexdigest(), parts["v1"])


def wait_for(received: list[tuple[bytes, str]], types: set[str]) -> set[str]:
    seen: set[str] = set()
    for _ in range(1000):  # waiting for the worker's retry schedule, not timing it
        seen = {json.loads(body)["type"] for body, _ in received}
        if types <= seen:
            break
        time.sleep(0.05)
    return seen


def recorded(client: httpx.Client, endpoint_id: str) -> set[str]:
    """The deliveries' statuses once the server has recorded every attempt the receiver got
    (it answers the receiver before it records the attempt)."""
    statuses: set[str] = set()
    for _ in range(1000):  # waiting for the worker to record, not timing it
        page = client.get(f"/v1/webhook_endpoints/{endpoint_id}/deliveries").json()
        statuses = {d["status"] for d in page["data"]}
        if "pending" not in statuses:
            break
        time.sleep(0.05)
    return statuses


def in_review_checkout(client: httpx.Client) -> dict[str, Any]:
    persona = client.get("/v1/sandbox/personas", params={"tier": "prime"}).json()["data"][0]
    local, _, domain = persona["email"].partition("@")
    customer = {key: persona[key] for key in IDENTITY_KEYS}
    customer["email"] = f"{local}+review@{domain}"
    body = {
        "items": [{"sku": "r-1", "name": "Sofa", "unit_amount": 150_000, "quantity": 1}],
        "amount": 150_000,
        "currency": "USD",
        "customer": customer,
    }
    checkout = client.post("/v1/checkouts", json=body).json()
    offer = next(o["id"] for o in checkout["offers"] if o["plan"] == "monthly_12")
    confirmed: dict[str, Any] = client.post(
        f"/v1/checkouts/{checkout['id']}/confirm", json={"offer": offer, "consent": True}
    ).json()
    assert confirmed["status"] == "in_review", confirmed
    return confirmed


def test_pending_deliveries_and_a_waiting_review_survive_sigkill(tmp_path: Path) -> None:
    db, log = tmp_path / "sandbox.db", tmp_path / "server.log"
    port, hook_port = free_port(), free_port()
    url = f"http://127.0.0.1:{hook_port}/hooks"
    with (
        mock_server(db, port, log) as process,
        httpx.Client(base_url=f"http://127.0.0.1:{port}", headers=AUTH) as client,
    ):
        endpoint = client.post("/v1/webhook_endpoints", json={"url": url}).json()
        checkout = in_review_checkout(client)  # the receiver is down: deliveries wait
        before_kill = {e["type"] for e in client.get("/v1/events").json()["data"]}
        deliveries = client.get(f"/v1/webhook_endpoints/{endpoint['id']}/deliveries").json()
        assert {d["status"] for d in deliveries["data"]} == {"pending"}
        process.send_signal(signal.SIGKILL)
        process.wait()
    assert {"customer.created", "checkout.created", "checkout.in_review"} <= before_kill

    with (
        receiver(hook_port) as received,
        mock_server(db, port, log),
        httpx.Client(base_url=f"http://127.0.0.1:{port}", headers=AUTH) as client,
    ):
        assert wait_for(received, before_kill) >= before_kill
        assert all(signed_by(endpoint["secret"], body, header) for body, header in received)
        queue = client.get("/v1/admin/reviews", params={"status": "pending"}, headers=ADMIN)
        [review] = [r for r in queue.json()["data"] if r["checkout"] == checkout["id"]]
        worked = client.post(f"/v1/admin/reviews/{review['id']}/approve", headers=ADMIN)
        assert worked.json()["status"] == "approved", worked.text
        resumed = client.get(f"/v1/checkouts/{checkout['id']}").json()
        assert resumed["status"] == "approved"
        loan = client.get(f"/v1/loans/{resumed['loan']}").json()
        assert (loan["status"], loan["authorized_amount"]) == ("authorized", 150_000)
        after = wait_for(received, {"checkout.approved", "loan.authorized"})
        assert {"checkout.approved", "loan.authorized"} <= after
        assert recorded(client, endpoint["id"]) == {"succeeded"}
