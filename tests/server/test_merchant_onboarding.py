"""Merchant onboarding through the API: requirements per state, verification errors by field,
sanctions review with the matched entry, activation with keys, updates until it verifies, and
magic values that fail later."""

from __future__ import annotations

from typing import Any

import httpx

from tests.merchant_applications import BANK_ACCOUNT, KYB_FIELDS, complete_application

Json = dict[str, Any]
ADMIN = {"Authorization": "Bearer admin_test_demo"}
SHOP: Json = {
    "legal_name": "Northwind Bikes LLC", "mcc": "5940", "country": "US", "currency": "USD",
    "website": "https://northwind-bikes.com", "years_in_business": 6,
    "expected_monthly_volume": 3_000_000, "contact_email": "ops@northwind-bikes.com",
}  # fmt: skip


def bearer(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


async def apply(anonymous: httpx.AsyncClient, application: Json) -> Json:
    response = await anonymous.post("/v1/merchants", json=application)
    assert response.status_code == 201, response.text
    merchant: Json = response.json()
    return merchant


async def test_an_incomplete_application_is_pending_with_exactly_what_is_missing(
    anonymous: httpx.AsyncClient,
) -> None:
    partial = {**SHOP, "tax_id": "12-3456789", "representative": {"name": "Ana Diaz"}}
    merchant = await apply(anonymous, partial)
    assert merchant["status"] == "pending"
    assert merchant["requirements"]["currently_due"] == [
        "address", "representative.date_of_birth", "representative.address",
        "owners_provided", "bank_account",
    ]  # fmt: skip
    assert merchant["secret_key"] is None and merchant["onboarding_key"].startswith("rk_test_")
    assert (merchant["charges_enabled"], merchant["payouts_enabled"]) == (False, False)


async def test_a_clean_application_is_active_with_a_secret_key(
    anonymous: httpx.AsyncClient,
) -> None:
    merchant = await apply(anonymous, complete_application(SHOP))
    assert merchant["status"] == "active", merchant["requirements"]
    assert merchant["secret_key"].startswith("sk_test_") and merchant["onboarding_key"] is None
    assert merchant["requirements"]["currently_due"] == []
    assert merchant["requirements"]["pending_verification"] == ["tax_id"]
    assert merchant["screening"] == {"status": "clear", "matches": []}
    assert merchant["application"]["tax_id_last4"] == "6789"
    assert merchant["application"]["bank_account"]["last4"] == "6789"
    assert "000123456789" not in str(merchant) and "123456789" not in str(merchant)
    checkout = await anonymous.get("/v1/checkouts", headers=bearer(merchant["secret_key"]))
    assert checkout.status_code == 200


async def test_bad_tax_id_and_routing_number_are_errors_naming_the_fields(
    anonymous: httpx.AsyncClient,
) -> None:
    bank = {**BANK_ACCOUNT, "routing_number": "110000001"}
    merchant = await apply(
        anonymous, complete_application(SHOP, tax_id="00-1234567", bank_account=bank)
    )
    assert merchant["status"] == "pending"
    errors = {e["requirement"]: e for e in merchant["requirements"]["errors"]}
    assert set(errors) == {"tax_id", "bank_account.routing_number"}
    assert errors["tax_id"]["code"] == "invalid_tax_id"
    assert "check digit" in errors["bank_account.routing_number"]["reason"].lower() or (
        "checksum" in errors["bank_account.routing_number"]["reason"]
    )
    assert merchant["requirements"]["currently_due"] == ["tax_id", "bank_account.routing_number"]


async def test_a_reserved_website_domain_is_an_error(anonymous: httpx.AsyncClient) -> None:
    merchant = await apply(anonymous, complete_application(SHOP, website="https://shop.invalid"))
    assert merchant["status"] == "pending"
    assert [e["code"] for e in merchant["requirements"]["errors"]] == ["reserved_domain"]


async def test_a_sanctions_hit_goes_to_review_with_the_matched_entry(
    anonymous: httpx.AsyncClient,
) -> None:
    application = complete_application(
        SHOP, legal_name="Islamic Revolutionary Guard Corps Trading", website="https://irgc.com"
    )
    merchant = await apply(anonymous, application)
    assert merchant["status"] == "pending_review"
    assert merchant["review_reasons"] == ["SANCTIONS_POSSIBLE_MATCH"]
    match = merchant["screening"]["matches"][0]
    assert (match["role"], match["entry"]["id"], match["score"]) == (
        "business",
        "SBX-ORG-0001",
        100,
    )
    desk = await anonymous.get(
        "/v1/admin/merchants", params={"reason": "SANCTIONS_POSSIBLE_MATCH"}, headers=ADMIN
    )
    assert [m["id"] for m in desk.json()["data"]] == [merchant["id"]]


async def test_an_owner_on_the_list_is_screened_too(anonymous: httpx.AsyncClient) -> None:
    owners = [{**KYB_FIELDS["owners"][0]}, {**KYB_FIELDS["owners"][1], "name": "Viktor Sandboxov"}]
    merchant = await apply(anonymous, complete_application(SHOP, owners=owners))
    assert merchant["status"] == "pending_review"
    assert merchant["screening"]["matches"][0]["role"] == "owners.1"


async def test_the_onboarding_key_updates_the_application_until_it_activates(
    anonymous: httpx.AsyncClient,
) -> None:
    pending = await apply(anonymous, {**SHOP, "tax_id": "12-3456789"})
    key = bearer(pending["onboarding_key"])
    refused = await anonymous.get("/v1/checkouts", headers=key)
    assert (refused.status_code, refused.json()["error"]["code"]) == (403, "onboarding_key_scope")
    step = await anonymous.patch(
        "/v1/merchants/me/application",
        json={"address": KYB_FIELDS["address"], "representative": {"name": "Jordan Rivera"}},
        headers=key,
    )
    assert step.json()["requirements"]["currently_due"] == [
        "representative.date_of_birth", "representative.address", "owners_provided",
        "bank_account",
    ]  # fmt: skip
    rest = {k: KYB_FIELDS[k] for k in ("representative", "owners", "owners_provided")}
    done = await anonymous.patch(
        "/v1/merchants/me/application", json={**rest, "bank_account": BANK_ACCOUNT}, headers=key
    )
    body = done.json()
    assert (body["status"], body["requirements"]["currently_due"]) == ("active", [])
    secret = bearer(body["secret_key"])
    assert (await anonymous.get("/v1/checkouts", headers=secret)).status_code == 200
    events = (await anonymous.get("/v1/events", headers=secret)).json()["data"]
    types = [e["type"] for e in events]
    assert types[-1] == "merchant.requirements_due" and "merchant.activated" in types


async def test_bad_update_values_are_refused_naming_the_field(
    anonymous: httpx.AsyncClient,
) -> None:
    pending = await apply(anonymous, SHOP)
    response = await anonymous.patch(
        "/v1/merchants/me/application",
        json={"owners": [{"ownership_percent": 140}]},
        headers=bearer(pending["onboarding_key"]),
    )
    assert response.status_code == 422
    assert response.json()["error"]["param"] == "owners.0.ownership_percent"
    unknown = await anonymous.patch(
        "/v1/merchants/me/application",
        json={"bogus": 1},
        headers=bearer(pending["onboarding_key"]),
    )
    assert (unknown.status_code, unknown.json()["error"]["param"]) == (422, "bogus")


async def test_the_magic_tax_id_fails_a_day_later_and_restricts(
    anonymous: httpx.AsyncClient,
) -> None:
    merchant = await apply(anonymous, complete_application(SHOP, tax_id="11-1111111"))
    assert merchant["status"] == "active"
    secret = bearer(merchant["secret_key"])
    await anonymous.post("/v1/sandbox/clock/advance", json={"days": 1}, headers=secret)
    me = (await anonymous.get("/v1/merchants/me", headers=secret)).json()
    assert (me["status"], me["charges_enabled"], me["payouts_enabled"]) == (
        "restricted", True, False
    )  # fmt: skip
    assert [e["code"] for e in me["requirements"]["errors"]] == ["tax_id_verification_failed"]
    fixed = await anonymous.patch(
        "/v1/merchants/me/application", json={"tax_id": "12-3456789"}, headers=secret
    )
    assert fixed.json()["status"] == "active"
    assert fixed.json()["requirements"]["pending_verification"] == ["tax_id"]
    await anonymous.post("/v1/sandbox/clock/advance", json={"days": 1}, headers=secret)
    me = (await anonymous.get("/v1/merchants/me", headers=secret)).json()
    assert (me["status"], me["requirements"]["eventually_due"]) == ("active", [])


async def test_a_change_that_clears_a_required_field_is_refused_and_changes_nothing(
    anonymous: httpx.AsyncClient,
) -> None:
    pending = await apply(anonymous, {**SHOP, "tax_id": "12-3456789"})
    key = bearer(pending["onboarding_key"])
    refused = await anonymous.patch(
        "/v1/merchants/me/application",
        json={"website": "https://shop.example.com", "expected_monthly_volume": None},
        headers=key,
    )
    error = refused.json()["error"]
    assert (refused.status_code, error["param"]) == (400, "expected_monthly_volume")
    after = (await anonymous.get("/v1/merchants/me", headers=key)).json()
    assert after["status"] == pending["status"]
    assert after["requirements"] == pending["requirements"]
