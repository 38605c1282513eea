"""In-store checkouts: channel fields, the short code, the QR code of the hosted page (decoded
back by an independent decoder), the SMS outbox, and where page links point (`public_url`)."""

from __future__ import annotations

import io
from typing import Any

import httpx
import zxingcpp
from fastapi import FastAPI
from PIL import Image

from mock_server.services.hosted_pages import SHORT_CODE_ALPHABET
from mock_server.settings import Settings

Json = dict[str, Any]
AUTH = {"Authorization": "Bearer sk_test_demo"}


def in_store(kit: Any, **overrides: Any) -> Json:
    """An in-store checkout body."""
    body = {**kit.cart(), "channel": "in_store", "store_id": "store-42", "terminal_id": "lane-3"}
    return {**body, **overrides}


async def test_an_in_store_checkout_answers_a_short_code_and_the_qr_code_to_show(
    client: httpx.AsyncClient, kit: Any
) -> None:
    response = await client.post("/v1/checkouts", json=in_store(kit))
    assert response.status_code == 201, response.text
    checkout = response.json()
    assert (checkout["channel"], checkout["store_id"], checkout["terminal_id"]) == (
        "in_store",
        "store-42",
        "lane-3",
    )
    code = checkout["short_code"]
    assert len(code) == 8 and set(code) <= set(SHORT_CODE_ALPHABET)
    action = checkout["next_action"]
    assert action["type"] == "display_qr_code" and action["short_code"] == code
    assert action["url"].startswith("http://sandbox.test/pay/")
    assert action["qr_png_url"] == f"/v1/checkouts/{checkout['id']}/qr.png"


async def test_the_served_qr_png_decodes_back_to_the_page_url(
    client: httpx.AsyncClient, kit: Any
) -> None:
    checkout = (await client.post("/v1/checkouts", json=in_store(kit))).json()
    png = await client.get(checkout["next_action"]["qr_png_url"])
    assert (png.status_code, png.headers["content-type"]) == (200, "image/png")
    decoded = zxingcpp.read_barcodes(Image.open(io.BytesIO(png.content)))
    assert [d.text for d in decoded] == [checkout["next_action"]["url"]]
    assert decoded[0].format == zxingcpp.BarcodeFormat.QRCode


async def test_the_qr_svg_is_an_svg_of_the_same_code(client: httpx.AsyncClient, kit: Any) -> None:
    checkout = (await client.post("/v1/checkouts", json=in_store(kit))).json()
    svg = await client.get(checkout["next_action"]["qr_svg_url"])
    assert svg.headers["content-type"] == "image/svg+xml"
    assert svg.text.lstrip().startswith("<?xml") and "<svg" in svg.text
    assert checkout["next_action"]["url"] in svg.text  # its description, for screen readers


async def test_the_qr_png_scale_sets_its_size(client: httpx.AsyncClient, kit: Any) -> None:
    checkout = (await client.post("/v1/checkouts", json=in_store(kit))).json()
    url = checkout["next_action"]["qr_png_url"]
    small = Image.open(io.BytesIO((await client.get(url, params={"scale": 2})).content))
    large = Image.open(io.BytesIO((await client.get(url, params={"scale": 10})).content))
    assert large.size[0] == small.size[0] * 5


async def test_another_merchants_qr_code_is_not_found(
    client: httpx.AsyncClient, anonymous: httpx.AsyncClient, kit: Any
) -> None:
    checkout = (await client.post("/v1/checkouts", json=in_store(kit))).json()
    assert (await anonymous.get(checkout["next_action"]["qr_png_url"])).status_code == 401
    missing = await client.get("/v1/checkouts/chk_missing/qr.png")
    assert missing.status_code == 404


async def test_the_sms_link_lands_in_the_outbox(client: httpx.AsyncClient, kit: Any) -> None:
    checkout = (await client.post("/v1/checkouts", json=in_store(kit))).json()
    sent = await client.post(f"/v1/checkouts/{checkout['id']}/sms", json={})
    assert sent.status_code == 201, sent.text
    assert sent.json()["to"] == kit.identity()["phone"]
    other = await client.post(
        f"/v1/checkouts/{checkout['id']}/sms", json={"phone": "+1 212 555 0199"}
    )
    outbox = (await client.get("/v1/sandbox/sms", params={"checkout": checkout["id"]})).json()
    assert [m["id"] for m in outbox["data"]] == [other.json()["id"], sent.json()["id"]]
    assert checkout["next_action"]["url"] in outbox["data"][0]["body"]
    page = (await client.get("/v1/sandbox/sms", params={"limit": 1})).json()
    assert page["has_more"] is True and len(page["data"]) == 1


async def test_no_sms_for_a_closed_checkout(client: httpx.AsyncClient, kit: Any) -> None:
    checkout = (await client.post("/v1/checkouts", json=in_store(kit))).json()
    await client.post(f"/v1/checkouts/{checkout['id']}/cancel")
    refused = await client.post(f"/v1/checkouts/{checkout['id']}/sms", json={})
    assert refused.status_code == 409
    outbox = (await client.get("/v1/sandbox/sms")).json()
    assert outbox["data"] == []


async def test_in_store_needs_store_and_terminal_and_takes_no_redirect(
    client: httpx.AsyncClient, kit: Any
) -> None:
    body = in_store(kit, store_id=None, terminal_id=None)
    body["redirect_urls"] = {"success_url": "https://shop.example/done"}
    refused = await client.post("/v1/checkouts", json=body)
    assert refused.status_code == 400
    error = refused.json()["error"]
    assert error["param"] == "store_id"
    assert all(f in error["message"] for f in ("store_id", "terminal_id", "redirect_urls"))
    online = await client.post("/v1/checkouts", json={**kit.cart(), "terminal_id": "lane-3"})
    assert online.status_code == 400 and online.json()["error"]["param"] == "terminal_id"
    listed = (await client.get("/v1/checkouts")).json()["data"]
    assert listed == []


async def test_an_online_checkout_redirects_to_its_hosted_page(
    client: httpx.AsyncClient, kit: Any
) -> None:
    body = {**kit.cart(), "redirect_urls": {"success_url": "https://shop.example/done"}}
    checkout = (await client.post("/v1/checkouts", json=body)).json()
    assert checkout["channel"] == "online" and checkout["short_code"] is None
    assert checkout["next_action"]["type"] == "redirect_to_url"
    assert checkout["redirect_urls"] == {
        "success_url": "https://shop.example/done",
        "cancel_url": None,
    }
    page = await client.get(checkout["next_action"]["url"])
    assert page.status_code == 200 and "Confirm who you are" in page.text


async def test_public_url_sets_where_page_links_point(make_app: Any, kit: Any) -> None:
    app: FastAPI = make_app(Settings(public_url="https://pay.example.test/sandbox", seed=7))
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://x", headers=AUTH) as c:
        checkout = (await c.post("/v1/checkouts", json=in_store(kit))).json()
        sent = (await c.post(f"/v1/checkouts/{checkout['id']}/sms", json={})).json()
    assert checkout["next_action"]["url"].startswith("https://pay.example.test/sandbox/pay/")
    assert "https://pay.example.test/sandbox/pay/" in sent["body"]


async def test_a_short_code_opens_its_page(
    client: httpx.AsyncClient, anonymous: httpx.AsyncClient, kit: Any
) -> None:
    checkout = (await client.post("/v1/checkouts", json=in_store(kit))).json()
    code = checkout["short_code"]
    typed = f"{code[:4].lower()}-{code[4:]}"
    opened = await anonymous.post("/pay", data={"code": typed})
    assert opened.status_code == 303
    assert checkout["next_action"]["url"].endswith(opened.headers["location"])
    wrong = await anonymous.post("/pay", data={"code": "ZZZZZZZZ"})
    assert wrong.status_code == 404 and "No application has this code" in wrong.text


def test_mock_server_public_url_flag_sets_the_setting() -> None:
    from mock_server.__main__ import settings_from_args

    assert settings_from_args(["--public-url", "https://pay.example.test"]).public_url == (
        "https://pay.example.test"
    )
    assert settings_from_args([]).public_url is None
