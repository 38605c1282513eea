"""Serving the sandbox on uvicorn: the server configuration `mock-server` runs.

Requests are parsed by httptools (llhttp, in C), not h11: on this machine a checkout create cost
2.53 ms of server CPU with h11 and 2.33 ms with httptools, a confirm 4.27 and 4.03 ms, /healthz
0.45 and 0.30 ms (`benchmarks/bench_server.py`, 8 concurrent, side by side).

uvicorn answers a request it cannot parse (a malformed request line or header) itself, in plain
text, before the app sees it, and its httptools protocol has no bound on a request's head at all.
`ShapedHttpToolsProtocol` bounds the request line and headers to `MAX_HEADER_BYTES` and answers
the refusals in the sandbox's error shape, with a `Request-Id` like every other answer: 431 for a
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
from collections.abc import Iterable
from http import HTTPStatus
from typing import Any, Final

import uvicorn
from fastapi import FastAPI
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from mock_server.api.errors import error_bytes
from mock_server.api.faults import SimulatedConnectionReset
from mock_server.ids import new_id
from mock_server.logs import InjectedResetFilter
from mock_server.settings import Settings

__all__ = [
    "KEEP_ALIVE_SECONDS",
    "MAX_HEADER_BYTES",
    "OneSendPerTurn",
    "ShapedHttpToolsProtocol",
    "quiet_injected_resets",
    "server_config",
]

log = logging.getLogger("mock_server.access")

# The request line and headers together: a longer head is refused with 431 as it arrives.
MAX_HEADER_BYTES: Final = 16 * 1024
# How long an idle keep-alive connection stays open: well past the clients' own pool expiry
# (httpx: 5 s), as a server behind a load balancer outlasts the balancer's (nginx's default).
KEEP_ALIVE_SECONDS: Final = 75


class OneSendPerTurn(asyncio.Transport):
    """A connection's transport whose writes within one turn of the event loop leave in one
    send. uvicorn writes an answer's head, then its body: two sends, and two wake-ups of the
    client, for an answer the app finished at once. The writes are held until the turn ends
    (or the connection closes first) and then written together, in order; a streamed answer's
    head still leaves at the end of its turn, before the app waits for its first chunk."""

    def __init__(self, transport: asyncio.Transport, loop: asyncio.AbstractEventLoop) -> None:
        super().__init__()
        self._transport = transport
        self._loop = loop
        self._held: list[bytes] | None = None

    def write(self, data: bytes | bytearray | memoryview) -> None:
        if not data:
            return
        chunk = data if isinstance(data, bytes) else bytes(data)  # held: never a view
        if self._held is None:
            self._held = [chunk]
            self._loop.call_soon(self.flush)
        else:
            self._held.append(chunk)

    def flush(self) -> None:
        """Write what the turn held (nothing if the connection closed meanwhile)."""
        held, self._held = self._held, None
        if held is not None and not self._transport.is_closing():
            self._transport.write(held[0] if len(held) == 1 else b"".join(held))

    def writelines(self, list_of_data: Iterable[bytes | bytearray | memoryview]) -> None:
        for data in list_of_data:
            self.write(data)

    def close(self) -> None:
        self.flush()
        self._transport.close()

    def abort(self) -> None:
        self._held = None
        self._transport.abort()

    def write_eof(self) -> None:
        self.flush()
        self._transport.write_eof()

    def can_write_eof(self) -> bool:
        return self._transport.can_write_eof()

    def is_closing(self) -> bool:
        return self._transport.is_closing()

    def get_extra_info(self, name: str, default: Any = None) -> Any:
        return self._transport.get_extra_info(name, default)

    def set_protocol(self, protocol: asyncio.BaseProtocol) -> None:
        self._transport.set_protocol(protocol)

    def get_protocol(self) -> asyncio.BaseProtocol:
        return self._transport.get_protocol()

    def is_reading(self) -> bool:
        return self._transport.is_reading()

    def pause_reading(self) -> None:
        self._transport.pause_reading()

    def resume_reading(self) -> None:
        self._transport.resume_reading()

    def set_write_buffer_limits(self, high: int | None = None, low: int | None = None) -> None:
        self._transport.set_write_buffer_limits(high, low)

    def get_write_buffer_size(self) -> int:
        held = sum(len(chunk) for chunk in self._held) if self._held else 0
        return held + self._transport.get_write_buffer_size()

    def get_write_buffer_limits(self) -> tuple[int, int]:
        return self._transport.get_write_buffer_limits()


class _HeadTooLarge(Exception):
    """Raised from a parser callback: the request's head is over `MAX_HEADER_BYTES`."""


class ShapedHttpToolsProtocol(HttpToolsProtocol):
    """uvicorn's httptools protocol with a bounded request head and its refusals in the one
    error shape."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._in_head = False  # between a message's first byte and the end of its headers
        self._head_parsed = 0  # bytes of the current head's request line and headers parsed
        self._head_unfinished = 0  # bytes received while the current head was unfinished
        self._head_too_large = False

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        """Send each write at once (TCP_NODELAY), whatever the listener reports; an answer's
        head and body in one send (`OneSendPerTurn`)."""
        sock = transport.get_extra_info("socket")
        if sock is not None and sock.family in (socket.AF_INET, socket.AF_INET6):
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        super().connection_made(transport)
        self.transport = OneSendPerTurn(transport, self.loop)

    def data_received(self, data: bytes) -> None:
        """Parse `data`; refuse the request once its unfinished head passes the limit (llhttp
        itself would keep buffering a header that never ends)."""
        super().data_received(data)
        if self._in_head and not self.transport.is_closing():
            self._head_unfinished += len(data)
            if self._head_unfinished > MAX_HEADER_BYTES:
                self._head_too_large = True
                self.send_400_response("request head too large")

    def on_message_begin(self) -> None:
        super().on_message_begin()
        self._in_head, self._head_parsed, self._head_unfinished = True, 0, 0

    def on_url(self, url: bytes) -> None:
        self._count_head(len(url))
        super().on_url(url)

    def on_header(self, name: bytes, value: bytes) -> None:
        self._count_head(len(name) + len(value) + 4)  # ": " and CRLF
        super().on_header(name, value)

    def on_headers_complete(self) -> None:
        self._in_head = False
        super().on_headers_complete()

    def _count_head(self, size: int) -> None:
        self._head_parsed += size
        if self._head_parsed > MAX_HEADER_BYTES:
            self._head_too_large = True
            raise _HeadTooLarge  # the parser stops; uvicorn answers with send_400_response

    def send_400_response(self, msg: str) -> None:
        """Answer a request uvicorn could not parse: 431 or 400, JSON, with a request id."""
        status = 431 if self._head_too_large else 400
        request_id = new_id("req")
        if status == 431:
            code = "request_header_too_large"
            message = f"The request line and headers exceed {MAX_HEADER_BYTES} bytes"
        else:
            code, message = "request_malformed", "The HTTP request could not be parsed"
        body = error_bytes(status, "invalid_request_error", code, message, "header", request_id)
        log.info("- - %d request_id=%s (%s)", status, request_id, code)
        head = (
            f"HTTP/1.1 {status} {HTTPStatus(status).phrase}\r\n"
            "content-type: application/json\r\n"
            f"content-length: {len(body)}\r\n"
            f"request-id: {request_id}\r\n"
            "connection: close\r\n\r\n"
        )
        self.transport.write(head.encode() + body)
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
        http=ShapedHttpToolsProtocol,
        # No route speaks WebSocket: load no WebSocket library at start (with "auto", uvicorn
        # loads one whenever a development tool happens to have installed it).
        ws="none",
        timeout_keep_alive=KEEP_ALIVE_SECONDS,
        **options,
    )
