"""Customers of a merchant, and the credit reports pulled for them."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any, Final

from sqlalchemy.orm import Session

from mock_server.contract.requests import CustomerCreate
from mock_server.ids import new_id
from mock_server.risk.identity import age_on
from mock_server.services.clock import find_test_clock
from mock_server.services.context import Caller, Sandbox
from mock_server.services.errors import InvalidRequest, NotFound
from mock_server.services.events import record_event
from mock_server.services.objects import CreditReportObject, CustomerObject, Listing
from mock_server.services.presenters import credit_report_object, customer_object
from mock_server.services.unit_of_work import UnitOfWork
from mock_server.storage.models import CustomerRow
from mock_server.storage.repositories import CustomerRepository

__all__ = [
    "ADULT_AGE",
    "OLDEST_AGE",
    "add_customer",
    "check_date_of_birth",
    "create_customer",
    "get_customer",
    "latest_credit_report",
    "list_customers",
    "new_customer",
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
    row = CustomerRow.new(
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


def new_customer(uow: UnitOfWork, body: CustomerCreate, *, param: str) -> CustomerRow:
    """Store a customer from its identity in the unit of work (`param` names its date of
    birth in the request), logging `customer.created`."""
    identity = body.model_dump(mode="json")
    return add_customer(uow.session, uow.caller, identity, uow.now, param=param)


def create_customer(sandbox: Sandbox, caller: Caller, body: CustomerCreate) -> CustomerObject:
    """Create a customer from an identity (attached to the test clock it names, if any)."""
    with UnitOfWork(sandbox, caller) as uow:
        if body.test_clock is not None:
            if find_test_clock(uow.session, caller.merchant.id, body.test_clock) is None:
                raise NotFound("test_clock", body.test_clock, param="test_clock")
            uow.use_clock(body.test_clock)
        return customer_object(new_customer(uow, body, param="date_of_birth"))


def get_customer(sandbox: Sandbox, caller: Caller, customer_id: str) -> CustomerObject:
    """One of the merchant's customers."""
    with UnitOfWork(sandbox, caller, read_only=True) as uow:
        return customer_object(uow.customers.get(customer_id))


def list_customers(
    sandbox: Sandbox, caller: Caller, limit: int, starting_after: str | None
) -> Listing[CustomerObject]:
    """The merchant's customers, newest first."""
    with UnitOfWork(sandbox, caller, read_only=True) as uow:
        page = uow.customers.page(limit, starting_after)
        return Listing([customer_object(r) for r in page.rows], page.has_more)


def latest_credit_report(sandbox: Sandbox, caller: Caller, customer_id: str) -> CreditReportObject:
    """The most recent report pulled for the merchant's customer."""
    with UnitOfWork(sandbox, caller, read_only=True) as uow:
        uow.customers.get(customer_id)
        row = uow.credit_reports.latest_for(customer_id)
        if row is None:
            raise NotFound("credit_report", f"{customer_id} (no report pulled yet)", param="id")
        return credit_report_object(row)
