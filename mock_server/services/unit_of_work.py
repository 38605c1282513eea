"""The unit of work: what one use case holds while it runs, in one transaction.

    with UnitOfWork(sandbox, caller) as uow:
        checkout = uow.checkouts.get(checkout_id, for_update=True)
        uow.use_clock(checkout.test_clock)
        checkout.cancel()
        uow.record("checkout.canceled", checkout_object(checkout.row))

- `session`: the database session. Inside a request it is the request's transaction (the unit
  joins it, as `sandbox.db.transaction()` does), so the work commits with the request's stored
  answer; outside one the work commits when the block ends. An exception leaving the block
  dooms the work (rolled back), so a use case that must keep part of it (an expiry) and still
  refuse raises after the block.
- `caller`: who is asking (the merchant, the request id its events carry).
- `now`: the merchant's sandbox time, read once, on the test clock the use case names with
  `use_clock` (a checkout's, a customer's) if any.
- `record(type, object)`: appends the event carrying the object as it is after the change.
- repositories, scoped to the caller's merchant: `checkouts` answers `Checkout` aggregates,
  `loans` the domain's `Loan` with its row, `customers` and `credit_reports` the stored
  customers and reports.

A unit opened inside another (in the same request) shares its session: a review worked for a
merchant opens one per merchant inside the queue's.
"""

from __future__ import annotations

from collections.abc import Mapping
from contextlib import AbstractContextManager
from datetime import datetime
from types import TracebackType

from sqlalchemy.orm import Session

from mock_server.domain import Loan
from mock_server.domain.checkout import Checkout
from mock_server.services.clock import merchant_now
from mock_server.services.context import Caller, Sandbox
from mock_server.services.errors import NotFound
from mock_server.services.events import record_event
from mock_server.services.objects import CheckoutAnswer, CheckoutObject
from mock_server.storage.models import CheckoutRow, CustomerRow, LoanRow
from mock_server.storage.repositories import (
    CheckoutRepository,
    CreditReportRepository,
    CustomerRepository,
    LoanRepository,
    Page,
)

__all__ = ["Checkouts", "Customers", "Loans", "StoredCheckout", "StoredLoan", "UnitOfWork"]


class StoredCheckout(Checkout):
    """A checkout aggregate over its storage row, which the use case's steps also read."""

    __slots__ = ("row",)

    def __init__(self, row: CheckoutRow) -> None:
        super().__init__(row)
        self.row = row


class Checkouts:
    """The merchant's checkouts, as aggregates."""

    def __init__(self, session: Session, merchant_id: str) -> None:
        self.rows = CheckoutRepository(session, merchant_id)

    def get(self, checkout_id: str, *, for_update: bool = False) -> StoredCheckout:
        """The merchant's checkout (locked for the transaction when `for_update`), or NotFound."""
        row = self.rows.get(checkout_id, for_update=for_update)
        if row is None:
            raise NotFound("checkout", checkout_id, param="id")
        return StoredCheckout(row)

    def get_with_customer(
        self, checkout_id: str, *, for_update: bool = False
    ) -> tuple[StoredCheckout, CustomerRow]:
        """The merchant's checkout and its customer, read together, or NotFound."""
        found = self.rows.get_with_customer(checkout_id, for_update=for_update)
        if found is None:
            raise NotFound("checkout", checkout_id, param="id")
        return StoredCheckout(found[0]), found[1]

    def add(self, row: CheckoutRow) -> StoredCheckout:
        """Stage a new checkout (inserted with the request's other rows)."""
        return StoredCheckout(self.rows.add(row))

    def page(
        self, limit: int, starting_after: str | None, status: str | None = None
    ) -> Page[CheckoutRow]:
        """Newest first, of one status if given; NotFound when the cursor is no checkout."""
        filters = [CheckoutRow.status == status] if status else []
        page = self.rows.page(limit, starting_after, filters)
        if page is None:
            raise NotFound("checkout", str(starting_after), param="starting_after")
        return page


class Customers:
    """The merchant's customers."""

    def __init__(self, session: Session, merchant_id: str) -> None:
        self.rows = CustomerRepository(session, merchant_id)

    def get(self, customer_id: str, *, param: str = "id") -> CustomerRow:
        """The merchant's customer, or NotFound naming `param`."""
        row = self.rows.get(customer_id)
        if row is None:
            raise NotFound("customer", customer_id, param=param)
        return row

    def add(self, row: CustomerRow) -> CustomerRow:
        """Stage a new customer."""
        return self.rows.add(row)

    def page(self, limit: int, starting_after: str | None) -> Page[CustomerRow]:
        """Newest first; NotFound when the cursor is no customer of the merchant."""
        page = self.rows.page(limit, starting_after)
        if page is None:
            raise NotFound("customer", str(starting_after), param="starting_after")
        return page


class StoredLoan:
    """A loan aggregate (the domain's `Loan`) and the row it is stored in."""

    __slots__ = ("loan", "row")

    def __init__(self, row: LoanRow) -> None:
        self.row = row
        self.loan = Loan.from_dict(row.data)

    def save(self) -> None:
        """Write the loan's state back to its row (stored with the unit's work)."""
        self.row.data = self.loan.to_dict()
        self.row.status = self.loan.status.value


class Loans:
    """The merchant's loans, as aggregates."""

    def __init__(self, session: Session, merchant_id: str) -> None:
        self.rows = LoanRepository(session, merchant_id)

    def get(self, loan_id: str, *, for_update: bool = False) -> StoredLoan:
        """The merchant's loan (locked for the transaction when `for_update`), or NotFound."""
        row = self.rows.get(loan_id, for_update=for_update)
        if row is None:
            raise NotFound("loan", loan_id, param="id")
        return StoredLoan(row)

    def page(
        self,
        limit: int,
        starting_after: str | None,
        *,
        status: str | None = None,
        customer: str | None = None,
    ) -> Page[LoanRow]:
        """Newest first, of one status and one customer if given; NotFound when the cursor is
        no loan of the merchant."""
        filters = []
        if status:
            filters.append(LoanRow.status == status)
        if customer:
            filters.append(LoanRow.customer_id == customer)
        page = self.rows.page(limit, starting_after, filters)
        if page is None:
            raise NotFound("loan", str(starting_after), param="starting_after")
        return page


class UnitOfWork:
    """One use case's session, caller, sandbox time, event recorder and repositories."""

    def __init__(self, sandbox: Sandbox, caller: Caller, *, read_only: bool = False) -> None:
        self.sandbox = sandbox
        self.caller = caller
        self.read_only = read_only
        self._block: AbstractContextManager[Session] | None = None
        self._session: Session | None = None
        self._clock: str | None = None
        self._now: datetime | None = None
        self._checkouts: Checkouts | None = None
        self._customers: Customers | None = None
        self._loans: Loans | None = None

    def __enter__(self) -> UnitOfWork:
        db = self.sandbox.db
        self._block = db.reader() if self.read_only else db.transaction()
        self._session = self._block.__enter__()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> bool | None:
        block, self._block, self._session = self._block, None, None
        assert block is not None, "the unit of work was not entered"
        return block.__exit__(kind, error, trace)

    @property
    def session(self) -> Session:
        """The session of the transaction this unit works in."""
        assert self._session is not None, "use the unit of work in a `with` block"
        return self._session

    @property
    def merchant_id(self) -> str:
        """The caller's merchant."""
        return self.caller.merchant.id

    def use_clock(self, test_clock: str | None) -> None:
        """Read sandbox time on this test clock (None: the merchant's own clock). Set it before
        the first `now`: the time of a unit of work is read once."""
        if self._now is not None and test_clock != self._clock:
            raise RuntimeError("the unit of work already read its time on another clock")
        self._clock = test_clock

    @property
    def now(self) -> datetime:
        """The merchant's sandbox time (on the test clock set with `use_clock`), read once."""
        if self._now is None:
            merchant = self.caller.merchant.id
            self._now = merchant_now(self.session, merchant, self.sandbox.wall, self._clock)
        return self._now

    def record(self, type_: str, obj: Mapping[str, object]) -> None:
        """Append the event `type_` carrying the object as it is after the change, at `now`."""
        record_event(self.session, self.caller, type_, obj, self.now)

    def record_checkout(self, type_: str, obj: CheckoutObject) -> CheckoutAnswer:
        """`record` for the checkout the write answers: its JSON is written once, for the
        event and for the answer."""
        answer = CheckoutAnswer.of(obj)
        record_event(self.session, self.caller, type_, obj, self.now, obj_json=answer.json)
        return answer

    @property
    def checkouts(self) -> Checkouts:
        """The merchant's checkouts."""
        if self._checkouts is None:
            self._checkouts = Checkouts(self.session, self.merchant_id)
        return self._checkouts

    @property
    def customers(self) -> Customers:
        """The merchant's customers."""
        if self._customers is None:
            self._customers = Customers(self.session, self.merchant_id)
        return self._customers

    @property
    def loans(self) -> Loans:
        """The merchant's loans."""
        if self._loans is None:
            self._loans = Loans(self.session, self.merchant_id)
        return self._loans

    @property
    def credit_reports(self) -> CreditReportRepository:
        """Credit reports pulled for the merchant's customers."""
        return CreditReportRepository(self.session, self.merchant_id)
