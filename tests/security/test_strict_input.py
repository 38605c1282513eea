"""Finding 8: loose input is refused with a 4xx naming the field, and nothing is stored."""

from __future__ import annotations

from typing import Any

import httpx
from sqlalchemy import func, select

from mock_server.services.context import Sandbox
from mock_server.storage.models import CheckoutRow, CustomerRow, LoanRow


def count(sandbox: Sandbox, table: Any) -> int:
    with sandbox.db.reader() as session:
        return int(session.scalar(select(func.count()).select_from(table)) or 0)


async def test_consent_is_only_json_true_or_false(
    client: httpx.AsyncClient, kit: Any, personas: list[dict[str, Any]], checkout_for: Any,
    sandbox: Sandbox,
) -> None:  # fmt: skip
    customer = kit.persona_identity(personas[0], kit.tagged(personas[0], "approve"))
    checkout = await checkout_for(customer)
    path = f"/v1/checkouts/{checkout['id']}/confirm"
    for loose in ("yes", 1, "on", "t", "true", 0, None):
        body = {"offer": checkout["offers"][0]["id"], "consent": loose}
        response = await client.post(path, json=body)
        assert response.status_code == 422, (loose, response.text)
        assert response.json()["error"]["param"] == "consent"
    assert count(sandbox, LoanRow) == 0
    assert (await client.get(f"/v1/checkouts/{checkout['id']}")).json()["status"] == "open"


async def test_dates_of_birth_outside_18_to_120_years_are_refused(
    client: httpx.AsyncClient, kit: Any, sandbox: Sandbox
) -> None:
    today = sandbox.wall().date()
    too_young = today.replace(year=today.year - 17).isoformat()
    for born in ("0001-01-01", "1880-06-01", too_young):
        customer = await client.post("/v1/customers", json=kit.identity(date_of_birth=born))
        assert customer.status_code == 400, (born, customer.text)
        assert customer.json()["error"]["param"] == "date_of_birth"
        inline = await client.post("/v1/checkouts", json=kit.cart(customer=kit.identity(
            date_of_birth=born)))  # fmt: skip
        assert inline.status_code == 400
        assert inline.json()["error"]["param"] == "customer.date_of_birth"
    assert count(sandbox, CustomerRow) == count(sandbox, CheckoutRow) == 0
    adult = today.replace(year=today.year - 30).isoformat()
    assert (await client.post("/v1/customers", json=kit.identity(date_of_birth=adult))).is_success


async def test_countries_are_iso_3166_and_currencies_come_from_the_currency_table(
    client: httpx.AsyncClient, anonymous: httpx.AsyncClient, kit: Any
) -> None:
    address = {**kit.identity()["address"], "country": "ZZ"}
    response = await client.post("/v1/customers", json=kit.identity(address=address))
    assert response.status_code == 422
    assert response.json()["error"]["param"] == "address.country"
    application = {
        "legal_name": "Nowhere Ltd", "mcc": "5732", "country": "ZZ", "currency": "USD",
        "years_in_business": 3, "expected_monthly_volume": 100_000,
        "contact_email": "ops@nowhere.example",
    }  # fmt: skip
    refused = await anonymous.post("/v1/merchants", json=application)
    assert refused.status_code == 422
    assert refused.json()["error"]["param"] == "country"
    unknown_currency = await client.post("/v1/checkouts", json=kit.cart(currency="ZZZ"))
    assert unknown_currency.status_code == 400
    assert unknown_currency.json()["error"]["param"] == "currency"


async def test_control_characters_in_names_and_addresses_are_refused(
    client: httpx.AsyncClient, kit: Any, sandbox: Sandbox
) -> None:
    address = {**kit.identity()["address"], "line1": "1 Market St\r\nX-Forged: yes"}
    bodies = [kit.identity(name="Ada\x00Lovelace"), kit.identity(address=address)]
    params = ["name", "address.line1"]
    for body, param in zip(bodies, params, strict=True):
        response = await client.post("/v1/customers", json=body)
        assert response.status_code == 422
        assert response.json()["error"]["param"] == param
    assert count(sandbox, CustomerRow) == 0


async def test_invalid_json_names_the_body(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/v1/customers",
        content=b'{"email": "a@b.co",',
        headers={"Content-Type": "application/json"},
    )
    assert response.status_code == 422
    error = response.json()["error"]
    assert (error["param"], error["code"]) == ("body", "body_invalid")
    assert error["errors"] == [{"param": "body", "code": "body_invalid",
                                "message": error["errors"][0]["message"]}]  # fmt: skip


async def test_every_bad_field_is_named_in_one_answer(client: httpx.AsyncClient, kit: Any) -> None:
    body = kit.identity(email="not-an-email", phone="x", national_id_last4="12")
    response = await client.post("/v1/customers", json=body)
    error = response.json()["error"]
    assert response.status_code == 422
    assert {e["param"] for e in error["errors"]} == {"email", "phone", "national_id_last4"}
    assert error["param"] == error["errors"][0]["param"]
    assert all(e["param"] in error["message"] for e in error["errors"])


async def test_a_404_never_echoes_a_long_id_whole(client: httpx.AsyncClient) -> None:
    long_id = "chk_" + "A" * 60_000  # httpx refuses longer URLs
    response = await client.get(f"/v1/checkouts/{long_id}")
    assert response.status_code == 404
    assert len(response.content) < 1_000
    assert response.json()["error"]["request_id"] == response.headers["Request-Id"]
