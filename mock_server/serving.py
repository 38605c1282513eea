"""Serving the sandbox on uvicorn: the server configuration `mock-server` runs.

uvicorn answers a request it cannot parse (a request head over its 16 KB limit, a malformed
request line) itself, in plain text, before the app sees it. `ShapedH11Protocol` answers those
in the sandbox's error shape instead, with a `Request-Id` like every other answer: 431 for a
request head over the limit, 400 for anything else malformed.

It also turns Nagle's algorithm off on every connection. asyncio does that only for sockets that
report `IPPROTO_TCP`, and a listener from `uvicorn.Config.bind_socket()` (which `mock-server`
binds before its banner, and the `--workers` supervisor shares) reports protocol 0, so its
connections kept Nagle on: every keep-alive request after the first waited ~40 ms for the
client's delayed ACK before the body of its answer left (uvicorn issue 3149).

And it keeps an idle connection open for `KEEP_ALIVE_SECONDS`, longer than clients keep one in
their pools: with uvicorn's 5 s, equal to httpx's (and so the SDK's) `keepalive_expiry`, a
request sent on a connection idle for about 5 s could cross the server's close and fail with a
ReadError (two of sixteen such requests here).
"""

from __future__ import annotations

import asyncio
import logging
import socket
from typing import Any, Final

import h11
import uvicorn
from fastapi import FastAPI
from uvicorn.protocols.http.h11_impl import H11Protocol

from mock_server.api.errors import error_bytes
from mock_server.api.faults import SimulatedConnectionReset
from mock_server.ids import new_id
from mock_server.logs import InjectedResetFilter
from mock_server.settings import Settings

__all__ = [
    "KEEP_ALIVE_SECONDS",
    "MAX_HEADER_BYTES",
    "ShapedH11Protocol",
    "quiet_injected_resets",
    "server_config",
]

log = logging.getLogger("mock_server.access")

# The request line and headers together; h11 keeps at most this much of an unfinished head.
MAX_HEADER_BYTES: Final = 16 * 1024
# How long an idle keep-alive connection stays open: well past the clients' own pool expiry
# (httpx: 5 s), as a server behind a load balancer outlasts the balancer's (nginx's default).
KEEP_ALIVE_SECONDS: Final = 75


class ShapedH11Protocol(H11Protocol):
    """uvicorn's h11 protocol, with its own refusals in the one error shape."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._refusal = 400
        next_event = self.conn.next_event

        def noting_next_event() -> Any:
            try:
                return next_event()
            except h11.RemoteProtocolError as exc:
                self._refusal = exc.error_status_hint
                raise

        self.conn.next_event = noting_next_event  # type: ignore[method-assign]

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        """Send each write at once (TCP_NODELAY), whatever the listener reports."""
        sock = transport.get_extra_info("socket")
        if sock is not None and sock.family in (socket.AF_INET, socket.AF_INET6):
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        super().connection_made(transport)

    def send_400_response(self, msg: str) -> None:
        """Answer a request uvicorn could not parse: 431 or 400, JSON, with a request id."""
        status = 431 if self._refusal == 431 else 400
        request_id = new_id("req")
        if status == 431:
            code = "request_header_too_large"
            message = f"The request line and headers exceed {MAX_HEADER_BYTES} bytes"
        else:
            code, message = "request_malformed", "The HTTP request could not be parsed"
        body = error_bytes(status, "invalid_request_error", code, message, "header", request_id)
        log.info("- - %d request_id=%s (%s)", status, request_id, code)
        headers = [
            (b"content-type", b"application/json"),
            (b"content-length", str(len(body)).encode()),
            (b"request-id", request_id.encode()),
            (b"connection", b"close"),
        ]
        for event in (
            h11.Response(status_code=status, headers=headers),
            h11.Data(data=body),
            h11.EndOfMessage(),
        ):
            self.transport.write(self.conn.send(event) or b"")
        self.transport.close()


def quiet_injected_resets() -> None:
    """Filter uvicorn's traceback of an injected reset (the sandbox logs it in one line); each
    process that serves calls this once (a `--workers` process starts with fresh loggers)."""
    server_log = logging.getLogger("uvicorn.error")
    if not any(isinstance(f, InjectedResetFilter) for f in server_log.filters):
        server_log.addFilter(InjectedResetFilter(SimulatedConnectionReset))


def server_config(app: FastAPI | str, settings: Settings, **options: Any) -> uvicorn.Config:
    """How `mock-server` serves an app (or an app factory's import path, with `options` such
    as `workers`): our access log, our refusals, bounded request heads, and an injected reset
    logged in one line."""
    quiet_injected_resets()
    return uvicorn.Config(
        app,
        host=settings.host,
        port=settings.port,
        log_level=settings.log_level,
        access_log=False,  # ours carries the request id and never a key
        http=ShapedH11Protocol,
        # No route speaks WebSocket: load no WebSocket library at start (with "auto", uvicorn
        # loads one whenever a development tool happens to have installed it).
        ws="none",
        h11_max_incomplete_event_size=MAX_HEADER_BYTES,
        timeout_keep_alive=KEEP_ALIVE_SECONDS,
        **options,
    )
