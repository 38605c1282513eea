"""The hosted application page, driven as a browser would post its forms (the real-browser
runs are in tests/browser): identity, soft-pull offers with the disclosure, consent, the
decision with its reasons, and the one-time token back to the merchant."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx

Json = dict[str, Any]
SUCCESS = "https://shop.example/thanks"
CANCEL = "https://shop.example/cart"


def identity_form(kit: Any, email: str) -> dict[str, str]:
    """The identity step's fields as the shopper submits them."""
    person = kit.identity(email)
    address = person["address"]
    keys = ("name", "email", "phone", "date_of_birth", "national_id_last4")
    return {**{k: person[k] for k in keys}, **{k: address.get(k, "") for k in address}}


async def open_page(client: httpx.AsyncClient, kit: Any, email: str, **extra: Any) -> Json:
    body = {**kit.cart(customer=kit.identity(email)), **extra}
    response = await client.post("/v1/checkouts", json=body)
    assert response.status_code == 201, response.text
    data: Json = response.json()
    return data


def page_path(checkout: Json) -> str:
    return str(urlsplit(checkout["next_action"]["url"]).path)


async def apply(shopper: httpx.AsyncClient, kit: Any, checkout: Json, email: str) -> httpx.Response:
    """Walk identity, plan and consent; answer the decision page."""
    path = page_path(checkout)
    step = await shopper.post(f"{path}/identity", data=identity_form(kit, email))
    assert step.status_code == 303, step.text
    offers = await shopper.get(path)
    assert "Choose your plan" in offers.text and "soft pull" in offers.text
    offer = checkout["offers"][-1]["id"]
    assert (await shopper.post(f"{path}/plan", data={"offer": offer})).status_code == 303
    review = await shopper.get(path)
    assert "Review and agree" in review.text
    assert (await shopper.post(f"{path}/consent", data={"consent": "yes"})).status_code == 303
    return await shopper.get(path)


async def test_the_page_prefills_what_the_merchant_sent(
    client: httpx.AsyncClient, anonymous: httpx.AsyncClient, kit: Any
) -> None:
    checkout = await open_page(client, kit, "ada@example.com")
    page = await anonymous.get(page_path(checkout))
    assert page.status_code == 200
    assert 'name="email" autocomplete="email"\n         value="ada@example.com"' in page.text
    assert re.search(r'<label for="postal_code">', page.text)
    assert 'name="viewport"' in page.text and "<script" not in page.text
    assert "http" not in re.sub(r'action="[^"]*"|href="[^"]*"', "", page.text.split("<body>")[0])


async def test_offers_show_every_truth_in_lending_figure(
    client: httpx.AsyncClient, anonymous: httpx.AsyncClient, kit: Any
) -> None:
    checkout = await open_page(client, kit, "ada+approve@example.com")
    path = page_path(checkout)
    await anonymous.post(f"{path}/identity", data=identity_form(kit, "ada+approve@example.com"))
    page = (await anonymous.get(path)).text
    for label in (
        "Annual Percentage Rate",
        "Finance Charge",
        "Amount Financed",
        "Total of Payments",
        "Number of payments",
        "Amount of payments",
        "When payments are due",
    ):
        assert page.count(label) == len(checkout["offers"]), label
    offer = checkout["offers"][-1]
    assert f"first on {offer['first_due_date']}" in page
    report = (await client.get(f"/v1/customers/{checkout['customer']}/credit_report")).json()
    assert report["pull_type"] == "soft"


async def test_an_approval_goes_back_with_a_one_time_token_the_merchant_authorizes(
    client: httpx.AsyncClient, anonymous: httpx.AsyncClient, kit: Any
) -> None:
    urls = {"success_url": SUCCESS, "cancel_url": CANCEL}
    checkout = await open_page(client, kit, "ada+approve@example.com", redirect_urls=urls)
    decided = await apply(anonymous, kit, checkout, "ada+approve@example.com")
    assert "You&#39;re approved" in decided.text or "You're approved" in decided.text
    back = await anonymous.post(f"{page_path(checkout)}/return")
    assert back.status_code == 303 and back.headers["location"].startswith(SUCCESS + "?")
    query = parse_qs(urlsplit(back.headers["location"]).query)
    assert query["checkout"] == [checkout["id"]] and query["status"] == ["approved"]
    token = query["checkout_token"][0]
    loan = (await client.get(f"/v1/checkouts/{checkout['id']}")).json()["loan"]
    early = await client.post(f"/v1/loans/{loan}/capture", json={})
    assert early.status_code == 409 and early.json()["error"]["code"] == "checkout_not_authorized"
    wrong = await client.post(f"/v1/checkouts/{checkout['id']}/authorize", json={"token": "x"})
    assert wrong.status_code == 400 and wrong.json()["error"]["param"] == "token"
    ok = await client.post(f"/v1/checkouts/{checkout['id']}/authorize", json={"token": token})
    assert ok.status_code == 200 and ok.json()["merchant_authorized"] is True
    again = await client.post(f"/v1/checkouts/{checkout['id']}/authorize", json={"token": token})
    assert again.status_code == 409
    captured = await client.post(f"/v1/loans/{loan}/capture", json={})
    assert captured.status_code == 200 and captured.json()["status"] == "active"


async def test_a_decline_shows_the_adverse_action_notice_and_goes_back_to_cancel(
    client: httpx.AsyncClient, anonymous: httpx.AsyncClient, kit: Any
) -> None:
    urls = {"success_url": SUCCESS, "cancel_url": CANCEL}
    checkout = await open_page(client, kit, "ada+decline@example.com", redirect_urls=urls)
    decided = await apply(anonymous, kit, checkout, "ada+decline@example.com")
    assert (
        "Notice of action taken" in decided.text and "Equal Credit Opportunity Act" in decided.text
    )
    codes = (await client.get(f"/v1/checkouts/{checkout['id']}")).json()["decision"]["reason_codes"]
    assert codes and all(f"({code})" in decided.text for code in codes)
    assert "free copy of your credit report" in decided.text
    back = await anonymous.post(f"{page_path(checkout)}/return")
    assert back.headers["location"].startswith(CANCEL + "?")
    assert "checkout_token" not in back.headers["location"]


async def test_a_review_tells_the_shopper_and_the_merchant_waits(
    client: httpx.AsyncClient, anonymous: httpx.AsyncClient, kit: Any
) -> None:
    urls = {"success_url": SUCCESS}
    checkout = await open_page(client, kit, "ada+review@example.com", redirect_urls=urls)
    decided = await apply(anonymous, kit, checkout, "ada+review@example.com")
    assert "being reviewed" in decided.text
    back = await anonymous.post(f"{page_path(checkout)}/return")
    assert "status=in_review" in back.headers["location"]


async def test_consent_is_required_and_nothing_is_decided_without_it(
    client: httpx.AsyncClient, anonymous: httpx.AsyncClient, kit: Any
) -> None:
    checkout = await open_page(client, kit, "ada+approve@example.com")
    path = page_path(checkout)
    await anonymous.post(f"{path}/identity", data=identity_form(kit, "ada+approve@example.com"))
    await anonymous.post(f"{path}/plan", data={"offer": checkout["offers"][0]["id"]})
    refused = await anonymous.post(f"{path}/consent", data={})
    assert refused.status_code == 400 and "Tick the box" in refused.text
    assert (await client.get(f"/v1/checkouts/{checkout['id']}")).json()["status"] == "open"


async def test_a_bad_identity_field_is_shown_beside_it(
    client: httpx.AsyncClient, anonymous: httpx.AsyncClient, kit: Any
) -> None:
    checkout = await open_page(client, kit, "ada@example.com")
    form = {**identity_form(kit, "ada@example.com"), "date_of_birth": "someday", "email": "x"}
    shown = await anonymous.post(f"{page_path(checkout)}/identity", data=form)
    assert shown.status_code == 400
    assert 'id="date_of_birth-error"' in shown.text and 'id="email-error"' in shown.text
    assert 'aria-invalid="true"' in shown.text and 'value="someday"' in shown.text


async def test_the_shopper_can_correct_the_identity(
    client: httpx.AsyncClient, anonymous: httpx.AsyncClient, kit: Any
) -> None:
    checkout = await open_page(client, kit, "ada+decline@example.com")
    await apply(anonymous, kit, checkout, "ada+approve@example.com")
    decided = (await client.get(f"/v1/checkouts/{checkout['id']}")).json()
    assert decided["status"] == "approved"
    customer = (await client.get(f"/v1/customers/{checkout['customer']}")).json()
    assert customer["email"] == "ada+approve@example.com"


async def test_in_store_approval_on_the_page_issues_the_card_and_tells_the_terminal(
    client: httpx.AsyncClient, anonymous: httpx.AsyncClient, kit: Any
) -> None:
    extra = {"channel": "in_store", "store_id": "store-42", "terminal_id": "lane-3"}
    checkout = await open_page(client, kit, "ada+approve@example.com", **extra)
    decided = await apply(anonymous, kit, checkout, "ada+approve@example.com")
    assert "show this screen to the cashier" in decided.text
    polled = (await client.get(f"/v1/checkouts/{checkout['id']}")).json()
    assert polled["status"] == "approved" and polled["virtual_card"].startswith("vcard_")
    assert polled["next_action"] is None
    types = [e["type"] for e in (await client.get("/v1/events")).json()["data"]]
    assert {"checkout.approved", "virtual_card.issued"} <= set(types)


async def test_an_unknown_page_is_a_404_page(anonymous: httpx.AsyncClient) -> None:
    missing = await anonymous.get("/pay/not-a-token")
    assert missing.status_code == 404 and "not valid" in missing.text


async def test_a_decided_page_refuses_to_apply_again(
    client: httpx.AsyncClient, anonymous: httpx.AsyncClient, kit: Any
) -> None:
    checkout = await open_page(client, kit, "ada+approve@example.com")
    await apply(anonymous, kit, checkout, "ada+approve@example.com")
    again = await anonymous.post(
        f"{page_path(checkout)}/identity", data=identity_form(kit, "ada+approve@example.com")
    )
    assert again.status_code == 409 and "approved" in again.text
