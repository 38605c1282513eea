"""The clock's seam for periodic work: month-end and day-boundary work plugs into an advance."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import date
from typing import Any

import httpx
from fastapi import FastAPI
from sqlalchemy import select

from mock_server.services.context import Sandbox
from mock_server.services.periodic import Occasion, PeriodicWork, agenda, every_day, month_ends
from mock_server.storage.models import EventRow, LoanRow

Json = dict[str, Any]


def test_month_ends_and_days_are_the_dates_after_the_start_up_to_the_end() -> None:
    assert list(month_ends(date(2026, 1, 31), date(2026, 4, 30))) == [
        date(2026, 2, 28),
        date(2026, 3, 31),
        date(2026, 4, 30),
    ]
    assert list(month_ends(date(2026, 12, 5), date(2027, 1, 30))) == [date(2026, 12, 31)]
    assert list(every_day(date(2026, 2, 27), date(2026, 3, 1))) == [
        date(2026, 2, 28),
        date(2026, 3, 1),
    ]


def test_works_sharing_a_date_run_once_each_in_registration_order() -> None:
    first = PeriodicWork("first", month_ends, lambda _: None)
    second = PeriodicWork("second", every_day, lambda _: None)
    plan = agenda([first, second, first], date(2026, 1, 30), date(2026, 2, 1))
    assert [(on.day, [w.name for w in works]) for on, works in plan] == [
        (31, ["first", "second"]),
        (1, ["second"]),
    ]


async def _loans(
    client: httpx.AsyncClient, approved_loan: Callable[..., Awaitable[Json]], count: int
) -> list[str]:
    made = []
    for n in range(count):
        loan = await approved_loan(amount=60_000 + n * 1_000, plan="monthly_3_0apr")
        await client.post(f"/v1/loans/{loan['id']}/capture", json={})
        made.append(loan["id"])
    return made


async def test_month_end_work_runs_once_per_month_end_and_sees_that_days_loans(
    client: httpx.AsyncClient, sandbox: Sandbox, approved_loan: Callable[..., Awaitable[Json]]
) -> None:
    loan_ids = await _loans(client, approved_loan, 2)
    seen: list[tuple[date, dict[str, int]]] = []

    def snapshot(occasion: Occasion) -> None:
        rows = occasion.session.scalars(select(LoanRow).where(LoanRow.id.in_(loan_ids)))
        seen.append((occasion.on, {r.id: int(r.data["paid_amount"]) for r in rows}))
        occasion.record("sandbox.month_closed", {"id": occasion.on.isoformat()})

    sandbox.periodic.append(PeriodicWork("probe", month_ends, snapshot))
    first = (await client.post("/v1/sandbox/clock/advance", json={"days": 45})).json()
    second = (await client.post("/v1/sandbox/clock/advance", json={"days": 75})).json()
    dates = [on for on, _ in seen]
    assert dates == sorted(set(dates)) and all(d.day > 27 for d in dates)
    assert len(dates) in (3, 4)  # 120 days hold three or four month-ends
    # monthly_3_0apr on-time payers pay 1/3 a month: what each month-end saw grows with the
    # installments fallen due by then, paid before the month closed.
    paid = [sum(by_loan.values()) for _, by_loan in seen]
    assert paid == sorted(paid) and paid[-1] == 60_000 + 61_000
    counted = first["events"].get("sandbox.month_closed", 0)
    assert counted + second["events"]["sandbox.month_closed"] == len(dates)
    with sandbox.db.reader() as session:
        closed = session.scalars(select(EventRow).where(EventRow.type == "sandbox.month_closed"))
        assert sorted(e.created.date() for e in closed) == dates


async def _year_of_loans(app: FastAPI, kit: Any) -> list[Any]:
    """Three captured loans of different personas, 200 days on: their events and final state."""
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(
        transport=transport, base_url="http://sandbox.test", headers=kit.auth
    ) as client:
        personas = (await client.get("/v1/sandbox/personas", params={"limit": 3})).json()["data"]
        for persona in personas:
            customer = kit.persona_identity(persona, kit.tagged(persona, "approve"))
            checkout = (await client.post("/v1/checkouts", json=kit.cart(customer=customer))).json()
            offer = next(o["id"] for o in checkout["offers"] if o["plan"] == "monthly_6_0apr")
            path = f"/v1/checkouts/{checkout['id']}/confirm"
            decided = (await client.post(path, json={"offer": offer, "consent": True})).json()
            await client.post(f"/v1/loans/{decided['loan']}/capture", json={})
        await client.post("/v1/sandbox/clock/advance", json={"days": 200})
    sandbox: Sandbox = app.state.sandbox
    with sandbox.db.reader() as session:
        events = session.scalars(select(EventRow).where(EventRow.type.like("loan.%")))
        loans = session.scalars(select(LoanRow).order_by(LoanRow.seq))
        return [
            sorted((e.type, e.created.date(), e.data["object"]["paid_amount"]) for e in events),
            [(r.status, r.data["paid_amount"], r.data["history"]) for r in loans],
        ]


async def test_periodic_work_on_every_day_leaves_loans_and_events_as_without_it(
    make_app: Any, settings: Any, kit: Any
) -> None:
    plain, busy = make_app(settings), make_app(settings)
    ran: list[date] = []
    busy.state.sandbox.periodic.append(PeriodicWork("daily", every_day, lambda o: ran.append(o.on)))
    with_work = await _year_of_loans(busy, kit)
    assert len(ran) == 200
    assert with_work == await _year_of_loans(plain, kit)
    assert len(with_work[0]) > 6
