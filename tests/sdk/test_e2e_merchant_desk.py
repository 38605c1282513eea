"""The reviewer's desk through the SDK against the in-process sandbox: find applicants by status,
reason and name, ask for more information, approve, suspend (new checkouts refused with a 403)
and reinstate, each note kept on the merchant."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from installo import Installo, PermissionDeniedError
from installo.types import Merchant, MerchantStatus

from tests.merchant_applications import complete_application

YOUNG: dict[str, Any] = complete_application({
    "legal_name": "Proseware Startup Inc", "mcc": "5732", "country": "US", "currency": "USD",
    "website": "https://proseware.com", "years_in_business": 0,
    "expected_monthly_volume": 500_000, "contact_email": "founder@proseware.com",
})  # fmt: skip
CART: dict[str, Any] = {
    "amount": 49900,
    "currency": "USD",
    "items": [{"sku": "HDP-1", "name": "Headphones", "unit_amount": 49900, "quantity": 1}],
    "customer": {
        "email": "ada+approve@example.com", "name": "Ada Lovelace", "phone": "+15555550123",
        "date_of_birth": "1990-12-10", "national_id_last4": "1815",
        "address": {"line1": "1 Main St", "city": "Springfield", "region": "IL",
                    "postal_code": "62701", "country": "US"},
    },
}  # fmt: skip


@pytest.fixture
def client() -> Iterator[Installo]:
    from installo.testing.sandbox import in_process_client, sandbox_app

    try:
        app = sandbox_app(webhook_worker=False)
    except ImportError as exc:
        pytest.skip(str(exc))
    with in_process_client(app) as sync_client:
        yield sync_client
    app.state.sandbox.close()


def apply(client: Installo) -> Merchant:
    """A young business's application: it waits on the desk."""
    return client.merchants.apply(**YOUNG)


def test_the_desk_lists_by_status_and_reason_and_searches_by_name(client: Installo) -> None:
    young = apply(client)
    assert young.status == MerchantStatus.PENDING_REVIEW
    reason = young.review_reasons[0]
    in_review = client.admin.merchants.list(status="pending_review")
    assert [m.id for m in in_review.data] == [young.id]
    by_reason = client.admin.merchants.list(reason=reason)
    assert young.id in [m.id for m in by_reason.data]
    assert [m.legal_name for m in client.admin.merchants.list(search="prose").data] == [
        "Proseware Startup Inc"
    ]
    assert client.admin.merchants.list(search="no such business").data == []
    read = client.admin.merchants.retrieve(young.id)
    assert (read.id, read.application["legal_name"]) == (young.id, "Proseware Startup Inc")


def test_request_information_then_approve_keeps_both_notes(client: Installo) -> None:
    young = apply(client)
    asked = client.admin.merchants.request_information(
        young.id, requirements=["website"], note="send a product catalogue URL"
    )
    assert asked.status == MerchantStatus.PENDING
    assert "website" in asked.requirements.currently_due
    assert asked.requirements.errors[-1].code == "information_requested"
    assert young.onboarding_key is not None
    merchant = client.with_options(api_key=young.onboarding_key)
    updated = merchant.merchants.update_application({"website": "https://proseware.com/shop"})
    assert updated.status == MerchantStatus.PENDING_REVIEW
    approved = client.admin.merchants.approve(young.id, note="catalogue checked")
    assert approved.status == MerchantStatus.ACTIVE
    assert approved.secret_key is not None and approved.secret_key.startswith("sk_test_")
    notes = [(n.action, n.note) for n in client.admin.merchants.retrieve(young.id).notes or []]
    assert notes[-2:] == [
        ("request_information", "send a product catalogue URL"),
        ("approve", "catalogue checked"),
    ]


def test_suspend_refuses_new_checkouts_until_reinstated(client: Installo) -> None:
    me = client.merchants.me()
    suspended = client.admin.merchants.suspend(me.id, note="chargeback spike")
    assert (suspended.status, suspended.charges_enabled) == (MerchantStatus.SUSPENDED, False)
    with pytest.raises(PermissionDeniedError) as refused:
        client.checkouts.create(**CART)
    assert refused.value.code == "merchant_suspended"
    reinstated = client.admin.merchants.reinstate(me.id, note="resolved")
    assert reinstated.status == MerchantStatus.ACTIVE
    assert client.checkouts.create(**CART).status == "open"


def test_reject_with_a_note(client: Installo) -> None:
    young = apply(client)
    rejected = client.admin.merchants.reject(young.id, note="no trading history")
    assert rejected.status == MerchantStatus.REJECTED
    assert rejected.notes is not None and rejected.notes[-1].note == "no trading history"
