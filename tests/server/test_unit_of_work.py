"""The unit of work: one transaction, the caller's time read once, events, repositories."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from pydantic import BaseModel
from sqlalchemy import func, select

from mock_server.api.schemas import Checkout, Customer, Loan, Merchant
from mock_server.services.context import Caller, MerchantAccount, Sandbox
from mock_server.services.errors import NotFound
from mock_server.services.unit_of_work import UnitOfWork
from mock_server.storage.models import EventRow, MerchantRow

NOON = datetime(2026, 3, 4, 12, tzinfo=UTC)


@pytest.fixture
def caller(sandbox: Sandbox) -> Caller:
    """The demo merchant as a use case sees it."""
    with sandbox.db.reader() as session:
        row = session.scalars(select(MerchantRow).order_by(MerchantRow.seq)).first()
        assert row is not None
        return Caller(MerchantAccount.from_row(row), "req_test")


def _events(sandbox: Sandbox) -> int:
    with sandbox.db.reader() as session:
        return session.scalar(select(func.count()).select_from(EventRow)) or 0


def test_now_is_read_once_per_unit_of_work(sandbox: Sandbox, caller: Caller) -> None:
    moments = iter([NOON, NOON + timedelta(hours=1)])
    sandbox.wall = lambda: next(moments)
    with UnitOfWork(sandbox, caller) as uow:
        assert uow.now == NOON
        assert uow.now == NOON  # the wall clock moved; the use case's time did not


def test_a_unit_of_work_refuses_to_change_clocks_after_reading_its_time(
    sandbox: Sandbox, caller: Caller
) -> None:
    sandbox.wall = lambda: NOON
    with UnitOfWork(sandbox, caller) as uow:
        uow.use_clock(None)
        assert uow.now == NOON
        uow.use_clock(None)  # the same clock again is fine
        with pytest.raises(RuntimeError, match="another clock"):
            uow.use_clock("clock_1")


def test_recorded_events_commit_when_the_block_ends(sandbox: Sandbox, caller: Caller) -> None:
    before = _events(sandbox)
    with UnitOfWork(sandbox, caller) as uow:
        uow.record("checkout.created", {"id": "chk_1", "object": "checkout"})
    assert _events(sandbox) == before + 1


def test_an_exception_leaving_the_block_rolls_the_work_back(
    sandbox: Sandbox, caller: Caller
) -> None:
    before = _events(sandbox)
    with pytest.raises(NotFound), UnitOfWork(sandbox, caller) as uow:
        uow.record("checkout.created", {"id": "chk_1", "object": "checkout"})
        uow.checkouts.get("chk_missing")
    assert _events(sandbox) == before


def test_a_unit_of_work_inside_another_shares_its_session(sandbox: Sandbox, caller: Caller) -> None:
    with UnitOfWork(sandbox, caller) as outer, UnitOfWork(sandbox, caller) as inner:
        assert inner.session is outer.session


def test_repositories_answer_not_found_naming_the_parameter(
    sandbox: Sandbox, caller: Caller
) -> None:
    with UnitOfWork(sandbox, caller, read_only=True) as uow:
        with pytest.raises(NotFound) as missing:
            uow.customers.get("cus_missing", param="customer")
        assert missing.value.param == "customer"
        with pytest.raises(NotFound) as missing:
            uow.checkouts.page(10, "chk_missing")
        assert missing.value.param == "starting_after"


async def _event_object(client: httpx.AsyncClient, type_: str, schema: type[BaseModel]) -> Any:
    """The object the newest `type_` event carries, as the answer's schema shows it."""
    events = (await client.get("/v1/events", params={"type": type_})).json()["data"]
    return schema.model_validate(events[0]["data"]["object"]).model_dump(mode="json")


async def test_the_answer_is_the_object_its_event_carries(
    client: httpx.AsyncClient, kit: Any, personas: list[Any]
) -> None:
    customer = kit.persona_identity(personas[0], kit.tagged(personas[0], "approve"))
    created = await client.post("/v1/checkouts", json=kit.cart(customer=customer))
    assert created.json() == await _event_object(client, "checkout.created", Checkout)
    offer = next(o["id"] for o in created.json()["offers"] if o["plan"] == "monthly_12")
    confirmed = await client.post(
        f"/v1/checkouts/{created.json()['id']}/confirm", json={"offer": offer, "consent": True}
    )
    assert confirmed.json() == await _event_object(client, "checkout.approved", Checkout)
    another = await client.post("/v1/checkouts", json=kit.cart(customer=customer))
    canceled = await client.post(f"/v1/checkouts/{another.json()['id']}/cancel")
    assert canceled.json()["status"] == "canceled"
    assert canceled.json() == await _event_object(client, "checkout.canceled", Checkout)
    made = await client.post("/v1/customers", json=kit.identity("grace@example.com"))
    assert made.json() == await _event_object(client, "customer.created", Customer)


async def test_a_loans_and_a_merchants_answers_are_the_objects_their_events_carry(
    client: httpx.AsyncClient, approved_loan: Any
) -> None:
    loan = await approved_loan()
    captured = await client.post(f"/v1/loans/{loan['id']}/capture", json={})
    assert captured.json() == await _event_object(client, "loan.captured", Loan)
    renamed = await client.patch("/v1/merchants/me", json={"display_name": "Demo Bikes"})
    assert renamed.json() == await _event_object(client, "merchant.updated", Merchant)
