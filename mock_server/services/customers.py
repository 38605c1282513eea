"""Customers of a merchant, and the credit reports pulled for them."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any, Final

from sqlalchemy.orm import Session

from mock_server.ids import new_id
from mock_server.risk.identity import age_on
from mock_server.services.clock import find_test_clock, merchant_now
from mock_server.services.context import Caller, Sandbox
from mock_server.services.errors import InvalidRequest, NotFound
from mock_server.services.events import record_event
from mock_server.services.presenters import credit_report_object, customer_object
from mock_server.storage.models import CustomerRow
from mock_server.storage.repositories import CreditReportRepository, CustomerRepository

__all__ = [
    "ADULT_AGE",
    "OLDEST_AGE",
    "add_customer",
    "check_date_of_birth",
    "create_customer",
    "get_customer",
    "get_customer_row",
    "latest_credit_report",
    "list_customers",
]


ADULT_AGE: Final = 18
OLDEST_AGE: Final = 120


def check_date_of_birth(identity: Mapping[str, Any], now: datetime, param: str) -> None:
    """Refuse a date of birth outside 18-120 years before the sandbox's time (400 on `param`)."""
    born = identity.get("date_of_birth")
    if not isinstance(born, date):
        born = date.fromisoformat(str(born))
    age = age_on(born, now.date())
    if not ADULT_AGE <= age <= OLDEST_AGE:
        raise InvalidRequest(
            f"date_of_birth {born.isoformat()} makes the customer {age} years old on "
            f"{now.date().isoformat()} (sandbox time); customers are {ADULT_AGE} to "
            f"{OLDEST_AGE} years old",
            param=param,
        )


def add_customer(
    session: Session,
    caller: Caller,
    identity: Mapping[str, Any],
    now: datetime,
    *,
    param: str = "date_of_birth",
) -> CustomerRow:
    """Store a new customer (inside the caller's transaction) and log `customer.created`."""
    check_date_of_birth(identity, now, param)
    data = dict(identity)
    test_clock = data.pop("test_clock", None)
    row = CustomerRow(
        id=new_id("cus"),
        merchant_id=caller.merchant.id,
        created=now,
        email=str(identity["email"]),
        data=data,
        test_clock_id=test_clock,
    )
    CustomerRepository(session, caller.merchant.id).add(row)
    record_event(session, caller, "customer.created", customer_object(row), now)
    return row


def get_customer_row(session: Session, caller: Caller, customer_id: str, param: str) -> CustomerRow:
    """The merchant's customer row, or NotFound naming `param`."""
    row = CustomerRepository(session, caller.merchant.id).get(customer_id)
    if row is None:
        raise NotFound("customer", customer_id, param=param)
    return row


def create_customer(
    sandbox: Sandbox, caller: Caller, identity: Mapping[str, Any]
) -> dict[str, Any]:
    """Create a customer from an identity (attached to the test clock it names, if any)."""
    test_clock = identity.get("test_clock")
    with sandbox.db.transaction() as session:
        if (
            test_clock is not None
            and find_test_clock(session, caller.merchant.id, test_clock) is None
        ):
            raise NotFound("test_clock", str(test_clock), param="test_clock")
        now = merchant_now(session, caller.merchant.id, sandbox.wall, test_clock)
        return customer_object(add_customer(session, caller, identity, now))


def get_customer(sandbox: Sandbox, caller: Caller, customer_id: str) -> dict[str, Any]:
    """One of the merchant's customers."""
    with sandbox.db.reader() as session:
        return customer_object(get_customer_row(session, caller, customer_id, "id"))


def list_customers(
    sandbox: Sandbox, caller: Caller, limit: int, starting_after: str | None
) -> tuple[list[dict[str, Any]], bool]:
    """The merchant's customers, newest first."""
    with sandbox.db.reader() as session:
        page = CustomerRepository(session, caller.merchant.id).page(limit, starting_after)
        if page is None:
            raise NotFound("customer", str(starting_after), param="starting_after")
        return [customer_object(r) for r in page.rows], page.has_more


def latest_credit_report(sandbox: Sandbox, caller: Caller, customer_id: str) -> dict[str, Any]:
    """The most recent report pulled for the merchant's customer."""
    with sandbox.db.reader() as session:
        get_customer_row(session, caller, customer_id, "id")
        row = CreditReportRepository(session, caller.merchant.id).latest_for(customer_id)
        if row is None:
            raise NotFound("credit_report", f"{customer_id} (no report pulled yet)", param="id")
        return credit_report_object(row)
