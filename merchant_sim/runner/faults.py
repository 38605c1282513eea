"""Inject the sandbox's faults into a share of requests, decided afresh on every attempt."""

from __future__ import annotations

import random
import re
from collections import Counter
from collections.abc import Sequence

import httpx

from merchant_sim.runner.schema import Fault

__all__ = ["FAULT_HEADER", "FaultInjector", "operation_of"]

FAULT_HEADER = "Installo-Sandbox-Fault"
_ROUTES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("create", re.compile(r"^/v1/checkouts$")),
    ("confirm", re.compile(r"^/v1/checkouts/[^/]+/confirm$")),
    ("capture", re.compile(r"^/v1/loans/[^/]+/capture$")),
    ("void", re.compile(r"^/v1/loans/[^/]+/void$")),
    ("refund", re.compile(r"^/v1/loans/[^/]+/refunds$")),
    ("payment", re.compile(r"^/v1/loans/[^/]+/payments$")),
)


def operation_of(request: httpx.Request) -> str | None:
    """Which scenario operation a request is (only POSTs are faulted)."""
    if request.method != "POST":
        return None
    for name, pattern in _ROUTES:
        if pattern.match(request.url.path):
            return name
    return None


class FaultInjector(httpx.AsyncBaseTransport):
    """Wraps a transport; each attempt of a matching request may carry a fault header.

    Deciding per attempt (not per call) is what lets the SDK's retries ride a fault out,
    as they would a real network blip.
    """

    def __init__(
        self, inner: httpx.AsyncBaseTransport, faults: Sequence[Fault], *, seed: int = 0
    ) -> None:
        self.inner = inner
        self.faults = list(faults)
        self.rng = random.Random(f"faults:{seed}")
        self.injected: Counter[str] = Counter()

    def pick(self, operation: str | None) -> str | None:
        """The fault mode for one attempt of ``operation``, if any."""
        if operation is None:
            return None
        for fault in self.faults:
            if operation in fault.operations and self.rng.random() < fault.rate:
                return fault.mode
        return None

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        """Maybe add the fault header, then send."""
        mode = self.pick(operation_of(request))
        if mode is not None:
            request.headers[FAULT_HEADER] = mode
            self.injected[mode] += 1
        return await self.inner.handle_async_request(request)

    async def aclose(self) -> None:
        """Close the wrapped transport."""
        await self.inner.aclose()
