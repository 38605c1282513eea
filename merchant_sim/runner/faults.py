"""Inject faults into a share of requests, decided afresh on every attempt.

A fault goes ``via: network`` (the default: this transport plays the bad network itself, so the
SDK's retries and idempotency keys are tested against any sandbox) or ``via: sandbox`` (the
``Installo-Sandbox-Fault`` header asks the sandbox to misbehave).
"""

from __future__ import annotations

import asyncio
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

    def pick(self, operation: str | None) -> Fault | None:
        """The fault for one attempt of ``operation``, if any."""
        if operation is None:
            return None
        for fault in self.faults:
            if operation in fault.operations and self.rng.random() < fault.rate:
                return fault
        return None

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        """Maybe apply a fault to this attempt, then send."""
        # The SDK may send the same request object again on a retry: clear the last attempt's fault.
        request.headers.pop(FAULT_HEADER, None)
        operation = operation_of(request)
        fault = self.pick(operation)
        if fault is None:
            return await self.inner.handle_async_request(request)
        self.injected[fault.mode] += 1
        if fault.via == "sandbox":
            request.headers[FAULT_HEADER] = fault.mode
            try:
                return await self.inner.handle_async_request(request)
            except httpx.HTTPError:
                raise
            except Exception as exc:
                # In-process (ASGI) there is no socket to drop: the sandbox raises instead. Turn
                # that into the error a dropped connection gives a real client.
                if "reset" not in fault.mode:
                    raise
                raise httpx.ReadError(f"connection reset by the sandbox ({exc})") from exc
        return await self._network_fault(request, fault.mode)

    async def _network_fault(self, request: httpx.Request, mode: str) -> httpx.Response:
        """What a bad network does to one attempt, without the sandbox's help."""
        kind, _, value = mode.partition("=")
        if kind == "latency_ms":
            await asyncio.sleep(int(value) / 1000)
            return await self.inner.handle_async_request(request)
        if kind == "status":
            headers = {"Retry-After": "0"} if value == "429" else {}
            body = {"error": {"type": "api_error", "code": "network_fault", "message": mode}}
            return httpx.Response(int(value), json=body, headers=headers, request=request)
        if kind == "reset":
            raise httpx.ConnectError("connection reset (injected)", request=request)
        # after_commit=reset: the lender applies the request, the answer is lost on the way back.
        response = await self.inner.handle_async_request(request)
        await response.aread()
        await response.aclose()
        raise httpx.ReadError("connection reset after commit (injected)", request=request)

    async def aclose(self) -> None:
        """Close the wrapped transport."""
        await self.inner.aclose()
