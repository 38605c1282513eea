"""Idempotency keys: replay, reuse with another body, in-flight duplicates, a 50-way race."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
from sqlalchemy import func, select

from mock_server.storage.models import IdempotencyRow
from tests.merchant_applications import complete_application


def keyed(key: str) -> dict[str, str]:
    return {"Idempotency-Key": key}


async def test_same_key_and_body_replays_the_stored_answer(
    client: httpx.AsyncClient, kit: Any
) -> None:
    body = kit.cart()
    first = await client.post("/v1/checkouts", json=body, headers=keyed("order-1"))
    again = await client.post("/v1/checkouts", json=body, headers=keyed("order-1"))
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert again.headers["Idempotent-Replayed"] == "true"
    assert "Idempotent-Replayed" not in first.headers
    assert again.headers["Request-Id"] != first.headers["Request-Id"]
    listed = (await client.get("/v1/checkouts")).json()["data"]
    assert [c["id"] for c in listed] == [first.json()["id"]]


async def test_same_key_with_another_body_names_the_differing_parameters(
    client: httpx.AsyncClient, kit: Any
) -> None:
    body = kit.cart()
    await client.post("/v1/checkouts", json=body, headers=keyed("k"))
    changed = {**body, "merchant_reference": "order-2", "tax_amount": 3_000, "amount": 121_000}
    response = await client.post("/v1/checkouts", json=changed, headers=keyed("k"))
    assert response.status_code == 409
    error = response.json()["error"]
    assert (error["type"], error["code"]) == ("idempotency_error", "idempotency_key_reused")
    assert "amount, merchant_reference, tax_amount" in error["message"]
    assert error["param"] == "amount"


async def test_same_key_on_another_path_is_reuse(client: httpx.AsyncClient, kit: Any) -> None:
    await client.post("/v1/customers", json=kit.identity(), headers=keyed("shared"))
    response = await client.post("/v1/checkouts", json=kit.cart(), headers=keyed("shared"))
    assert response.json()["error"]["code"] == "idempotency_key_reused"
    assert response.json()["error"]["param"] == "path"


async def test_keys_are_scoped_per_merchant(
    client: httpx.AsyncClient, anonymous: httpx.AsyncClient, kit: Any
) -> None:
    application = {
        "legal_name": "Contoso Outdoor Ltd",
        "mcc": "5941",
        "country": "GB",
        "currency": "GBP",
        "website": "https://contoso-outdoor.example.co.uk",
        "years_in_business": 9,
        "expected_monthly_volume": 2_000_000,
        "contact_email": "finance@contoso-outdoor.example.co.uk",
    }
    other_key = (
        await anonymous.post("/v1/merchants", json=complete_application(application))
    ).json()["secret_key"]
    mine = await client.post("/v1/customers", json=kit.identity(), headers=keyed("same"))
    theirs = await anonymous.post(
        "/v1/customers",
        json=kit.identity("other@example.com"),
        headers={**keyed("same"), "Authorization": f"Bearer {other_key}"},
    )
    assert mine.status_code == theirs.status_code == 201
    assert mine.json()["id"] != theirs.json()["id"]


async def test_errors_are_not_stored_so_a_corrected_retry_runs(
    client: httpx.AsyncClient, kit: Any, sandbox: Any
) -> None:
    body = kit.cart(currency="XXX")
    first = await client.post("/v1/checkouts", json=body, headers=keyed("bad"))
    again = await client.post("/v1/checkouts", json=body, headers=keyed("bad"))
    assert first.status_code == again.status_code == 400
    assert "Idempotent-Replayed" not in again.headers  # refused again, not replayed
    with sandbox.db.reader() as session:
        assert session.scalar(select(func.count()).select_from(IdempotencyRow)) == 0
    fixed = await client.post("/v1/checkouts", json=kit.cart(), headers=keyed("bad"))
    assert fixed.status_code == 201


async def test_confirm_retried_with_its_key_replays_and_without_is_409(
    client: httpx.AsyncClient, kit: Any, personas: list[dict[str, Any]], checkout_for: Any
) -> None:
    customer = kit.persona_identity(personas[0], kit.tagged(personas[0], "approve"))
    checkout = await checkout_for(customer)
    body = {"offer": checkout["offers"][0]["id"], "consent": True}
    path = f"/v1/checkouts/{checkout['id']}/confirm"
    first = await client.post(path, json=body, headers=keyed("confirm-1"))
    replay = await client.post(path, json=body, headers=keyed("confirm-1"))
    fresh = await client.post(path, json=body, headers=keyed("confirm-2"))
    assert first.json()["status"] == "approved"
    assert replay.json() == first.json()
    assert fresh.status_code == 409
    assert fresh.json()["error"]["code"] == "checkout_already_confirmed"
    loans = (await client.get("/v1/loans")).json()["data"]
    assert len(loans) == 1


async def test_fifty_parallel_duplicates_create_one_object(
    client: httpx.AsyncClient, kit: Any
) -> None:
    body = kit.cart()
    responses = await asyncio.gather(
        *(client.post("/v1/checkouts", json=body, headers=keyed("race")) for _ in range(50))
    )
    created = [r for r in responses if r.status_code == 201]
    in_progress = [r for r in responses if r.status_code == 409]
    assert len(created) + len(in_progress) == 50
    assert {r.json()["id"] for r in created} == {created[0].json()["id"]}
    assert sum("Idempotent-Replayed" not in r.headers for r in created) == 1
    for r in in_progress:
        assert r.json()["error"]["code"] == "idempotency_in_progress"
    checkouts = (await client.get("/v1/checkouts", params={"limit": 100})).json()["data"]
    assert len(checkouts) == 1
    created_events = (await client.get("/v1/events", params={"type": "checkout.created"})).json()
    assert len(created_events["data"]) == 1


async def test_fifty_parallel_confirms_make_one_decision_and_one_loan(
    client: httpx.AsyncClient, kit: Any, personas: list[dict[str, Any]], checkout_for: Any
) -> None:
    customer = kit.persona_identity(personas[0], kit.tagged(personas[0], "approve"))
    checkout = await checkout_for(customer)
    body = {"offer": checkout["offers"][1]["id"], "consent": True}
    path = f"/v1/checkouts/{checkout['id']}/confirm"
    responses = await asyncio.gather(
        *(client.post(path, json=body, headers=keyed("confirm-race")) for _ in range(50))
    )
    statuses = {r.status_code for r in responses}
    assert statuses <= {200, 409}
    approved = [r.json() for r in responses if r.status_code == 200]
    assert approved and all(a == approved[0] for a in approved)
    assert len((await client.get("/v1/loans")).json()["data"]) == 1
    decided = await client.get("/v1/events", params={"type": "checkout.approved"})
    assert len(decided.json()["data"]) == 1


async def test_post_without_a_key_is_not_deduplicated(client: httpx.AsyncClient, kit: Any) -> None:
    first = await client.post("/v1/customers", json=kit.identity())
    second = await client.post("/v1/customers", json=kit.identity())
    assert first.json()["id"] != second.json()["id"]


async def test_merchant_applications_honour_keys_without_a_secret_key(
    anonymous: httpx.AsyncClient,
) -> None:
    application = {
        "legal_name": "Tailspin Toys Co",
        "mcc": "5945",
        "country": "US",
        "currency": "USD",
        "website": "https://tailspin-toys.example.com",
        "years_in_business": 3,
        "expected_monthly_volume": 1_500_000,
        "contact_email": "hello@tailspin-toys.example.com",
    }
    first = await anonymous.post(
        "/v1/merchants", json=complete_application(application), headers=keyed("apply-1")
    )
    again = await anonymous.post(
        "/v1/merchants", json=complete_application(application), headers=keyed("apply-1")
    )
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert again.headers["Idempotent-Replayed"] == "true"


async def test_bad_key_with_idempotency_key_is_still_401(
    anonymous: httpx.AsyncClient, kit: Any
) -> None:
    response = await anonymous.post(
        "/v1/checkouts",
        json=kit.cart(),
        headers={**keyed("x"), "Authorization": "Bearer sk_test_wrong_key_000"},
    )
    assert response.status_code == 401
