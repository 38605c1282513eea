"""`/v1/test_clocks`: clocks of their own for the customers and loans a test attaches to them."""

from fastapi import APIRouter

from mock_server.api import present
from mock_server.api.bodies import ClockAdvance, TestClockCreateBody
from mock_server.api.deferred_routes import DeferredRoute
from mock_server.api.deps import CallerDep, PageDep, SandboxDep
from mock_server.api.developer_schemas import TestClock, TestClockList
from mock_server.api.schemas import DeletedObject
from mock_server.services import test_clocks

__all__ = ["router"]

router = APIRouter(prefix="/v1/test_clocks", tags=["test_clocks"], route_class=DeferredRoute)


@router.post("", operation_id="test-clocks-create", status_code=201)
def create(body: TestClockCreateBody, sandbox: SandboxDep, caller: CallerDep) -> TestClock:
    """A new test clock, frozen at `frozen_time` (default: the merchant's sandbox time now).
    Attach customers with `test_clock` when creating them; their checkouts and loans follow it."""
    return present.test_clock(test_clocks.create_test_clock(sandbox, caller, body))


@router.get("", operation_id="test-clocks-list")
def list_(sandbox: SandboxDep, caller: CallerDep, page: PageDep) -> TestClockList:
    """The merchant's test clocks, newest first."""
    listing = test_clocks.list_test_clocks(sandbox, caller, page.limit, page.starting_after)
    return present.test_clock_list(listing)


@router.get("/{clock_id}", operation_id="test-clocks-retrieve")
def retrieve(clock_id: str, sandbox: SandboxDep, caller: CallerDep) -> TestClock:
    """One test clock."""
    return present.test_clock(test_clocks.get_test_clock(sandbox, caller, clock_id))


@router.post("/{clock_id}/advance", operation_id="test-clocks-advance")
def advance(clock_id: str, body: ClockAdvance, sandbox: SandboxDep, caller: CallerDep) -> TestClock:
    """Move the clock forward by `days` or `to` a date: the loans attached to it are serviced
    through the days in between (autopay, late fees, delinquency, expiry, with events) exactly
    as the merchant's clock services the rest; no other loan sees this time."""
    return present.test_clock(test_clocks.advance_test_clock(sandbox, caller, clock_id, body))


@router.delete("/{clock_id}", operation_id="test-clocks-delete")
def delete(clock_id: str, sandbox: SandboxDep, caller: CallerDep) -> DeletedObject:
    """Delete the clock and everything attached to it: its customers and their checkouts,
    loans, credit reports, reviews and workflow instances."""
    return present.deleted(test_clocks.delete_test_clock(sandbox, caller, clock_id))
