"""Single-use virtual cards an in-store approval issues, and the simulated card network that
charges them: Luhn-valid numbers in the test range, one approved charge that captures the loan,
and each decline with its network-style response code."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import pytest
from stdnum import luhn

from mock_server.services.virtual_cards import TEST_BIN
from tests.merchant_applications import complete_application

Json = dict[str, Any]


def in_store(kit: Any, email: str = "ada+approve@example.com", amount: int = 120_000) -> Json:
    """An in-store checkout body for a customer whose tag forces the outcome."""
    return {
        **kit.cart(amount, customer=kit.identity(email)),
        "channel": "in_store",
        "store_id": "store-42",
        "terminal_id": "lane-3",
    }


async def approved_card(client: httpx.AsyncClient, kit: Any, amount: int = 120_000) -> Json:
    """Create and confirm (the API shortcut) an in-store checkout; answer its card."""
    checkout = (await client.post("/v1/checkouts", json=in_store(kit, amount=amount))).json()
    offer = checkout["offers"][0]["id"]
    decided = await client.post(
        f"/v1/checkouts/{checkout['id']}/confirm", json={"offer": offer, "consent": True}
    )
    assert decided.json()["status"] == "approved", decided.text
    card = await client.get(f"/v1/virtual_cards/{decided.json()['virtual_card']}")
    assert card.status_code == 200, card.text
    data: Json = card.json()
    return data


def charge_of(card: Json, **overrides: Any) -> Json:
    """A terminal's charge of the whole card."""
    body = {
        "number": card["number"],
        "exp_month": card["exp_month"],
        "exp_year": card["exp_year"],
        "cvc": card["cvc"],
        "amount": card["amount_limit"],
        "currency": card["currency"],
    }
    return {**body, **overrides}


async def charge(client: httpx.AsyncClient, body: Json, **headers: str) -> Json:
    response = await client.post("/v1/card_network/authorizations", json=body, headers=headers)
    assert response.status_code == 200, response.text
    data: Json = response.json()
    return data


async def test_an_in_store_approval_issues_a_luhn_valid_card_in_the_test_range(
    client: httpx.AsyncClient, kit: Any
) -> None:
    card = await approved_card(client, kit)
    assert card["number"].startswith(TEST_BIN) and len(card["number"]) == 16
    assert luhn.is_valid(card["number"])
    assert card["last4"] == card["number"][-4:]
    assert len(card["cvc"]) == 3 and card["status"] == "active" and card["single_use"]
    assert (card["amount_limit"], card["currency"]) == (120_000, "USD")
    loan = (await client.get(f"/v1/loans/{card['loan']}")).json()
    assert card["expires_at"].startswith(_day_before(loan["authorization_expires_at"]))


def _day_before(iso_date: str) -> str:
    from datetime import date, timedelta

    return (date.fromisoformat(iso_date[:10]) - timedelta(days=1)).isoformat()


async def test_the_number_and_cvc_are_stored_only_as_digests(
    client: httpx.AsyncClient, kit: Any, sandbox: Any
) -> None:
    from sqlalchemy import select

    from mock_server.storage.models import VirtualCardRow

    card = await approved_card(client, kit)
    with sandbox.db.reader() as session:
        row = session.scalars(select(VirtualCardRow).where(VirtualCardRow.id == card["id"])).one()
        stored = " ".join(str(v) for v in vars(row).values())
        digests = (row.number_digest, row.cvc_digest)
    assert card["number"] not in stored
    assert all(len(d) == 64 and card["cvc"] != d for d in digests)
    events = (await client.get("/v1/events", params={"limit": 100})).json()["data"]
    assert card["number"] not in str(events)
    issued = [e for e in events if e["type"] == "virtual_card.issued"]
    assert issued and issued[0]["data"]["object"]["number"] is None


async def test_the_first_valid_charge_captures_the_loan_and_a_second_is_declined(
    client: httpx.AsyncClient, kit: Any
) -> None:
    card = await approved_card(client, kit)
    first = await charge(client, charge_of(card, amount=100_000))
    assert (first["approved"], first["response_code"], first["reason"]) == (True, "00", "approved")
    loan = (await client.get(f"/v1/loans/{card['loan']}")).json()
    assert (loan["status"], loan["captured_amount"]) == ("active", 100_000)
    second = await charge(client, charge_of(card, amount=1_000))
    assert (second["approved"], second["response_code"]) == (False, "57")
    assert second["reason"] == "card_already_used" and second["loan"] is None
    used = (await client.get(f"/v1/virtual_cards/{card['id']}")).json()
    assert (used["status"], used["authorization"]) == ("used", first["id"])


async def test_a_retried_charge_with_its_idempotency_key_is_the_same_approval(
    client: httpx.AsyncClient, kit: Any
) -> None:
    card = await approved_card(client, kit)
    first = await charge(client, charge_of(card), **{"Idempotency-Key": "terminal-tx-1"})
    again = await charge(client, charge_of(card), **{"Idempotency-Key": "terminal-tx-1"})
    assert again == first and first["approved"]


async def test_two_concurrent_charges_one_wins(client: httpx.AsyncClient, kit: Any) -> None:
    card = await approved_card(client, kit)
    answers = await asyncio.gather(*(charge(client, charge_of(card)) for _ in range(4)))
    assert sorted(a["response_code"] for a in answers) == ["00", "57", "57", "57"]
    loan = (await client.get(f"/v1/loans/{card['loan']}")).json()
    assert loan["captured_amount"] == 120_000


@pytest.mark.parametrize(
    ("change", "code", "reason"),
    [
        ({"amount": 120_001}, "51", "amount_over_limit"),
        ({"currency": "EUR"}, "13", "currency_mismatch"),
        ({"cvc": "cvc"}, "N7", "cvc_mismatch"),
        ({"exp_month": "other"}, "54", "expiry_mismatch"),
        ({"number": "other"}, "14", "invalid_card_number"),
        ({"number": "luhn"}, "14", "invalid_card_number"),
    ],
)
async def test_each_bad_charge_is_declined_with_its_code_and_the_card_stays_usable(
    client: httpx.AsyncClient, kit: Any, change: Json, code: str, reason: str
) -> None:
    card = await approved_card(client, kit)
    body = charge_of(card, **_resolve(card, change))
    declined = await charge(client, body)
    assert (declined["approved"], declined["response_code"], declined["reason"]) == (
        False,
        code,
        reason,
    )
    loan = (await client.get(f"/v1/loans/{card['loan']}")).json()
    assert loan["status"] == "authorized"
    assert (await charge(client, charge_of(card)))["approved"]


def _resolve(card: Json, change: Json) -> Json:
    """Concrete wrong values: another CVC or expiry month, another valid or Luhn-broken number."""
    out = dict(change)
    if change.get("cvc") == "cvc":
        out["cvc"] = f"{(int(card['cvc']) + 1) % 1000:03d}"
    if change.get("exp_month") == "other":
        out["exp_month"] = card["exp_month"] % 12 + 1
    if change.get("number") == "other":
        partial = TEST_BIN + f"{(int(card['number'][8:15]) + 1) % 10**7:07d}"
        out["number"] = partial + luhn.calc_check_digit(partial)
    if change.get("number") == "luhn":
        out["number"] = card["number"][:-1] + str((int(card["number"][-1]) + 1) % 10)
    return out


async def test_a_card_is_locked_to_its_merchant(
    client: httpx.AsyncClient, anonymous: httpx.AsyncClient, kit: Any
) -> None:
    card = await approved_card(client, kit)
    application = {
        "legal_name": "Fabrikam Bikes LLC",
        "mcc": "5940",
        "country": "US",
        "currency": "USD",
        "website": "https://fabrikam-bikes.example.com",
        "years_in_business": 6,
        "expected_monthly_volume": 5_000_000,
        "contact_email": "finance@fabrikam-bikes.example.com",
    }
    applied = await anonymous.post("/v1/merchants", json=complete_application(application))
    other = {"Authorization": f"Bearer {applied.json()['secret_key']}"}
    response = await anonymous.post(
        "/v1/card_network/authorizations", json=charge_of(card), headers=other
    )
    declined = response.json()
    assert (declined["response_code"], declined["reason"]) == ("58", "merchant_not_allowed")
    assert declined["virtual_card"] is None and declined["loan"] is None
    hidden = await anonymous.get(f"/v1/virtual_cards/{card['id']}", headers=other)
    assert hidden.status_code == 404
    assert (await charge(client, charge_of(card)))["approved"]


async def test_an_expired_card_is_declined(client: httpx.AsyncClient, kit: Any) -> None:
    card = await approved_card(client, kit)
    advanced = await client.post("/v1/sandbox/clock/advance", json={"days": 31})
    assert advanced.status_code == 200, advanced.text
    declined = await charge(client, charge_of(card))
    assert (declined["response_code"], declined["reason"]) == ("54", "expired_card")


async def test_a_card_whose_loan_was_voided_is_declined(
    client: httpx.AsyncClient, kit: Any
) -> None:
    card = await approved_card(client, kit)
    assert (await client.post(f"/v1/loans/{card['loan']}/void")).status_code == 200
    declined = await charge(client, charge_of(card))
    assert (declined["response_code"], declined["reason"]) == ("62", "card_canceled")


async def test_a_malformed_charge_is_refused_naming_the_field(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/v1/card_network/authorizations",
        json={"number": "12", "exp_month": 13, "exp_year": 2030, "cvc": "1", "amount": 0,
              "currency": "USD"},
    )  # fmt: skip
    assert response.status_code == 422
    assert response.json()["error"]["param"] == "number"
    listed = (await client.get("/v1/events", params={"limit": 5})).json()["data"]
    assert not any(e["type"].startswith("virtual_card") for e in listed)


async def test_online_checkouts_issue_no_card(client: httpx.AsyncClient, kit: Any) -> None:
    checkout = (await client.post("/v1/checkouts", json=kit.cart())).json()
    offer = checkout["offers"][0]["id"]
    decided = await client.post(
        f"/v1/checkouts/{checkout['id']}/confirm", json={"offer": offer, "consent": True}
    )
    assert decided.json()["channel"] == "online" and decided.json()["virtual_card"] is None


async def test_card_key_sets_the_numbers_and_cvcs_derived(make_app: Any, kit: Any) -> None:
    from mock_server.services.virtual_cards import card_secrets
    from mock_server.settings import Settings

    key = "k" * 32
    app = make_app(Settings(card_key=key))
    transport = httpx.ASGITransport(app=app)
    auth = {"Authorization": "Bearer sk_test_demo"}
    async with httpx.AsyncClient(transport=transport, base_url="http://x", headers=auth) as c:
        card = await approved_card(c, kit)
    assert (card["number"], card["cvc"]) == (
        card_secrets(key, card["id"]).number,
        card_secrets(key, card["id"]).cvc,
    )
    assert card_secrets("z" * 32, card["id"]).number != card["number"]
