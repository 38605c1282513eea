"""Every resource method, sync and async: the request it sends and the model it answers."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import httpx
import pytest
import respx

from sdk import AsyncInstallo, Installo
from sdk._models import BaseModel
from sdk.pagination import AsyncPage, SyncPage
from sdk.testing import checkout_object, customer_object, event_object, list_object, loan_object
from sdk.types import (
    Checkout,
    ClockAdvance,
    CreditReport,
    Customer,
    DeletedObject,
    DryRunResult,
    Event,
    Loan,
    Merchant,
    Persona,
    Policy,
    Prequalification,
    Promotion,
    Review,
    WebhookEndpoint,
    Workflow,
)

MERCHANT = {"id": "mer_1", "object": "merchant", "status": "active", "legal_name": "Acme"}
ENDPOINT = {"id": "whe_1", "object": "webhook_endpoint", "url": "https://a.test/hook"}
REVIEW = {"id": "rev_1", "object": "review", "status": "pending", "checkout": "chk_1"}
POLICY = {"id": "pol_consumer_credit", "object": "policy", "version": 2, "kind": "credit"}
WORKFLOW = {"id": "wf_standard", "object": "workflow", "version": 1, "steps": []}
PERSONA = {"tier": "prime", "locale": "en_US", "email": "p@example.com", "name": "Pat"}
PREQUAL = {"id": "pq_1", "object": "prequalification", "currency": "USD", "max_amount": 500000}
PROMO = {"amount": 129900, "currency": "USD", "lowest_installment_amount": 10825, "plans": []}
REPORT = {
    "id": "cr_1",
    "object": "credit_report",
    "customer": "cus_1",
    "bureau_score": 712,
    "pull_type": "hard",
    "frozen": False,
}
CART = [{"sku": "S1", "name": "Mug", "unit_amount": 1500, "quantity": 2}]
ADDRESS = {"line1": "1 Main", "city": "X", "postal_code": "1", "country": "US"}


@dataclass
class Case:
    """One method: how to call it (same arguments sync and async) and what goes on the wire."""

    name: str
    call: Callable[[Any], Any]
    method: str
    path: str
    answer: dict[str, Any]
    model: type[BaseModel]
    body: dict[str, Any] | None = None
    params: dict[str, str] = field(default_factory=dict)
    admin: bool = False
    is_list: bool = False


CASES = [
    Case("checkouts.create", lambda c: c.checkouts.create(items=CART, amount=3500, currency="USD",
         customer="cus_1", shipping_amount=500, merchant_reference="order-1"),
         "POST", "/v1/checkouts", checkout_object(), Checkout,
         body={"items": CART, "amount": 3500, "currency": "USD", "customer": "cus_1",
               "shipping_amount": 500, "tax_amount": 0, "merchant_reference": "order-1"}),
    Case("checkouts.retrieve", lambda c: c.checkouts.retrieve("chk_1"),
         "GET", "/v1/checkouts/chk_1", checkout_object(), Checkout),
    Case("checkouts.list", lambda c: c.checkouts.list(limit=5, status="open"),
         "GET", "/v1/checkouts", list_object([checkout_object()]), Checkout,
         params={"limit": "5", "status": "open"}, is_list=True),
    Case("checkouts.confirm", lambda c: c.checkouts.confirm("chk_1", offer="off_1", device_id="d1"),
         "POST", "/v1/checkouts/chk_1/confirm", checkout_object(status="approved"), Checkout,
         body={"offer": "off_1", "consent": True, "device_id": "d1"}),
    Case("checkouts.cancel", lambda c: c.checkouts.cancel("chk_1"),
         "POST", "/v1/checkouts/chk_1/cancel", checkout_object(status="canceled"), Checkout),
    Case("loans.retrieve", lambda c: c.loans.retrieve("loan_1"),
         "GET", "/v1/loans/loan_1", loan_object(), Loan),
    Case("loans.list", lambda c: c.loans.list(customer="cus_1"),
         "GET", "/v1/loans", list_object([loan_object()]), Loan,
         params={"customer": "cus_1"}, is_list=True),
    Case("loans.capture", lambda c: c.loans.capture("loan_1", amount=1000),
         "POST", "/v1/loans/loan_1/capture", loan_object(status="active"), Loan,
         body={"amount": 1000}),
    Case("loans.capture(full)", lambda c: c.loans.capture("loan_1"),
         "POST", "/v1/loans/loan_1/capture", loan_object(status="active"), Loan, body={}),
    Case("loans.void", lambda c: c.loans.void("loan_1"),
         "POST", "/v1/loans/loan_1/void", loan_object(status="voided"), Loan, body={}),
    Case("loans.refund", lambda c: c.loans.refund("loan_1", amount=500, reason="returned"),
         "POST", "/v1/loans/loan_1/refunds", loan_object(status="active"), Loan,
         body={"amount": 500, "reason": "returned"}),
    Case("loans.pay", lambda c: c.loans.pay("loan_1", amount=2500),
         "POST", "/v1/loans/loan_1/payments", loan_object(status="active"), Loan,
         body={"amount": 2500}),
    Case("customers.create", lambda c: c.customers.create(email="a@b.test", name="A",
         date_of_birth="1990-01-02", address=ADDRESS),
         "POST", "/v1/customers", customer_object(), Customer,
         body={"email": "a@b.test", "name": "A", "date_of_birth": "1990-01-02",
               "address": ADDRESS}),
    Case("customers.retrieve", lambda c: c.customers.retrieve("cus_1"),
         "GET", "/v1/customers/cus_1", customer_object(), Customer),
    Case("customers.list", lambda c: c.customers.list(limit=3, starting_after="cus_0"),
         "GET", "/v1/customers", list_object([customer_object()]), Customer,
         params={"limit": "3", "starting_after": "cus_0"}, is_list=True),
    Case("customers.credit_report", lambda c: c.customers.credit_report("cus_1"),
         "GET", "/v1/customers/cus_1/credit_report", REPORT, CreditReport),
    Case("prequalifications.create",
         lambda c: c.prequalifications.create(customer="cus_1", amount=1000, currency="USD"),
         "POST", "/v1/prequalifications", PREQUAL, Prequalification,
         body={"customer": "cus_1", "amount": 1000, "currency": "USD"}),
    Case("promotions.retrieve", lambda c: c.promotions.retrieve(amount=129900, currency="USD"),
         "GET", "/v1/promotions", PROMO, Promotion,
         params={"amount": "129900", "currency": "USD"}),
    Case("events.retrieve", lambda c: c.events.retrieve("evt_1"),
         "GET", "/v1/events/evt_1", event_object("loan.captured", loan_object()), Event),
    Case("events.list", lambda c: c.events.list(type="loan.captured"),
         "GET", "/v1/events", list_object([event_object("loan.captured", {})]), Event,
         params={"type": "loan.captured"}, is_list=True),
    Case("webhook_endpoints.create", lambda c: c.webhook_endpoints.create(
         url="https://a.test/hook", enabled_events=["loan.captured"]),
         "POST", "/v1/webhook_endpoints", ENDPOINT, WebhookEndpoint,
         body={"url": "https://a.test/hook", "enabled_events": ["loan.captured"]}),
    Case("webhook_endpoints.list", lambda c: c.webhook_endpoints.list(),
         "GET", "/v1/webhook_endpoints", list_object([ENDPOINT]), WebhookEndpoint, is_list=True),
    Case("webhook_endpoints.delete", lambda c: c.webhook_endpoints.delete("whe_1"),
         "DELETE", "/v1/webhook_endpoints/whe_1",
         {"id": "whe_1", "object": "webhook_endpoint", "deleted": True}, DeletedObject),
    Case("merchants.me", lambda c: c.merchants.me(), "GET", "/v1/merchants/me", MERCHANT, Merchant),
    Case("merchants.update", lambda c: c.merchants.update(plans=["pay_in_4"], workflow="wf_x"),
         "PATCH", "/v1/merchants/me", MERCHANT, Merchant,
         body={"plans": ["pay_in_4"], "workflow": "wf_x"}),
    Case("merchants.apply", lambda c: c.merchants.apply(legal_name="Acme", mcc="5732",
         country="US", currency="USD", website="https://acme.test", years_in_business=4,
         expected_monthly_volume=5_000_000, contact_email="ops@acme.test"),
         "POST", "/v1/merchants", MERCHANT, Merchant,
         body={"legal_name": "Acme", "mcc": "5732", "country": "US", "currency": "USD",
               "website": "https://acme.test", "years_in_business": 4,
               "expected_monthly_volume": 5_000_000, "contact_email": "ops@acme.test"}),
    Case("sandbox.personas", lambda c: c.sandbox.personas(tier="prime"),
         "GET", "/v1/sandbox/personas", list_object([PERSONA]), Persona,
         params={"tier": "prime"}, is_list=True),
    Case("sandbox.advance_clock(days)", lambda c: c.sandbox.advance_clock(days=30),
         "POST", "/v1/sandbox/clock/advance", {"now": "2026-02-14T00:00:00Z"}, ClockAdvance,
         body={"days": 30}),
    Case("sandbox.advance_clock(to)", lambda c: c.sandbox.advance_clock(to=date(2026, 3, 1)),
         "POST", "/v1/sandbox/clock/advance", {"now": "2026-03-01T00:00:00Z"}, ClockAdvance,
         body={"to": "2026-03-01"}),
    Case("admin.policies.list", lambda c: c.admin.policies.list(),
         "GET", "/v1/admin/policies", list_object([POLICY]), Policy, admin=True, is_list=True),
    Case("admin.policies.update",
         lambda c: c.admin.policies.update("pol_consumer_credit", definition={"version": 3}),
         "PUT", "/v1/admin/policies/pol_consumer_credit", POLICY, Policy,
         body={"version": 3}, admin=True),
    Case("admin.policies.dry_run", lambda c: c.admin.policies.dry_run(
         "pol_consumer_credit", applications=[{"amount": 1}]),
         "POST", "/v1/admin/policies/pol_consumer_credit/dry_run", {"results": []}, DryRunResult,
         body={"applications": [{"amount": 1}]}, admin=True),
    Case("admin.workflows.list", lambda c: c.admin.workflows.list(),
         "GET", "/v1/admin/workflows", list_object([WORKFLOW]), Workflow, admin=True,
         is_list=True),
    Case("admin.workflows.update",
         lambda c: c.admin.workflows.update("wf_standard", definition={"steps": []}),
         "PUT", "/v1/admin/workflows/wf_standard", WORKFLOW, Workflow,
         body={"steps": []}, admin=True),
    Case("admin.reviews.list", lambda c: c.admin.reviews.list(status="pending"),
         "GET", "/v1/admin/reviews", list_object([REVIEW]), Review,
         params={"status": "pending"}, admin=True, is_list=True),
    Case("admin.reviews.approve", lambda c: c.admin.reviews.approve("rev_1", note="ok"),
         "POST", "/v1/admin/reviews/rev_1/approve", REVIEW, Review, body={"note": "ok"},
         admin=True),
    Case("admin.reviews.decline", lambda c: c.admin.reviews.decline("rev_1"),
         "POST", "/v1/admin/reviews/rev_1/decline", REVIEW, Review, body={}, admin=True),
    Case("admin.merchants.approve", lambda c: c.admin.merchants.approve("mer_2"),
         "POST", "/v1/admin/merchants/mer_2/approve", MERCHANT, Merchant, body={}, admin=True),
    Case("admin.merchants.reject", lambda c: c.admin.merchants.reject("mer_2", reason="risk"),
         "POST", "/v1/admin/merchants/mer_2/reject", MERCHANT, Merchant,
         body={"reason": "risk"}, admin=True),
]  # fmt: skip


def _check_request(case: Case, router: respx.MockRouter) -> None:
    request = router.calls.last.request
    assert request.method == case.method
    assert request.url.path == case.path
    assert dict(request.url.params) == case.params
    if case.body is not None:
        assert json.loads(request.content) == case.body
    token = request.headers.get("Authorization", "")
    assert token.startswith("Bearer admin_") if case.admin else not token.startswith("Bearer adm")
    has_key = "Idempotency-Key" in request.headers
    assert has_key == (case.method == "POST")


def _check_answer(case: Case, result: Any, page_type: type) -> None:
    if case.is_list:
        assert isinstance(result, page_type)
        assert all(isinstance(item, case.model) for item in result.data)
        assert len(result.data) == len(case.answer["data"])
    else:
        assert isinstance(result, case.model)


def test_cases_cover_every_public_method() -> None:
    covered = {case.name.split("(")[0] for case in CASES}
    assert len(covered) == 37


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.name)
def test_sync_method_sends_the_documented_request(
    case: Case, client: Installo, api: respx.MockRouter
) -> None:
    api.route(method=case.method, path=case.path).mock(
        return_value=httpx.Response(200, json=case.answer, headers={"Request-Id": "req_r1"})
    )
    result = case.call(client)
    _check_request(case, api)
    _check_answer(case, result, SyncPage)
    assert result._request_id == "req_r1"


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.name)
async def test_async_method_sends_the_same_request(
    case: Case, aclient: AsyncInstallo, api: respx.MockRouter
) -> None:
    api.route(method=case.method, path=case.path).mock(
        return_value=httpx.Response(200, json=case.answer)
    )
    result = await case.call(aclient)
    _check_request(case, api)
    _check_answer(case, result, AsyncPage)


def test_advance_clock_needs_exactly_one_of_days_or_to(client: Installo) -> None:
    with pytest.raises(ValueError, match="exactly one"):
        client.sandbox.advance_clock()
    with pytest.raises(ValueError, match="exactly one"):
        client.sandbox.advance_clock(days=1, to="2026-01-01")
