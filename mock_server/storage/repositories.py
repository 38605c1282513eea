"""Repositories: one per aggregate, scoped to a merchant so no query can cross merchants."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, ClassVar, Final, Generic, TypeVar

from sqlalchemy import ColumnElement, Select, bindparam, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from mock_server.storage.driver import fetch_one
from mock_server.storage.models import (
    CheckoutRow,
    CreditReportRow,
    CustomerRow,
    EventRow,
    LoanRow,
    MerchantRow,
    ReviewRow,
    WorkflowInstanceRow,
)

__all__ = [
    "CheckoutRepository",
    "CreditReportRepository",
    "CustomerRepository",
    "EventRepository",
    "LoanRepository",
    "Page",
    "ReviewRepository",
    "WorkflowInstanceRepository",
    "flush_added",
]


def flush_added(session: Session, *row_types: type[Any]) -> None:
    """What an ORM query's autoflush did that a core select of these rows needs: rows of these
    types added in this transaction are written first, so that the select finds them (core
    statements, on the driver's cursor or not, do not flush)."""
    if any(isinstance(row, row_types) for row in session.new):
        session.flush()


# One select per (row type, FOR UPDATE), built on first use (see _MerchantScoped._by_id).
_BY_ID: dict[tuple[type[Any], bool], Select[Any]] = {}

RowT = TypeVar("RowT", CustomerRow, CheckoutRow, LoanRow, EventRow, CreditReportRow)


@dataclass(frozen=True, slots=True)
class Page(Generic[RowT]):
    """One page of a newest-first list."""

    rows: Sequence[RowT]
    has_more: bool


class _MerchantScoped(Generic[RowT]):
    row_type: ClassVar[type[Any]]

    def __init__(self, session: Session, merchant_id: str) -> None:
        self.session = session
        self.merchant_id = merchant_id

    def _col(self, name: str) -> InstrumentedAttribute[Any]:
        column: InstrumentedAttribute[Any] = getattr(self.row_type, name)
        return column

    def get(self, object_id: str, *, for_update: bool = False) -> RowT | None:
        """The merchant's object with this id, or None (another merchant's id is None too)."""
        params = {"id": object_id, "merchant_id": self.merchant_id}
        flush_added(self.session, self.row_type)
        found = fetch_one(self.session.connection(), self._by_id(for_update), params)
        if found is None:
            return None
        row: RowT = self.row_type.loaded(self.session, found)
        return row

    @classmethod
    def _by_id(cls, for_update: bool) -> Select[Any]:
        """The select of one object's columns by id and merchant, built once per row type (it
        runs on most requests; building it cost about as much as running it)."""
        key = (cls.row_type, for_update)
        query = _BY_ID.get(key)
        if query is None:
            query = select(*cls.row_type.columns()).where(
                cls.row_type.id == bindparam("id"),
                cls.row_type.merchant_id == bindparam("merchant_id"),
            )
            _BY_ID[key] = query = query.with_for_update() if for_update else query
        return query

    def add(self, row: RowT) -> RowT:
        """Stage a new row; it is inserted with the rest of the request's rows at commit (a
        flush per row split one request's inserts of a table into several statements)."""
        self.session.add(row)
        return row

    def page(
        self,
        limit: int,
        starting_after: str | None = None,
        filters: Sequence[ColumnElement[bool]] = (),
    ) -> Page[RowT] | None:
        """Newest first; None when `starting_after` names no object of this merchant."""
        seq = self._col("seq")
        query: Select[Any] = select(self.row_type).where(
            self._col("merchant_id") == self.merchant_id, *filters
        )
        if starting_after is not None:
            cursor = self.get(starting_after)
            if cursor is None:
                return None
            query = query.where(seq < cursor.seq)
        rows = list(self.session.scalars(query.order_by(seq.desc()).limit(limit + 1)))
        return Page(rows=rows[:limit], has_more=len(rows) > limit)


class CustomerRepository(_MerchantScoped[CustomerRow]):
    """The merchant's customers."""

    row_type = CustomerRow


class CheckoutRepository(_MerchantScoped[CheckoutRow]):
    """The merchant's checkouts."""

    row_type = CheckoutRow

    def get_with_customer(
        self, checkout_id: str, *, for_update: bool = False
    ) -> tuple[CheckoutRow, CustomerRow] | None:
        """The merchant's checkout and its customer in one query (the checkout row locked when
        `for_update`), or None."""
        query = _WITH_CUSTOMER_FOR_UPDATE if for_update else _WITH_CUSTOMER
        params = {"id": checkout_id, "merchant_id": self.merchant_id}
        flush_added(self.session, CheckoutRow, CustomerRow)
        found = fetch_one(self.session.connection(), query, params)
        if found is None:
            return None
        split = len(CheckoutRow.columns())
        return (
            CheckoutRow.loaded(self.session, found[:split]),
            CustomerRow.loaded(self.session, found[split:]),
        )


_WITH_CUSTOMER: Final = (
    select(*CheckoutRow.columns(), *CustomerRow.columns())
    .join_from(CheckoutRow, CustomerRow, CustomerRow.id == CheckoutRow.customer_id)
    .where(CheckoutRow.id == bindparam("id"), CheckoutRow.merchant_id == bindparam("merchant_id"))
)
_WITH_CUSTOMER_FOR_UPDATE: Final = _WITH_CUSTOMER.with_for_update(of=CheckoutRow.__table__)


class LoanRepository(_MerchantScoped[LoanRow]):
    """The merchant's loans."""

    row_type = LoanRow


class EventRepository(_MerchantScoped[EventRow]):
    """The merchant's event log (append only)."""

    row_type = EventRow


class CreditReportRepository(_MerchantScoped[CreditReportRow]):
    """Credit reports pulled for the merchant's customers."""

    row_type = CreditReportRow

    def latest_for(self, customer_id: str) -> CreditReportRow | None:
        """The most recent report for a customer, or None if none was pulled."""
        query = (
            select(CreditReportRow)
            .where(
                CreditReportRow.merchant_id == self.merchant_id,
                CreditReportRow.customer_id == customer_id,
            )
            .order_by(CreditReportRow.seq.desc())
            .limit(1)
        )
        return self.session.scalars(query).first()


class WorkflowInstanceRepository:
    """Persisted workflow instances."""

    def __init__(self, session: Session, merchant_id: str) -> None:
        self.session = session
        self.merchant_id = merchant_id

    def get(self, instance_id: str) -> WorkflowInstanceRow | None:
        """The merchant's instance with this id, or None."""
        query = select(WorkflowInstanceRow).where(
            WorkflowInstanceRow.id == instance_id,
            WorkflowInstanceRow.merchant_id == self.merchant_id,
        )
        return self.session.scalars(query).first()

    def add(self, row: WorkflowInstanceRow) -> None:
        """Stage a new instance."""
        self.session.add(row)


class ReviewRepository:
    """The manual review queue across merchants (the lender's, so not scoped to one)."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def get(self, review_id: str, *, for_update: bool = False) -> ReviewRow | None:
        """The review with this id, or None."""
        query = select(ReviewRow).where(ReviewRow.id == review_id)
        return self.session.scalars(query.with_for_update() if for_update else query).first()

    def claim_pending(self) -> Sequence[ReviewRow]:
        """Every pending review, locked; those another transaction holds are skipped (so each
        pending review's timer is fired by one process)."""
        query = select(ReviewRow).where(ReviewRow.status == "pending")
        return self.session.scalars(query.with_for_update(skip_locked=True)).all()

    def page(
        self, limit: int, starting_after: str | None, status: str | None, queue: str | None
    ) -> tuple[list[ReviewRow], bool] | None:
        """Oldest first, of one status and queue if given; None when `starting_after` names no
        review."""
        query = select(ReviewRow).order_by(ReviewRow.seq).limit(limit + 1)
        if status:
            query = query.where(ReviewRow.status == status)
        if queue:
            query = query.where(ReviewRow.queue == queue)
        if starting_after is not None:
            cursor = self.get(starting_after)
            if cursor is None:
                return None
            query = query.where(ReviewRow.seq > cursor.seq)
        rows = list(self.session.scalars(query))
        return rows[:limit], len(rows) > limit

    def merchant_of(self, review: ReviewRow) -> MerchantRow:
        """The merchant whose application the review decides."""
        query = select(MerchantRow).where(MerchantRow.id == review.merchant_id)
        return self.session.scalars(query).one()
