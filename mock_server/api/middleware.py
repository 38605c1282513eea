"""ASGI middleware: request ids and access logs (outermost), then idempotency for POSTs.

Both are plain ASGI (no BaseHTTPMiddleware) so they add little per request and see every answer,
including the 404/405 of unknown routes. Keys are never logged: the access log has the method,
path, status, duration and request id only.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Any

from anyio import to_thread
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from mock_server.api.errors import error_bytes
from mock_server.api.faults import SimulatedConnectionReset
from mock_server.ids import new_id
from mock_server.services import idempotency
from mock_server.services.context import Sandbox
from mock_server.services.merchants import hash_key, merchant_id_for_key

__all__ = ["IdempotencyMiddleware", "RequestContextMiddleware"]

access_log = logging.getLogger("mock_server.access")
error_log = logging.getLogger("mock_server.errors")

_JSON = [(b"content-type", b"application/json")]

# POSTs that need no key (merchant applications) keep their idempotency keys in a shared scope.
PUBLIC_POSTS = frozenset({"/v1/merchants"})
PUBLIC_SCOPE = "public"


async def _send_json(send: Send, status: int, body: bytes, extra: list[Any] | None = None) -> None:
    headers = [*_JSON, (b"content-length", str(len(body)).encode()), *(extra or [])]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", []):
        if key.lower() == name:
            return str(value.decode("latin-1"))
    return None


class RequestContextMiddleware:
    """Give each request a `req_` id (state and `Request-Id` header), log it, catch crashes."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Run the request with its id; answer 500 in the error shape if the app crashes."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = new_id("req")
        scope.setdefault("state", {})["request_id"] = request_id
        started = time.perf_counter()
        status = 500
        response_started = False

        async def send_with_id(message: Message) -> None:
            nonlocal status, response_started
            if message["type"] == "http.response.start":
                response_started = True
                status = int(message["status"])
                headers = list(message.get("headers", []))
                headers.append((b"request-id", request_id.encode()))
                message = {**message, "headers": headers}
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        except SimulatedConnectionReset:
            raise  # the server aborts the connection, as asked
        except Exception:
            error_log.exception(
                "unhandled error in %s %s request_id=%s", scope["method"], scope["path"], request_id
            )
            if response_started:
                raise
            body = error_bytes(
                500,
                "api_error",
                "internal_error",
                "An unexpected error occurred; it is a bug in "
                "the sandbox. Quote the request id when reporting it.",
                None,
                request_id,
            )
            await _send_json(send_with_id, 500, body)
        finally:
            elapsed_ms = (time.perf_counter() - started) * 1000
            access_log.info(
                "%s %s %d %.1fms request_id=%s",
                scope["method"],
                scope["path"],
                status,
                elapsed_ms,
                request_id,
            )


class IdempotencyMiddleware:
    """Honour `Idempotency-Key` on every POST: one side effect, duplicates replay or get 409."""

    def __init__(self, app: ASGIApp, sandbox: Sandbox) -> None:
        self.app = app
        self.sandbox = sandbox
        self._merchants: dict[str, str] = {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Pass through anything that is not a keyed POST by a known merchant."""
        key = _header(scope, b"idempotency-key") if scope["type"] == "http" else None
        if key is None or scope["method"] != "POST":
            await self.app(scope, receive, send)
            return
        body, replay_receive = await _read_body(receive)
        merchant_id = await self._merchant_for(scope)
        if merchant_id is None and scope["path"] in PUBLIC_POSTS:
            merchant_id = PUBLIC_SCOPE
        if merchant_id is None:  # no valid key: the route answers 401
            await self.app(scope, replay_receive, send)
            return
        db = self.sandbox.db
        ttl = timedelta(hours=self.sandbox.settings.idempotency_ttl_hours)
        try:
            replay = await to_thread.run_sync(
                idempotency.claim_key,
                db,
                merchant_id,
                key,
                scope["method"],
                scope["path"],
                body,
                self.sandbox.wall(),
                ttl,
            )
        except idempotency.IdempotencyError as exc:
            request_id = scope.get("state", {}).get("request_id")
            payload = error_bytes(
                409, "idempotency_error", exc.code, exc.message, exc.param, request_id
            )
            await _send_json(send, 409, payload)
            return
        if replay is not None:
            await _send_json(
                send, replay.status_code, replay.body, [(b"idempotent-replayed", b"true")]
            )
            return
        await self._run_and_store(scope, replay_receive, send, merchant_id, key)

    async def _run_and_store(
        self, scope: Scope, receive: Receive, send: Send, merchant_id: str, key: str
    ) -> None:
        db = self.sandbox.db
        buffered: list[Message] = []
        status = 500

        async def capture(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
            buffered.append(message)

        try:
            await self.app(scope, receive, capture)
        except BaseException:
            await to_thread.run_sync(idempotency.release_key, db, merchant_id, key)
            raise
        body = b"".join(m.get("body", b"") for m in buffered if m["type"] == "http.response.body")
        if status >= 500:
            await to_thread.run_sync(idempotency.release_key, db, merchant_id, key)
        else:
            await to_thread.run_sync(idempotency.complete_key, db, merchant_id, key, status, body)
        for message in buffered:
            await send(message)

    async def _merchant_for(self, scope: Scope) -> str | None:
        authorization = _header(scope, b"authorization") or ""
        scheme, _, token = authorization.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            return None
        token = token.strip()
        cache_key = hash_key(token)
        cached = self._merchants.get(cache_key)
        if cached is not None:
            return cached

        def lookup() -> str | None:
            with self.sandbox.db.reader() as session:
                return merchant_id_for_key(session, token)

        found = await to_thread.run_sync(lookup)
        if found is not None:
            self._merchants[cache_key] = found
        return found


async def _read_body(receive: Receive) -> tuple[bytes, Callable[[], Awaitable[Message]]]:
    chunks: list[bytes] = []
    while True:
        message = await receive()
        if message["type"] != "http.request":
            break
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            break
    body = b"".join(chunks)
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return body, replay
