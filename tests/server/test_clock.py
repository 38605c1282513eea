"""The sandbox clock: autopay by behaviour, late fees, delinquency, expiry, with events."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import httpx
import pytest

from mock_server.domain import Loan, LoanStatus, get_plan
from mock_server.services.servicing import service_loan
from tests.merchant_applications import complete_application


def captured_loan(amount: int = 90_000, plan: str = "monthly_3_0apr") -> Loan:
    loan = Loan.authorize(get_plan(plan), amount, "USD", date(2026, 1, 10), id="loan_t")
    loan.capture(None, date(2026, 1, 10))
    return loan


def test_on_time_payer_pays_each_installment_and_pays_off() -> None:
    loan = captured_loan()
    events = service_loan(loan, "on_time", date(2026, 1, 10), date(2026, 4, 30))
    types = [t for _, t, _ in events]
    assert types == ["loan.payment_succeeded"] * 3 + ["loan.paid_off"]
    assert loan.status is LoanStatus.PAID_OFF
    assert [d for d, t, _ in events if t == "loan.payment_succeeded"] == [
        date(2026, 2, 10),
        date(2026, 3, 10),
        date(2026, 4, 10),
    ]


def test_late_payer_is_charged_a_late_fee_and_goes_late_then_current() -> None:
    loan = captured_loan()
    events = service_loan(loan, "late", date(2026, 1, 10), date(2026, 3, 1))
    assert [t for _, t, _ in events][:3] == ["loan.late", "loan.payment_succeeded", "loan.current"]
    assert loan.fees_outstanding == 0
    assert any(h.kind == "late_fee" for h in loan.history)


def test_defaulter_fails_payments_and_slides_to_charge_off() -> None:
    loan = captured_loan()
    events = service_loan(loan, "default", date(2026, 1, 10), date(2026, 7, 1))
    types = [t for _, t, _ in events]
    assert types.count("loan.payment_failed") == 3
    assert [t for t in types if t != "loan.payment_failed"] == [
        "loan.late",
        "loan.delinquent",
        "loan.charged_off",
    ]
    assert loan.status is LoanStatus.CHARGED_OFF
    assert events[-1][2]["status"] == "charged_off"  # each event carries the loan as it was


def test_partial_payer_stays_behind() -> None:
    loan = captured_loan()
    service_loan(loan, "partial", date(2026, 1, 10), date(2026, 3, 1))
    assert loan.status in (LoanStatus.LATE, LoanStatus.DELINQUENT)
    assert 0 < loan.paid_amount < 90_000


async def test_advancing_the_clock_pays_an_on_time_loan_off(
    client: httpx.AsyncClient, approved_loan: Any
) -> None:
    loan = await approved_loan(amount=90_000, plan="monthly_3_0apr")
    await client.post(f"/v1/loans/{loan['id']}/capture", json={})
    advanced = await client.post("/v1/sandbox/clock/advance", json={"days": 100})
    assert advanced.status_code == 200
    # the capture's settlement is paid out to the merchant along the way (services.settlement)
    events = advanced.json()["events"]
    furnished = events.pop("credit_report.furnished")  # one file per month-end passed
    assert events == {
        "loan.payment_succeeded": 3, "loan.paid_off": 1, "payout.created": 1, "payout.paid": 1,
    }  # fmt: skip
    assert 3 <= furnished <= 4
    after = (await client.get(f"/v1/loans/{loan['id']}")).json()
    assert (after["status"], after["paid_amount"]) == ("paid_off", 90_000)
    assert all(e["status"] == "paid" for e in after["schedule"])


async def test_advancing_past_thirty_days_expires_an_authorization(
    client: httpx.AsyncClient, approved_loan: Any
) -> None:
    loan = await approved_loan()
    advanced = (await client.post("/v1/sandbox/clock/advance", json={"days": 31})).json()
    assert advanced["events"] == {"loan.expired": 1}
    assert (await client.get(f"/v1/loans/{loan['id']}")).json()["status"] == "expired"


async def test_advance_to_a_date(client: httpx.AsyncClient) -> None:
    first = (await client.post("/v1/sandbox/clock/advance", json={"days": 1})).json()
    target = (date.fromisoformat(first["now"][:10]) + timedelta(days=9)).isoformat()
    second = (await client.post("/v1/sandbox/clock/advance", json={"to": target})).json()
    assert second["now"][:10] == target


@pytest.mark.parametrize(
    ("body", "param"),
    [({"days": 1, "to": "2099-01-01"}, "days"), ({}, "days"), ({"to": "2000-01-01"}, "to")],
)
async def test_bad_advances_are_refused(
    client: httpx.AsyncClient, body: dict[str, Any], param: str
) -> None:
    response = await client.post("/v1/sandbox/clock/advance", json=body)
    assert (response.status_code, response.json()["error"]["param"]) == (400, param)


async def test_clock_is_per_merchant(
    client: httpx.AsyncClient, anonymous: httpx.AsyncClient
) -> None:
    application = {
        "legal_name": "Litware Books", "mcc": "5942", "country": "US", "currency": "USD",
        "website": "https://litware-books.example.com", "years_in_business": 8,
        "expected_monthly_volume": 700_000, "contact_email": "desk@litware-books.example.com",
    }  # fmt: skip
    key = (await anonymous.post("/v1/merchants", json=complete_application(application))).json()[
        "secret_key"
    ]
    mine = (await client.post("/v1/sandbox/clock/advance", json={"days": 30})).json()["now"]
    theirs = await anonymous.post(
        "/v1/sandbox/clock/advance", json={"days": 1}, headers={"Authorization": f"Bearer {key}"}
    )
    assert date.fromisoformat(theirs.json()["now"][:10]) < date.fromisoformat(mine[:10])
