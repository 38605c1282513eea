"""The loans a clock advance holds in memory: read once, walked, written back in batches.

An advance reads the merchant's open loans in one statement (core rows, no ORM objects: the
advance never needs the identity map, and thousands of rows would fill it), walks each loan
through its key dates (`loan_walk`), and at each periodic date and at the end writes what
changed: one UPDATE executed for all the loans serviced since the last write, one INSERT for
their events (`events.record_events`). Periodic work reads the held loans through
`Occasion.loans` (see `services.periodic`) and records what it changes on them there.
"""

from __future__ import annotations

import heapq
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import bindparam, select, update
from sqlalchemy.orm import Session

from mock_server.domain import Loan
from mock_server.domain.states import SERVICING
from mock_server.risk.identity import Identity
from mock_server.risk.personas import person_for_identity
from mock_server.services.context import Caller, Sandbox
from mock_server.services.events import record_events
from mock_server.services.loan_walk import LoanWalk
from mock_server.services.periodic import HeldLoan, event_time
from mock_server.services.presenters import LoanMemo, loan_object
from mock_server.storage.bulk import GrowingJsonList, execute_many
from mock_server.storage.models import CustomerRow, LoanRow

__all__ = ["OPEN_STATUSES", "LoanBook", "on_clock"]

OPEN_STATUSES = ("authorized", "active", "late", "delinquent")
_LOANS = LoanRow.metadata.tables[LoanRow.__tablename__]
_STORE = (
    update(_LOANS)
    .where(_LOANS.c.id == bindparam("loan_id"))
    .values(data=bindparam("loan_data"), status=bindparam("loan_status"))
)
_STORE_REPORTED = _STORE.values(furnished=bindparam("loan_furnished"))
_STORE_FURNISHED = (
    update(_LOANS)
    .where(_LOANS.c.id == bindparam("loan_id"))
    .values(furnished=bindparam("loan_furnished"))
)


def on_clock(column: Any, test_clock: str | None) -> Any:
    """Rows on this test clock, or (None) the rows no test clock holds."""
    return column.is_(None) if test_clock is None else column == test_clock


@dataclass(slots=True)
class _Account(HeldLoan):
    """One open loan while the clock runs: what its events show of the row, its domain object,
    its customer's behaviour, how far it was walked and whether it changed since stored."""

    checkout_id: str
    customer_id: str
    created: datetime
    behaviour: str
    through: date
    walk: LoanWalk  # from the advance's start to its end
    changed: bool = False
    refurnished: bool = False  # its `furnished` record changed since stored
    memo: LoanMemo = field(default_factory=LoanMemo)
    history_json: GrowingJsonList = field(default_factory=GrowingJsonList)  # as last shown

    @property
    def id(self) -> str:
        """The loan's id."""
        return self.loan.id

    @property
    def data(self) -> dict[str, Any]:
        """The loan's stored data now (`Loan.to_dict()`)."""
        return self.loan.to_dict()

    def shown(self, data: dict[str, Any]) -> dict[str, Any]:
        """`data` (a fresh `Loan.to_dict()`, or an object built from one), changed to be
        stored as JSON: the same document, its history as text that serializes each entry
        once (see `storage.bulk.GrowingJsonList`; the schedule, a dozen entries of which any
        may change, orjson writes as fast as they could be looked up)."""
        data["history"] = self.history_json.fragment(data["history"])
        return data


@dataclass(slots=True)
class LoanBook:
    """The merchant's open loans in memory, with a queue of the next date each has work on."""

    session: Session
    caller: Caller
    accounts: list[_Account]
    counts: Counter[str]
    queue: list[tuple[date, int]] = field(default_factory=list)
    pending: list[tuple[str, dict[str, Any], datetime]] = field(default_factory=list)
    changed: list[_Account] = field(default_factory=list)  # since the last store, in order
    refurnished: list[_Account] = field(default_factory=list)  # `furnished` changed since then
    times: dict[date, datetime] = field(default_factory=dict)  # each event date's instant

    @classmethod
    def load(
        cls,
        session: Session,
        sandbox: Sandbox,
        caller: Caller,
        start: date,
        end: date,
        counts: Counter[str],
        test_clock: str | None = None,
    ) -> LoanBook:
        """Read the open loans on one clock and each customer's repayment behaviour, to walk
        them from sandbox date `start` to `end`."""
        rows = session.execute(
            select(
                _LOANS.c.id,
                _LOANS.c.checkout_id,
                _LOANS.c.customer_id,
                _LOANS.c.created,
                _LOANS.c.furnished,
                _LOANS.c.data,
            )
            .where(
                _LOANS.c.merchant_id == caller.merchant.id,
                _LOANS.c.status.in_(OPEN_STATUSES),
                on_clock(_LOANS.c.test_clock_id, test_clock),
            )
            .order_by(_LOANS.c.seq)
            .with_for_update()  # a payment or refund in another process waits for the advance
        ).all()
        behaviours = _behaviours(session, sandbox, {row.customer_id for row in rows})
        accounts = []
        for row in rows:
            loan, behaviour = Loan.from_dict(row.data), behaviours[row.customer_id]
            accounts.append(
                _Account(
                    loan,
                    row.furnished,
                    checkout_id=row.checkout_id,
                    customer_id=row.customer_id,
                    created=row.created,
                    behaviour=behaviour,
                    through=start,
                    walk=LoanWalk(loan, behaviour, start, end),
                )
            )
        book = cls(session, caller, accounts, counts)
        if sandbox.periodic and test_clock is None:  # only needed to stop between dates
            for index in range(len(accounts)):
                book._schedule(index)
        return book

    @property
    def held(self) -> dict[str, HeldLoan]:
        """The loans held, by id (what periodic work sees as `Occasion.loans`)."""
        return {account.loan.id: account for account in self.accounts}

    def _schedule(self, index: int) -> None:
        account = self.accounts[index]
        upcoming = account.walk.next_stop(account.through)
        if upcoming is not None:
            heapq.heappush(self.queue, (upcoming, index))

    def service_due(self, on: date, target: datetime, *, store: bool = True) -> None:
        """Service every loan with work on or before `on` through `on` and record its events;
        store the changed loans too unless `store` is False (they are then stored later)."""
        while self.queue and self.queue[0][0] <= on:
            _, index = heapq.heappop(self.queue)
            self._service(self.accounts[index], on, target)
            self._schedule(index)
        self.store(loans=store)

    def service_all(self, target: datetime) -> None:
        """Service every loan through the target date and store it."""
        for account in self.accounts:
            self._service(account, target.date(), target)
        self.store()

    def _service(self, account: _Account, on: date, target: datetime) -> None:
        loan = account.loan
        before = loan.as_of, loan.status
        events = account.walk.to(on)
        account.through = on
        # A loan still serviced was walked to `on`; any other changed only if its date, status
        # or events did (a closed loan the book still holds is left as stored).
        if not account.changed and (
            events or loan.status in SERVICING or (loan.as_of, loan.status) != before
        ):
            account.changed = True
            self.changed.append(account)
        for day, type_, snapshot in events:
            at = self.times.get(day)
            if at is None:
                at = self.times[day] = event_time(day, target)
            obj = account.shown(loan_object(account, snapshot, account.memo))
            self.pending.append((type_, obj, at))
            self.counts[type_] += 1

    def keep_furnished(self, held: HeldLoan) -> None:
        """Store the held loan's changed `furnished` record with the loans (see
        `services.periodic`): a loan reported at every month-end is written once."""
        account = held
        if not isinstance(account, _Account):
            raise TypeError(f"loan {held.loan.id} is not one this book holds")
        if not account.refurnished:
            account.refurnished = True
            self.refurnished.append(account)

    def store(self, *, loans: bool = True) -> None:
        """Write the events recorded since the last store (one INSERT) and, unless `loans` is
        False, the loans changed since (one UPDATE executed for all of them; the changed
        `furnished` records with them, or by one UPDATE of their own)."""
        if loans and (self.changed or self.refurnished):
            stored: list[dict[str, Any]] = []
            reported: list[dict[str, Any]] = []
            for account in self.changed:
                row: dict[str, Any] = {
                    "loan_id": account.loan.id,
                    "loan_data": account.shown(account.loan.to_dict()),
                    "loan_status": account.loan.status.value,
                }
                if account.refurnished:
                    row["loan_furnished"] = account.furnished
                    account.refurnished = False
                    reported.append(row)
                else:
                    stored.append(row)
                account.changed = False
            furnished = [
                {"loan_id": account.loan.id, "loan_furnished": account.furnished}
                for account in self.refurnished
                if account.refurnished
            ]
            execute_many(self.session, _STORE, stored)
            execute_many(self.session, _STORE_REPORTED, reported)
            execute_many(self.session, _STORE_FURNISHED, furnished)
            for account in self.refurnished:
                account.refurnished = False
            self.changed, self.refurnished = [], []
        record_events(self.session, self.caller, self.pending)
        self.pending.clear()


def _behaviours(session: Session, sandbox: Sandbox, customer_ids: set[str]) -> dict[str, str]:
    """Each customer's repayment behaviour (fixed by persona tier and the sandbox seed)."""
    customers = session.execute(
        select(CustomerRow.id, CustomerRow.data).where(CustomerRow.id.in_(customer_ids))
    )
    seed = sandbox.settings.seed
    return {
        c.id: person_for_identity(seed, Identity.from_dict(c.data)).behaviour for c in customers
    }
