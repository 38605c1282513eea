"""The in-store and hosted-page flows through the SDK against the sandbox on a real socket: the
terminal creates the checkout and reads its QR and short code, the shopper applies on the page
(over HTTP, as a phone would post its forms), the terminal waits for the decision and charges
the virtual card; online, the merchant redeems the token the page handed back."""

from __future__ import annotations

import io
from collections.abc import Iterator
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
import zxingcpp
from installo import AsyncInstallo, Installo
from installo.checkout_flow import (
    Approved,
    AsyncCheckoutFlow,
    Cart,
    CheckoutFlow,
    Declined,
    SaleChannel,
)
from installo.testing.sandbox import DEMO_API_KEY, sandbox_app, serve_sandbox
from installo.types import CustomerParam
from PIL import Image

STORE = SaleChannel(channel="in_store", store_id="store-42", terminal_id="lane-3")


def shopper(tag: str) -> CustomerParam:
    return {
        "email": f"grace+{tag}@example.com",
        "name": "Grace Hopper",
        "phone": "+15555550123",
        "date_of_birth": "1986-12-09",
        "national_id_last4": "1906",
        "locale": "en_US",
        "address": {"line1": "1 Navy Way", "city": "Arlington", "region": "VA",
                    "postal_code": "22202", "country": "US"},
    }  # fmt: skip


def cart() -> Cart:
    return Cart("USD").add(sku="BIKE-1", name="Road bike", unit_amount=89_900)


@pytest.fixture(scope="module")
def sandbox_url() -> Iterator[str]:
    app = sandbox_app(seed=7, webhook_worker=False)
    with serve_sandbox(app) as url:
        yield url
    app.state.sandbox.close()


def apply_on_phone(page_url: str, person: CustomerParam) -> httpx.Response:
    """What the shopper's phone does: post each step's form, following the redirects."""
    address = dict(person["address"])
    fields = {k: str(v) for k, v in person.items() if k not in ("address", "locale")}
    with httpx.Client(follow_redirects=True) as phone:
        assert phone.get(page_url).status_code == 200
        offers = phone.post(f"{page_url}/identity", data={**fields, **address})
        offer = offers.text.split('name="offer" value="')[1].split('"')[0]
        phone.post(f"{page_url}/plan", data={"offer": offer})
        return phone.post(f"{page_url}/consent", data={"consent": "yes"})


def test_in_store_terminal_flow_over_a_real_socket(sandbox_url: str) -> None:
    with Installo(api_key=DEMO_API_KEY, base_url=sandbox_url) as client:
        flow = CheckoutFlow(client)
        session = flow.start(cart(), customer=shopper("approve"), where=STORE)
        assert session.short_code and session.page_url and session.page_url.startswith(sandbox_url)
        png = client.checkouts.qr_png(session.checkout.id)
        scanned = zxingcpp.read_barcodes(Image.open(io.BytesIO(png)))
        assert [code.text for code in scanned] == [session.page_url]
        assert "<svg" in client.checkouts.qr_svg(session.checkout.id)
        text = client.checkouts.send_sms(session.checkout.id)
        assert session.page_url in text.body
        assert [m.id for m in client.sandbox.sms(checkout=session.checkout.id).data] == [text.id]
        assert client.checkouts.retrieve(session.checkout.id).status == "open"
        decided = apply_on_phone(scanned[0].text, shopper("approve"))
        assert "show this screen to the cashier" in decided.text
        outcome = flow.wait_for_shopper(session.checkout.id)
        assert isinstance(outcome, Approved)
        paid = flow.pay_with_virtual_card(outcome)
        assert (paid.approved, paid.response_code, paid.loan) == (True, "00", outcome.loan_id)
        retried = flow.pay_with_virtual_card(outcome)  # the same idempotency key: replayed
        assert retried.id == paid.id
        card = client.virtual_cards.retrieve(paid.virtual_card or "")
        second = client.card_network.charge(card, amount=100)
        assert (second.approved, second.response_code, second.reason) == (
            False,
            "57",
            "card_already_used",
        )
        assert client.loans.retrieve(outcome.loan_id).status == "active"


def test_online_hosted_page_flow_over_a_real_socket(sandbox_url: str) -> None:
    urls = {"success_url": "https://shop.example/thanks"}
    with Installo(api_key=DEMO_API_KEY, base_url=sandbox_url) as client:
        flow = CheckoutFlow(client)
        where = SaleChannel(redirect_urls={"success_url": urls["success_url"]})
        session = flow.start(cart(), customer=shopper("approve"), where=where)
        assert session.checkout.next_action is not None
        assert session.checkout.next_action.type == "redirect_to_url"
        apply_on_phone(session.page_url or "", shopper("approve"))
        with httpx.Client() as browser:
            back = browser.post(f"{session.page_url}/return")
        query = parse_qs(urlsplit(back.headers["location"]).query)
        outcome = flow.complete_online(session.checkout.id, query["checkout_token"][0])
        assert isinstance(outcome, Approved) and outcome.checkout.merchant_authorized
        assert flow.capture_on_shipment(outcome.loan_id).status == "active"


async def test_async_in_store_decline_over_a_real_socket(sandbox_url: str) -> None:
    async with AsyncInstallo(api_key=DEMO_API_KEY, base_url=sandbox_url) as client:
        flow = AsyncCheckoutFlow(client)
        session = await flow.start(cart(), customer=shopper("decline"), where=STORE)
        apply_on_phone(session.page_url or "", shopper("decline"))
        outcome = await flow.wait_for_shopper(session.checkout.id)
        assert isinstance(outcome, Declined) and outcome.reason_codes
        assert outcome.checkout.virtual_card is None
