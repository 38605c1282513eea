"""Each merchant's recent API requests, for `GET /v1/request_logs` and `installo logs tail`.

Kept in memory per sandbox process, bounded: the newest `PER_MERCHANT` requests of each of the
`MERCHANTS` most recently active merchants. An entry holds the method, path (never the query
string), status, request id, idempotency key, time and duration: never a header value, a body or a
key, so nothing secret is ever in it.
"""

from __future__ import annotations

import threading
from collections import OrderedDict, deque
from dataclasses import dataclass
from typing import Final

from mock_server.services.errors import NotFound
from mock_server.services.objects import Listing, RequestLogObject

__all__ = ["MERCHANTS", "PER_MERCHANT", "RequestLog", "RequestLogEntry"]

PER_MERCHANT: Final = 1000
MERCHANTS: Final = 1000


@dataclass(frozen=True, slots=True)
class RequestLogEntry:
    """One request a merchant made, as `GET /v1/request_logs` shows it."""

    request_id: str
    method: str
    path: str
    status: int
    idempotency_key: str | None
    created: str
    duration_ms: int

    def to_object(self) -> RequestLogObject:
        """The entry in the API's shape (its id is the request id)."""
        return {
            "id": self.request_id,
            "object": "request_log",
            "request_id": self.request_id,
            "method": self.method,
            "path": self.path,
            "status": self.status,
            "idempotency_key": self.idempotency_key,
            "created": self.created,
            "duration_ms": self.duration_ms,
        }


class RequestLog:
    """Bounded, thread-safe, newest-last lists of requests per merchant."""

    def __init__(self, per_merchant: int = PER_MERCHANT, merchants: int = MERCHANTS) -> None:
        self._per_merchant, self._merchants = per_merchant, merchants
        self._entries: OrderedDict[str, deque[RequestLogEntry]] = OrderedDict()
        self._lock = threading.Lock()

    def record(self, merchant_id: str, entry: RequestLogEntry) -> None:
        """Append a request to the merchant's log (forgetting the least active merchant's when
        over the bound)."""
        with self._lock:
            found = self._entries.get(merchant_id)
            if found is None:
                found = self._entries[merchant_id] = deque(maxlen=self._per_merchant)
                while len(self._entries) > self._merchants:
                    self._entries.popitem(last=False)
            self._entries.move_to_end(merchant_id)
            found.append(entry)

    def page(
        self, merchant_id: str, limit: int, starting_after: str | None
    ) -> Listing[RequestLogObject]:
        """The merchant's requests newest first, `limit` of them after `starting_after`."""
        with self._lock:
            newest_first = list(reversed(self._entries.get(merchant_id, ())))
        if starting_after is not None:
            ids = [e.request_id for e in newest_first]
            if starting_after not in ids:
                raise NotFound("request_log", starting_after, param="starting_after")
            newest_first = newest_first[ids.index(starting_after) + 1 :]
        return Listing([e.to_object() for e in newest_first[:limit]], len(newest_first) > limit)

    def clear(self, merchant_id: str) -> None:
        """Forget the merchant's requests."""
        with self._lock:
            self._entries.pop(merchant_id, None)
