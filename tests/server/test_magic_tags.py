"""Magic email tags through the sandbox: reused test data, the trace, the customer's tag."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import httpx

Json = dict[str, Any]


async def _buy(
    client: httpx.AsyncClient, kit: Any, email: str, device_id: str = "dev_shared_test"
) -> Json:
    response = await client.post(
        "/v1/checkouts", json=kit.cart(120_000, customer=kit.identity(email))
    )
    assert response.status_code == 201, response.text
    checkout: Json = response.json()
    offer = next(o for o in checkout["offers"] if o["plan"] == "monthly_12")
    body = {"offer": offer["id"], "consent": True, "device_id": device_id}
    confirmed = await client.post(f"/v1/checkouts/{checkout['id']}/confirm", json=body)
    assert confirmed.status_code == 200, confirmed.text
    result: Json = confirmed.json()
    return result


async def test_approve_tag_wins_over_reused_phone_address_and_device(
    client: httpx.AsyncClient, kit: Any
) -> None:
    # kit.identity gives every customer the same phone and address; the device is shared too.
    outcomes = [await _buy(client, kit, f"tester{n}+approve@example.com") for n in range(6)] + [
        await _buy(client, kit, "tester0+approve@example.com")
    ]
    assert [c["status"] for c in outcomes] == ["approved"] * 7
    for checkout in outcomes:
        assert checkout["decision"]["sandbox_tag"]["tag"] == "approve"
        assert any("velocity" in e for e in checkout["decision"]["sandbox_tag"]["effects"])


async def test_untagged_shoppers_sharing_a_device_are_still_caught(
    client: httpx.AsyncClient, kit: Any, personas: list[Json]
) -> None:
    prime = [p for p in personas if p["tier"] == "prime"][:3]
    outcomes = []
    for persona in prime:
        response = await client.post(
            "/v1/checkouts", json=kit.cart(120_000, customer=kit.persona_identity(persona))
        )
        checkout = response.json()
        offer = next(o for o in checkout["offers"] if o["plan"] == "monthly_12")
        body = {"offer": offer["id"], "consent": True, "device_id": "dev_ring"}
        confirmed = await client.post(f"/v1/checkouts/{checkout['id']}/confirm", json=body)
        outcomes.append(confirmed.json())
    assert outcomes[0]["status"] == "approved"
    assert outcomes[0]["decision"]["sandbox_tag"] is None
    assert [c["status"] for c in outcomes[1:]] == ["in_review", "declined"]
    assert "DEVICE_VELOCITY" in outcomes[2]["decision"]["reason_codes"]


async def test_customer_shows_the_recognized_tag(client: httpx.AsyncClient, kit: Any) -> None:
    tagged = await client.post("/v1/customers", json=kit.identity("jo+decline@example.com"))
    plain = await client.post("/v1/customers", json=kit.identity("jo@example.com"))
    assert tagged.status_code == plain.status_code == 201
    assert (tagged.json()["sandbox_tag"], tagged.json()["sandbox_tag_note"]) == ("decline", None)
    assert (plain.json()["sandbox_tag"], plain.json()["sandbox_tag_note"]) == (None, None)


async def test_an_unknown_tag_is_reported_on_the_customer(
    client: httpx.AsyncClient, kit: Any
) -> None:
    response = await client.post("/v1/customers", json=kit.identity("jo+bogus@example.com"))
    assert response.status_code == 201
    customer = response.json()
    assert customer["sandbox_tag"] is None
    assert "'+bogus' is not a sandbox tag" in customer["sandbox_tag_note"]
    assert "+approve" in customer["sandbox_tag_note"]


async def test_checkout_decision_has_no_tag_trace_for_an_untagged_customer(
    client: httpx.AsyncClient, kit: Any, confirm: Callable[..., Awaitable[Json]]
) -> None:
    response = await client.post("/v1/checkouts", json=kit.cart(120_000))
    decided = await confirm(response.json())
    assert decided["decision"]["sandbox_tag"] is None
