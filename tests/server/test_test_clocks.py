"""Test clocks: each clock's loans live on its own time; unattached loans follow the merchant's
clock; deleting a clock deletes what was attached to it."""

from __future__ import annotations

from typing import Any

import httpx

from tests.merchant_applications import complete_application

Json = dict[str, Any]
APPLICATION = {
    "legal_name": "Litware Books", "mcc": "5942", "country": "US", "currency": "USD",
    "website": "https://litware-books.example.com", "years_in_business": 8,
    "expected_monthly_volume": 700_000, "contact_email": "desk@litware-books.example.com",
}  # fmt: skip


async def clock(client: httpx.AsyncClient, name: str) -> Json:
    response = await client.post("/v1/test_clocks", json={"name": name})
    assert response.status_code == 201, response.text
    made: Json = response.json()
    return made


async def captured_loan(
    client: httpx.AsyncClient, kit: Any, persona: Json, test_clock: str | None = None
) -> Json:
    """A captured 12-month loan of a `+approve` customer (pays on time), on the clock if given."""
    identity = kit.persona_identity(persona, kit.tagged(persona, "approve"))
    if test_clock is not None:
        identity["test_clock"] = test_clock
    customer = await client.post("/v1/customers", json=identity)
    assert customer.status_code == 201, customer.text
    assert customer.json()["test_clock"] == test_clock
    checkout = await client.post("/v1/checkouts", json=kit.cart(customer=customer.json()["id"]))
    offer = next(o["id"] for o in checkout.json()["offers"] if o["plan"] == "monthly_12")
    path = f"/v1/checkouts/{checkout.json()['id']}/confirm"
    confirmed = (await client.post(path, json={"offer": offer, "consent": True})).json()
    assert confirmed["status"] == "approved", confirmed["decision"]
    loan = await client.post(f"/v1/loans/{confirmed['loan']}/capture", json={})
    assert loan.status_code == 200, loan.text
    captured: Json = loan.json()
    return captured


async def paid_installments(client: httpx.AsyncClient, loan: Json) -> int:
    found = (await client.get(f"/v1/loans/{loan['id']}")).json()
    return sum(entry["status"] == "paid" for entry in found["schedule"])


async def test_two_clocks_advanced_differently_give_each_loan_its_own_schedule_state(
    client: httpx.AsyncClient, kit: Any, personas: list[Json]
) -> None:
    short, long = await clock(client, "short"), await clock(client, "long")
    on_short = await captured_loan(client, kit, personas[0], short["id"])
    on_long = await captured_loan(client, kit, personas[1], long["id"])
    unattached = await captured_loan(client, kit, personas[2])
    advanced = await client.post(f"/v1/test_clocks/{short['id']}/advance", json={"days": 35})
    assert advanced.status_code == 200, advanced.text
    await client.post(f"/v1/test_clocks/{long['id']}/advance", json={"days": 100})
    assert await paid_installments(client, on_short) == 1
    assert await paid_installments(client, on_long) == 3
    assert await paid_installments(client, unattached) == 0  # the merchant's clock did not move
    frozen = (await client.get(f"/v1/test_clocks/{long['id']}")).json()["frozen_time"]
    assert frozen[:10] > advanced.json()["frozen_time"][:10]


async def test_unattached_loans_follow_the_merchant_clock_and_clock_loans_do_not(
    client: httpx.AsyncClient, kit: Any, personas: list[Json]
) -> None:
    on_clock = await captured_loan(client, kit, personas[0], (await clock(client, "c"))["id"])
    unattached = await captured_loan(client, kit, personas[1])
    moved = await client.post("/v1/sandbox/clock/advance", json={"days": 35})
    assert moved.status_code == 200, moved.text
    assert await paid_installments(client, unattached) == 1
    assert await paid_installments(client, on_clock) == 0


async def test_a_loan_on_a_clock_is_dated_by_that_clock(
    client: httpx.AsyncClient, kit: Any, personas: list[Json]
) -> None:
    made = await client.post(
        "/v1/test_clocks", json={"name": "2030", "frozen_time": "2030-01-15T12:00:00Z"}
    )
    assert made.json()["frozen_time"].startswith("2030-01-15T12:00:00")
    loan = await captured_loan(client, kit, personas[0], made.json()["id"])
    assert loan["schedule"][0]["due_date"].startswith("2030-02-15")


async def test_deleting_a_clock_deletes_its_customers_checkouts_and_loans(
    client: httpx.AsyncClient, kit: Any, personas: list[Json]
) -> None:
    doomed, kept = await clock(client, "doomed"), await clock(client, "kept")
    gone = await captured_loan(client, kit, personas[0], doomed["id"])
    stays = await captured_loan(client, kit, personas[1], kept["id"])
    deleted = await client.delete(f"/v1/test_clocks/{doomed['id']}")
    assert deleted.json() == {"id": doomed["id"], "object": "test_clock", "deleted": True}
    assert (await client.get(f"/v1/test_clocks/{doomed['id']}")).status_code == 404
    for path in (
        f"/v1/loans/{gone['id']}",
        f"/v1/checkouts/{gone['checkout']}",
        f"/v1/customers/{gone['customer']}",
    ):
        assert (await client.get(path)).status_code == 404, path
    assert (await client.get(f"/v1/loans/{stays['id']}")).status_code == 200
    listed = (await client.get("/v1/test_clocks")).json()["data"]
    assert [c["id"] for c in listed] == [kept["id"]]


async def test_an_unknown_clock_is_refused_naming_the_field(
    client: httpx.AsyncClient, kit: Any
) -> None:
    identity = {**kit.identity(), "test_clock": "clock_missing"}
    response = await client.post("/v1/customers", json=identity)
    assert (response.status_code, response.json()["error"]["param"]) == (404, "test_clock")
    assert (await client.get("/v1/customers")).json()["data"] == []


async def test_another_merchants_clock_is_not_found(
    client: httpx.AsyncClient, anonymous: httpx.AsyncClient
) -> None:
    mine = await clock(client, "mine")
    other_key = (
        await anonymous.post("/v1/merchants", json=complete_application(APPLICATION))
    ).json()["secret_key"]
    other = {"Authorization": f"Bearer {other_key}"}
    response = await anonymous.get(f"/v1/test_clocks/{mine['id']}", headers=other)
    assert response.status_code == 404
