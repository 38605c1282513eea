"""Test clocks (`clock_`): a frozen sandbox time of their own for the customers attached to them
(at creation, `test_clock`), and those customers' checkouts and loans.

A clock moves only when advanced: its loans are serviced from its old date to the new one exactly
as the merchant's clock services the rest (see services.servicing), so tests on different clocks
never see each other's time. Deleting a clock deletes everything attached to it.
"""

from __future__ import annotations

from sqlalchemy import delete, or_, select
from sqlalchemy.orm import Session

from mock_server.contract.requests import ClockAdvance, TestClockCreateBody
from mock_server.ids import new_id
from mock_server.services.clock import find_test_clock
from mock_server.services.context import Caller, Sandbox
from mock_server.services.errors import NotFound
from mock_server.services.objects import DeletedObject, Listing, TestClockObject
from mock_server.services.presenters import iso
from mock_server.services.servicing import (
    advance_target,
    collector_paused,
    expire_checkouts,
    run_until,
)
from mock_server.services.unit_of_work import UnitOfWork
from mock_server.storage.models import Base, CheckoutRow, CustomerRow, LoanRow, TestClockRow

__all__ = [
    "clock_object",
    "clock_row",
    "create_test_clock",
    "delete_test_clock",
    "get_test_clock",
    "list_test_clocks",
]


def clock_object(row: TestClockRow) -> TestClockObject:
    """A test clock in the API's shape."""
    return {
        "id": row.id,
        "object": "test_clock",
        "created": iso(row.created),
        "livemode": False,
        "name": row.name,
        "frozen_time": iso(row.frozen_time),
        "status": "ready",
    }


def clock_row(
    session: Session, caller: Caller, clock_id: str, param: str = "id", *, for_update: bool = False
) -> TestClockRow:
    """The merchant's test clock, or NotFound naming `param`."""
    row = find_test_clock(session, caller.merchant.id, clock_id, for_update=for_update)
    if row is None:
        raise NotFound("test_clock", clock_id, param=param)
    return row


def create_test_clock(
    sandbox: Sandbox, caller: Caller, body: TestClockCreateBody
) -> TestClockObject:
    """A new clock, frozen at `frozen_time` (default: the merchant's sandbox time now)."""
    with UnitOfWork(sandbox, caller) as uow:
        row = TestClockRow(
            id=new_id("clock"),
            merchant_id=uow.merchant_id,
            created=uow.now,
            name=body.name,
            frozen_time=body.frozen_time or uow.now,
        )
        uow.session.add(row)
        return clock_object(row)


def get_test_clock(sandbox: Sandbox, caller: Caller, clock_id: str) -> TestClockObject:
    """One of the merchant's test clocks."""
    with sandbox.db.reader() as session:
        return clock_object(clock_row(session, caller, clock_id))


def list_test_clocks(
    sandbox: Sandbox, caller: Caller, limit: int, starting_after: str | None
) -> Listing[TestClockObject]:
    """The merchant's test clocks, newest first."""
    query = select(TestClockRow).where(TestClockRow.merchant_id == caller.merchant.id)
    with sandbox.db.reader() as session:
        if starting_after is not None:
            after = clock_row(session, caller, starting_after, "starting_after")
            query = query.where(TestClockRow.seq < after.seq)
        rows = list(session.scalars(query.order_by(TestClockRow.seq.desc()).limit(limit + 1)))
        return Listing([clock_object(r) for r in rows[:limit]], len(rows) > limit)


def advance_test_clock(
    sandbox: Sandbox, caller: Caller, clock_id: str, body: ClockAdvance
) -> TestClockObject:
    """Move the clock forward: its loans and checkouts live through the days in between."""
    with collector_paused(), sandbox.db.transaction() as session:
        row = clock_row(session, caller, clock_id, for_update=True)
        before = row.frozen_time
        target = advance_target(before, body.days, body.to)
        run_until(session, sandbox, caller, before.date(), target, test_clock=row.id)
        expire_checkouts(session, caller, target, test_clock=row.id)
        row.frozen_time = target
        return clock_object(row)


def delete_test_clock(sandbox: Sandbox, caller: Caller, clock_id: str) -> DeletedObject:
    """Delete the clock and every object attached to it (customers, their checkouts, loans,
    credit reports, reviews, workflow instances); events already sent stay in the log."""
    with sandbox.db.transaction() as session:
        row = clock_row(session, caller, clock_id, for_update=True)
        _delete_attached(session, caller.merchant.id, row.id)
        session.delete(row)
    return {"id": clock_id, "object": "test_clock", "deleted": True}


def _delete_attached(session: Session, merchant_id: str, clock_id: str) -> None:
    customers = list(
        session.scalars(select(CustomerRow.id).where(CustomerRow.test_clock_id == clock_id))
    )
    if not customers:
        return
    links = {
        "test_clock_id": [clock_id],
        "customer_id": customers,
        "checkout_id": list(
            session.scalars(select(CheckoutRow.id).where(CheckoutRow.customer_id.in_(customers)))
        ),
        "loan_id": list(
            session.scalars(select(LoanRow.id).where(LoanRow.customer_id.in_(customers)))
        ),
    }
    for table in reversed(Base.metadata.sorted_tables):
        if "merchant_id" not in table.c or table.name == TestClockRow.__tablename__:
            continue
        conditions = [table.c[name].in_(ids) for name, ids in links.items() if name in table.c]
        if conditions:
            session.execute(
                delete(table).where(table.c.merchant_id == merchant_id, or_(*conditions))
            )
