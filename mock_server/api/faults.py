"""Fault injection for integrators' retry logic: header `Installo-Sandbox-Fault`.

    latency_ms=N        wait N ms (at most 10 s), then serve the request
    status=503|500|429  answer that error without touching anything (429 with Retry-After)
    reset               drop the connection without touching anything
    after_commit=reset  serve the request fully (committed, idempotency answer stored),
                        then drop the connection before the answer arrives
    bureau=down         serve the request with the credit bureau unavailable (a credit step
                        then does what its workflow's `on_bureau_down` says)

Several may be combined with `;` (e.g. `latency_ms=200;status=503`). An injected fault never
half-applies a side effect: every fault but `after_commit=reset` fires before the request runs.
A server-wide chaos rate answers that share of `/v1` requests (without a fault header) with 503.
"""

from __future__ import annotations

import logging
import random
from dataclasses import dataclass
from typing import Final

import anyio
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from mock_server.api.errors import error_bytes
from mock_server.logs import escape_controls

__all__ = [
    "BUREAU_DOWN_STATE",
    "FaultInjectionMiddleware",
    "FaultSpec",
    "SimulatedConnectionReset",
    "parse_faults",
]

log = logging.getLogger("mock_server.faults")

HEADER: Final = b"installo-sandbox-fault"
BUREAU_DOWN_STATE: Final = "sandbox_bureau_down"
MAX_LATENCY_MS: Final = 10_000
_STATUSES: Final = frozenset({429, 500, 503})
_STATUS_ERRORS: Final = {
    500: ("internal_error", "Internal server error (injected fault)"),
    503: ("service_unavailable", "Service unavailable (injected fault)"),
}


class SimulatedConnectionReset(Exception):
    """Raised after a response has started, so the server drops the connection mid-answer."""


@dataclass(frozen=True, slots=True)
class FaultSpec:
    """The faults one request asked for."""

    latency_ms: int = 0
    status: int | None = None
    reset: bool = False
    reset_after_commit: bool = False
    bureau_down: bool = False


def parse_faults(value: str) -> FaultSpec:
    """Read the header; ValueError names what is wrong."""
    latency, status, reset, after, bureau_down = 0, None, False, False, False
    for part in (p.strip() for p in value.replace(",", ";").split(";")):
        if not part:
            continue
        name, _, arg = part.partition("=")
        name, arg = name.strip().lower(), arg.strip().lower()
        if name == "latency_ms" and arg.isdigit() and int(arg) <= MAX_LATENCY_MS:
            latency = int(arg)
        elif name == "status" and arg.isdigit() and int(arg) in _STATUSES:
            status = int(arg)
        elif name == "reset" and not arg:
            reset = True
        elif name == "after_commit" and arg == "reset":
            after = True
        elif name == "bureau" and arg == "down":
            bureau_down = True
        else:
            raise ValueError(
                f"unknown fault {part!r}: use latency_ms=N (N <= {MAX_LATENCY_MS}), status=503, "
                "status=500, status=429, reset, after_commit=reset or bureau=down"
            )
    return FaultSpec(latency, status, reset, after, bureau_down)


def _header(scope: Scope) -> str | None:
    for key, value in scope.get("headers", []):
        if key.lower() == HEADER:
            return str(value.decode("latin-1"))
    return None


async def _answer(send: Send, status: int, body: bytes, extra: list[tuple[bytes, bytes]]) -> None:
    headers = [
        (b"content-type", b"application/json"),
        (b"content-length", str(len(body)).encode()),
        *extra,
    ]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


async def _drop(send: Send, start: Message | None = None) -> None:
    """Start an answer that never completes, then abort: the client sees a broken connection."""
    await send(
        start
        or {"type": "http.response.start", "status": 200, "headers": [(b"content-length", b"1")]}
    )
    raise SimulatedConnectionReset("sandbox fault: connection reset")


class FaultInjectionMiddleware:
    """Apply `Installo-Sandbox-Fault` (outside idempotency, so an after-commit reset replays)."""

    def __init__(self, app: ASGIApp, chaos_rate: float = 0.0, seed: int | None = None) -> None:
        self.app = app
        self.chaos_rate = chaos_rate
        self._random = random.Random(seed)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Serve normally unless the request asks for a fault (or chaos strikes)."""
        raw = _header(scope) if scope["type"] == "http" else None
        request_id = scope.get("state", {}).get("request_id")
        if raw is None:
            if self._chaos(scope):
                await self._status(send, 503, request_id)
                return
            await self.app(scope, receive, send)
            return
        try:
            spec = parse_faults(raw)
        except ValueError as exc:
            body = error_bytes(
                400, "invalid_request_error", "fault_invalid", str(exc), "Installo-Sandbox-Fault",
                request_id,
            )  # fmt: skip
            await _answer(send, 400, body, [])
            return
        if not (spec.reset or spec.reset_after_commit):  # a reset is logged in its access line
            log.info("injecting %s into %s %s request_id=%s", escape_controls(raw),
                     escape_controls(scope["method"]), escape_controls(scope["path"]),
                     request_id)  # fmt: skip
        if spec.bureau_down:
            scope.setdefault("state", {})[BUREAU_DOWN_STATE] = True
        if spec.latency_ms:
            await anyio.sleep(spec.latency_ms / 1000)
        if spec.status is not None:
            await self._status(send, spec.status, request_id)
        elif spec.reset:
            await _drop(send)
        elif spec.reset_after_commit:
            await self._after_commit(scope, receive, send)
        else:
            await self.app(scope, receive, send)

    def _chaos(self, scope: Scope) -> bool:
        if self.chaos_rate <= 0 or scope["type"] != "http":
            return False
        return str(scope["path"]).startswith("/v1/") and self._random.random() < self.chaos_rate

    async def _status(self, send: Send, status: int, request_id: str | None) -> None:
        if status == 429:
            body = error_bytes(
                429, "rate_limit_error", "rate_limited", "Too many requests (injected fault)",
                None, request_id,
            )  # fmt: skip
            await _answer(send, 429, body, [(b"retry-after", b"1")])
            return
        code, message = _STATUS_ERRORS[status]
        body = error_bytes(status, "api_error", code, message, None, request_id)
        await _answer(send, status, body, [])

    async def _after_commit(self, scope: Scope, receive: Receive, send: Send) -> None:
        start: Message | None = None

        async def hold(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                start = message

        await self.app(scope, receive, hold)
        await _drop(send, start)
