"""Developer tools' objects: test clocks, request log entries, sandbox resets and snapshots."""

from __future__ import annotations

from datetime import datetime
from typing import ClassVar

from .._models import BaseModel

__all__ = ["RequestLog", "SandboxReset", "SandboxSnapshot", "TestClock"]


class TestClock(BaseModel):
    """A test clock: frozen sandbox time for the customers (and their loans) attached to it."""

    __test__: ClassVar[bool] = False  # a model, not a pytest class
    id: str
    object: str = "test_clock"
    created: datetime
    livemode: bool = False
    name: str | None = None
    frozen_time: datetime
    status: str = "ready"


class RequestLog(BaseModel):
    """One API request of the merchant, as the sandbox logged it (never a key or a body)."""

    id: str
    object: str = "request_log"
    request_id: str
    method: str
    path: str
    status: int
    idempotency_key: str | None = None
    created: datetime
    duration_ms: int


class SandboxReset(BaseModel):
    """What a sandbox reset deleted, by table."""

    object: str = "sandbox_reset"
    merchant: str
    deleted: dict[str, int]


class SandboxSnapshot(BaseModel):
    """A named copy of the merchant's sandbox data, with how many rows of each kind it holds."""

    object: str = "sandbox_snapshot"
    name: str
    created: datetime
    counts: dict[str, int]
