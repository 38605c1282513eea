"""Response and request models of the developer tools: test clocks, request logs, sandbox
reset and snapshots."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from mock_server.api.schemas import ListObject
from mock_server.contract.requests import TestClockCreateBody

__all__ = [
    "RequestLog",
    "RequestLogList",
    "SandboxReset",
    "SandboxResetBody",
    "SandboxSnapshot",
    "SandboxSnapshotBody",
    "SandboxSnapshotList",
    "TestClock",
    "TestClockCreateBody",
    "TestClockList",
]

_STRICT = ConfigDict(extra="forbid")
SNAPSHOT_NAME = r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$"


class TestClock(BaseModel):
    """A test clock: its own frozen sandbox time for the customers and loans attached to it."""

    __test__ = False  # not a pytest class
    id: str
    object: Literal["test_clock"] = "test_clock"
    created: datetime
    livemode: bool = False
    name: str | None
    frozen_time: datetime
    status: Literal["ready"] = "ready"


class TestClockList(ListObject[TestClock]):
    """A page of test clocks, newest first."""

    __test__ = False


class RequestLog(BaseModel):
    """One API request the merchant made."""

    id: str
    object: Literal["request_log"] = "request_log"
    request_id: str
    method: str
    path: str
    status: int
    idempotency_key: str | None
    created: datetime
    duration_ms: int


class RequestLogList(ListObject[RequestLog]):
    """A page of requests, newest first."""


class SandboxResetBody(BaseModel):
    """`confirm` must be the merchant's own id, so a reset never happens by accident."""

    model_config = _STRICT
    confirm: str = Field(max_length=40, description="the merchant's id, e.g. mer_...")


class SandboxReset(BaseModel):
    """What a reset removed, by kind."""

    object: Literal["sandbox_reset"] = "sandbox_reset"
    merchant: str
    deleted: dict[str, int]


class SandboxSnapshotBody(BaseModel):
    """A snapshot's name (a snapshot with the same name is replaced)."""

    model_config = _STRICT
    name: str = Field(pattern=SNAPSHOT_NAME, description="letters, digits, _ . - (64 at most)")


class SandboxSnapshot(BaseModel):
    """A named copy of the merchant's sandbox data, restorable later."""

    object: Literal["sandbox_snapshot"] = "sandbox_snapshot"
    name: str
    created: datetime
    counts: dict[str, int]


class SandboxSnapshotList(ListObject[SandboxSnapshot]):
    """The merchant's snapshots, newest first."""
