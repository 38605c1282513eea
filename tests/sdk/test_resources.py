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
from installo import AsyncInstallo, Installo
from installo._models import BaseModel
from installo.pagination import AsyncPage, SyncPage
from installo.testing import (
    checkout_object,
    customer_object,
    event_object,
    list_object,
    loan_object,
)
from installo.types import (
    Checkout,
    ClockAdvance,
    CreditReport,
    Customer,
    DeletedObject,
    Dispute,
    DryRunResult,
    Event,
    EventType,
    FurnishingFile,
    FurnishingFileDetail,
    Loan,
    Merchant,
    Persona,
    Policy,
    Portfolio,
    Prequalification,
    Promotion,
    Review,
    WebhookDelivery,
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
PORTFOLIO = {"object": "portfolio", "as_of": "2026-03-01", "currencies": []}
REPORT = {
    "id": "cr_1",
    "object": "credit_report",
    "customer": "cus_1",
    "bureau_score": 712,
    "pull_type": "hard",
    "frozen": False,
}
DELIVERY = {
    "id": "whd_1",
    "object": "webhook_delivery",
    "endpoint": "whe_1",
    "event": "evt_1",
    "status": "failed",
    "attempt_count": 2,
    "next_attempt_at": None,
    "attempts": [
        {"at": "2026-01-01T00:00:00Z", "status_code": 500, "error": None, "latency_ms": 12},
        {"at": "2026-01-01T00:01:00Z", "status_code": None, "error": "refused", "latency_ms": None},
    ],
}
DRY_RUN = {
    "object": "policy_dry_run",
    "source": "generated",
    "proposed": True,
    "policy_id": "pol_consumer_credit",
    "policy_version": 3,
    "count": 2,
    "approval_rate_bps": 5000,
    "rule_hits": {"file_frozen": 1},
    "baseline": {"approval_rate_bps": 10000},
    "changed_count": 1,
    "changes": [{"index": 1, "from": "approve", "to": "decline"}],
    "results": [{"outcome": "approve"}, {"outcome": "decline"}],
    "top_reason_codes": [{"code": "FILE_FROZEN", "count": 1}],
}
PLAN = {"id": "monthly_18_zero", "term_count": 18, "apr_bps": 0, "min_amount": {"USD": 50000}}
CART = [{"sku": "S1", "name": "Mug", "unit_amount": 1500, "quantity": 2}]
ADDRESS = {"line1": "1 Main", "city": "X", "postal_code": "1", "country": "US"}


FURNISHING_FILE = {
    "id": "ff_1",
    "object": "furnishing_file",
    "created": "2026-01-31T23:59:00Z",
    "merchant": "mer_1",
    "period": "2026-01",
    "month_end": "2026-01-31",
    "account_count": 1,
    "status_counts": {"11": 1},
    "size_bytes": 1281,
}
FURNISHED_ACCOUNT = {
    "loan": "loan_1",
    "consumer_account_number": "ILABC",
    "account_status": "11",
    "payment_history_profile": "B" * 24,
    "current_balance": 1200,
    "amount_past_due": 0,
    "highest_credit": 1200,
    "original_charge_off_amount": 0,
    "surname": "LOVELACE",
}
FURNISHING_DETAIL = {**FURNISHING_FILE, "accounts": [FURNISHED_ACCOUNT], "header": {}}
DISPUTE = {"id": "dsp_1", "object": "dispute", "merchant": "mer_1", "loan": "loan_1",
           "status": "open"}  # fmt: skip


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
         phone="+15555550100", date_of_birth=date(1990, 1, 2), national_id_last4="1234",
         address=ADDRESS),
         "POST", "/v1/customers", customer_object(), Customer,
         body={"email": "a@b.test", "name": "A", "phone": "+15555550100",
               "date_of_birth": "1990-01-02", "national_id_last4": "1234", "address": ADDRESS}),
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
    Case("webhook_endpoints.retrieve", lambda c: c.webhook_endpoints.retrieve("whe_1"),
         "GET", "/v1/webhook_endpoints/whe_1",
         {**ENDPOINT, "status": "disabled", "disabled_reason": "failing"}, WebhookEndpoint),
    Case("webhook_endpoints.deliveries",
         lambda c: c.webhook_endpoints.deliveries("whe_1", limit=20, starting_after="whd_0"),
         "GET", "/v1/webhook_endpoints/whe_1/deliveries", list_object([DELIVERY]),
         WebhookDelivery, params={"limit": "20", "starting_after": "whd_0"}, is_list=True),
    Case("webhook_endpoints.enable", lambda c: c.webhook_endpoints.enable("whe_1"),
         "POST", "/v1/webhook_endpoints/whe_1/enable", ENDPOINT, WebhookEndpoint, body={}),
    Case("webhook_endpoints.delete", lambda c: c.webhook_endpoints.delete("whe_1"),
         "DELETE", "/v1/webhook_endpoints/whe_1",
         {"id": "whe_1", "object": "webhook_endpoint", "deleted": True}, DeletedObject),
    Case("merchants.me", lambda c: c.merchants.me(), "GET", "/v1/merchants/me", MERCHANT, Merchant),
    Case("merchants.update", lambda c: c.merchants.update(plans=["pay_in_4"], workflow="wf_x"),
         "PATCH", "/v1/merchants/me", MERCHANT, Merchant,
         body={"plans": ["pay_in_4"], "workflow": "wf_x"}),
    Case("merchants.update(all)", lambda c: c.merchants.update(plans=["pay_in_4", PLAN],
         display_name="Acme Espresso", mdr_bps=599),
         "PATCH", "/v1/merchants/me", MERCHANT, Merchant,
         body={"plans": ["pay_in_4", PLAN], "display_name": "Acme Espresso", "mdr_bps": 599}),
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
    Case("admin.policies.dry_run(generated)", lambda c: c.admin.policies.dry_run(
         "pol_consumer_credit", policy={"rules": []}, source="generated", count=50),
         "POST", "/v1/admin/policies/pol_consumer_credit/dry_run", DRY_RUN, DryRunResult,
         body={"policy": {"rules": []}, "source": "generated", "count": 50}, admin=True),
    Case("admin.policies.retrieve", lambda c: c.admin.policies.retrieve("pol_consumer_credit"),
         "GET", "/v1/admin/policies/pol_consumer_credit", POLICY, Policy, admin=True),
    Case("admin.policies.versions", lambda c: c.admin.policies.versions("pol_consumer_credit"),
         "GET", "/v1/admin/policies/pol_consumer_credit/versions", list_object([POLICY, POLICY]),
         Policy, admin=True, is_list=True),
    Case("admin.workflows.retrieve", lambda c: c.admin.workflows.retrieve("wf_standard"),
         "GET", "/v1/admin/workflows/wf_standard", WORKFLOW, Workflow, admin=True),
    Case("admin.workflows.versions", lambda c: c.admin.workflows.versions("wf_standard"),
         "GET", "/v1/admin/workflows/wf_standard/versions", list_object([WORKFLOW]), Workflow,
         admin=True, is_list=True),
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
    Case("admin.reviews.approve(limit)",
         lambda c: c.admin.reviews.approve("rev_1", credit_limit=90000),
         "POST", "/v1/admin/reviews/rev_1/approve", REVIEW, Review, body={"credit_limit": 90000},
         admin=True),
    Case("admin.reviews.decline", lambda c: c.admin.reviews.decline("rev_1"),
         "POST", "/v1/admin/reviews/rev_1/decline", REVIEW, Review, body={}, admin=True),
    Case("admin.merchants.approve", lambda c: c.admin.merchants.approve("mer_2"),
         "POST", "/v1/admin/merchants/mer_2/approve", MERCHANT, Merchant, body={}, admin=True),
    Case("admin.merchants.reject", lambda c: c.admin.merchants.reject("mer_2", reason="risk"),
         "POST", "/v1/admin/merchants/mer_2/reject", MERCHANT, Merchant,
         body={"reason": "risk"}, admin=True),
    Case("admin.merchants.list",
         lambda c: c.admin.merchants.list(
             status="pending_review", reason="SANCTIONS_POSSIBLE_MATCH", search="acme", limit=5),
         "GET", "/v1/admin/merchants", list_object([MERCHANT]), Merchant,
         params={"status": "pending_review", "reason": "SANCTIONS_POSSIBLE_MATCH", "q": "acme",
                 "limit": "5"}, admin=True, is_list=True),
    Case("admin.merchants.retrieve", lambda c: c.admin.merchants.retrieve("mer_2"),
         "GET", "/v1/admin/merchants/mer_2", MERCHANT, Merchant, admin=True),
    Case("admin.merchants.approve(note)",
         lambda c: c.admin.merchants.approve("mer_2", note="documents checked"),
         "POST", "/v1/admin/merchants/mer_2/approve", MERCHANT, Merchant,
         body={"note": "documents checked"}, admin=True),
    Case("admin.merchants.request_information",
         lambda c: c.admin.merchants.request_information(
             "mer_2", requirements=["website", "tax_id"], note="send the catalogue"),
         "POST", "/v1/admin/merchants/mer_2/request_information", MERCHANT, Merchant,
         body={"requirements": ["website", "tax_id"], "note": "send the catalogue"},
         admin=True),
    Case("admin.merchants.suspend",
         lambda c: c.admin.merchants.suspend("mer_2", note="chargeback spike"),
         "POST", "/v1/admin/merchants/mer_2/suspend", MERCHANT, Merchant,
         body={"note": "chargeback spike"}, admin=True),
    Case("admin.merchants.reinstate", lambda c: c.admin.merchants.reinstate("mer_2"),
         "POST", "/v1/admin/merchants/mer_2/reinstate", MERCHANT, Merchant, body={},
         admin=True),
    Case("portfolio.retrieve", lambda c: c.portfolio.retrieve(),
         "GET", "/v1/portfolio", PORTFOLIO, Portfolio),
    Case("admin.portfolio.retrieve", lambda c: c.admin.portfolio.retrieve(),
         "GET", "/v1/admin/portfolio", PORTFOLIO, Portfolio, admin=True),
    Case("admin.furnishing_files.list",
         lambda c: c.admin.furnishing_files.list(limit=2, merchant="mer_1"),
         "GET", "/v1/admin/furnishing_files", list_object([FURNISHING_FILE]), FurnishingFile,
         params={"limit": "2", "merchant": "mer_1"}, admin=True, is_list=True),
    Case("admin.furnishing_files.retrieve", lambda c: c.admin.furnishing_files.retrieve("ff_1"),
         "GET", "/v1/admin/furnishing_files/ff_1", FURNISHING_DETAIL, FurnishingFileDetail,
         admin=True),
    Case("admin.disputes.create", lambda c: c.admin.disputes.create(loan="loan_1", reason="x"),
         "POST", "/v1/admin/disputes", DISPUTE, Dispute,
         body={"loan": "loan_1", "reason": "x"}, admin=True),
    Case("admin.disputes.resolve",
         lambda c: c.admin.disputes.resolve("dsp_1", resolution="deleted"),
         "POST", "/v1/admin/disputes/dsp_1/resolve", DISPUTE, Dispute,
         body={"resolution": "deleted"}, admin=True),
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
    assert len(covered) == 55


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


def test_deliveries_parse_each_attempt_with_status_and_latency(
    client: Installo, api: respx.MockRouter
) -> None:
    api.get("/v1/webhook_endpoints/whe_1/deliveries").mock(
        return_value=httpx.Response(200, json=list_object([DELIVERY]))
    )
    [delivery] = client.webhook_endpoints.deliveries("whe_1").data
    assert (delivery.status, delivery.attempt_count, delivery.event) == ("failed", 2, "evt_1")
    assert [(a.status_code, a.latency_ms, a.error) for a in delivery.attempts] == [
        (500, 12, None),
        (None, None, "refused"),
    ]


def test_disabled_endpoint_says_why(client: Installo, api: respx.MockRouter) -> None:
    answer = {**ENDPOINT, "status": "disabled", "disabled_reason": "5 failed deliveries"}
    api.get("/v1/webhook_endpoints/whe_1").mock(return_value=httpx.Response(200, json=answer))
    endpoint = client.webhook_endpoints.retrieve("whe_1")
    assert (endpoint.status, endpoint.disabled_reason) == ("disabled", "5 failed deliveries")


def test_dry_run_answer_names_the_changed_decisions(
    client: Installo, api: respx.MockRouter
) -> None:
    api.post("/v1/admin/policies/pol_consumer_credit/dry_run").mock(
        return_value=httpx.Response(200, json=DRY_RUN)
    )
    result = client.admin.policies.dry_run("pol_consumer_credit", source="generated")
    assert (result.approval_rate_bps, result.changed_count) == (5000, 1)
    change = result.changes[0]
    assert (change.index, change.from_outcome, change.to_outcome) == (1, "approve", "decline")
    assert result.rule_hits == {"file_frozen": 1}
    assert result.model_extra == {"top_reason_codes": [{"code": "FILE_FROZEN", "count": 1}]}


def test_review_carries_what_an_underwriter_needs(client: Installo, api: respx.MockRouter) -> None:
    detail = {
        **REVIEW,
        "created": "2026-01-01T00:00:00Z",
        "merchant": "mer_1",
        "reason_codes": ["MANUAL_REVIEW"],
        "deadline": "2026-01-02T00:00:00Z",
        "decided_at": None,
        "application": {"checkout": "chk_1", "customer": "cus_1", "amount": 64700,
                        "currency": "USD", "plan": "monthly_12", "item_count": 3,
                        "merchant_reference": None},
        "credit_summary": {"bureau_score": 690, "pull_type": "hard", "utilization_bps": 3100,
                           "delinquencies": 0, "public_records": 0, "frozen": False,
                           "tradeline_count": 6, "inquiry_count": 2,
                           "pulled_at": "2026-01-01T00:00:00Z"},
        "score": 612,
        "credit_limit": 150000,
        "policy_id": "pol_consumer_credit",
        "policy_version": 2,
        "rules_fired": [{"rule_id": "tag_review", "outcome": "review", "reason_code": "TAG"}],
    }  # fmt: skip
    api.get("/v1/admin/reviews").mock(return_value=httpx.Response(200, json=list_object([detail])))
    [review] = client.admin.reviews.list(status="pending").data
    assert review.application is not None and review.credit_summary is not None
    assert (review.application.amount, review.application.plan) == (64700, "monthly_12")
    assert (review.credit_summary.bureau_score, review.credit_summary.tradeline_count) == (690, 6)
    assert (review.score, review.credit_limit, review.policy_version) == (612, 150000, 2)
    assert [rule.rule_id for rule in review.rules_fired] == ["tag_review"]
    assert review.status == "pending" and review.deadline is not None


def test_credit_report_tradelines_read_the_servers_type(
    client: Installo, api: respx.MockRouter
) -> None:
    tradeline = {"type": "revolving", "creditor": "Bank", "limit": 500000, "balance": 120000,
                 "opened": "2019-04-01", "payment_history": "CCCCCC1CCCCC"}  # fmt: skip
    inquiry = {"kind": "hard", "date": "2025-12-01", "by": "Installo"}
    answer = {**REPORT, "tradelines": [tradeline], "inquiries": [inquiry]}
    api.get("/v1/customers/cus_1/credit_report").mock(return_value=httpx.Response(200, json=answer))
    report = client.customers.credit_report("cus_1")
    assert report.tradelines[0].type == "revolving"
    assert (report.tradelines[0].limit, report.tradelines[0].balance) == (500000, 120000)
    assert report.tradelines[0].opened == date(2019, 4, 1)
    assert (report.inquiries[0].kind, report.inquiries[0].by) == ("hard", "Installo")


def test_unknown_enum_values_from_a_newer_server_are_kept(
    client: Installo, api: respx.MockRouter
) -> None:
    answer = {**ENDPOINT, "status": "paused"}
    api.get("/v1/webhook_endpoints/whe_1").mock(return_value=httpx.Response(200, json=answer))
    assert client.webhook_endpoints.retrieve("whe_1").status == "paused"


def test_endpoint_disabled_event_parses_the_endpoint(
    client: Installo, api: respx.MockRouter
) -> None:
    disabled = {**ENDPOINT, "status": "disabled", "disabled_reason": "6 failed attempts"}
    answer = event_object(EventType.WEBHOOK_ENDPOINT_DISABLED, disabled)
    api.get("/v1/events/evt_9").mock(return_value=httpx.Response(200, json=answer))
    event = client.events.retrieve("evt_9")
    assert event.type == "webhook_endpoint.disabled"
    endpoint = event.data_object()
    assert isinstance(endpoint, WebhookEndpoint)
    assert endpoint.disabled_reason == "6 failed attempts"


def test_a_furnishing_file_reads_raw_and_keeps_every_parsed_field(
    client: Installo, api: respx.MockRouter
) -> None:
    api.get("/v1/admin/furnishing_files/ff_1/raw").mock(
        return_value=httpx.Response(200, text="0426HEADER\n", headers={"Request-Id": "req_r"})
    )
    assert client.admin.furnishing_files.raw("ff_1") == "0426HEADER\n"
    assert api.calls.last.request.headers["Authorization"].startswith("Bearer admin_")
    detail = FurnishingFileDetail.model_validate(FURNISHING_DETAIL)
    assert detail.accounts[0].model_extra == {"surname": "LOVELACE"}
