"""`installo.testing.sandbox.serve_sandbox`: the sandbox on a real socket in a thread."""

from __future__ import annotations

import os
import socket
from urllib.parse import urlsplit

import httpx
from installo.testing.sandbox import serve_sandbox


def _accepted_connections(port: int) -> list[socket.socket]:
    """Copies of this process's sockets accepted on `port` (the server thread's ends)."""
    found: list[socket.socket] = []
    for name in os.listdir("/proc/self/fd"):
        try:
            sock = socket.socket(fileno=os.dup(int(name)))
        except OSError:
            continue  # not a socket (or already gone)
        try:
            if sock.family == socket.AF_INET and sock.getsockname()[1] == port:
                sock.getpeername()  # a listener has no peer: OSError
                found.append(sock)
                continue
        except OSError:
            pass
        sock.close()
    return found


def test_kept_alive_connections_send_without_waiting_for_acks() -> None:
    with serve_sandbox() as base, httpx.Client(base_url=base) as client:
        assert client.get("/healthz").status_code == 200  # the connection stays open
        accepted = _accepted_connections(urlsplit(base).port or 0)
        assert accepted, "the client's kept-alive connection is open on the server"
        for sock in accepted:
            with sock:
                assert sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) == 1
        assert client.get("/healthz").status_code == 200
