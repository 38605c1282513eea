"""A respx-based stand-in for the lending API, for a merchant's unit tests (needs `respx`)."""

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
from ._objects import (
    checkout_object,
    customer_object,
    decision_object,
    error_body,
    event_object,
    list_object,
    loan_object,
)

__all__ = ["MockAPI", "Outcome"]

Outcome = Literal["approve", "decline", "review"]
Json = dict[str, Any]
_STATUS_OF = {"approve": "approved", "decline": "declined", "review": "in_review"}


@dataclass
class _Fault:
    method: str
    path: re.Pattern[str]
    make: Callable[[], httpx.Response | Exception]
    times: int


class MockAPI:
    """Mocks the API at the SDK's base URL with small, realistic state.

    Checkouts get two offers; confirming answers `outcome` (approve, decline or review; a review is
    decided as `review_resolves_to` after `review_polls` reads). Loans capture, void, refund and
    take payments; idempotency keys replay; `fail()` queues errors for retry tests.
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
        self.checkouts: dict[str, Json] = {}
        self.loans: dict[str, Json] = {}
        self.customers: dict[str, Json] = {}
        self.events: list[Json] = []
        self._reads_in_review: dict[str, int] = {}
        self._idempotent: dict[str, tuple[str, httpx.Response]] = {}
        self._faults: list[_Fault] = []
        self._request_ids = itertools.count(1)
        self.router = respx.MockRouter(base_url=self.base_url, assert_all_called=False)
        self.router.route().mock(side_effect=self._handle)

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

    # -- dispatch -----------------------------------------------------------------------------

    def _handle(self, request: httpx.Request) -> httpx.Response:
        fault = self._take_fault(request)
        if isinstance(fault, Exception):
            raise fault
        if fault is not None:
            return fault
        if not request.headers.get("Authorization", "").startswith("Bearer ") and not (
            request.method == "POST" and request.url.path == "/v1/merchants"
        ):
            return self._error(401, "missing_api_key", "no API key", None)
        key = request.headers.get("Idempotency-Key")
        if request.method == "POST" and key:
            return self._idempotent_answer(key, request)
        return self._route(request)

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
                return self._error(409, "idempotency_key_reused", "key reused", None)
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
        body: Json = json.loads(request.content) if request.content else {}
        for method, pattern, handler in self._routes():
            match = re.fullmatch(pattern, request.url.path)
            if method == request.method and match:
                return handler(request, body, *match.groups())
        return self._error(404, "route_not_found", f"no route {request.url.path}", None)

    def _routes(self) -> list[tuple[str, str, Callable[..., httpx.Response]]]:
        return [
            ("POST", r"/v1/checkouts", self._create_checkout),
            ("GET", r"/v1/checkouts", lambda r, b: self._list(r, self.checkouts)),
            ("GET", r"/v1/checkouts/([^/]+)", self._get_checkout),
            ("POST", r"/v1/checkouts/([^/]+)/confirm", self._confirm),
            ("POST", r"/v1/checkouts/([^/]+)/cancel", self._cancel),
            ("GET", r"/v1/loans", lambda r, b: self._list(r, self.loans)),
            ("GET", r"/v1/loans/([^/]+)", lambda r, b, i: self._get(self.loans, i)),
            ("POST", r"/v1/loans/([^/]+)/(capture|void|refunds|payments)", self._loan_action),
            ("POST", r"/v1/customers", self._create_customer),
            ("GET", r"/v1/customers/([^/]+)", lambda r, b, i: self._get(self.customers, i)),
            ("GET", r"/v1/events", lambda r, b: self._ok(list_object(self.events[::-1]))),
        ]

    # -- handlers -----------------------------------------------------------------------------

    def _ok(self, body: Json) -> httpx.Response:
        return httpx.Response(200, json=body, headers={"Request-Id": self._request_id()})

    def _error(self, status: int, code: str, message: str, param: str | None) -> httpx.Response:
        request_id = self._request_id()
        body = error_body(status, code, message, param=param, request_id=request_id)
        return httpx.Response(status, json=body, headers={"Request-Id": request_id})

    def _request_id(self) -> str:
        return f"req_mock{next(self._request_ids):06d}"

    def _get(self, store: dict[str, Json], object_id: str) -> httpx.Response:
        if object_id not in store:
            return self._error(404, "resource_missing", f"no such object: {object_id}", "id")
        return self._ok(store[object_id])

    def _list(self, request: httpx.Request, store: dict[str, Json]) -> httpx.Response:
        objects = list(store.values())[::-1]
        after = request.url.params.get("starting_after")
        if after:
            ids = [obj["id"] for obj in objects]
            objects = objects[ids.index(after) + 1 :] if after in ids else []
        limit = int(request.url.params.get("limit", 10))
        return self._ok(list_object(objects[:limit], has_more=len(objects) > limit))

    def _create_checkout(self, request: httpx.Request, body: Json) -> httpx.Response:
        items = body.get("items", [])
        total = sum(i["unit_amount"] * i["quantity"] for i in items)
        total += body.get("shipping_amount", 0) + body.get("tax_amount", 0)
        if body.get("amount") != total:
            message = f"amount {body.get('amount')} does not equal the items' total {total}"
            return self._error(400, "amount_mismatch", message, "amount")
        customer = body.get("customer")
        if isinstance(customer, dict):
            created = customer_object(**customer)
            self.customers[created["id"]] = created
            customer = created["id"]
        checkout = checkout_object(
            body["amount"], body.get("currency", "USD"), items=items, customer=customer,
            shipping_amount=body.get("shipping_amount", 0), tax_amount=body.get("tax_amount", 0),
            merchant_reference=body.get("merchant_reference"),
        )  # fmt: skip
        self.checkouts[checkout["id"]] = checkout
        return self._ok(checkout)

    def _get_checkout(self, request: httpx.Request, body: Json, checkout_id: str) -> httpx.Response:
        checkout = self.checkouts.get(checkout_id)
        if checkout is not None and checkout["status"] == "in_review":
            reads = self._reads_in_review.get(checkout_id, 0) + 1
            self._reads_in_review[checkout_id] = reads
            if reads >= self.review_polls:
                self._decide(checkout, self.review_resolves_to)
        return self._get(self.checkouts, checkout_id)

    def _confirm(self, request: httpx.Request, body: Json, checkout_id: str) -> httpx.Response:
        checkout = self.checkouts.get(checkout_id)
        if checkout is None:
            return self._get(self.checkouts, checkout_id)
        if checkout["status"] != "open":
            return self._error(409, "invalid_state", f"checkout is {checkout['status']}", None)
        if body.get("offer") not in {offer["id"] for offer in checkout["offers"]}:
            return self._error(400, "offer_invalid", "no such offer on this checkout", "offer")
        if body.get("consent") is not True:
            return self._error(400, "consent_required", "the customer must consent", "consent")
        checkout["selected_offer"] = body["offer"]
        self._decide(checkout, self.outcome)
        return self._ok(checkout)

    def _decide(self, checkout: Json, outcome: str) -> None:
        checkout["status"] = _STATUS_OF[outcome]
        checkout["decision"] = decision_object(outcome)
        if outcome == "approve":
            loan = loan_object(
                checkout["amount"], checkout["currency"], checkout=checkout["id"],
                customer=checkout["customer"],
            )  # fmt: skip
            self.loans[loan["id"]] = loan
            checkout["loan"] = loan["id"]
        self.events.append(event_object(f"checkout.{checkout['status']}", dict(checkout)))

    def _cancel(self, request: httpx.Request, body: Json, checkout_id: str) -> httpx.Response:
        checkout = self.checkouts.get(checkout_id)
        if checkout is not None and checkout["status"] != "open":
            return self._error(409, "invalid_state", f"checkout is {checkout['status']}", None)
        if checkout is not None:
            checkout["status"] = "canceled"
        return self._get(self.checkouts, checkout_id)

    def _loan_action(
        self, request: httpx.Request, body: Json, loan_id: str, action: str
    ) -> httpx.Response:
        loan = self.loans.get(loan_id)
        if loan is None:
            return self._get(self.loans, loan_id)
        problem = _apply_loan_action(loan, action, body.get("amount"))
        if problem is not None:
            return self._error(409 if "is " in problem else 400, "invalid_request", problem, None)
        names = {"capture": "captured", "void": "voided", "refunds": "refunded", "payments": ""}
        event = f"loan.{names[action]}" if names[action] else "loan.payment_succeeded"
        self.events.append(event_object(event, dict(loan)))
        return self._ok(loan)

    def _create_customer(self, request: httpx.Request, body: Json) -> httpx.Response:
        customer = customer_object(**body)
        self.customers[customer["id"]] = customer
        return self._ok(customer)


def _apply_loan_action(loan: Json, action: str, amount: int | None) -> str | None:
    """Change a loan in place, or answer why not."""
    status = loan["status"]
    if action == "capture":
        if status != "authorized":
            return f"loan is {status}"
        captured = loan["authorized_amount"] if amount is None else amount
        if not 0 < captured <= loan["authorized_amount"]:
            return f"amount {captured} exceeds the authorized {loan['authorized_amount']}"
        loan.update(status="active", captured_amount=captured, principal_balance=captured)
    elif action == "void":
        if status != "authorized":
            return f"loan is {status}"
        loan["status"] = "voided"
    else:
        if status not in ("active", "late", "delinquent"):
            return f"loan is {status}"
        if amount is None or not 0 < amount <= loan["principal_balance"]:
            return f"amount must be between 1 and the balance {loan['principal_balance']}"
        loan["principal_balance"] -= amount
        if action == "refunds":
            loan["refunded_amount"] += amount
        if loan["principal_balance"] == 0:
            loan["status"] = "refunded" if action == "refunds" else "paid_off"
    return None
