"""ASGI middleware: request ids, credentials and access logs (outermost), then one transaction
per write request with idempotency for POSTs.

Both are plain ASGI (no BaseHTTPMiddleware) so they add little per request and see every answer,
including the 404/405 of unknown routes. Keys are never logged: the access log has the method,
path, status, duration and request id only.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Awaitable, Callable, Coroutine
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar

import anyio
from anyio import to_thread
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from mock_server.api.auth import credentials_of, remember_merchant
from mock_server.api.errors import error_bytes
from mock_server.api.faults import SimulatedConnectionReset
from mock_server.ids import new_id
from mock_server.logs import escape_controls
from mock_server.services import idempotency
from mock_server.services.context import Sandbox
from mock_server.services.errors import ServiceError
from mock_server.services.merchants import authenticate, merchant_id_for_key
from mock_server.services.presenters import iso
from mock_server.services.request_log import RequestLog, RequestLogEntry
from mock_server.storage.database import RequestTransaction

__all__ = ["MERCHANT_STATE", "IdempotencyMiddleware", "RequestContextMiddleware"]

access_log = logging.getLogger("mock_server.access")
error_log = logging.getLogger("mock_server.errors")

_JSON = [(b"content-type", b"application/json")]
_REPLAYED = [(b"idempotent-replayed", b"true")]

# POSTs that need no key (merchant applications) keep their idempotency keys in a shared scope.
PUBLIC_POSTS = frozenset({"/v1/merchants"})

_T = TypeVar("_T")


async def _send_json(send: Send, status: int, body: bytes, extra: list[Any] | None = None) -> None:
    headers = [*_JSON, (b"content-length", str(len(body)).encode()), *(extra or [])]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", []):
        if key.lower() == name:
            return str(value.decode("latin-1"))
    return None


# The authenticated merchant, put in the request's state by whoever checks the key.
MERCHANT_STATE = "merchant_id"


class RequestContextMiddleware:
    """Give each request a `req_` id (state and `Request-Id` header), log it, catch crashes;
    with a `request_log`, record each request of an authenticated merchant there."""

    def __init__(self, app: ASGIApp, request_log: RequestLog | None = None) -> None:
        self.app = app
        self.request_log = request_log

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Run the request with its id; answer 500 in the error shape if the app crashes."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = new_id("req")
        state = scope.setdefault("state", {})
        state["request_id"] = request_id
        credentials_of(scope)  # the Authorization header, parsed once for every later layer
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
            status = 0  # the access log line says the connection was dropped
            raise  # the server aborts the connection, as asked
        except Exception:
            error_log.exception(
                "unhandled error in %s %s request_id=%s",
                escape_controls(scope["method"]),
                escape_controls(scope["path"]),
                request_id,
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
                "%s %s %s %.1fms request_id=%s",
                escape_controls(scope["method"]),
                escape_controls(scope["path"]),
                status or "reset",
                elapsed_ms,
                request_id,
            )
            self._record(scope, request_id, status, elapsed_ms)

    def _record(self, scope: Scope, request_id: str, status: int, elapsed_ms: float) -> None:
        merchant_id = scope.get("state", {}).get(MERCHANT_STATE)
        if self.request_log is None or merchant_id is None:
            return
        entry = RequestLogEntry(
            request_id=request_id,
            method=scope["method"],
            path=scope["path"],
            status=status,
            idempotency_key=_header(scope, b"idempotency-key"),
            created=iso(datetime.now(UTC)),
            duration_ms=round(elapsed_ms),
        )
        self.request_log.record(merchant_id, entry)


# Methods whose work runs in one transaction per request.
_WRITES = frozenset({"POST", "PUT", "PATCH", "DELETE"})


class IdempotencyMiddleware:
    """One transaction per write request, and `Idempotency-Key` honoured on every POST.

    The stored answer, the work and its events commit together (`RequestTransaction`); the
    answer is sent only after the commit, so a client never sees an answer that a crash undid.
    A 5xx or a crash stores nothing: a retry with the key runs afresh.
    """

    def __init__(self, app: ASGIApp, sandbox: Sandbox) -> None:
        self.app = app
        self.sandbox = sandbox
        self._merchants: dict[str, str] = {}
        self._in_flight: set[tuple[str, str]] = set()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Run a write to `/v1` in one transaction; answer replays and conflicts for keys."""
        if (
            scope["type"] != "http"
            or scope["method"] not in _WRITES
            or not scope["path"].startswith("/v1/")
        ):
            await self.app(scope, receive, send)
            return
        key = _header(scope, b"idempotency-key") if scope["method"] == "POST" else None
        if key is None:
            await self._transaction(scope, receive, send, None)
            return
        body, replay_receive = await _read_body(receive)
        merchant_id = await self._merchant_for(scope)
        if merchant_id is not None:  # a replay never reaches the route: log it for the merchant
            scope.setdefault("state", {})[MERCHANT_STATE] = merchant_id
        if merchant_id is None and scope["path"] in PUBLIC_POSTS:
            merchant_id = self._anonymous_scope(scope)
        if merchant_id is None:  # no valid key: the route answers 401
            await self.app(scope, replay_receive, send)
            return
        try:
            claim = idempotency.Claim.of(
                merchant_id,
                key,
                scope["method"],
                scope["path"],
                body,
                self.sandbox.wall(),
                self.sandbox.db.sealer,
            )
            if (merchant_id, key) in self._in_flight:
                raise idempotency.in_progress_error
        except idempotency.IdempotencyError as exc:
            await _send_conflict(scope, send, exc)
            return
        self._in_flight.add((merchant_id, key))
        try:
            await self._transaction(scope, replay_receive, send, claim)
        finally:
            self._in_flight.discard((merchant_id, key))

    async def _transaction(
        self, scope: Scope, receive: Receive, send: Send, claim: idempotency.Claim | None
    ) -> None:
        """The request in one transaction, which a cancellation ends only once no worker thread
        works in it any more (`_to_the_end`)."""
        await _to_the_end(scope, self._run_transaction(scope, receive, send, claim))

    async def _run_transaction(
        self, scope: Scope, receive: Receive, send: Send, claim: idempotency.Claim | None
    ) -> None:
        tx = self.sandbox.db.request_transaction()
        await tx.begin()
        try:
            await self._in_transaction(tx, scope, receive, send, claim)
        finally:
            # A cancelled request (`_to_the_end` cancels this work by its cancel scope, once any
            # thread at work has returned) skips the rollback's await: it rolls back here, and
            # never keeps the writer lock.
            tx.abandon()

    async def _in_transaction(
        self,
        tx: RequestTransaction,
        scope: Scope,
        receive: Receive,
        send: Send,
        claim: idempotency.Claim | None,
    ) -> None:
        buffered: list[Message] = []
        status = 500

        async def capture(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
            buffered.append(message)

        try:
            replay = await self._blocking(self._prepare, tx.session, scope, claim)
            if replay is None:
                await self.app(scope, receive, capture)
        except idempotency.IdempotencyError as exc:
            tx.end()
            await self._blocking(tx.rollback)
            await _send_conflict(scope, send, exc)
            return
        except BaseException:
            tx.end()
            await self._blocking(tx.rollback)
            raise
        tx.end()
        if replay is not None:
            await self._blocking(tx.commit)  # an expired key's row may have gone
            await _send_json(send, replay.status_code, replay.body, _REPLAYED)
            return
        body = b"".join(m.get("body", b"") for m in buffered if m["type"] == "http.response.body")
        replay = await self._blocking(self._finish, tx, claim, status, body)
        if replay is not None:  # another process committed this key first
            await _send_json(send, replay.status_code, replay.body, _REPLAYED)
            return
        for message in buffered:
            await send(message)

    def _prepare(
        self, session: Session, scope: Scope, claim: idempotency.Claim | None
    ) -> idempotency.Replay | None:
        """In one worker-thread hop before the route: the key's stored answer, if any; else
        the merchant the secret key authenticates, kept for the route's `current_caller` (a
        key that does not authenticate is left to the route, which answers why)."""
        if claim is not None:
            replay = idempotency.find_replay(session, claim, self._ttl)
            if replay is not None:
                return replay
        token = credentials_of(scope).token
        if token:
            with contextlib.suppress(ServiceError):
                remember_merchant(scope, authenticate(session, token))
        return None

    async def _blocking(self, call: Callable[..., _T], *args: Any) -> _T:
        """Run database work: in a worker thread, or on the event loop where the database's
        work runs there (`Database.work_runs_on_loop`)."""
        if self.sandbox.db.work_runs_on_loop:
            return call(*args)
        return await to_thread.run_sync(call, *args)

    @property
    def _ttl(self) -> timedelta:
        return timedelta(hours=self.sandbox.settings.idempotency_ttl_hours)

    def _finish(
        self, tx: RequestTransaction, claim: idempotency.Claim | None, status: int, body: bytes
    ) -> idempotency.Replay | None:
        """Commit the work with its answer (or roll it back); None, or the replay of another
        process's answer when it committed the same key first."""
        if status >= 400 or tx.doomed:  # a refused request stores nothing, not even its key
            tx.rollback()
            return None
        if claim is not None:
            idempotency.store_answer(tx.session, claim, status, body)
        try:
            tx.commit()
        except IntegrityError:
            if claim is None:
                raise
            with self.sandbox.db.reader() as session:
                return idempotency.find_replay(session, claim, self._ttl)
        return None

    def _anonymous_scope(self, scope: Scope) -> str:
        """The idempotency scope of an anonymous caller: a digest of its address."""
        client = scope.get("client") or ("unknown", 0)
        digest = self.sandbox.db.sealer.digest(f"anonymous {client[0]}")
        return idempotency.ANONYMOUS_SCOPE_PREFIX + digest[:32]

    async def _merchant_for(self, scope: Scope) -> str | None:
        credentials = credentials_of(scope)
        if credentials.token is None:
            return None
        cached = self._merchants.get(credentials.key_hash)
        if cached is not None:
            return cached
        token = credentials.token

        def lookup() -> str | None:
            with self.sandbox.db.reader() as session:
                return merchant_id_for_key(session, token)

        found = await to_thread.run_sync(lookup)
        if found is not None:
            self._merchants[credentials.key_hash] = found
        return found


async def _to_the_end(scope: Scope, work: Coroutine[Any, Any, None]) -> None:
    """Run a write request's work; if the request is cancelled, end only after that work has
    come to a safe end (the cancellation then goes on).

    The work lends its session, and on SQLite its writer lock, to worker threads (the route, the
    idempotency layer's hops). An anyio cancellation waits for such a thread to return
    (`to_thread` shields it), but asyncio's `task.cancel()` (a stopped Textual worker, uvicorn's
    shutdown) abandons it: the request went on to roll back, close the session and give the lock
    to the next writer while the thread still worked with that session. So the work runs in a
    task of its own under a cancel scope, and the request's cancellation, of either kind, reaches
    it as that scope's: a running thread returns first, then the work rolls back as on any
    cancellation (or, cancelled in its commit, has committed whole)."""
    cancel_scope = anyio.CancelScope()

    async def run() -> None:
        with cancel_scope:
            await work

    task = asyncio.ensure_future(run())  # the request's context (a copy)
    try:
        await asyncio.shield(task)
    except asyncio.CancelledError:
        if not task.done():  # (done: the work itself was cancelled, its event loop closing)
            access_log.info(
                "%s %s cancelled: its transaction ends once no worker thread works in it "
                "request_id=%s",
                escape_controls(scope["method"]),
                escape_controls(scope["path"]),
                scope.get("state", {}).get("request_id"),
            )
            cancel_scope.cancel()
            with anyio.CancelScope(shield=True):  # no other anyio cancellation while it ends
                while not task.done():
                    with contextlib.suppress(asyncio.CancelledError):  # cancelled again: wait
                        await asyncio.wait((task,))
        if not task.cancelled() and task.exception() is not None:
            error_log.error(
                "a cancelled request's work failed request_id=%s",
                scope.get("state", {}).get("request_id"),
                exc_info=task.exception(),
            )
        raise


async def _send_conflict(scope: Scope, send: Send, exc: idempotency.IdempotencyError) -> None:
    request_id = scope.get("state", {}).get("request_id")
    payload = error_bytes(409, "idempotency_error", exc.code, exc.message, exc.param, request_id)
    await _send_json(send, 409, payload)


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
