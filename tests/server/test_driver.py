"""Statements on the driver's cursor (`storage.driver`) read and write what SQLAlchemy's own
execution does, are seen by the engine's listeners, fail as SQLAlchemy's errors, and the rows
they load behave as the ORM's (`Base.loaded`), on SQLite and on PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import bindparam, event, insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from mock_server.risk.bureau_memory import FURNISHER_NAME
from mock_server.risk.credit import CreditReport
from mock_server.risk.identity import Address, Identity
from mock_server.services.bureau import pull_report
from mock_server.storage import Database
from mock_server.storage.bulk import execute_many
from mock_server.storage.driver import fetch_all, fetch_one
from mock_server.storage.models import (
    Base,
    CheckoutRow,
    CustomerRow,
    EventRow,
    WebhookEndpointRow,
)
from mock_server.storage.repositories import CheckoutRepository

WHEN = datetime(2026, 3, 1, 12, 30, 15, 123456, tzinfo=UTC)


@pytest.fixture(params=["sqlite", "postgresql"])
def db(request: pytest.FixtureRequest) -> Iterator[Database]:
    url = "sqlite://" if request.param == "sqlite" else request.getfixturevalue("postgres_database")
    database = Database(url)
    database.create_schema()
    yield database
    database.dispose()


def _customer(index: int) -> CustomerRow:
    return CustomerRow.new(
        id=f"cus_{index}", merchant_id="mer_a", created=WHEN, email=f"c{index}@example.com",
        data={"name": "Ada", "amounts": [1, 2**40], "note": None}, test_clock_id=None,
    )  # fmt: skip


def _checkout(index: int, merchant: str = "mer_a") -> CheckoutRow:
    return CheckoutRow.new(
        id=f"chk_{index}", merchant_id=merchant, created=WHEN, status="open", amount=1200 + index,
        currency="USD", customer_id=f"cus_{index}", loan_id=None, workflow_instance_id=None,
        expires_at=WHEN, data={"offers": [{"id": f"off_{index}", "apr_bps": 0}]},
        test_clock_id="clock_1" if index % 2 else None,
    )  # fmt: skip


def _stored(db: Database, count: int) -> None:
    with db.transaction() as session:
        for index in range(count):
            session.add(_customer(index))
            session.add(_checkout(index))
        session.add(_checkout(99, merchant="mer_b"))


@pytest.mark.parametrize("row_type", [CheckoutRow, CustomerRow])
def test_a_driver_select_reads_what_sqlalchemy_reads(db: Database, row_type: type[Base]) -> None:
    _stored(db, 4)
    query = select(*row_type.columns()).order_by(row_type.columns()[0])
    with db.reader() as session:
        usual = [tuple(row) for row in session.connection().execute(query)]
        driven = fetch_all(session.connection(), query, {})
    assert driven == usual
    assert len(driven) >= 4
    assert all(isinstance(row[3], datetime) and row[3] == WHEN for row in driven)  # aware UTC


def test_a_literal_in_the_statement_is_bound_for_the_caller_and_a_missing_value_refused(
    db: Database,
) -> None:
    with db.transaction() as session:
        for index, status in enumerate(["enabled", "disabled", "enabled"]):
            endpoint = WebhookEndpointRow(
                id=f"we_{index}", merchant_id="mer_a", created=WHEN, url="https://x.test",
                status=status, enabled_events=["*"], secret="sealed",
            )  # fmt: skip
            session.add(endpoint)
    enabled = select(WebhookEndpointRow.id, WebhookEndpointRow.enabled_events).where(
        WebhookEndpointRow.merchant_id == bindparam("merchant_id"),
        WebhookEndpointRow.status == "enabled",
    )
    with db.reader() as session:
        found = fetch_all(session.connection(), enabled, {"merchant_id": "mer_a"})
        assert sorted(found) == [("we_0", ["*"]), ("we_2", ["*"])]
        assert fetch_one(session.connection(), enabled, {"merchant_id": "mer_z"}) is None
        unbound = select(WebhookEndpointRow.id).where(
            WebhookEndpointRow.merchant_id == bindparam("merchant_id")
        )
        with pytest.raises(ValueError, match="merchant_id"):
            fetch_all(session.connection(), unbound, {})


def test_the_engines_listeners_see_every_driver_statement_with_its_parameters(
    db: Database,
) -> None:
    _stored(db, 1)
    seen: list[tuple[str, Any, bool]] = []

    def watch(*args: Any) -> None:
        seen.append((args[2], args[3], args[5]))

    event.listen(db.engine, "before_cursor_execute", watch)
    try:
        with db.transaction() as session:
            CheckoutRepository(session, "mer_a").get("chk_0")
            execute_many(session, insert(EventRow.__table__), [_event(1), _event(2)])
    finally:
        event.remove(db.engine, "before_cursor_execute", watch)
    (select_sql, select_params, select_many), (insert_sql, insert_rows, insert_many) = seen
    assert select_sql.startswith("SELECT checkouts.seq") and not select_many
    assert "chk_0" in (select_params.values() if isinstance(select_params, dict) else select_params)
    assert insert_sql.startswith("INSERT INTO events") and insert_many and len(insert_rows) == 2


def _event(index: int) -> dict[str, Any]:
    return {"id": f"evt_{index}", "merchant_id": "mer_a", "created": WHEN, "type": "t",
            "object_id": f"obj_{index}", "request_id": None, "data": {"n": index}}  # fmt: skip


def test_a_driver_error_is_sqlalchemys_error_and_the_transaction_stores_nothing(
    db: Database,
) -> None:
    with pytest.raises(IntegrityError, match="evt_1"), db.transaction() as session:
        execute_many(session, insert(EventRow.__table__), [_event(1)])
        execute_many(session, insert(EventRow.__table__), [_event(2), _event(1)])  # id is unique
    with db.reader() as session:
        assert session.scalars(select(EventRow)).all() == []


def test_a_loaded_row_is_the_sessions_and_its_changes_are_written(db: Database) -> None:
    _stored(db, 2)
    with db.transaction() as session:
        checkouts = CheckoutRepository(session, "mer_a")
        found = checkouts.get_with_customer("chk_1", for_update=True)
        assert found is not None
        checkout, customer = found
        assert checkouts.get("chk_1") is checkout  # the session's row, as a query answers
        assert session.get(CustomerRow, customer.seq) is customer
        assert (customer.id, customer.data["amounts"]) == ("cus_1", [1, 2**40])
        assert (checkout.test_clock_id, checkout.created) == ("clock_1", WHEN)
        assert checkouts.get("chk_99") is None  # another merchant's
        checkout.status = "approved"
        checkout.data = {**checkout.data, "decision": "approve"}
    with db.reader() as session:
        again = CheckoutRepository(session, "mer_a").get("chk_1")
        assert again is not None
        assert (again.status, again.data["decision"], again.amount) == ("approved", "approve", 1201)


def test_a_lookup_finds_a_row_added_earlier_in_its_transaction(db: Database) -> None:
    with db.transaction() as session:
        session.add(_customer(7))
        session.add(_checkout(7))
        checkouts = CheckoutRepository(session, "mer_a")
        found = checkouts.get_with_customer("chk_7")
        assert found is not None and found[0].amount == 1207
        assert checkouts.get("chk_7") is found[0]


def test_loaded_takes_a_rows_values_in_the_order_of_its_columns(db: Database) -> None:
    _stored(db, 1)
    with db.reader() as session:
        values = fetch_one(session.connection(), select(*CustomerRow.columns()), {})
        assert values is not None
        session_of_load = Session(db.engine)
        try:
            row = CustomerRow.loaded(session_of_load, values)
            names = [column.key for column in CustomerRow.columns()]
            assert {name: getattr(row, name) for name in names} == dict(
                zip(names, values, strict=True)
            )
            assert row in session_of_load and not session_of_load.dirty
        finally:
            session_of_load.close()


def test_the_bureau_counts_an_inquiry_made_earlier_in_the_same_transaction(db: Database) -> None:
    """The bureau's memory of a consumer (inquiries, furnished accounts) is read on the
    driver's cursor, which does not flush: a hard pull added in this transaction still counts."""
    person = Identity(
        email="ada.lovelace@example.com", name="Ada Lovelace", phone="+15555550100",
        date_of_birth=date(1985, 12, 10), national_id_last4="4321",
        address=Address(line1="1 Main St", city="Springfield", postal_code="12345", country="US"),
    )  # fmt: skip

    def ours(report: CreditReport) -> int:
        return sum(1 for q in report.inquiries if q.by == FURNISHER_NAME and q.kind == "hard")

    with db.transaction() as session:
        first = pull_report(session, 0, person, as_of=WHEN, pull_type="hard")
        later = WHEN + timedelta(days=1)
        second = pull_report(session, 0, person, as_of=later, pull_type="hard")
    with db.reader() as session:
        third = pull_report(session, 0, person, as_of=WHEN + timedelta(days=2), pull_type="soft")
        before = pull_report(session, 0, person, as_of=WHEN, pull_type="soft")
    assert (ours(first), ours(second), ours(third), ours(before)) == (0, 1, 2, 0)
