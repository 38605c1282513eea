"""Per-key rate limiting: a token bucket per API key; over the limit is 429 with Retry-After."""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable

from starlette.types import ASGIApp, Receive, Scope, Send

from mock_server.api.auth import credentials_of
from mock_server.api.errors import error_bytes

__all__ = ["RateLimitMiddleware", "TokenBucket"]


class TokenBucket:
    """`rate` requests per second on average, bursts up to `rate`."""

    def __init__(self, rate: int, clock: Callable[[], float] = time.monotonic) -> None:
        self.rate = rate
        self.clock = clock
        self.tokens = float(rate)
        self.updated = clock()

    def take(self) -> float:
        """Take a token; answer 0, or the seconds until one is available."""
        now = self.clock()
        self.tokens = min(float(self.rate), self.tokens + (now - self.updated) * self.rate)
        self.updated = now
        if self.tokens >= 1:
            self.tokens -= 1
            return 0.0
        return (1 - self.tokens) / self.rate


class RateLimitMiddleware:
    """Limit each key (or each anonymous caller as one) on `/v1`; off when `rate` is 0."""

    def __init__(self, app: ASGIApp, rate: int = 0) -> None:
        self.app = app
        self.rate = rate
        self._buckets: dict[str, TokenBucket] = {}
        self._lock = threading.Lock()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Answer 429 when the caller's bucket is empty."""
        if self.rate <= 0 or scope["type"] != "http" or not scope["path"].startswith("/v1/"):
            await self.app(scope, receive, send)
            return
        wait = self._take(scope)
        if wait <= 0:
            await self.app(scope, receive, send)
            return
        request_id = scope.get("state", {}).get("request_id")
        body = error_bytes(
            429, "rate_limit_error", "rate_limited",
            f"Too many requests: at most {self.rate} per second per key", None, request_id,
        )  # fmt: skip
        headers = [
            (b"content-type", b"application/json"),
            (b"content-length", str(len(body)).encode()),
            (b"retry-after", str(max(1, math.ceil(wait))).encode()),
        ]
        await send({"type": "http.response.start", "status": 429, "headers": headers})
        await send({"type": "http.response.body", "body": body})

    def _take(self, scope: Scope) -> float:
        digest = credentials_of(scope).key_hash
        with self._lock:
            bucket = self._buckets.get(digest)
            if bucket is None:
                bucket = self._buckets[digest] = TokenBucket(self.rate)
            return bucket.take()
