"""Rate limiting: a token bucket per authenticated merchant, per client address otherwise.

A request's key is resolved to its merchant first (however the header is spelled, one merchant
is one bucket); a request without a key, or with a key that belongs to no merchant, counts
against its client address, so a stranger's invalid keys neither multiply buckets nor lock
anonymous onboarding for everyone. The buckets live in a least-recently-used table of at most
`MAX_BUCKETS` entries, so memory stays bounded whatever the traffic. Over the limit is a 429
in the error shape with `Retry-After`.

The merchant a key resolves to is left in `scope["state"]["merchant_id"]` for later layers.
"""

from __future__ import annotations

import math
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from typing import Final

from anyio import to_thread
from starlette.types import ASGIApp, Receive, Scope, Send

from mock_server.api.errors import error_bytes
from mock_server.services.context import Sandbox
from mock_server.services.merchants import hash_key, merchant_id_for_key

__all__ = ["MAX_BUCKETS", "RateLimitMiddleware", "TokenBucket", "bearer_token", "monotonic"]

MAX_BUCKETS: Final = 10_000
MAX_KNOWN_KEYS: Final = 1_000

monotonic: Callable[[], float] = time.monotonic  # the limiter's clock (tests freeze it)


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


def bearer_token(scope: Scope) -> str | None:
    """The token of an `Authorization: Bearer ...` header, however the scheme is spelled."""
    for name, value in scope.get("headers", []):
        if name.lower() == b"authorization":
            parts = value.decode("latin-1").split(None, 1)
            if len(parts) == 2 and parts[0].lower() == "bearer":
                return str(parts[1].strip())
    return None


class _LRU:
    """A bounded mapping that forgets the least recently used entry first."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.entries: OrderedDict[str, object] = OrderedDict()

    def get(self, key: str) -> object | None:
        found = self.entries.get(key)
        if found is not None:
            self.entries.move_to_end(key)
        return found

    def put(self, key: str, value: object) -> None:
        self.entries[key] = value
        self.entries.move_to_end(key)
        while len(self.entries) > self.size:
            self.entries.popitem(last=False)


class RateLimitMiddleware:
    """Limit each merchant, and each client address without a valid key, on `/v1`; off at 0."""

    def __init__(
        self, app: ASGIApp, rate: int = 0, sandbox: Sandbox | None = None,
        max_buckets: int = MAX_BUCKETS,
    ) -> None:  # fmt: skip
        self.app = app
        self.rate = rate
        self.sandbox = sandbox
        self._buckets = _LRU(max_buckets)
        self._known_keys = _LRU(MAX_KNOWN_KEYS)  # key digest -> merchant id (valid keys only)
        self._lock = threading.Lock()

    @property
    def bucket_count(self) -> int:
        """How many buckets are held now."""
        return len(self._buckets.entries)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Answer 429 when the caller's bucket is empty."""
        if self.rate <= 0 or scope["type"] != "http" or not scope["path"].startswith("/v1/"):
            await self.app(scope, receive, send)
            return
        wait = self._take(await self._bucket_name(scope))
        if wait <= 0:
            await self.app(scope, receive, send)
            return
        request_id = scope.get("state", {}).get("request_id")
        body = error_bytes(
            429, "rate_limit_error", "rate_limited",
            f"Too many requests: at most {self.rate} per second per merchant (or per address "
            "without a valid key)", None, request_id,
        )  # fmt: skip
        headers = [
            (b"content-type", b"application/json"),
            (b"content-length", str(len(body)).encode()),
            (b"retry-after", str(max(1, math.ceil(wait))).encode()),
        ]
        await send({"type": "http.response.start", "status": 429, "headers": headers})
        await send({"type": "http.response.body", "body": body})

    async def _bucket_name(self, scope: Scope) -> str:
        token = bearer_token(scope)
        merchant_id = await self._merchant_for(token) if token is not None else None
        if merchant_id is not None:
            scope.setdefault("state", {})["merchant_id"] = merchant_id
            return f"merchant {merchant_id}"
        client = scope.get("client") or ("unknown", 0)
        return f"address {client[0]}"

    async def _merchant_for(self, token: str) -> str | None:
        digest = hash_key(token)
        with self._lock:
            known = self._known_keys.get(digest)
        if isinstance(known, str):
            return known
        if self.sandbox is None:
            return None
        sandbox = self.sandbox

        def lookup() -> str | None:
            with sandbox.db.reader() as session:
                return merchant_id_for_key(session, token)

        found = await to_thread.run_sync(lookup)
        if found is not None:
            with self._lock:
                self._known_keys.put(digest, found)
        return found

    def _take(self, name: str) -> float:
        with self._lock:
            bucket = self._buckets.get(name)
            if not isinstance(bucket, TokenBucket):
                bucket = TokenBucket(self.rate, clock=monotonic_now)
                self._buckets.put(name, bucket)
            return bucket.take()


def monotonic_now() -> float:
    """The limiter's clock, read through the module so a test can freeze it."""
    return monotonic()
