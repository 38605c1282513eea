"""`installo` against a real `mock-server`: `listen` forwards every event `trigger` makes to a
local receiver that verifies both signatures, resumes after a restart of the sandbox, and
`logs tail` shows a request the SDK made, with its request id."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import IO

import httpx
import pytest
from installo import Installo
from installo.cli import main
from installo.cli.trigger import TRIGGERS
from installo.webhooks import verify_signature
from standardwebhooks import Webhook

KEY = "sk_test_demo"
SECRET = "whsec_dGhlIGxpc3RlbmVyJ3MgdGVzdCBzZWNyZXQ="


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def script(name: str, module: str) -> list[str]:
    """A console script of this environment (or its module run by this Python)."""
    found = Path(sys.executable).with_name(name)
    return [str(found)] if found.exists() else [sys.executable, "-m", module]


@contextmanager
def mock_server(db: Path, port: int, log: Path) -> Iterator[str]:
    """A real sandbox on loopback, stopped afterwards."""
    with log.open("ab") as out:
        process = subprocess.Popen(
            [*script("mock-server", "mock_server"), "--port", str(port), "--db", f"sqlite:///{db}"],
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(600):  # a start-up wait, not a speed check
            if process.poll() is not None:
                pytest.fail(f"mock-server exited: {log.read_text()}")
            try:
                if httpx.get(f"{url}/healthz").status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.1)
        yield url
    finally:
        process.kill()
        process.wait()


class Receiver(BaseHTTPRequestHandler):
    """The merchant's local app: verifies both header sets of each request it is sent."""

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        headers = {name: value for name, value in self.headers.items()}
        try:
            verify_signature(body, headers["Installo-Signature"], SECRET)
            Webhook(SECRET).verify(body, headers)
        except Exception as exc:
            self.server.rejected.append(repr(exc))  # type: ignore[attr-defined]
            self.send_response(400)
        else:
            self.server.received.append(json.loads(body))  # type: ignore[attr-defined]
            self.send_response(200)
        self.end_headers()

    def log_message(self, format: str, *args: object) -> None:
        """Quiet."""


@contextmanager
def receiver() -> Iterator[ThreadingHTTPServer]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), Receiver)
    server.received = []  # type: ignore[attr-defined]
    server.rejected = []  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


class Listener:
    """`installo listen` as a process; its output lines are read by a thread as they come."""

    def __init__(self, base_url: str, forward_to: str) -> None:
        command = [*script("installo", "installo.cli"), "listen", "--forward-to", forward_to]
        self.process = subprocess.Popen(
            [*command, "--secret", SECRET],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            env={**os.environ, "INSTALLO_API_KEY": KEY, "INSTALLO_BASE_URL": base_url},
        )
        self.lines: list[str] = []
        self._reader = threading.Thread(target=self._read, args=(self.process.stdout,))
        self._reader.start()

    def _read(self, stream: IO[str] | None) -> None:
        assert stream is not None
        for line in stream:
            self.lines.append(line.rstrip("\n"))

    def wait_for(self, text: str, count: int = 1) -> None:
        """Wait until `count` lines contain `text` (the listener's own pace, not timed)."""
        for _ in range(3000):
            if sum(text in line for line in self.lines) >= count:
                return
            if self.process.poll() is not None:
                break
            time.sleep(0.02)
        pytest.fail(f"no {count} lines with {text!r}:\n" + "\n".join(self.lines))

    def stop(self) -> None:
        self.process.kill()
        self.process.wait()
        self._reader.join()
        if self.process.stdout is not None:
            self.process.stdout.close()


def wait_for_types(server: ThreadingHTTPServer, wanted: set[str]) -> set[str]:
    """The event types received once all wanted ones are in (waiting for delivery, not timing)."""
    seen: set[str] = set()
    for _ in range(3000):
        seen = {e["type"] for e in server.received}  # type: ignore[attr-defined]
        if wanted <= seen:
            break
        time.sleep(0.02)
    return seen


def test_listen_forwards_every_triggered_event_signed_and_resumes_after_a_restart(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db, log, port = tmp_path / "sandbox.db", tmp_path / "server.log", free_port()
    with receiver() as local:
        forward_to = f"http://127.0.0.1:{local.server_address[1]}/webhooks"
        with mock_server(db, port, log) as base_url:
            listener = Listener(base_url, forward_to)
            try:
                listener.wait_for("Ready!")
                for event in TRIGGERS:
                    argv = ["trigger", event, "--api-key", KEY, "--base-url", base_url]
                    assert main(argv) == 0, capsys.readouterr().out
                seen = wait_for_types(local, set(TRIGGERS))
                assert set(TRIGGERS) <= seen, set(TRIGGERS) - seen
                assert local.rejected == []  # type: ignore[attr-defined]
                forwarded = len(local.received)  # type: ignore[attr-defined]
                listener.wait_for("--> 200 POST", forwarded)
            except BaseException:
                listener.stop()
                raise
        try:
            with mock_server(db, port, log) as base_url:  # the same database, restarted
                listener.wait_for("Reconnected.")
                assert (
                    main(["trigger", "loan.captured", "--api-key", KEY, "--base-url", base_url])
                    == 0
                )
                listener.wait_for("loan.captured", 2)
        finally:
            listener.stop()
    ids = [e["id"] for e in local.received]  # type: ignore[attr-defined]
    assert len(ids) == len(set(ids)), "an event was forwarded twice"
    assert "stream lost" in "\n".join(listener.lines)


def test_logs_tail_shows_a_request_made_by_the_sdk_with_its_request_id(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with mock_server(tmp_path / "sandbox.db", free_port(), tmp_path / "server.log") as base_url:
        with Installo(api_key=KEY, base_url=base_url) as client:
            customer = client.customers.create(
                email="tail@example.com",
                name="Tail Tester",
                phone="+1 415 555 0100",
                date_of_birth="1990-01-01",
                national_id_last4="1234",
                address={
                    "line1": "1 Main St",
                    "city": "Austin",
                    "postal_code": "78701",
                    "country": "US",
                },
                idempotency_key="tail-key-1",
            )
        request_id = customer._request_id
        assert request_id is not None and request_id.startswith("req_")
        capsys.readouterr()
        assert main(["logs", "tail", "--api-key", KEY, "--base-url", base_url]) == 0
        out = capsys.readouterr().out
    assert "POST   /v1/customers" in out
    assert "idempotency_key=tail-key-1" in out
    [line] = [line for line in out.splitlines() if request_id in line]
    assert "POST" in line and "/v1/customers" in line and " 201 " in line
