"""Settlement through the API: captures credit less the discount fee, refunds debit, daily
payouts on the sandbox clock (and a failing account that restricts, then retries), balance
transactions linked to their loans, and the day's settlement report as JSON and CSV."""

from __future__ import annotations

import csv
import io
from typing import Any

import httpx

from tests.merchant_applications import BANK_ACCOUNT, complete_application

Json = dict[str, Any]
ADMIN = {"Authorization": "Bearer admin_test_demo"}


async def captured(client: httpx.AsyncClient, approved_loan: Any, amount: int = 120_000) -> Json:
    loan = await approved_loan(amount)
    response = await client.post(f"/v1/loans/{loan['id']}/capture", json={})
    assert response.status_code == 200
    data: Json = response.json()
    return data


async def test_a_capture_credits_pending_funds_less_the_discount_fee(
    client: httpx.AsyncClient, approved_loan: Any
) -> None:
    loan = await captured(client, approved_loan)
    mdr = (await client.get("/v1/merchants/me")).json()["mdr_bps"]
    (txn,) = (await client.get("/v1/balance_transactions")).json()["data"]
    fee = (120_000 * mdr + 5_000) // 10_000
    assert (txn["type"], txn["amount"], txn["fee"], txn["net"]) == (
        "capture", 120_000, fee, 120_000 - fee
    )  # fmt: skip
    assert (txn["loan"], txn["source"], txn["status"]) == (loan["id"], loan["id"], "pending")
    balance = (await client.get("/v1/balance")).json()
    assert balance["pending"] == [{"amount": 120_000 - fee, "currency": "USD"}]
    assert balance["available"] == [{"amount": 0, "currency": "USD"}]


async def test_a_refund_debits_at_once_and_voids_move_nothing(
    client: httpx.AsyncClient, approved_loan: Any
) -> None:
    loan = await captured(client, approved_loan)
    await client.post(f"/v1/loans/{loan['id']}/refunds", json={"amount": 20_000})
    other = await approved_loan(50_000)
    await client.post(f"/v1/loans/{other['id']}/void")
    txns = (await client.get("/v1/balance_transactions")).json()["data"]
    newest = txns[0]
    assert (newest["type"], newest["amount"], newest["fee"]) == ("refund", -20_000, 0)
    assert {t["loan"] for t in txns} == {loan["id"]}
    refunds = await client.get("/v1/balance_transactions", params={"type": "refund"})
    assert [t["amount"] for t in refunds.json()["data"]] == [-20_000]


async def test_the_clock_pays_out_the_available_balance_daily(
    client: httpx.AsyncClient, approved_loan: Any
) -> None:
    await captured(client, approved_loan)
    await client.post("/v1/sandbox/clock/advance", json={"days": 1})
    assert (await client.get("/v1/payouts")).json()["data"] == []  # still pending
    await client.post("/v1/sandbox/clock/advance", json={"days": 1})
    (payout,) = (await client.get("/v1/payouts")).json()["data"]
    assert payout["status"] == "in_transit" and payout["bank_account_last4"] == "6789"
    balance = (await client.get("/v1/balance")).json()
    assert balance["available"][0]["amount"] == 0 and balance["pending"][0]["amount"] == 0
    await client.post("/v1/sandbox/clock/advance", json={"days": 1})
    paid = (await client.get(f"/v1/payouts/{payout['id']}")).json()
    assert paid["status"] == "paid"
    types = [
        e["type"] for e in (await client.get("/v1/events", params={"limit": 100})).json()["data"]
    ]
    assert types.count("payout.created") == 1 and types.count("payout.paid") == 1
    linked = await client.get("/v1/balance_transactions", params={"payout": payout["id"]})
    assert [(t["type"], t["amount"]) for t in linked.json()["data"]] == [
        ("payout", -payout["amount"])
    ]


async def test_a_failing_account_returns_the_money_restricts_and_retries_after_an_update(
    anonymous: httpx.AsyncClient, kit: Any, personas: list[Json]
) -> None:
    failing = {**BANK_ACCOUNT, "account_number": "000111111116"}
    application = complete_application({
        "legal_name": "Harbor Kites LLC", "mcc": "5945", "country": "US", "currency": "USD",
        "website": "https://harbor-kites.com", "years_in_business": 5,
        "expected_monthly_volume": 2_000_000, "contact_email": "ops@harbor-kites.com",
    }, bank_account=failing)  # fmt: skip
    merchant = (await anonymous.post("/v1/merchants", json=application)).json()
    own = {"Authorization": f"Bearer {merchant['secret_key']}"}
    customer = kit.persona_identity(personas[0], kit.tagged(personas[0], "approve"))
    checkout = (
        await anonymous.post("/v1/checkouts", json=kit.cart(customer=customer), headers=own)
    ).json()
    offer = checkout["offers"][0]["id"]
    decided = await anonymous.post(
        f"/v1/checkouts/{checkout['id']}/confirm", json={"offer": offer, "consent": True},
        headers=own,
    )  # fmt: skip
    loan_id = decided.json()["loan"]
    await anonymous.post(f"/v1/loans/{loan_id}/capture", json={}, headers=own)
    await anonymous.post("/v1/sandbox/clock/advance", json={"days": 3}, headers=own)
    (payout,) = (await anonymous.get("/v1/payouts", headers=own)).json()["data"]
    assert (payout["status"], payout["failure_code"]) == ("failed", "no_account")
    me = (await anonymous.get("/v1/merchants/me", headers=own)).json()
    assert me["status"] == "restricted"
    assert [e["code"] for e in me["requirements"]["errors"]] == ["payout_failed"]
    balance = (await anonymous.get("/v1/balance", headers=own)).json()
    assert balance["available"][0]["amount"] == payout["amount"]
    await anonymous.patch(
        "/v1/merchants/me/application", json={"bank_account": BANK_ACCOUNT}, headers=own
    )
    await anonymous.post("/v1/sandbox/clock/advance", json={"days": 2}, headers=own)
    payouts = (await anonymous.get("/v1/payouts", headers=own)).json()["data"]
    assert [(p["status"], p["amount"]) for p in payouts] == [
        ("paid", payout["amount"]), ("failed", payout["amount"])
    ]  # fmt: skip


async def test_the_settlement_report_sums_the_day_as_json_and_csv(
    client: httpx.AsyncClient, approved_loan: Any
) -> None:
    loan = await captured(client, approved_loan, 100_000)
    await client.post(f"/v1/loans/{loan['id']}/refunds", json={"amount": 10_000})
    day = (await client.get("/v1/balance_transactions")).json()["data"][0]["created"][:10]
    report = (await client.get(f"/v1/settlement_reports/{day}")).json()
    summary = report["summary"]
    assert (summary["captured"], summary["refunded"]) == (100_000, 10_000)
    assert summary["net_settled"] == 100_000 - summary["fees"] - 10_000
    assert len(report["transactions"]) == 2
    response = await client.get(f"/v1/settlement_reports/{day}", params={"format": "csv"})
    assert response.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert sum(int(r["net"]) for r in rows) == summary["net_settled"]
    assert {r["loan"] for r in rows} == {loan["id"]}
    by_accept = await client.get(f"/v1/settlement_reports/{day}", headers={"Accept": "text/csv"})
    assert by_accept.text == response.text
