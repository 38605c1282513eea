"""The hosted application page in a real headless Chromium at a phone's size: approve, decline
with the adverse-action notice, and review, online and in store. The shopper uses the keyboard
to choose a plan and consent; every field has its label; nothing scrolls sideways."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

Json = dict[str, Any]
STORE = {"channel": "in_store", "store_id": "store-42", "terminal_id": "lane-3"}


def identity(tag: str) -> Json:
    return {
        "email": f"katherine+{tag}@example.com",
        "name": "Katherine Johnson",
        "phone": "+1 757 555 0142",
        "date_of_birth": "1988-08-26",
        "national_id_last4": "1918",
        "address": {"line1": "1 Langley Blvd", "city": "Hampton", "region": "VA",
                    "postal_code": "23681", "country": "US"},
    }  # fmt: skip


def new_checkout(api: httpx.Client, tag: str, **extra: Any) -> Json:
    body = {
        "items": [{"sku": "TEL-1", "name": "Telescope", "unit_amount": 150_000, "quantity": 1}],
        "amount": 150_000,
        "currency": "USD",
        "customer": identity(tag),
        **extra,
    }
    response = api.post("/v1/checkouts", json=body)
    assert response.status_code == 201, response.text
    data: Json = response.json()
    return data


def heading(browser: Any, text: str) -> None:
    """The page shows this heading."""
    assert text in browser.find_element(By.TAG_NAME, "h1").text


def navigate(browser: Any, act: Callable[[], object]) -> None:
    """Do what makes the browser leave this page (a click, Enter in a form) and wait until a
    new document has loaded. The old document carries a mark; no element of it is touched
    while it unloads (the driver answers errors for nodes of a document being replaced)."""
    browser.execute_script("window.installoOldPage = true")
    act()
    WebDriverWait(browser, 30).until(
        lambda d: d.execute_script(
            "return !window.installoOldPage && document.readyState === 'complete'"
        )
    )


def submit(browser: Any) -> None:
    """Press the page's submit button and wait for the page it leads to."""
    button = browser.find_element(By.CSS_SELECTOR, "button[type=submit]")
    navigate(browser, button.click)


def assert_accessible_on_a_phone(browser: Any) -> None:
    """Every visible field has a label, and the page is no wider than the phone's screen."""
    unlabeled = browser.execute_script(
        "return [...document.querySelectorAll('input:not([type=hidden])')]"
        ".filter(i => !document.querySelector(`label[for='${i.id}']`)).map(i => i.name)"
    )
    assert unlabeled == []
    wide = browser.execute_script(
        "return document.documentElement.scrollWidth > document.documentElement.clientWidth"
    )
    assert wide is False


def apply(browser: Any, page_url: str, email: str) -> None:
    """Identity (prefilled, checked), the last plan chosen with the keyboard, consent with the
    keyboard, and apply."""
    browser.get(page_url)
    heading(browser, "Confirm who you are")
    assert_accessible_on_a_phone(browser)
    assert browser.find_element(By.ID, "name").get_attribute("value") == "Katherine Johnson"
    email_field = browser.find_element(By.ID, "email")
    email_field.clear()
    email_field.send_keys(email)
    submit(browser)
    heading(browser, "Choose your plan")
    assert_accessible_on_a_phone(browser)
    assert "Annual Percentage Rate" in browser.page_source
    radios = browser.find_elements(By.CSS_SELECTOR, "input[name=offer]")
    radios[-1].send_keys(Keys.SPACE)
    assert radios[-1].is_selected() and not radios[0].is_selected()
    submit(browser)
    heading(browser, "Review and agree")
    consent = browser.find_element(By.ID, "consent")
    browser.find_element(By.CSS_SELECTOR, "button[type=submit]").click()  # no consent yet
    heading(browser, "Review and agree")  # the browser refuses the form: consent is required
    assert browser.execute_script("return arguments[0].validity.valueMissing", consent) is True
    consent.send_keys(Keys.SPACE)
    assert consent.is_selected()
    submit(browser)


def test_online_approval_returns_to_the_merchant_with_a_token(
    browser: Any, api: httpx.Client, sandbox_url: str
) -> None:
    urls = {
        "success_url": f"{sandbox_url}/healthz?shop=done",
        "cancel_url": f"{sandbox_url}/healthz",
    }
    checkout = new_checkout(api, "approve", redirect_urls=urls)
    apply(browser, checkout["next_action"]["url"], "katherine+approve@example.com")
    heading(browser, "You're approved")
    navigate(browser, browser.find_element(By.ID, "return").click)
    query = parse_qs(urlsplit(browser.current_url).query)
    assert query["shop"] == ["done"] and query["status"] == ["approved"]
    authorized = api.post(
        f"/v1/checkouts/{checkout['id']}/authorize", json={"token": query["checkout_token"][0]}
    )
    assert authorized.status_code == 200 and authorized.json()["merchant_authorized"]


def test_online_decline_shows_the_adverse_action_notice(
    browser: Any, api: httpx.Client, sandbox_url: str
) -> None:
    urls = {
        "success_url": f"{sandbox_url}/healthz?shop=done",
        "cancel_url": f"{sandbox_url}/healthz?shop=cart",
    }
    checkout = new_checkout(api, "approve", redirect_urls=urls)
    apply(browser, checkout["next_action"]["url"], "katherine+decline@example.com")
    heading(browser, "declined")
    notice = browser.find_element(By.ID, "adverse-action").text
    assert "Notice of action taken" in notice and "Equal Credit Opportunity Act" in notice
    codes = api.get(f"/v1/checkouts/{checkout['id']}").json()["decision"]["reason_codes"]
    reasons = browser.find_element(By.ID, "reasons").text
    assert codes and all(code in reasons for code in codes)
    navigate(browser, browser.find_element(By.ID, "return").click)
    assert "shop=cart" in browser.current_url
    assert "checkout_token" not in browser.current_url


def test_online_review_says_it_is_being_reviewed(browser: Any, api: httpx.Client) -> None:
    checkout = new_checkout(api, "review")
    apply(browser, checkout["next_action"]["url"], "katherine+review@example.com")
    heading(browser, "being reviewed")
    assert api.get(f"/v1/checkouts/{checkout['id']}").json()["status"] == "in_review"


def test_in_store_approval_by_short_code_issues_the_terminal_its_card(
    browser: Any, api: httpx.Client, sandbox_url: str
) -> None:
    checkout = new_checkout(api, "approve", **STORE)
    browser.get(f"{sandbox_url}/pay")
    heading(browser, "store code")
    code = browser.find_element(By.ID, "code")
    navigate(browser, lambda: code.send_keys(checkout["short_code"].lower(), Keys.ENTER))
    heading(browser, "Confirm who you are")
    assert browser.current_url == checkout["next_action"]["url"]
    apply(browser, browser.current_url, "katherine+approve@example.com")
    heading(browser, "You're approved")
    assert "show this screen to the cashier" in browser.find_element(By.ID, "back-to-store").text
    polled = api.get(f"/v1/checkouts/{checkout['id']}").json()
    card = api.get(f"/v1/virtual_cards/{polled['virtual_card']}").json()
    charge = {k: card[k] for k in ("number", "exp_month", "exp_year", "cvc", "currency")}
    paid = api.post("/v1/card_network/authorizations", json={**charge, "amount": 150_000})
    assert paid.json()["response_code"] == "00"


def test_in_store_decline_and_review_on_the_phone(browser: Any, api: httpx.Client) -> None:
    declined = new_checkout(api, "decline", **STORE)
    apply(browser, declined["next_action"]["url"], "katherine+decline@example.com")
    heading(browser, "declined")
    assert "Notice of action taken" in browser.find_element(By.ID, "adverse-action").text
    assert "terminal has been told" in browser.find_element(By.ID, "back-to-store").text
    reviewed = new_checkout(api, "review", **STORE)
    apply(browser, reviewed["next_action"]["url"], "katherine+review@example.com")
    heading(browser, "being reviewed")
    assert api.get(f"/v1/checkouts/{reviewed['id']}").json()["virtual_card"] is None
