"""End to end through the SDK against the real sandbox: in-process (sync and async) and a socket.

Walks approve, decline, review (worked by the admin queue), capture and refund, with the magic
email tags (docs/sandbox.md) forcing each path through the real engines.
"""

from __future__ import annotations

import httpx
import pytest
from installo import AsyncInstallo, ConflictError, IdempotencyError, Installo, NotFoundError
from installo.types import CartItemParam, CustomerParam

ITEMS: list[CartItemParam] = [
    {"sku": "ESP-1", "name": "Espresso machine", "unit_amount": 59900, "quantity": 1},
    {"sku": "CUP-2", "name": "Cup", "unit_amount": 1250, "quantity": 2},
]
AMOUNT = 59900 + 2 * 1250 + 800


def customer(tag: str, who: str = "ada") -> CustomerParam:
    """An identity whose email tag forces one outcome."""
    return {
        "email": f"{who}+{tag}@example.com",
        "name": "Ada Lovelace",
        "phone": "+15555550100",
        "date_of_birth": "1985-12-10",
        "national_id_last4": "1815",
        "locale": "en_US",
        "address": {"line1": "12 Analytical Way", "city": "Springfield", "region": "IL",
                    "postal_code": "62701", "country": "US"},
    }  # fmt: skip


def walk_approve_capture_refund(client: Installo) -> None:
    checkout = client.checkouts.create(
        items=ITEMS, amount=AMOUNT, currency="USD", customer=customer("approve"),
        shipping_amount=800, merchant_reference="e2e-1",
    )  # fmt: skip
    assert checkout.status == "open" and checkout.offers
    offer = checkout.offers[0]
    assert sum(entry.principal for entry in offer.schedule) == offer.amount_financed
    decided = client.checkouts.confirm(checkout.id, offer=offer.id)
    assert decided.status == "approved", decided.decision
    assert decided.decision is not None and decided.decision.outcome == "approve"
    assert decided.loan is not None
    loan = client.loans.retrieve(decided.loan)
    assert loan.status == "authorized" and loan.authorized_amount == AMOUNT
    loan = client.loans.capture(loan.id)
    assert (loan.status, loan.captured_amount) == ("active", AMOUNT)
    loan = client.loans.refund(loan.id, amount=2500, reason="returned the cups")
    assert loan.refunded_amount == 2500
    assert loan.principal_balance <= AMOUNT - 2500
    with pytest.raises(ConflictError):
        client.loans.void(loan.id)
    types = {event.type for event in client.events.list(limit=100).auto_paging_iter()}
    assert {"checkout.approved", "loan.captured", "loan.refunded"} <= types


def walk_decline(client: Installo) -> None:
    checkout = client.checkouts.create(
        items=ITEMS, amount=AMOUNT, currency="USD", customer=customer("decline", "bob"),
        shipping_amount=800,
    )  # fmt: skip
    decided = client.checkouts.confirm(checkout.id, offer=checkout.offers[0].id)
    assert decided.status == "declined"
    assert decided.decision is not None and decided.decision.reason_codes
    assert decided.loan is None


def walk_review(client: Installo) -> None:
    checkout = client.checkouts.create(
        items=ITEMS, amount=AMOUNT, currency="USD", customer=customer("review", "cy"),
        shipping_amount=800,
    )  # fmt: skip
    decided = client.checkouts.confirm(checkout.id, offer=checkout.offers[0].id)
    assert decided.status == "in_review"
    reviews = [
        r for r in client.admin.reviews.list().auto_paging_iter() if r.checkout == checkout.id
    ]
    assert len(reviews) == 1
    client.admin.reviews.approve(reviews[0].id)
    assert client.checkouts.retrieve(checkout.id).status == "approved"


def test_sync_in_process_approve_capture_refund_and_decline(installo_client: Installo) -> None:
    walk_approve_capture_refund(installo_client)
    walk_decline(installo_client)
    with pytest.raises(NotFoundError):
        installo_client.loans.retrieve("loan_does_not_exist")


def test_sync_in_process_review_worked_by_the_admin_queue(installo_client: Installo) -> None:
    walk_review(installo_client)


def test_personas_prequalify_and_check_out_as_inline_customers(installo_client: Installo) -> None:
    client = installo_client
    personas = list(client.sandbox.personas(tier="prime", limit=3).data)
    assert personas and all(p.tier == "prime" for p in personas)
    person = personas[0].as_customer()
    prequal = client.prequalifications.create(customer=person, amount=AMOUNT, currency="USD")
    assert prequal.outcome in ("approve", "review", "decline") and prequal.currency == "USD"
    assert isinstance(prequal.max_amount, int)
    promo = client.promotions.retrieve(amount=AMOUNT, currency="USD")
    assert promo.lowest_installment_amount is not None
    assert promo.lowest_installment_amount == min(p.installment_amount for p in promo.plans)
    checkout = client.checkouts.create(
        items=ITEMS, amount=AMOUNT, currency="USD", customer=person, shipping_amount=800
    )
    decided = client.checkouts.confirm(checkout.id, offer=checkout.offers[0].id)
    assert decided.status in ("approved", "in_review", "declined")
    assert decided.decision is not None and decided.decision.rules_fired is not None
    assert decided.decision.policy_id and decided.customer is not None
    report = client.customers.credit_report(decided.customer)
    assert report.pull_type == "hard" and 300 <= (report.bureau_score or 0) <= 850


def test_idempotent_replay_through_the_sdk(installo_client: Installo) -> None:
    first = installo_client.checkouts.create(
        items=ITEMS, amount=AMOUNT, currency="USD", customer=customer("approve", "ida"),
        shipping_amount=800, idempotency_key="order-77",
    )  # fmt: skip
    again = installo_client.checkouts.create(
        items=ITEMS, amount=AMOUNT, currency="USD", customer=customer("approve", "ida"),
        shipping_amount=800, idempotency_key="order-77",
    )  # fmt: skip
    assert again.id == first.id
    with pytest.raises(IdempotencyError) as info:
        installo_client.checkouts.create(
            items=ITEMS, amount=AMOUNT + 1, currency="USD", customer=customer("approve", "ida"),
            shipping_amount=801, idempotency_key="order-77",
        )  # fmt: skip
    assert info.value.code == "idempotency_key_reused"
    assert info.value.param is not None


def test_merchant_settings_round_trip(installo_client: Installo) -> None:
    merchant = installo_client.merchants.me()
    assert merchant.status == "active" and merchant.plans
    updated = installo_client.merchants.update(plans=["pay_in_4", "monthly_12"])
    assert updated.plans == ["pay_in_4", "monthly_12"]
    checkout = installo_client.checkouts.create(
        items=ITEMS, amount=AMOUNT, currency="USD", customer=customer("approve", "jo"),
        shipping_amount=800,
    )  # fmt: skip
    assert {offer.plan for offer in checkout.offers} <= {"pay_in_4", "monthly_12"}


def test_sync_over_a_real_socket(installo_sandbox_url: str) -> None:
    with Installo(
        api_key="sk_test_demo", admin_key="admin_test_demo", base_url=installo_sandbox_url
    ) as client:
        walk_approve_capture_refund(client)
        walk_decline(client)


async def test_async_in_process_walks_every_path(installo_async_client: AsyncInstallo) -> None:
    # approve, capture, refund, decline, then review declined by the admin queue
    client = installo_async_client
    checkout = await client.checkouts.create(
        items=ITEMS, amount=AMOUNT, currency="USD", customer=customer("approve", "dee"),
        shipping_amount=800,
    )  # fmt: skip
    decided = await client.checkouts.confirm(checkout.id, offer=checkout.offers[-1].id)
    assert decided.status == "approved" and decided.loan is not None
    loan = await client.loans.capture(decided.loan, amount=AMOUNT - 800)
    assert loan.captured_amount == AMOUNT - 800
    loan = await client.loans.refund(loan.id, amount=1000)
    assert loan.refunded_amount == 1000

    declined = await client.checkouts.create(
        items=ITEMS, amount=AMOUNT, currency="USD", customer=customer("decline", "eve"),
        shipping_amount=800,
    )  # fmt: skip
    assert (await client.checkouts.confirm(declined.id, offer=declined.offers[0].id)).status == (
        "declined"
    )
    review = await client.checkouts.create(
        items=ITEMS, amount=AMOUNT, currency="USD", customer=customer("review", "fay"),
        shipping_amount=800,
    )  # fmt: skip
    assert (await client.checkouts.confirm(review.id, offer=review.offers[0].id)).status == (
        "in_review"
    )
    pending = [r async for r in client.admin.reviews.list() if r.checkout == review.id]
    await client.admin.reviews.decline(pending[0].id)
    assert (await client.checkouts.retrieve(review.id)).status == "declined"
    ids = [c.id async for c in client.checkouts.list(limit=1)]
    assert {checkout.id, declined.id, review.id} <= set(ids)


async def test_async_over_a_real_socket(installo_sandbox_url: str) -> None:
    async with AsyncInstallo(api_key="sk_test_demo", base_url=installo_sandbox_url) as client:
        merchant = await client.merchants.me()
        assert merchant.status == "active"
        checkout = await client.checkouts.create(
            items=ITEMS, amount=AMOUNT, currency="USD", customer=customer("approve", "gus"),
            shipping_amount=800,
        )  # fmt: skip
        decided = await client.checkouts.confirm(checkout.id, offer=checkout.offers[0].id)
        assert decided.status == "approved"


class FirstAttemptFault(httpx.BaseTransport):
    """Adds an `Installo-Sandbox-Fault` header to the first request only, as a flaky network."""

    def __init__(self, fault: str) -> None:
        self.inner = httpx.HTTPTransport()
        self.fault = fault
        self.requests: list[httpx.Request] = []

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        if not self.requests:
            # A copy: the fault belongs to this attempt, not to the request the client may resend.
            headers = httpx.Headers(request.headers)
            headers["Installo-Sandbox-Fault"] = self.fault
            request = httpx.Request(
                request.method,
                request.url,
                headers=headers,
                content=request.read(),
                extensions=request.extensions,
            )
        self.requests.append(request)
        return self.inner.handle_request(request)

    def close(self) -> None:
        self.inner.close()


def test_connection_dropped_after_commit_is_retried_into_the_stored_answer(
    installo_sandbox_url: str,
) -> None:
    transport = FirstAttemptFault("after_commit=reset")
    with Installo(
        api_key="sk_test_demo", base_url=installo_sandbox_url, transport=transport
    ) as client:
        client._sleep = lambda seconds: None
        checkout = client.checkouts.create(
            items=ITEMS, amount=AMOUNT, currency="USD", customer=customer("approve", "kim"),
            shipping_amount=800, merchant_reference="flaky-1",
        )  # fmt: skip
        keys = {request.headers["Idempotency-Key"] for request in transport.requests}
        assert len(transport.requests) == 2 and len(keys) == 1
        same = [c for c in client.checkouts.list(limit=100).auto_paging_iter()
                if c.merchant_reference == "flaky-1"]  # fmt: skip
        assert [c.id for c in same] == [checkout.id]


def test_injected_503_is_retried_then_succeeds(installo_sandbox_url: str) -> None:
    transport = FirstAttemptFault("status=503")
    with Installo(
        api_key="sk_test_demo", base_url=installo_sandbox_url, transport=transport
    ) as client:
        client._sleep = lambda seconds: None
        merchant = client.merchants.me()
    assert merchant.status == "active"
    assert len(transport.requests) == 2
