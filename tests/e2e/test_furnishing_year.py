"""A sandbox year of credit furnishing over 200 loans of mixed tiers and payer behaviours.

Personas of every tier apply for 600.00 over 12 or 6 months or in four payments (reviews are
approved by an underwriter) and every approved loan is captured; the merchant's clock then
moves to the first of each month, twelve times, so exactly twelve month-ends pass. Every file is
read by the tests' independent Metro 2 reader, and each account's status is recomputed from that
loan's own ledger as it stood at the month-end (payments up to then, allocated oldest
installment first, late fees from the day they were assessed, the dates it was charged off or
paid off). Then the bureau's memory is checked: each charged-off customer's next application
declines for delinquency, and thin files paid on time for six months pull a higher score than
when they applied.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import AsyncIterator
from datetime import date, timedelta
from typing import Any

import httpx
import pytest

from mock_server.app import create_app
from mock_server.risk.identity import Identity
from mock_server.risk.personas import person_for_identity
from mock_server.settings import Settings
from tests import metro2_reference as reference

SEED = 11
AUTH = {"Authorization": "Bearer sk_test_demo"}
ADMIN = {"Authorization": "Bearer admin_test_demo"}
KEYS = ("name", "email", "phone", "date_of_birth", "address", "national_id_last4", "locale")
LOANS, MONTHS, GRACE = 200, 12, 10
LADDER = ((180, "84"), (150, "83"), (120, "82"), (90, "80"), (60, "78"), (30, "71"), (0, "11"))
Json = dict[str, Any]


@pytest.fixture
async def client() -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(Settings(db="sqlite://", seed=SEED, webhook_worker=False))
    try:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(
            transport=transport, base_url="http://sandbox.test", headers=AUTH
        ) as c:
            yield c
    finally:
        app.state.sandbox.close()


async def apply(client: httpx.AsyncClient, customer: Json | str, n: int) -> Json:
    """Apply for 600.00 over 12 months, or 6 months at 0%, or in four payments two weeks apart."""
    body = {
        "items": [{"sku": f"sku-{n}", "name": "Desk", "unit_amount": 60_000, "quantity": 1}],
        "amount": 60_000,
        "currency": "USD",
        "customer": customer if isinstance(customer, str) else {k: customer[k] for k in KEYS},
    }
    checkout = (await client.post("/v1/checkouts", json=body)).json()
    plan = ("monthly_12", "monthly_12", "monthly_6_0apr", "pay_in_4")[n % 4]
    offer = next(o["id"] for o in checkout["offers"] if o["plan"] == plan)
    path = f"/v1/checkouts/{checkout['id']}"
    decided: Json = (
        await client.post(f"{path}/confirm", json={"offer": offer, "consent": True})
    ).json()
    return decided


async def open_loans(client: httpx.AsyncClient) -> dict[str, Json]:
    """Loan id -> {persona, behaviour, first score} for LOANS approved and captured loans."""
    opened: dict[str, Json] = {}
    params: Json = {"limit": 100}
    while len(opened) < LOANS:
        page = (await client.get("/v1/sandbox/personas", params=params)).json()["data"]
        params["starting_after"] = page[-1]["id"]
        for persona in page:
            decided = await apply(client, persona, len(opened))
            if decided["status"] == "in_review":
                queue = await client.get(
                    "/v1/admin/reviews", params={"status": "pending"}, headers=ADMIN
                )
                review = next(r for r in queue.json()["data"] if r["checkout"] == decided["id"])
                await client.post(f"/v1/admin/reviews/{review['id']}/approve", headers=ADMIN)
                decided = (await client.get(f"/v1/checkouts/{decided['id']}")).json()
            if decided["status"] != "approved":
                continue
            await client.post(f"/v1/loans/{decided['loan']}/capture", json={})
            behaviour = person_for_identity(SEED, Identity.from_dict(persona)).behaviour
            opened[decided["loan"]] = {
                "persona": persona,
                "behaviour": behaviour,
                "customer": decided["customer"],
                "score": decided["decision"]["score"],
            }
            if len(opened) == LOANS:
                break
    return opened


def status_change(loan: Json, to: str) -> date | None:
    found = [
        h["date"] for h in loan["history"] if h["kind"] == "status" and h["detail"].endswith(to)
    ]
    return date.fromisoformat(found[0]) if found else None


def expected_status(loan: Json, month_end: date) -> str:
    """The Metro 2 status the loan's own ledger gives at a month-end."""
    charged_off = status_change(loan, "-> charged_off")
    if charged_off is not None and charged_off <= month_end:
        return "97"
    paid_off = status_change(loan, "-> paid_off")
    if paid_off is not None and paid_off <= month_end:
        return "13"
    paid = sum(
        h["amount"]
        for h in loan["history"]
        if h["kind"] == "payment" and date.fromisoformat(h["date"]) <= month_end
    )
    owed = 0
    for line in sorted(loan["schedule"], key=lambda e: e["sequence"]):
        due = date.fromisoformat(line["due_date"])
        if due > month_end:
            break
        fee_day = due + timedelta(days=GRACE + 1)
        owed += line["principal"] + line["interest"] + (line["fees"] if fee_day <= month_end else 0)
        if paid < owed:
            dpd = (month_end - due).days
            return next(status for low, status in LADDER if dpd >= low)
    return "11"


async def test_a_year_of_files_follows_each_loans_own_history(
    client: httpx.AsyncClient,
) -> None:
    opened = await open_loans(client)
    behaviours = Counter(o["behaviour"] for o in opened.values())
    tiers = Counter(o["persona"]["tier"] for o in opened.values())
    assert set(behaviours) == {"on_time", "late", "partial", "default"}, behaviours
    assert len(tiers) >= 4, tiers

    start = date.fromisoformat((await client.get("/v1/loans")).json()["data"][0]["created"][:10])
    thin_on_time = [
        loan_id
        for loan_id, o in opened.items()
        if o["persona"]["tier"] == "thin_file" and o["behaviour"] == "on_time"
    ]
    month_ends: list[date] = []
    cursor = start
    for month in range(MONTHS):
        cursor = (cursor.replace(day=28) + timedelta(days=4)).replace(day=1)
        month_ends.append(cursor - timedelta(days=1))
        advanced = await client.post("/v1/sandbox/clock/advance", json={"to": cursor.isoformat()})
        assert advanced.json()["events"]["credit_report.furnished"] == 1
        if month == 5:  # six months of reports: pull the thin files again (soft)
            six_months = {
                loan_id: await score_now(client, opened[loan_id]["customer"])
                for loan_id in thin_on_time
            }

    listed = await client.get("/v1/admin/furnishing_files", params={"limit": 100}, headers=ADMIN)
    files = listed.json()["data"][::-1]
    assert [f["month_end"] for f in files] == [d.isoformat() for d in month_ends]

    loans = {loan_id: (await client.get(f"/v1/loans/{loan_id}")).json() for loan_id in opened}
    by_number = {loan["last_furnished"]["account_number"]: loan for loan in loans.values()}
    reported: dict[str, list[str]] = {loan_id: [] for loan_id in loans}
    for file, month_end in zip(files, month_ends, strict=True):
        raw = await client.get(f"/v1/admin/furnishing_files/{file['id']}/raw", headers=ADMIN)
        parsed = reference.read(raw.text)
        assert int(parsed.trailer["total_base_records"]) == file["account_count"]
        for base in parsed.bases:
            loan = by_number[base["consumer_account_number"]]
            assert reference.as_date(base["date_of_account_information"]) == month_end
            assert base["account_status"] == expected_status(loan, month_end), (
                loan["id"], opened[loan["id"]]["behaviour"], month_end
            )  # fmt: skip
            reported[loan["id"]].append(base["account_status"])
    statuses = Counter(s for seen in reported.values() for s in seen)
    assert {"11", "71", "78", "80", "97", "13"} <= set(statuses), statuses
    for loan_id, seen in reported.items():
        assert len(seen) == MONTHS or seen[-1] == "13", (loan_id, seen)
        assert seen.count("13") <= 1

    charged_off = [loan_id for loan_id, loan in loans.items() if loan["status"] == "charged_off"]
    assert charged_off
    for n, loan_id in enumerate(charged_off):
        again = await apply(client, opened[loan_id]["customer"], 1000 + n)
        assert again["status"] == "declined", again["decision"]
        assert "SERIOUS_DELINQUENCY" in again["decision"]["reason_codes"]

    assert thin_on_time
    for loan_id in thin_on_time:
        assert six_months[loan_id] > opened[loan_id]["score"], loan_id


async def score_now(client: httpx.AsyncClient, customer: str) -> int:
    """The customer's bureau score on a soft pull now."""
    pulled = await client.post("/v1/prequalifications", json={"customer": customer})
    assert pulled.status_code in (200, 201), pulled.text
    report = (await client.get(f"/v1/customers/{customer}/credit_report")).json()
    score: int = report["bureau_score"]
    return score
