"""A respx-based stand-in for the lending API, for a merchant's unit tests (needs `respx`).

It answers every endpoint the SDK calls and checks each body with the sandbox's own rules
(installo.testing._rules): a request the sandbox refuses is refused here with the same status,
code and `param`, so a test that passes on the mock does not fail on the sandbox for its input.
"""

from __future__ import annotations

import itertools
import json
import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from types import TracebackType
from typing import Any, Literal, Self

import httpx
import respx

from .._constants import BASE_URL_ENV, DEFAULT_BASE_URL
from ._mock_commerce import Commerce
from ._mock_operations import Operations
from ._objects import error_body, list_object
from ._rules import body_problem

__all__ = ["Answers", "MockAPI", "Outcome"]

Outcome = Literal["approve", "decline", "review"]
Json = dict[str, Any]
Handler = Callable[..., httpx.Response]
_ANONYMOUS = frozenset({("POST", "/v1/merchants")})


@dataclass
class _Fault:
    method: str
    path: re.Pattern[str]
    make: Callable[[], httpx.Response | Exception]
    times: int


class Answers:
    """Responses in the API's shapes, each with a `Request-Id`."""

    def __init__(self) -> None:
        self._request_ids = itertools.count(1)

    def request_id(self) -> str:
        """A fresh request id."""
        return f"req_mock{next(self._request_ids):06d}"

    def ok(self, body: Json, status: int = 200) -> httpx.Response:
        """A JSON answer."""
        return httpx.Response(status, json=body, headers={"Request-Id": self.request_id()})

    def created(self, body: Json) -> httpx.Response:
        """201, as the API answers a create."""
        return self.ok(body, 201)

    def error(
        self,
        status: int,
        code: str,
        message: str,
        param: str | None,
        errors: list[dict[str, str]] | None = None,
    ) -> httpx.Response:
        """An error envelope."""
        request_id = self.request_id()
        body = error_body(status, code, message, param=param, request_id=request_id)
        if errors is not None:
            body["error"]["errors"] = errors
        return httpx.Response(status, json=body, headers={"Request-Id": request_id})

    def missing(self, kind: str, object_id: str, param: str | None) -> httpx.Response:
        """The sandbox's 404 for an object that does not exist."""
        return self.error(404, "resource_missing", f"No such {kind}: {object_id}", param)

    def found(self, store: dict[str, Json], object_id: str) -> httpx.Response:
        """One stored object, or the 404."""
        if object_id not in store:
            return self.missing(str(store.get("kind", "object")), object_id, "id")
        return self.ok(store[object_id])

    def page(self, request: httpx.Request, store: dict[str, Json]) -> httpx.Response:
        """A page of stored objects, newest first (`limit`, `starting_after`)."""
        objects = list(store.values())[::-1]
        after = request.url.params.get("starting_after")
        if after:
            ids = [obj["id"] for obj in objects]
            objects = objects[ids.index(after) + 1 :] if after in ids else []
        limit = int(request.url.params.get("limit", 10))
        return self.ok(list_object(objects[:limit], has_more=len(objects) > limit))

    def stream(self) -> httpx.Response:
        """An event stream that has nothing to say yet."""
        return httpx.Response(200, text="", headers={"Content-Type": "text/event-stream"})


class MockAPI:
    """Mocks the API at the SDK's base URL with small, realistic state.

    Checkouts get two offers; confirming answers `outcome` (approve, decline or review; a review is
    decided as `review_resolves_to` after `review_polls` reads). Loans are the sandbox's own loan
    model (capture, void, refund, payments and their refusals); idempotency keys replay; `fail()`
    queues errors for retry tests. Every body is checked with the sandbox's request rules.
    """

    def __init__(
        self,
        *,
        base_url: str | None = None,
        outcome: Outcome = "approve",
        review_resolves_to: Literal["approve", "decline"] = "approve",
        review_polls: int = 1,
    ) -> None:
        url = base_url or os.environ.get(BASE_URL_ENV) or DEFAULT_BASE_URL
        self.base_url = url.rstrip("/")
        self.outcome: Outcome = outcome
        self.review_resolves_to = review_resolves_to
        self.review_polls = review_polls
        self.answers = Answers()
        self.commerce = Commerce(self.answers, lambda: self.outcome)
        self.operations = Operations(self.answers, self.commerce)
        self._reads_in_review: dict[str, int] = {}
        self._idempotent: dict[str, tuple[str, httpx.Response]] = {}
        self._faults: list[_Fault] = []
        self._routes: list[tuple[str, str, Handler]] = [
            ("GET", r"/v1/checkouts/([^/]+)", self._get_checkout),
            *self.commerce.routes(),
            *self.operations.routes(),
        ]
        self.router = respx.MockRouter(base_url=self.base_url, assert_all_called=False)
        self.router.route().mock(side_effect=self._handle)

    @property
    def checkouts(self) -> dict[str, Json]:
        """The checkouts created so far, by id."""
        return self.commerce.checkouts

    @property
    def loans(self) -> dict[str, Json]:
        """The loans authorized so far, by id (as the API shows them)."""
        return self.commerce.loans

    @property
    def customers(self) -> dict[str, Json]:
        """The customers created so far, by id."""
        return self.commerce.customers

    @property
    def events(self) -> list[Json]:
        """The events so far, oldest first."""
        return self.commerce.events

    # -- control ------------------------------------------------------------------------------

    def start(self) -> Self:
        """Start intercepting requests to the base URL."""
        self.router.start()
        return self

    def stop(self) -> None:
        """Stop intercepting."""
        self.router.stop()

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    @property
    def calls(self) -> list[httpx.Request]:
        """Every request the mock received, in order."""
        return [call.request for call in self.router.calls]

    def fail(
        self,
        method: str,
        path: str,
        status: int,
        *,
        code: str = "sandbox_fault",
        times: int = 1,
        retry_after: float | None = None,
    ) -> None:
        """Answer the next `times` matching requests (path is a regex) with an error status."""
        headers = {"Retry-After": str(retry_after)} if retry_after is not None else {}

        def make() -> httpx.Response:
            return httpx.Response(status, json=error_body(status, code), headers=headers)

        self._faults.append(_Fault(method.upper(), re.compile(f"^{path}$"), make, times))

    def drop_connection(self, method: str, path: str, *, times: int = 1) -> None:
        """Fail the next `times` matching requests with a connection error."""
        self._faults.append(
            _Fault(
                method.upper(), re.compile(f"^{path}$"), lambda: httpx.ConnectError("reset"), times
            )
        )

    def route_for(self, method: str, path: str) -> Handler | None:
        """The handler that answers a request, or None when the mock has no such endpoint."""
        for route_method, pattern, handler in self._routes:
            if route_method == method and re.fullmatch(pattern, path):
                return handler
        return None

    # -- dispatch -----------------------------------------------------------------------------

    def _handle(self, request: httpx.Request) -> httpx.Response:
        fault = self._take_fault(request)
        if isinstance(fault, Exception):
            raise fault
        if fault is not None:
            return fault
        anonymous = (request.method, request.url.path) in _ANONYMOUS
        if not anonymous and not request.headers.get("Authorization", "").startswith("Bearer "):
            return self.answers.error(401, "missing_api_key", "no API key", None)
        if self.route_for(request.method, request.url.path) is None:
            return self._unrouted(request)
        problem = body_problem(request.method, request.url.path, request.content)
        if problem is not None:
            return self.answers.error(
                problem.status, problem.code, problem.message, problem.param, problem.errors
            )
        key = request.headers.get("Idempotency-Key")
        if request.method == "POST" and key:
            return self._idempotent_answer(key, request)
        return self._route(request)

    def _unrouted(self, request: httpx.Request) -> httpx.Response:
        if any(re.fullmatch(p, request.url.path) for _, p, _ in self._routes):
            message = f"Method {request.method} is not allowed on {request.url.path}"
            return self.answers.error(405, "method_not_allowed", message, None)
        message = f"Unrecognized request URL ({request.method} {request.url.path})"
        return self.answers.error(404, "route_not_found", message, None)

    def _take_fault(self, request: httpx.Request) -> httpx.Response | Exception | None:
        for fault in self._faults:
            matches = fault.method == request.method and fault.path.match(request.url.path)
            if fault.times > 0 and matches:
                fault.times -= 1
                return fault.make()
        return None

    def _idempotent_answer(self, key: str, request: httpx.Request) -> httpx.Response:
        body = request.content.decode()
        if key in self._idempotent:
            first_body, response = self._idempotent[key]
            if first_body != body:
                return self.answers.error(409, "idempotency_key_reused", "key reused", None)
            return httpx.Response(
                response.status_code,
                content=response.content,
                headers={**response.headers, "Idempotent-Replayed": "true"},
            )
        response = self._route(request)
        if response.status_code < 500:
            self._idempotent[key] = (body, response)
        return response

    def _route(self, request: httpx.Request) -> httpx.Response:
        body: Any = json.loads(request.content) if request.content.strip() else None
        for method, pattern, handler in self._routes:
            match = re.fullmatch(pattern, request.url.path)
            if method == request.method and match:
                return handler(request, body if body is not None else {}, *match.groups())
        return self._unrouted(request)

    def _get_checkout(self, request: httpx.Request, body: Json, checkout_id: str) -> httpx.Response:
        checkout = self.checkouts.get(checkout_id)
        if checkout is not None and checkout["status"] == "in_review":
            reads = self._reads_in_review.get(checkout_id, 0) + 1
            self._reads_in_review[checkout_id] = reads
            if reads >= self.review_polls:
                self.commerce.decide(checkout, self.review_resolves_to)
        return self.commerce.get_checkout(request, body, checkout_id)
