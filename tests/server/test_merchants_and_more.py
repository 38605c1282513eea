"""Merchants (apply, me, settings), customers, credit reports, prequalification, promotions, CLI."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from mock_server.__main__ import settings_from_args
from tests.merchant_applications import complete_application

APPLICATION = {
    "legal_name": "Fabrikam Home Goods Inc",
    "mcc": "5712",
    "country": "US",
    "currency": "USD",
    "website": "https://fabrikam-home.example.com",
    "years_in_business": 12,
    "expected_monthly_volume": 9_000_000,
    "contact_email": "ap@fabrikam-home.example.com",
}


async def test_merchant_me_shows_settings_but_never_a_key(client: httpx.AsyncClient) -> None:
    me = (await client.get("/v1/merchants/me")).json()
    assert (me["object"], me["status"], me["legal_name"]) == (
        "merchant",
        "active",
        "Installo Demo Store",
    )
    assert me["id"].startswith("mer_") and me["livemode"] is False
    assert "pay_in_4" in me["plans"] and me["workflow"] == "standard"
    assert me["secret_key"] is None


async def test_patch_me_changes_the_offers_of_new_checkouts(
    client: httpx.AsyncClient, kit: Any
) -> None:
    response = await client.patch(
        "/v1/merchants/me",
        json={"plans": ["monthly_12", {"id": "monthly_18_promo", "term_count": 18, "apr_bps": 0}]},
    )
    assert response.json()["plans"] == ["monthly_12", "monthly_18_promo"]
    checkout = (await client.post("/v1/checkouts", json=kit.cart())).json()
    assert [o["plan"] for o in checkout["offers"]] == ["monthly_12", "monthly_18_promo"]


async def test_patch_me_refuses_bad_plans_and_workflows_by_field(
    client: httpx.AsyncClient,
) -> None:
    bad_plan = await client.patch(
        "/v1/merchants/me", json={"plans": [{"id": "x", "term_count": 7, "apr_bps": 0}]}
    )
    assert (bad_plan.status_code, bad_plan.json()["error"]["param"]) == (400, "plans.0.term_count")
    bad_flow = await client.patch("/v1/merchants/me", json={"workflow": "nope"})
    assert (bad_flow.status_code, bad_flow.json()["error"]["param"]) == (400, "workflow")
    strict = await client.patch("/v1/merchants/me", json={"workflow": "strict"})
    assert strict.json()["workflow"] == "strict"


async def test_application_in_a_restricted_category_is_rejected_without_a_key(
    anonymous: httpx.AsyncClient,
) -> None:
    response = await anonymous.post(
        "/v1/merchants", json=complete_application(APPLICATION, mcc="7995")
    )
    merchant = response.json()
    assert merchant["status"] == "rejected"
    assert merchant["secret_key"] is None
    assert merchant["review_reasons"] == ["RESTRICTED_MCC_GAMBLING"]


async def test_active_applicants_key_works(anonymous: httpx.AsyncClient) -> None:
    key = (await anonymous.post("/v1/merchants", json=complete_application(APPLICATION))).json()[
        "secret_key"
    ]
    me = await anonymous.get("/v1/merchants/me", headers={"Authorization": f"Bearer {key}"})
    assert me.json()["legal_name"] == APPLICATION["legal_name"]


async def test_customer_round_trip_and_no_report_before_a_pull(
    client: httpx.AsyncClient, kit: Any
) -> None:
    created = (await client.post("/v1/customers", json=kit.identity("Grace@Example.com"))).json()
    assert created["email"] == "grace@example.com"
    fetched = (await client.get(f"/v1/customers/{created['id']}")).json()
    assert fetched == created
    report = await client.get(f"/v1/customers/{created['id']}/credit_report")
    assert report.status_code == 404


async def test_customer_with_bad_country_names_the_field(
    client: httpx.AsyncClient, kit: Any
) -> None:
    body = kit.identity()
    body["address"]["country"] = "USA"
    response = await client.post("/v1/customers", json=body)
    assert (response.status_code, response.json()["error"]["param"]) == (422, "address.country")


async def test_prequalification_soft_pulls_and_answers_a_limit(
    client: httpx.AsyncClient, kit: Any, personas: list[dict[str, Any]]
) -> None:
    customer = kit.persona_identity(personas[0], kit.tagged(personas[0], "approve"))
    response = await client.post("/v1/prequalifications", json={"customer": customer})
    assert response.status_code == 201
    prequal = response.json()
    assert prequal["outcome"] == "approve"
    assert prequal["max_amount"] > 0 and prequal["currency"] == "USD"
    assert prequal["apr_min_bps"] == 0 and prequal["apr_max_bps"] >= 1499
    report = (await client.get(f"/v1/customers/{prequal['customer']}/credit_report")).json()
    assert report["pull_type"] == "soft"
    assert report["bureau_score"] >= 300


async def test_prequalification_of_a_frozen_file_is_declined(
    client: httpx.AsyncClient, kit: Any, personas: list[dict[str, Any]]
) -> None:
    customer = kit.persona_identity(personas[0], kit.tagged(personas[0], "frozen"))
    prequal = (await client.post("/v1/prequalifications", json={"customer": customer})).json()
    assert (prequal["outcome"], prequal["max_amount"], prequal["apr_min_bps"]) == (
        "decline",
        0,
        None,
    )
    assert "FILE_FROZEN" in prequal["reason_codes"]


async def test_promotion_answers_the_lowest_monthly_payment(client: httpx.AsyncClient) -> None:
    promo = await client.get("/v1/promotions", params={"amount": 120_000, "currency": "usd"})
    body = promo.json()
    assert body["currency"] == "USD"
    assert body["lowest_installment_amount"] == min(p["installment_amount"] for p in body["plans"])
    assert [p["plan"] for p in body["plans"]] == ["monthly_36"]


def test_cli_flags_override_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("INSTALLO_PORT", "9000")
    monkeypatch.setenv("INSTALLO_DEMO_SECRET_KEY", "sk_test_from_env")
    settings = settings_from_args(
        ["--port", "9100", "--db", "sqlite:///x.db", "--seed", "4", "--chaos-rate", "0.25"]
    )
    assert (settings.port, settings.db, settings.seed) == (9100, "sqlite:///x.db", 4)
    assert settings.chaos_rate == 0.25
    assert settings.demo_secret_key == "sk_test_from_env"
    assert settings_from_args([]).host == "127.0.0.1"


async def test_demo_key_is_overridable(make_app: Any) -> None:
    app = make_app(demo_secret_key="sk_test_custom_key")
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as c:
        custom = await c.get(
            "/v1/merchants/me", headers={"Authorization": "Bearer sk_test_custom_key"}
        )
        default = await c.get("/v1/merchants/me", headers={"Authorization": "Bearer sk_test_demo"})
    assert (custom.status_code, default.status_code) == (200, 401)
