"""Loans: capture, void, refunds, payments, pay-off, expiry and every illegal transition."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import httpx
import pytest

from mock_server.services.clock import advance_clock
from mock_server.services.context import Sandbox


def principal_sum(loan: dict[str, Any]) -> int:
    return sum(e["principal"] for e in loan["schedule"])


async def post(client: httpx.AsyncClient, path: str, body: dict[str, Any] | None = None) -> Any:
    return await client.post(path, json=body if body is not None else {})


async def test_full_capture_starts_the_schedule(
    client: httpx.AsyncClient, approved_loan: Any
) -> None:
    loan = await approved_loan()
    captured = (await post(client, f"/v1/loans/{loan['id']}/capture")).json()
    assert captured["status"] == "active"
    assert captured["captured_amount"] == captured["principal_balance"] == 120_000
    assert principal_sum(captured) == 120_000
    assert len(captured["schedule"]) == 12


async def test_partial_capture_recomputes_the_schedule_on_the_captured_amount(
    client: httpx.AsyncClient, approved_loan: Any
) -> None:
    loan = await approved_loan()
    full_payment = loan["schedule"][0]["amount"]
    captured = (await post(client, f"/v1/loans/{loan['id']}/capture", {"amount": 60_000})).json()
    assert captured["captured_amount"] == captured["principal_balance"] == 60_000
    assert principal_sum(captured) == 60_000
    assert captured["schedule"][0]["amount"] < full_payment
    kinds = [h["kind"] for h in captured["history"]]
    assert kinds[-2:] == ["captured", "released"]


async def test_capture_more_than_authorized_is_409(
    client: httpx.AsyncClient, approved_loan: Any
) -> None:
    loan = await approved_loan()
    response = await post(client, f"/v1/loans/{loan['id']}/capture", {"amount": 120_001})
    assert (response.status_code, response.json()["error"]["code"]) == (
        409,
        "capture_exceeds_authorized",
    )


async def test_void_before_capture_and_not_after(
    client: httpx.AsyncClient, approved_loan: Any
) -> None:
    first, second = await approved_loan(), await approved_loan()
    voided = (await post(client, f"/v1/loans/{first['id']}/void")).json()
    assert voided["status"] == "voided"
    capture = await post(client, f"/v1/loans/{first['id']}/capture")
    assert (capture.status_code, capture.json()["error"]["code"]) == (409, "loan_already_voided")
    await post(client, f"/v1/loans/{second['id']}/capture")
    void = await post(client, f"/v1/loans/{second['id']}/void")
    assert (void.status_code, void.json()["error"]["code"]) == (409, "loan_already_captured")


async def test_refund_before_capture_is_409(client: httpx.AsyncClient, approved_loan: Any) -> None:
    loan = await approved_loan()
    response = await post(client, f"/v1/loans/{loan['id']}/refunds", {"amount": 1_000})
    assert (response.status_code, response.json()["error"]["code"]) == (409, "loan_not_captured")


async def test_partial_refund_reamortizes_and_full_refund_closes(
    client: httpx.AsyncClient, approved_loan: Any
) -> None:
    loan = await approved_loan()
    await post(client, f"/v1/loans/{loan['id']}/capture")
    refunded = (await post(client, f"/v1/loans/{loan['id']}/refunds", {"amount": 20_000})).json()
    assert refunded["refunded_amount"] == 20_000
    assert refunded["principal_balance"] == principal_sum(refunded) == 100_000
    rest = (await post(client, f"/v1/loans/{loan['id']}/refunds", {"amount": 100_000})).json()
    assert (rest["status"], rest["principal_balance"]) == ("refunded", 0)
    more = await post(client, f"/v1/loans/{loan['id']}/refunds", {"amount": 1})
    assert (more.status_code, more.json()["error"]["code"]) == (409, "loan_already_refunded")


async def test_refund_above_the_captured_amount_is_409(
    client: httpx.AsyncClient, approved_loan: Any
) -> None:
    loan = await approved_loan()
    await post(client, f"/v1/loans/{loan['id']}/capture", {"amount": 50_000})
    response = await post(client, f"/v1/loans/{loan['id']}/refunds", {"amount": 50_001})
    assert response.status_code == 409
    assert response.json()["error"]["code"] in {"refund_exceeds_captured", "refund_exceeds_balance"}


async def test_payment_is_recorded_and_paying_the_payoff_closes_the_loan(
    client: httpx.AsyncClient, approved_loan: Any
) -> None:
    loan = await approved_loan(amount=60_000, plan="monthly_3_0apr")
    await post(client, f"/v1/loans/{loan['id']}/capture")
    paid = (await post(client, f"/v1/loans/{loan['id']}/payments", {"amount": 20_000})).json()
    assert paid["paid_amount"] == 20_000
    assert paid["principal_balance"] == 40_000
    assert paid["status"] == "active"
    over = await post(client, f"/v1/loans/{loan['id']}/payments", {"amount": 40_001})
    assert (over.status_code, over.json()["error"]["code"]) == (409, "payment_exceeds_payoff")
    closed = (await post(client, f"/v1/loans/{loan['id']}/payments", {"amount": 40_000})).json()
    assert (closed["status"], closed["principal_balance"]) == ("paid_off", 0)
    events = (await client.get("/v1/events", params={"limit": 3})).json()["data"]
    assert [e["type"] for e in events[:2]] == ["loan.paid_off", "loan.payment_succeeded"]


async def test_payment_before_capture_is_409(client: httpx.AsyncClient, approved_loan: Any) -> None:
    loan = await approved_loan()
    response = await post(client, f"/v1/loans/{loan['id']}/payments", {"amount": 1_000})
    assert (response.status_code, response.json()["error"]["code"]) == (409, "loan_not_captured")


async def test_authorization_expires_after_thirty_days(
    client: httpx.AsyncClient, approved_loan: Any, sandbox: Sandbox
) -> None:
    loan = await approved_loan()
    me = (await client.get("/v1/merchants/me")).json()
    with sandbox.db.transaction() as session:
        advance_clock(session, me["id"], timedelta(days=31))
    capture = await post(client, f"/v1/loans/{loan['id']}/capture")
    assert (capture.status_code, capture.json()["error"]["code"]) == (
        409,
        "loan_authorization_expired",
    )
    expired = (await client.get(f"/v1/loans/{loan['id']}")).json()
    assert expired["status"] == "expired"
    types = [e["type"] for e in (await client.get("/v1/events")).json()["data"]]
    assert types.count("loan.expired") == 1


@pytest.mark.parametrize("amount", [0, -5])
async def test_non_positive_amounts_are_refused_by_field(
    client: httpx.AsyncClient, approved_loan: Any, amount: int
) -> None:
    loan = await approved_loan()
    response = await post(client, f"/v1/loans/{loan['id']}/payments", {"amount": amount})
    assert response.status_code == 422
    assert response.json()["error"]["param"] == "amount"


async def test_loans_list_filters_by_status(client: httpx.AsyncClient, approved_loan: Any) -> None:
    active, authorized = await approved_loan(), await approved_loan()
    await post(client, f"/v1/loans/{active['id']}/capture")
    listed = (await client.get("/v1/loans", params={"status": "authorized"})).json()["data"]
    assert [loan["id"] for loan in listed] == [authorized["id"]]


async def test_unknown_loan_is_404(client: httpx.AsyncClient) -> None:
    response = await client.get("/v1/loans/loan_missing")
    assert (response.status_code, response.json()["error"]["param"]) == (404, "id")
