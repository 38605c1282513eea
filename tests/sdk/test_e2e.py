"""End to end through the SDK against the real sandbox: in-process (sync and async) and a socket.

Walks approve, decline, review (worked by the admin queue), capture and refund, with the magic
email tags of DESIGN.md forcing each path through the real engines.
"""

from __future__ import annotations

import pytest

from sdk import AsyncInstallo, ConflictError, Installo, NotFoundError
from sdk.types import CartItemParam, CustomerParam

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


def test_sync_in_process_walks_every_path(installo_client: Installo) -> None:
    walk_approve_capture_refund(installo_client)
    walk_decline(installo_client)
    walk_review(installo_client)
    with pytest.raises(NotFoundError):
        installo_client.loans.retrieve("loan_does_not_exist")


def test_sync_over_a_real_socket(installo_sandbox_url: str) -> None:
    with Installo(
        api_key="sk_test_demo", admin_key="admin_test_demo", base_url=installo_sandbox_url
    ) as client:
        walk_approve_capture_refund(client)
        walk_decline(client)


async def test_async_in_process_walks_every_path(installo_async_client: AsyncInstallo) -> None:
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
