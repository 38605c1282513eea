"""Retry decisions: which outcomes to retry, and how long to wait before the next attempt."""

from __future__ import annotations

import email.utils
import random
import time
import uuid

import httpx

from ._constants import INITIAL_RETRY_DELAY, MAX_RETRY_AFTER, MAX_RETRY_DELAY

__all__ = [
    "json_or_none",
    "new_idempotency_key",
    "retry_after_seconds",
    "retry_delay",
    "should_retry",
]


def should_retry(response: httpx.Response) -> bool:
    """Answer whether an answer is worth another attempt of the same call."""
    status = response.status_code
    if status in (408, 429) or status >= 500:
        return True
    if status == 409:
        return _error_code(json_or_none(response)) == "idempotency_in_progress"
    return False


def retry_after_seconds(headers: httpx.Headers, *, now: float | None = None) -> float | None:
    """Answer the pause the server asked for (`Retry-After` seconds or date), if any."""
    millis = headers.get("retry-after-ms")
    if millis is not None:
        try:
            return float(millis) / 1000
        except ValueError:
            pass
    value = headers.get("retry-after")
    if value is None:
        return None
    try:
        return float(value)
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return when.timestamp() - (time.time() if now is None else now)


def retry_delay(retries_taken: int, headers: httpx.Headers | None = None) -> float:
    """Answer how long to wait before the next attempt: `Retry-After`, else capped backoff."""
    if headers is not None:
        asked = retry_after_seconds(headers)
        if asked is not None and 0 <= asked <= MAX_RETRY_AFTER:
            return asked
    backoff = min(INITIAL_RETRY_DELAY * 2.0**retries_taken, MAX_RETRY_DELAY)
    return backoff * (1 - 0.25 * random.random())


def new_idempotency_key() -> str:
    """Answer a fresh idempotency key."""
    return f"installo-py-{uuid.uuid4()}"


def json_or_none(response: httpx.Response) -> object | None:
    try:
        body: object = response.json()
    except ValueError:
        return None
    return body


def _error_code(body: object | None) -> str | None:
    if isinstance(body, dict) and isinstance(body.get("error"), dict):
        code = body["error"].get("code")
        return code if isinstance(code, str) else None
    return None
