"""`mock-server`'s uvicorn configuration on a real socket bound the way `mock-server` binds it."""

from __future__ import annotations

import asyncio
import json
import socket
import threading
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
import uvicorn
from fastapi import FastAPI

from mock_server.serving import (
    MAX_HEADER_BYTES,
    OneSendPerTurn,
    ShapedHttpToolsProtocol,
    server_config,
)
from mock_server.settings import Settings


@pytest.fixture
def served(app: FastAPI) -> Iterator[tuple[uvicorn.Server, str]]:
    """The app on a listener from `Config.bind_socket()`, as `mock-server` and its workers get."""
    config = server_config(app, Settings(port=0, log_level="warning"))
    listener = config.bind_socket()  # protocol 0: asyncio leaves Nagle on for its connections
    listener.listen(config.backlog)
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [listener]}, daemon=True)
    thread.start()
    try:
        yield server, f"http://127.0.0.1:{listener.getsockname()[1]}"
    finally:
        server.should_exit = True
        thread.join(10)
        listener.close()


def _open_connections(server: uvicorn.Server) -> list[ShapedHttpToolsProtocol]:
    """The server's open connections (at least the test client's one)."""
    connections = [
        c for c in server.server_state.connections if isinstance(c, ShapedHttpToolsProtocol)
    ]
    assert connections, "the client's connection is open on the server"
    return connections


def test_every_connection_sends_without_waiting_for_acks(
    served: tuple[uvicorn.Server, str],
) -> None:
    server, base = served
    with httpx.Client(base_url=base) as client:
        # The first answer proves the server is up; the connection stays open for the look.
        assert client.get("/healthz").status_code == 200
        connections = _open_connections(server)
        for connection in connections:
            sock = connection.transport.get_extra_info("socket")
            assert sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) == 1
        assert client.get("/healthz").status_code == 200  # the kept-alive connection answers


def test_an_idle_connection_outlasts_the_clients_pool_expiry(
    served: tuple[uvicorn.Server, str],
) -> None:
    """A client reuses a pooled connection until its own keep-alive expiry (httpx: 5 s); were
    the server to close it at the same age, a request could cross the close (ReadError)."""
    server, base = served
    client_expiry = httpx.Limits().keepalive_expiry
    assert client_expiry is not None
    with httpx.Client(base_url=base) as client:
        assert client.get("/healthz").status_code == 200
        connections = _open_connections(server)
        for connection in connections:
            # How long this connection may idle before the server closes it.
            assert connection.timeout_keep_alive > 2 * client_expiry


def _exchange(base: str, chunks: list[bytes]) -> bytes:
    """Send `chunks` on one raw connection, one write each, and read until the server closes
    it or has answered."""
    host, port = base.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as sock:
        for chunk in chunks:
            try:
                sock.sendall(chunk)
            except (BrokenPipeError, ConnectionResetError):
                break  # the server refused and closed before the rest was sent
        received = b""
        while b"\r\n\r\n" not in received or not _complete(received):
            try:
                data = sock.recv(65536)
            except ConnectionResetError:
                break
            if not data:
                break
            received += data
        return received


def _complete(answer: bytes) -> bool:
    head, _, body = answer.partition(b"\r\n\r\n")
    for line in head.split(b"\r\n"):
        name, _, value = line.partition(b":")
        if name.lower() == b"content-length":
            return len(body) >= int(value)
    return True


def _refusal(answer: bytes) -> tuple[int, dict[str, str], dict[str, Any]]:
    head, _, body = answer.partition(b"\r\n\r\n")
    status_line, *lines = head.decode().split("\r\n")
    headers = {k.lower(): v.strip() for k, _, v in (line.partition(":") for line in lines)}
    return int(status_line.split()[1]), headers, json.loads(body)["error"]


def test_a_malformed_request_is_refused_in_the_error_shape(
    served: tuple[uvicorn.Server, str],
) -> None:
    _, base = served
    status, headers, error = _refusal(_exchange(base, [b"GET /healthz HTTP/1.1\r\nHost x\r\n\r\n"]))
    assert status == 400
    assert headers["content-type"] == "application/json"
    assert headers["connection"] == "close"
    assert error["code"] == "request_malformed"
    assert error["request_id"] == headers["request-id"]


def test_a_request_head_over_the_limit_is_refused_in_one_piece_or_dribbled(
    served: tuple[uvicorn.Server, str],
) -> None:
    _, base = served
    start = b"GET /healthz HTTP/1.1\r\nHost: x\r\n"
    over = b"X-Padding: " + b"p" * MAX_HEADER_BYTES + b"\r\n\r\n"
    # Whole, in one write: parsed, then refused.
    status, _, error = _refusal(_exchange(base, [start + over]))
    assert (status, error["code"]) == (431, "request_header_too_large")
    # A header that never ends, 1 KB at a time: refused once 16 KB have come, not buffered on.
    dribble = [start] + [b"X-Padding: " + b"p" * 1024] + [b"p" * 1024] * 64
    status, headers, error = _refusal(_exchange(base, dribble))
    assert (status, error["code"]) == (431, "request_header_too_large")
    assert error["request_id"] == headers["request-id"]


def test_a_request_head_just_under_the_limit_is_served(
    served: tuple[uvicorn.Server, str],
) -> None:
    _, base = served
    start = b"GET /healthz HTTP/1.1\r\nHost: x\r\n"
    padding = MAX_HEADER_BYTES - len(start) - 200
    head = start + b"X-Padding: " + b"p" * padding + b"\r\n\r\n"
    answer = _exchange(base, [head[:5000], head[5000:]])  # in two pieces, as TCP may split it
    assert answer.startswith(b"HTTP/1.1 200 OK\r\n"), answer[:200]


class _Recorded(asyncio.Transport):
    """A transport that records what is written to it."""

    def __init__(self) -> None:
        super().__init__()
        self.sent: list[bytes] = []
        self.closed = self.aborted = False

    def write(self, data: bytes | bytearray | memoryview) -> None:
        self.sent.append(bytes(data))

    def close(self) -> None:
        self.closed = True

    def abort(self) -> None:
        self.aborted = True

    def is_closing(self) -> bool:
        return self.closed or self.aborted

    def get_write_buffer_size(self) -> int:
        return 0


async def test_an_answers_head_and_body_leave_in_one_send_at_the_end_of_the_turn() -> None:
    recorded = _Recorded()
    transport = OneSendPerTurn(recorded, asyncio.get_running_loop())
    transport.write(b"HTTP/1.1 200 OK\r\n\r\n")
    transport.write(memoryview(b'{"status":"ok"}'))
    assert recorded.sent == [] and transport.get_write_buffer_size() == 34
    await asyncio.sleep(0)  # the turn ends
    assert recorded.sent == [b'HTTP/1.1 200 OK\r\n\r\n{"status":"ok"}']
    transport.write(b"next")  # a later turn's write is a send of its own
    await asyncio.sleep(0)
    assert recorded.sent[1:] == [b"next"]


async def test_a_streamed_answers_head_leaves_before_its_first_chunk() -> None:
    recorded = _Recorded()
    transport = OneSendPerTurn(recorded, asyncio.get_running_loop())
    transport.write(b"HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n")
    await asyncio.sleep(0.01)  # the app waits for its first event
    assert recorded.sent == [b"HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n"]


async def test_closing_sends_what_the_turn_held_and_aborting_drops_it() -> None:
    recorded = _Recorded()
    transport = OneSendPerTurn(recorded, asyncio.get_running_loop())
    transport.write(b"last answer")
    transport.close()
    assert recorded.sent == [b"last answer"] and recorded.closed
    dropped = _Recorded()
    transport = OneSendPerTurn(dropped, asyncio.get_running_loop())
    transport.write(b"cut off")
    transport.abort()
    await asyncio.sleep(0)
    assert dropped.sent == [] and dropped.aborted


def test_every_connection_writes_through_one_send_per_turn(
    served: tuple[uvicorn.Server, str],
) -> None:
    server, base = served
    with httpx.Client(base_url=base) as client:
        assert client.get("/healthz").json() == {"status": "ok"}
        assert all(isinstance(c.transport, OneSendPerTurn) for c in _open_connections(server))
        assert client.get("/healthz").json() == {"status": "ok"}
