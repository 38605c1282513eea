"""Response and request models of the developer tools: test clocks, request logs, sandbox
reset and snapshots."""

from datetime import datetime
from typing import Literal

from mock_server.api.schemas import ApiModel, ListObject
from mock_server.contract.requests import (
    SNAPSHOT_NAME,
    SandboxResetBody,
    SandboxSnapshotBody,
    TestClockCreateBody,
)

__all__ = [
    "SNAPSHOT_NAME",
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


class TestClock(ApiModel):
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


class RequestLog(ApiModel):
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


class SandboxReset(ApiModel):
    """What a reset removed, by kind."""

    object: Literal["sandbox_reset"] = "sandbox_reset"
    merchant: str
    deleted: dict[str, int]


class SandboxSnapshot(ApiModel):
    """A named copy of the merchant's sandbox data, restorable later."""

    object: Literal["sandbox_snapshot"] = "sandbox_snapshot"
    name: str
    created: datetime
    counts: dict[str, int]


class SandboxSnapshotList(ListObject[SandboxSnapshot]):
    """The merchant's snapshots, newest first."""
