"""`mock-server`'s uvicorn configuration on a real socket bound the way `mock-server` binds it."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator

import httpx
import pytest
import uvicorn
from fastapi import FastAPI

from mock_server.serving import ShapedH11Protocol, server_config
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


def _open_connections(server: uvicorn.Server) -> list[ShapedH11Protocol]:
    """The server's open connections (at least the test client's one)."""
    connections = [c for c in server.server_state.connections if isinstance(c, ShapedH11Protocol)]
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
