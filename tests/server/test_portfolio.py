"""`GET /v1/portfolio` and `GET /v1/admin/portfolio`: who sees what, and an empty sandbox."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import httpx

ADMIN = {"Authorization": "Bearer admin_test_demo"}
APPLICATION = {
    "legal_name": "Northwind Cycles GmbH",
    "mcc": "5940",
    "country": "US",
    "currency": "USD",
    "website": "https://northwind-cycles.example.com",
    "years_in_business": 9,
    "expected_monthly_volume": 5_000_000,
    "contact_email": "finance@northwind-cycles.example.com",
}


async def test_an_empty_sandbox_answers_an_empty_portfolio(client: httpx.AsyncClient) -> None:
    mine = await client.get("/v1/portfolio")
    lender = await client.get("/v1/admin/portfolio", headers=ADMIN)
    assert mine.status_code == lender.status_code == 200
    assert mine.json()["object"] == "portfolio"
    assert mine.json()["currencies"] == lender.json()["currencies"] == []


async def test_the_lender_portfolio_needs_the_admin_key(client: httpx.AsyncClient) -> None:
    response = await client.get("/v1/admin/portfolio")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "invalid_admin_key"


async def test_a_merchant_sees_its_own_loans_and_the_lender_sees_every_merchant(
    client: httpx.AsyncClient,
    anonymous: httpx.AsyncClient,
    approved_loan: Callable[..., Awaitable[dict[str, Any]]],
) -> None:
    loan = await approved_loan(amount=120_000)
    assert (await client.post(f"/v1/loans/{loan['id']}/capture")).status_code == 200
    (mine,) = (await client.get("/v1/portfolio")).json()["currencies"]
    assert (mine["currency"], mine["loans"], mine["outstanding_principal"]) == ("USD", 1, 120_000)
    assert mine["funnel"]["applications"] == mine["funnel"]["approved"] == 1
    (lender,) = (await client.get("/v1/admin/portfolio", headers=ADMIN)).json()["currencies"]
    assert lender == mine
