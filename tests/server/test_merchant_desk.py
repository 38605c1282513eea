"""The reviewer's desk: list and search, approve, reject, request information, suspend and
reinstate with notes; a suspended merchant opens no checkout but its loans are serviced."""

from __future__ import annotations

from typing import Any

import httpx

from tests.merchant_applications import complete_application

Json = dict[str, Any]
ADMIN = {"Authorization": "Bearer admin_test_demo"}
YOUNG: Json = complete_application({
    "legal_name": "Proseware Startup Inc", "mcc": "5732", "country": "US", "currency": "USD",
    "website": "https://proseware.com", "years_in_business": 0,
    "expected_monthly_volume": 500_000, "contact_email": "founder@proseware.com",
})  # fmt: skip


async def desk(anonymous: httpx.AsyncClient, merchant_id: str, action: str, **body: Any) -> Json:
    response = await anonymous.post(
        f"/v1/admin/merchants/{merchant_id}/{action}", json=body, headers=ADMIN
    )
    assert response.status_code == 200, response.text
    found: Json = response.json()
    return found


async def test_the_desk_lists_by_status_and_searches_by_name(
    anonymous: httpx.AsyncClient,
) -> None:
    young = (await anonymous.post("/v1/merchants", json=YOUNG)).json()
    in_review = await anonymous.get(
        "/v1/admin/merchants", params={"status": "pending_review"}, headers=ADMIN
    )
    assert [m["id"] for m in in_review.json()["data"]] == [young["id"]]
    found = await anonymous.get("/v1/admin/merchants", params={"q": "prose"}, headers=ADMIN)
    assert [m["legal_name"] for m in found.json()["data"]] == ["Proseware Startup Inc"]
    assert (await anonymous.get("/v1/admin/merchants")).status_code == 401


async def test_request_information_then_update_returns_to_review_then_approve(
    anonymous: httpx.AsyncClient,
) -> None:
    young = (await anonymous.post("/v1/merchants", json=YOUNG)).json()
    asked = await desk(
        anonymous, young["id"], "request_information",
        note="send a product catalogue URL", requirements=["website"],
    )  # fmt: skip
    assert asked["status"] == "pending"
    assert asked["requirements"]["errors"][-1] == {
        "requirement": "website", "code": "information_requested",
        "reason": "send a product catalogue URL",
    }  # fmt: skip
    assert asked["notes"][-1]["note"] == "send a product catalogue URL"
    updated = await anonymous.patch(
        "/v1/merchants/me/application",
        json={"website": "https://proseware.com/catalogue"},
        headers={"Authorization": f"Bearer {young['onboarding_key']}"},
    )
    assert updated.json()["status"] == "pending_review"
    approved = await desk(anonymous, young["id"], "approve", note="catalogue checked")
    assert approved["status"] == "active" and approved["secret_key"].startswith("sk_test_")


async def test_reject_with_a_note(anonymous: httpx.AsyncClient) -> None:
    young = (await anonymous.post("/v1/merchants", json=YOUNG)).json()
    rejected = await desk(anonymous, young["id"], "reject", note="no trading history")
    assert rejected["status"] == "rejected"
    assert rejected["notes"][-1]["action"] == "reject"
    again = await anonymous.post(f"/v1/admin/merchants/{young['id']}/approve", headers=ADMIN)
    assert (again.status_code, again.json()["error"]["code"]) == (409, "merchant_already_rejected")


async def test_suspend_refuses_new_checkouts_while_servicing_goes_on(
    client: httpx.AsyncClient,
    anonymous: httpx.AsyncClient,
    approved_loan: Any,
    kit: Any,
) -> None:
    loan = await approved_loan()
    await client.post(f"/v1/loans/{loan['id']}/capture", json={})
    me = (await client.get("/v1/merchants/me")).json()
    suspended = await desk(anonymous, me["id"], "suspend", note="chargeback spike")
    assert (suspended["status"], suspended["charges_enabled"]) == ("suspended", False)
    refused = await client.post("/v1/checkouts", json=kit.cart())
    assert refused.status_code == 403
    assert refused.json()["error"]["code"] == "merchant_suspended"
    assert "suspended" in refused.json()["error"]["message"]
    advanced = await client.post("/v1/sandbox/clock/advance", json={"days": 40})
    assert advanced.status_code == 200
    serviced = (await client.get(f"/v1/loans/{loan['id']}")).json()
    assert serviced["paid_amount"] > 0 or serviced["status"] != "active"
    refund = await client.post(f"/v1/loans/{loan['id']}/refunds", json={"amount": 100})
    assert refund.status_code == 200
    reinstated = await desk(anonymous, me["id"], "reinstate", note="resolved")
    assert reinstated["status"] == "active"
    assert (await client.post("/v1/checkouts", json=kit.cart())).status_code == 201
    types = [
        e["type"] for e in (await client.get("/v1/events", params={"limit": 100})).json()["data"]
    ]
    assert {"merchant.suspended", "merchant.reinstated"} <= set(types)
