"""Request limits, enforced before anything else reads the request.

- A body larger than `max_body` bytes (1 MB unless `--max-body` says) is a 413, whether its
  Content-Length says so up front or a chunked body grows past it; the rest is never read.
- A `/v1` path segment longer than any real id is a 404 without a lookup, and the answer shows
  only its beginning.
Both answer in the one error shape (the request-context middleware outside adds `Request-Id`).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Final

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from mock_server.api.errors import ErrorType, error_bytes

__all__ = ["DEFAULT_MAX_BODY", "MAX_ID_LENGTH", "RequestLimitsMiddleware", "shorten"]

DEFAULT_MAX_BODY: Final = 1024 * 1024
# Real ids are a prefix, "_" and 24 characters; names (policies, snapshots) stay under 64.
MAX_ID_LENGTH: Final = 64
_ECHO: Final = 24


class BodyTooLarge(Exception):
    """The body grew past the limit while it was read."""


def shorten(value: str) -> str:
    """A value as an error may echo it: whole when short, else its beginning and its length."""
    if len(value) <= MAX_ID_LENGTH:
        return value
    return f"{value[:_ECHO]}... ({len(value)} characters)"


async def _send_error(
    scope: Scope, send: Send, status: int, code: str, message: str, param: str
) -> None:
    type_: ErrorType = "not_found_error" if status == 404 else "invalid_request_error"
    request_id = scope.get("state", {}).get("request_id")
    body = error_bytes(status, type_, code, message, param, request_id)
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


async def _read_limited(
    receive: Receive, limit: int
) -> tuple[bytes, Callable[[], Awaitable[Message]]]:
    """Read the whole body (at most `limit` bytes) and a `receive` that hands it on."""
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] != "http.request":
            break
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > limit:
            raise BodyTooLarge
        chunks.append(chunk)
        if not message.get("more_body", False):
            break
    body, sent = b"".join(chunks), False

    async def replay() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return body, replay


def _declared_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers", []):
        if name.lower() == b"content-length":
            return int(value) if value.isdigit() else -1
    return None


class RequestLimitsMiddleware:
    """Refuse over-long ids (404) and bodies over `max_body` bytes (413) before any work."""

    def __init__(self, app: ASGIApp, max_body: int = DEFAULT_MAX_BODY) -> None:
        self.app = app
        self.max_body = max_body

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Answer the error, or run the request with its body already read."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = str(scope["path"])
        if path.startswith("/v1/"):
            segment = max(path.split("/"), key=len)
            if len(segment) > MAX_ID_LENGTH:
                message = f"No such object: '{shorten(segment)}' is longer than any id"
                await _send_error(scope, send, 404, "resource_missing", message, "id")
                return
        declared = _declared_length(scope)
        if declared is not None and (declared < 0 or declared > self.max_body):
            await self._too_large(scope, send)
            return
        try:
            _, replay = await _read_limited(receive, self.max_body)
        except BodyTooLarge:
            await self._too_large(scope, send)
            return
        await self.app(scope, replay, send)

    async def _too_large(self, scope: Scope, send: Send) -> None:
        message = f"The request body is larger than {self.max_body} bytes (the sandbox's limit)"
        await _send_error(scope, send, 413, "body_too_large", message, "body")
