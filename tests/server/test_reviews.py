"""The manual review queue: the admin key works reviews; the workflow resumes; SLAs expire."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import httpx
import pytest

from mock_server.services.clock import advance_clock
from mock_server.services.context import Sandbox
from tests.merchant_applications import complete_application

ADMIN = {"Authorization": "Bearer admin_test_demo"}


@pytest.fixture
async def in_review(
    kit: Any, personas: list[dict[str, Any]], checkout_for: Any, confirm: Any
) -> dict[str, Any]:
    customer = kit.persona_identity(personas[0], kit.tagged(personas[0], "review"))
    checkout: dict[str, Any] = await confirm(await checkout_for(customer))
    assert checkout["status"] == "in_review"
    return checkout


async def pending_review(client: httpx.AsyncClient, checkout_id: str) -> dict[str, Any]:
    queue = (await client.get("/v1/admin/reviews", headers=ADMIN)).json()["data"]
    [review] = [r for r in queue if r["checkout"] == checkout_id]
    found: dict[str, Any] = review
    return found


async def test_approving_a_review_authorizes_the_loan(
    client: httpx.AsyncClient, in_review: dict[str, Any]
) -> None:
    review = await pending_review(client, in_review["id"])
    assert (review["status"], review["reason_codes"]) == ("pending", ["BORDERLINE_SCORE"])
    worked = await client.post(f"/v1/admin/reviews/{review['id']}/approve", headers=ADMIN)
    assert worked.json()["status"] == "approved"
    checkout = (await client.get(f"/v1/checkouts/{in_review['id']}")).json()
    assert checkout["status"] == "approved"
    assert checkout["decision"]["outcome"] == "approve"
    assert checkout["decision"]["reason_codes"] == ["MANUAL_REVIEW_APPROVED"]
    loan = (await client.get(f"/v1/loans/{checkout['loan']}")).json()
    assert (loan["status"], loan["authorized_amount"]) == ("authorized", in_review["amount"])
    types = [e["type"] for e in (await client.get("/v1/events")).json()["data"]]
    assert types[:2] == ["loan.authorized", "checkout.approved"]


async def test_declining_a_review_declines_the_checkout_with_its_reasons(
    client: httpx.AsyncClient, in_review: dict[str, Any]
) -> None:
    review = await pending_review(client, in_review["id"])
    await client.post(f"/v1/admin/reviews/{review['id']}/decline", headers=ADMIN)
    checkout = (await client.get(f"/v1/checkouts/{in_review['id']}")).json()
    assert (checkout["status"], checkout["loan"]) == ("declined", None)
    assert checkout["decision"]["reason_codes"] == ["MANUAL_REVIEW_DECLINED", "BORDERLINE_SCORE"]


async def test_a_decided_review_cannot_be_worked_again(
    client: httpx.AsyncClient, in_review: dict[str, Any]
) -> None:
    review = await pending_review(client, in_review["id"])
    await client.post(f"/v1/admin/reviews/{review['id']}/approve", headers=ADMIN)
    again = await client.post(f"/v1/admin/reviews/{review['id']}/decline", headers=ADMIN)
    assert (again.status_code, again.json()["error"]["code"]) == (409, "review_already_approved")
    assert len((await client.get("/v1/loans")).json()["data"]) == 1


async def test_review_past_its_sla_is_declined_by_the_timer(
    client: httpx.AsyncClient, in_review: dict[str, Any], sandbox: Sandbox
) -> None:
    me = (await client.get("/v1/merchants/me")).json()
    with sandbox.db.transaction() as session:
        advance_clock(session, me["id"], timedelta(hours=49))
    review = await pending_review(client, in_review["id"])
    assert review["status"] == "expired"
    checkout = (await client.get(f"/v1/checkouts/{in_review['id']}")).json()
    assert checkout["status"] == "declined"
    assert checkout["decision"]["reason_codes"][0] == "REVIEW_SLA_EXPIRED"
    late = await client.post(f"/v1/admin/reviews/{review['id']}/approve", headers=ADMIN)
    assert late.json()["error"]["code"] == "review_already_expired"


async def test_admin_routes_need_the_admin_key(client: httpx.AsyncClient) -> None:
    response = await client.get("/v1/admin/reviews")  # the merchant's key is not enough
    assert (response.status_code, response.json()["error"]["code"]) == (401, "invalid_admin_key")
    missing = await client.post("/v1/admin/reviews/rev_missing/approve", headers=ADMIN)
    assert missing.status_code == 404


NEW_SHOP = {
    "legal_name": "Proseware Startup Ltd",
    "mcc": "5732",
    "country": "US",
    "currency": "USD",
    "website": "https://proseware-startup.example.com",
    "years_in_business": 0,
    "expected_monthly_volume": 500_000,
    "contact_email": "founder@proseware-startup.example.com",
}


async def test_onboarding_review_activates_a_pending_merchant_with_a_key(
    anonymous: httpx.AsyncClient,
) -> None:
    applied = (await anonymous.post("/v1/merchants", json=complete_application(NEW_SHOP))).json()
    assert (applied["status"], applied["secret_key"]) == ("pending_review", None)
    assert applied["review_reasons"]
    approved = await anonymous.post(
        f"/v1/admin/merchants/{applied['id']}/approve", json={}, headers=ADMIN
    )
    key = approved.json()["secret_key"]
    assert approved.json()["status"] == "active" and key.startswith("sk_test_")
    me = await anonymous.get("/v1/merchants/me", headers={"Authorization": f"Bearer {key}"})
    assert me.json()["id"] == applied["id"]
    again = await anonymous.post(f"/v1/admin/merchants/{applied['id']}/reject", headers=ADMIN)
    assert (again.status_code, again.json()["error"]["code"]) == (409, "merchant_already_active")


async def test_onboarding_review_can_reject_with_a_reason(anonymous: httpx.AsyncClient) -> None:
    applied = (await anonymous.post("/v1/merchants", json=complete_application(NEW_SHOP))).json()
    rejected = await anonymous.post(
        f"/v1/admin/merchants/{applied['id']}/reject", json={"reason": "RISK"}, headers=ADMIN
    )
    assert rejected.json()["status"] == "rejected"
    assert rejected.json()["review_reasons"][-1] == "RISK"
    assert rejected.json()["secret_key"] is None


async def test_review_note_is_kept_in_the_workflow_history(
    client: httpx.AsyncClient, in_review: dict[str, Any], sandbox: Sandbox
) -> None:
    review = await pending_review(client, in_review["id"])
    await client.post(
        f"/v1/admin/reviews/{review['id']}/approve", json={"note": "income verified"},
        headers=ADMIN,
    )  # fmt: skip
    from mock_server.storage.models import WorkflowInstanceRow

    with sandbox.db.reader() as session:
        instance = session.query(WorkflowInstanceRow).filter_by(checkout_id=in_review["id"]).one()
        review_step = next(s for s in instance.data["history"] if s["step_id"] == "review")
        assert review_step["summary"]["note"] == "income verified"
        assert instance.data["outcome"] == "approved"
