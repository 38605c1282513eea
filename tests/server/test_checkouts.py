"""Checkouts: cart validation, offers with disclosures, confirm paths, cancel, expiry."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import httpx

from mock_server.services.clock import advance_clock
from mock_server.services.context import Sandbox


async def test_create_answers_offers_with_full_disclosure(
    client: httpx.AsyncClient, kit: Any
) -> None:
    response = await client.post("/v1/checkouts", json=kit.cart(80_000))
    assert response.status_code == 201
    checkout = response.json()
    assert checkout["status"] == "open"
    assert checkout["customer"].startswith("cus_")
    assert checkout["decision"] is None and checkout["loan"] is None
    plans = [o["plan"] for o in checkout["offers"]]
    assert plans == [
        "pay_in_4",
        "monthly_3_0apr",
        "monthly_6_0apr",
        "monthly_12",
        "monthly_24",
        "monthly_36",
    ]
    for offer in checkout["offers"]:
        schedule = offer["schedule"]
        assert offer["id"].startswith("ofr_")
        assert len(schedule) == offer["term_count"]
        assert sum(e["principal"] for e in schedule) == offer["amount_financed"] == 80_000
        assert sum(e["interest"] for e in schedule) == offer["finance_charge"]
        assert offer["total_of_payments"] == 80_000 + offer["finance_charge"]
        assert offer["installment_amount"] == schedule[0]["amount"]
        assert offer["first_due_date"] == schedule[0]["due_date"]
    twelve = next(o for o in checkout["offers"] if o["plan"] == "monthly_12")
    assert (twelve["apr_bps"], twelve["finance_charge"] > 0) == (1499, True)


async def test_small_amount_gets_only_the_plans_it_fits(
    client: httpx.AsyncClient, kit: Any
) -> None:
    checkout = (await client.post("/v1/checkouts", json=kit.cart(4_000))).json()
    assert [o["plan"] for o in checkout["offers"]] == ["pay_in_4"]


async def test_amount_must_equal_items_plus_shipping_and_tax(
    client: httpx.AsyncClient, kit: Any
) -> None:
    body = {**kit.cart(120_000), "amount": 119_999}
    response = await client.post("/v1/checkouts", json=body)
    assert response.status_code == 400
    error = response.json()["error"]
    assert (error["code"], error["param"]) == ("amount_mismatch", "amount")
    assert "120000" in error["message"]


async def test_quantity_multiplies_unit_amount(client: httpx.AsyncClient, kit: Any) -> None:
    body = kit.cart()
    body["items"] = [{"sku": "a", "name": "Tyre", "unit_amount": 10_000, "quantity": 3}]
    body.update(shipping_amount=0, tax_amount=0, amount=30_000)
    assert (await client.post("/v1/checkouts", json=body)).status_code == 201


async def test_unsupported_currency_is_refused(client: httpx.AsyncClient, kit: Any) -> None:
    response = await client.post("/v1/checkouts", json=kit.cart(currency="CHF"))
    assert response.status_code == 400
    assert response.json()["error"]["param"] == "currency"


async def test_amount_outside_every_plan_is_refused(client: httpx.AsyncClient, kit: Any) -> None:
    response = await client.post("/v1/checkouts", json=kit.cart(5_000_000))
    assert response.status_code == 400
    error = response.json()["error"]
    assert (error["code"], error["param"]) == ("amount_outside_plan_limits", "amount")


async def test_jpy_checkout_has_zero_decimal_offers(client: httpx.AsyncClient, kit: Any) -> None:
    checkout = (await client.post("/v1/checkouts", json=kit.cart(150_000, "JPY"))).json()
    assert checkout["currency"] == "JPY"
    assert all(o["currency"] == "JPY" for o in checkout["offers"])


async def test_checkout_for_existing_customer_and_unknown_customer(
    client: httpx.AsyncClient, kit: Any
) -> None:
    customer = (await client.post("/v1/customers", json=kit.identity())).json()
    ok = await client.post("/v1/checkouts", json=kit.cart(customer=customer["id"]))
    assert ok.json()["customer"] == customer["id"]
    missing = await client.post("/v1/checkouts", json=kit.cart(customer="cus_missing"))
    assert missing.status_code == 404
    assert missing.json()["error"]["param"] == "customer"


async def test_approval_authorizes_a_loan_and_explains_itself(
    client: httpx.AsyncClient,
    kit: Any,
    personas: list[dict[str, Any]],
    checkout_for: Any,
    confirm: Any,
) -> None:
    customer = kit.persona_identity(personas[0], kit.tagged(personas[0], "approve"))
    checkout = await confirm(await checkout_for(customer), "monthly_12")
    decision = checkout["decision"]
    assert checkout["status"] == "approved"
    assert decision["outcome"] == "approve"
    assert (decision["policy_id"], decision["policy_version"]) == ("pol_consumer_credit", 1)
    assert decision["rules_fired"] and decision["score"] >= 300
    assert checkout["selected_offer"] == next(
        o["id"] for o in checkout["offers"] if o["plan"] == "monthly_12"
    )
    loan = (await client.get(f"/v1/loans/{checkout['loan']}")).json()
    assert (loan["status"], loan["authorized_amount"], loan["apr_bps"]) == (
        "authorized",
        120_000,
        1499,
    )
    assert loan["checkout"] == checkout["id"]
    report = await client.get(f"/v1/customers/{checkout['customer']}/credit_report")
    assert report.json()["pull_type"] == "hard"


async def test_decline_carries_reason_codes_and_no_loan(
    client: httpx.AsyncClient,
    kit: Any,
    personas: list[dict[str, Any]],
    checkout_for: Any,
    confirm: Any,
) -> None:
    customer = kit.persona_identity(personas[0], kit.tagged(personas[0], "decline"))
    checkout = await confirm(await checkout_for(customer))
    assert checkout["status"] == "declined"
    assert checkout["loan"] is None
    assert checkout["decision"]["outcome"] == "decline"
    assert "LOW_CREDIT_SCORE" in checkout["decision"]["reason_codes"]
    fired = {r["reason_code"] for r in checkout["decision"]["rules_fired"]}
    assert set(checkout["decision"]["reason_codes"]) <= fired


async def test_review_leaves_the_checkout_in_review_with_the_workflow_waiting(
    client: httpx.AsyncClient,
    kit: Any,
    personas: list[dict[str, Any]],
    checkout_for: Any,
    confirm: Any,
    sandbox: Sandbox,
) -> None:
    customer = kit.persona_identity(personas[0], kit.tagged(personas[0], "review"))
    checkout = await confirm(await checkout_for(customer))
    assert checkout["status"] == "in_review"
    assert checkout["decision"]["outcome"] == "review"
    assert checkout["loan"] is None
    from mock_server.storage.models import WorkflowInstanceRow

    with sandbox.db.reader() as session:
        instance = session.query(WorkflowInstanceRow).filter_by(checkout_id=checkout["id"]).one()
        assert instance.status == "waiting"
        assert instance.data["current_step"] == "review"
        assert instance.deadline is not None


async def test_confirm_needs_consent_and_a_real_offer(
    client: httpx.AsyncClient, checkout_for: Any
) -> None:
    checkout = await checkout_for()
    path = f"/v1/checkouts/{checkout['id']}/confirm"
    no_consent = await client.post(
        path, json={"offer": checkout["offers"][0]["id"], "consent": False}
    )
    assert no_consent.status_code == 400
    assert no_consent.json()["error"]["param"] == "consent"
    bad_offer = await client.post(path, json={"offer": "ofr_nope", "consent": True})
    assert bad_offer.status_code == 400
    assert bad_offer.json()["error"]["param"] == "offer"
    still = (await client.get(f"/v1/checkouts/{checkout['id']}")).json()
    assert still["status"] == "open"


async def test_confirming_twice_is_409_not_a_second_decision(
    client: httpx.AsyncClient, checkout_for: Any, confirm: Any
) -> None:
    checkout = await confirm(await checkout_for())
    again = await client.post(
        f"/v1/checkouts/{checkout['id']}/confirm",
        json={"offer": checkout["offers"][0]["id"], "consent": True},
    )
    assert again.status_code == 409
    assert again.json()["error"]["code"] == "checkout_already_confirmed"


async def test_cancel_an_open_checkout_then_it_cannot_be_confirmed(
    client: httpx.AsyncClient, checkout_for: Any
) -> None:
    checkout = await checkout_for()
    canceled = await client.post(f"/v1/checkouts/{checkout['id']}/cancel")
    assert canceled.json()["status"] == "canceled"
    again = await client.post(f"/v1/checkouts/{checkout['id']}/cancel")
    assert (again.status_code, again.json()["error"]["code"]) == (409, "checkout_canceled")
    confirm = await client.post(
        f"/v1/checkouts/{checkout['id']}/confirm",
        json={"offer": checkout["offers"][0]["id"], "consent": True},
    )
    assert confirm.json()["error"]["code"] == "checkout_canceled"


async def test_open_checkout_expires_after_its_time(
    client: httpx.AsyncClient, checkout_for: Any, sandbox: Sandbox
) -> None:
    checkout = await checkout_for()
    me = (await client.get("/v1/merchants/me")).json()
    with sandbox.db.transaction() as session:
        advance_clock(session, me["id"], timedelta(hours=25))
    expired = (await client.get(f"/v1/checkouts/{checkout['id']}")).json()
    assert expired["status"] == "expired"
    confirm = await client.post(
        f"/v1/checkouts/{checkout['id']}/confirm",
        json={"offer": checkout["offers"][0]["id"], "consent": True},
    )
    assert confirm.json()["error"]["code"] == "checkout_expired"


async def test_list_filters_by_status(client: httpx.AsyncClient, checkout_for: Any) -> None:
    keep = await checkout_for()
    gone = await checkout_for()
    await client.post(f"/v1/checkouts/{gone['id']}/cancel")
    opened = (await client.get("/v1/checkouts", params={"status": "open"})).json()["data"]
    assert [c["id"] for c in opened] == [keep["id"]]


async def test_every_change_appends_an_event_with_its_request_id(
    client: httpx.AsyncClient, checkout_for: Any, confirm: Any
) -> None:
    checkout = await checkout_for()
    response = await client.post(
        f"/v1/checkouts/{checkout['id']}/confirm",
        json={"offer": checkout["offers"][0]["id"], "consent": True},
    )
    status = response.json()["status"]
    events = (await client.get("/v1/events")).json()["data"]
    decided = next(e for e in events if e["type"] == f"checkout.{status}")
    assert decided["request_id"] == response.headers["Request-Id"]
    assert decided["data"]["object"]["id"] == checkout["id"]
    assert decided["data"]["object"]["status"] == status
    one = (await client.get(f"/v1/events/{decided['id']}")).json()
    assert one == decided


async def test_strict_workflow_sends_a_large_approval_to_review(
    client: httpx.AsyncClient,
    kit: Any,
    personas: list[dict[str, Any]],
    checkout_for: Any,
    confirm: Any,
) -> None:
    await client.patch("/v1/merchants/me", json={"workflow": "strict"})
    customer = kit.persona_identity(personas[0], kit.tagged(personas[0], "approve"))
    small = await confirm(await checkout_for(customer, 90_000))
    large = await confirm(await checkout_for(customer, 150_000))
    assert small["status"] == "approved"
    assert large["status"] == "in_review"
    assert large["decision"]["outcome"] == "review"
    assert large["decision"]["reason_codes"] == ["AMOUNT_OVER_REVIEW_THRESHOLD"]
    assert [r["rule_id"] for r in large["decision"]["rules_fired"]] == ["prime_tier"]
