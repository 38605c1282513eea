"""Eight months of sandbox time over a few hundred loans of mixed tiers, through plain httpx.

Personas of every tier apply; applications sent to review are approved by an underwriter; every
approved loan is captured; then the merchant's clock advances 61 days at a time. Each loan's final
state, and the totals of the events the advances report, are checked against the schedule rules
of `mock_server.services.servicing` (each customer's behaviour is fixed by tier and seed):

- on time: pays every installment on its due date, never late;
- late: pays 15 days after each due date; late (a fee) 11 days after it, current when it pays;
- default: fails every payment; late at 11 days, delinquent at 30, charged off at 120;
- partial: pays half of what is owed on each due date, so it is behind and never paid off.
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

SEED = 5
AUTH = {"Authorization": "Bearer sk_test_demo"}
ADMIN = {"Authorization": "Bearer admin_test_demo"}
IDENTITY_KEYS = (
    "name",
    "email",
    "phone",
    "date_of_birth",
    "address",
    "national_id_last4",
    "locale",
)
PERSONAS = 300
STEP_DAYS, STEPS = 61, 4
GRACE, LATE_PAYER, DELINQUENT, CHARGE_OFF = 10, 15, 30, 120


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


async def all_personas(client: httpx.AsyncClient, count: int) -> list[dict[str, Any]]:
    people: list[dict[str, Any]] = []
    params: dict[str, Any] = {"limit": 100}
    while len(people) < count:
        page = (await client.get("/v1/sandbox/personas", params=params)).json()
        people.extend(page["data"])
        params["starting_after"] = page["data"][-1]["id"]
    return people[:count]


async def open_loan(client: httpx.AsyncClient, persona: dict[str, Any], n: int) -> str | None:
    """Apply for 600.00 over 12 months; captured loan id, or None when declined."""
    body = {
        "items": [{"sku": f"sku-{n}", "name": "Desk", "unit_amount": 60_000, "quantity": 1}],
        "amount": 60_000,
        "currency": "USD",
        "customer": {key: persona[key] for key in IDENTITY_KEYS},
    }
    checkout = (await client.post("/v1/checkouts", json=body)).json()
    offer = next(o["id"] for o in checkout["offers"] if o["plan"] == "monthly_12")
    path = f"/v1/checkouts/{checkout['id']}"
    decided = (await client.post(f"{path}/confirm", json={"offer": offer, "consent": True})).json()
    if decided["status"] == "in_review":
        queue = (
            await client.get("/v1/admin/reviews", params={"status": "pending"}, headers=ADMIN)
        ).json()["data"]
        review = next(r for r in queue if r["checkout"] == checkout["id"])
        await client.post(f"/v1/admin/reviews/{review['id']}/approve", headers=ADMIN)
        decided = (await client.get(path)).json()
    if decided["status"] != "approved":
        return None
    loan_id: str = decided["loan"]
    captured = await client.post(f"/v1/loans/{loan_id}/capture", json={})
    assert captured.json()["status"] == "active", captured.text
    return loan_id


def expected_for(behaviour: str, dues: list[date], end: date) -> tuple[str, Counter[str]]:
    """The loan's final status and its events by the schedule rules (12 monthly installments,
    none of which all fall due in eight months, so no loan pays off)."""
    due = [d for d in dues if d <= end]
    events: Counter[str] = Counter()
    if behaviour == "on_time":
        events["loan.payment_succeeded"] = len(due)
        return "active", events
    if behaviour == "late":
        paid = [d for d in due if d + timedelta(days=LATE_PAYER) <= end]
        events["loan.payment_succeeded"] = len(paid)
        events["loan.late"] = len([d for d in due if d + timedelta(days=GRACE + 1) <= end])
        events["loan.current"] = len(paid)
        return ("late" if events["loan.late"] > len(paid) else "active"), events
    if behaviour == "default":
        charge_off = dues[0] + timedelta(days=CHARGE_OFF)
        events["loan.payment_failed"] = len([d for d in due if d <= charge_off])
        ladder = [("loan.late", GRACE + 1), ("loan.delinquent", DELINQUENT)]
        ladder.append(("loan.charged_off", CHARGE_OFF))
        status = "active"
        for type_, days in ladder:
            if dues[0] + timedelta(days=days) <= end:
                events[type_] = 1
                status = type_.removeprefix("loan.")
        return status, events
    events["loan.payment_succeeded"] = len(due)  # partial: half of what is owed, each due date
    return "late", events


async def test_eight_months_over_hundreds_of_loans_follow_the_schedule_rules(
    client: httpx.AsyncClient,
) -> None:
    loans: dict[str, str] = {}  # loan id -> behaviour
    for n, persona in enumerate(await all_personas(client, PERSONAS)):
        loan_id = await open_loan(client, persona, n)
        if loan_id is None:
            continue
        loan = (await client.get(f"/v1/loans/{loan_id}")).json()
        customer = (await client.get(f"/v1/customers/{loan['customer']}")).json()
        loans[loan_id] = person_for_identity(SEED, Identity.from_dict(customer)).behaviour
    behaviours = Counter(loans.values())
    assert len(loans) >= 150, behaviours
    assert set(behaviours) == {"on_time", "late", "partial", "default"}, behaviours

    reported: Counter[str] = Counter()
    for _ in range(STEPS):
        advanced = (await client.post("/v1/sandbox/clock/advance", json={"days": STEP_DAYS})).json()
        reported.update(advanced["events"])
        end = date.fromisoformat(advanced["now"][:10])

    expected_events: Counter[str] = Counter()
    finals: Counter[tuple[str, str]] = Counter()
    for loan_id, behaviour in loans.items():
        loan = (await client.get(f"/v1/loans/{loan_id}")).json()
        dues = [date.fromisoformat(e["due_date"]) for e in loan["schedule"]]
        status, events = expected_for(behaviour, dues, end)
        if behaviour == "partial":
            assert loan["status"] in ("late", "delinquent"), (loan_id, loan["status"])
            assert 0 < loan["paid_amount"] < loan["captured_amount"]
            reported_partial = events["loan.payment_succeeded"]
            expected_events["loan.payment_succeeded"] += reported_partial
        else:
            assert loan["status"] == status, (loan_id, behaviour, loan["status"])
            expected_events.update(events)
        finals[(behaviour, loan["status"])] += 1
        fees = sum(e["fees"] for e in loan["schedule"])
        assert (fees > 0) == (behaviour != "on_time"), (loan_id, behaviour, fees)

    for type_ in ("loan.payment_succeeded", "loan.payment_failed", "loan.charged_off"):
        assert reported[type_] == expected_events[type_] > 0, (type_, finals)
    assert reported["loan.paid_off"] == 0
    # Partial payers also go late (and may go delinquent and back): at least once each.
    assert reported["loan.late"] >= expected_events["loan.late"] + behaviours["partial"]
    assert reported["loan.delinquent"] >= expected_events["loan.delinquent"] > 0
    assert reported["loan.current"] >= expected_events["loan.current"] > 0
    listed = await client.get("/v1/events", params={"type": "loan.charged_off", "limit": 100})
    assert len(listed.json()["data"]) == min(100, reported["loan.charged_off"])
