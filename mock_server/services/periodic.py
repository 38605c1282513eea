"""The sandbox clock's seam for periodic work: what runs at month-ends, day boundaries, and so on.

A clock advance does not walk days. It visits only the dates on which something happens: each
loan's due dates and timers (see `servicing`), and the occasions of the periodic work registered
on the sandbox. To add periodic work (month-end credit furnishing, daily payouts, ...), register
a `PeriodicWork` once, when the sandbox is built, and write nothing in the advance loop::

    def furnish(occasion: Occasion) -> None:
        rows = occasion.session.scalars(...)   # loans as they stand at the end of occasion.on
        occasion.record("furnishing_file.created", {...})

    sandbox.periodic.append(PeriodicWork("metro2_furnishing", month_ends, furnish))

What an advance from sandbox date `start` to `target` guarantees to each registered work:
- it runs once for every date its cadence yields in (start, target.date()], in date order, and
  never twice for one date (advancing in steps equals advancing at once; advancing to the current
  date runs nothing);
- when it runs for date D, every loan has been serviced through D (the day's payments, late fees
  and delinquency are done, and their events recorded) and written to the session, so a query
  sees the loans as of D's close; the loans the advance holds (its open loans) are also in
  `Occasion.loans` (by id: the domain `Loan` as of D's close and its `furnished` record). Work
  that reads the held loans only from there declares `reads_stored_loans=False`: on a date
  where no other work reads them, the advance then writes each loan once at the end instead
  of at every such date (their stored `data` and `status` may be those of the advance's start
  until then). Work that changes a held loan's `furnished` column sets it there too, so the
  events recorded later show it, and hands the loan to `Occasion.keep_furnished` (when given)
  instead of writing the column: the advance writes it with the loan's next store, which comes
  before any work that reads stored loans (a loan reported every month-end is written once);
- works that share a date run in the order they were registered;
- `Occasion.scratch` is one dict for all the occasions of an advance (a work keeps there, under
  its name, what it read at one date and knows to be unchanged at the next: the advance is one
  transaction and nothing else runs in it between the dates); a work whose writes nothing
  else in the advance reads may leave them to `Occasion.finishing`, which the advance runs
  once its periodic work is done;
- it runs inside the advance's one transaction: what it writes commits with the advance or not
  at all; events it records through `Occasion.record` are dated at D (at the advance's time of
  day, never after the target) and counted in the advance's answer.

A cadence is a plain function `(after, until) -> dates`, so a test clock or another calendar can
bring its own; `every_day` and `month_ends` are the common ones.
"""

from __future__ import annotations

import calendar
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy.orm import Session

if TYPE_CHECKING:
    from mock_server.domain import Loan
    from mock_server.services.context import Caller, Sandbox

__all__ = [
    "Cadence",
    "HeldLoan",
    "Occasion",
    "PeriodicWork",
    "agenda",
    "event_time",
    "every_day",
    "month_ends",
]

Cadence = Callable[[date, date], Iterable[date]]


def every_day(after: date, until: date) -> Iterator[date]:
    """Every date in (after, until]: a day-boundary cadence."""
    day = after + timedelta(days=1)
    while day <= until:
        yield day
        day += timedelta(days=1)


def month_ends(after: date, until: date) -> Iterator[date]:
    """The last day of each month in (after, until]."""
    year, month = after.year, after.month
    while True:
        last = date(year, month, calendar.monthrange(year, month)[1])
        if last > until:
            return
        if last > after:
            yield last
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)


def event_time(on: date, target: datetime) -> datetime:
    """The instant an event of sandbox date `on` carries during an advance to `target`: that
    date at the target's time of day, never after the target."""
    return min(datetime.combine(on, time(target.hour, target.minute), tzinfo=target.tzinfo), target)


@dataclass(slots=True)
class HeldLoan:
    """A loan an advance holds in memory: its domain object and its stored `furnished` record."""

    loan: Loan
    furnished: dict[str, Any] | None


@dataclass(frozen=True, slots=True)
class Occasion:
    """One run of periodic work: the advance's session, sandbox and caller, the date, and the
    loans the advance holds (by id)."""

    session: Session
    sandbox: Sandbox
    caller: Caller
    on: date
    target: datetime
    counts: Counter[str]
    loans: Mapping[str, HeldLoan] = field(default_factory=dict)
    # Who stores a held loan's changed `furnished` record (see the module docstring); None:
    # the work writes it itself.
    keep_furnished: Callable[[HeldLoan], None] | None = None
    # What a work keeps from one of the advance's occasions to the next (by the work's name):
    # the same dict for every occasion of one advance, a fresh one outside an advance.
    scratch: dict[str, Any] = field(default_factory=dict)
    # What works ask the advance to run once its periodic work is done (in order, before its
    # loans' last store; see the module docstring); None outside an advance.
    finishing: list[Callable[[], None]] | None = None

    @property
    def at(self) -> datetime:
        """The instant this occasion's events carry."""
        return event_time(self.on, self.target)

    def record(self, type_: str, obj: Mapping[str, object]) -> None:
        """Record an event (and its webhook deliveries) dated at this occasion; count it."""
        from mock_server.services.events import record_event  # events import this package

        record_event(self.session, self.caller, type_, obj, self.at)
        self.counts[type_] += 1


@dataclass(frozen=True, slots=True)
class PeriodicWork:
    """Work the clock runs on each date its cadence yields (see the module docstring)."""

    name: str
    cadence: Cadence
    run: Callable[[Occasion], None]
    reads_stored_loans: bool = True


def agenda(
    works: Iterable[PeriodicWork], after: date, until: date
) -> list[tuple[date, list[PeriodicWork]]]:
    """The dates in (after, until] on which registered work runs, in order, each with its works
    in registration order (a date a cadence yields twice still runs its work once)."""
    by_date: dict[date, list[PeriodicWork]] = {}
    for work in works:
        for on in work.cadence(after, until):
            runs = by_date.setdefault(on, [])
            if after < on <= until and work not in runs:
                runs.append(work)
    return sorted(((on, runs) for on, runs in by_date.items() if runs), key=lambda item: item[0])
