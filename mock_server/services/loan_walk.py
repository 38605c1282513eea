"""One loan's repayment walk: from key date to key date, never day by day.

A loan's key dates between two sandbox dates are the days on which its customer's behaviour may
move money (every installment's due date; `LATE_PAYER_DAYS` after it for late payers; for
defaulters only the due dates still owed) and the days on which an installment still owed
crosses a line (the day after its grace period: a late fee and `late`; 30 days: `delinquent`;
120 days: `charged_off`), plus the last date. An assessment day belongs to the installments that
put it there: when each of them has been paid by then it is skipped, since no fee, flag or
status can change on it (an installment once paid is never owed again, and every one still owed
has already been assessed on its own days). So an on-time payer visits its due dates and the
end; a defaulter its due dates and the ladder. For the same reason an installment's ladder is
listed a step at a time: its first day at the start (or, when it falls due later and its
customer pays everything owed then, once the walk has paid on that day with it still owed),
each next one when the walk reaches the one before with the installment still owed
(`LoanWalk.to`); one paid by then has no later day.

The result equals walking every day (tests/server/test_clock_event_driven.py compares the two
over a few hundred loans of every tier and behaviour).
"""

from __future__ import annotations

import bisect
import functools
from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any, Final

from mock_server.domain import InvalidTransition, Loan, LoanStatus
from mock_server.domain.ledger import CalendarMemo
from mock_server.domain.states import CHARGE_OFF_DAYS, DELINQUENT_DAYS, SERVICING

__all__ = ["LATE_PAYER_DAYS", "LoanEvent", "LoanWalk", "next_key_date", "service_loan"]

LATE_PAYER_DAYS: Final = 15
LoanEvent = tuple[date, str, dict[str, Any]]
_PAY_ACTION: Final = {"partial": "pay_half", "default": "fail"}
_PAYMENT, _ASSESSMENT = 1, 2  # payments come before assessments on the same day
_STATUS_EVENTS: Final = {
    LoanStatus.LATE: "loan.late",
    LoanStatus.DELINQUENT: "loan.delinquent",
    LoanStatus.CHARGED_OFF: "loan.charged_off",
    LoanStatus.PAID_OFF: "loan.paid_off",
    LoanStatus.ACTIVE: "loan.current",
    LoanStatus.EXPIRED: "loan.expired",
}
_ALWAYS: Final[tuple[int, ...]] = ()
# (day as `date.toordinal`, order, action, the installments an assessment day is for): days
# as ordinals, since most listed days are only compared and sorted, never visited. An
# assessment day's installments are a list the walk adds to as they climb their ladders
# (`LoanWalk.to`), the day's entry in the walk's `_ladder`; empty (or `_ALWAYS`): for the loan.
KeyDate = tuple[int, int, str, Sequence[int]]


# Each day by its ordinal (`date.fromordinal`, ~1.6k instructions a call): the walk visits
# the calendar's days loan after loan.
_DAYS: Final = CalendarMemo(date.fromordinal)


@functools.cache
def _ladder(grace_days: int) -> tuple[int, ...]:
    """An owed installment's assessment days as days after its due date, in order: the day
    after its grace period (the fee, `late`), `delinquent`, `charged_off`."""
    return tuple(sorted({grace_days + 1, DELINQUENT_DAYS, CHARGE_OFF_DAYS}))


def _key_dates(
    loan: Loan, behaviour: str, start: date, end: date
) -> tuple[list[KeyDate], dict[int, list[int]], dict[int, list[int]]]:
    """Every date in (start, end] on which something may happen to the loan, in order (payments
    before assessments on the same day), `end` always included: (date as its ordinal, order,
    action, the installments an assessment day is for, empty when it is for the loan); the
    assessment days' installments by day; and the installments whose ladder starts when the
    walk has paid on their due date, by that day. Payment days come from every installment's
    due date whatever was paid since, so advancing in steps matches advancing at once;
    assessment days only from installments still owed, the first day of each one's ladder in
    (start, end) (and the next when that is the catch-up day, which is for the loan):
    `LoanWalk.to` lists the next as it reaches each. An installment falling due after `start`
    on which its customer pays everything owed (on time) has even its first day listed by the
    walk, after that payment and only if it is still owed then: it never is, as a rule, so
    those days are not listed, sorted and skipped for nothing (a partial payer's or a
    defaulter's stay owed: listed here, at once, they cost less than one by one)."""
    ladder = _ladder(loan.late_fee_policy.grace_days)
    first, last = start.toordinal(), end.toordinal()
    # time passed since its last activity: catch up first, whatever is owed (no owners)
    catch_up = first + 1 if loan.today.toordinal() < first < last - 1 else 0
    assess: dict[int, list[int]] = {}
    rungs: dict[int, list[int]] = {}
    pays: set[int] = set()
    late_payer, defaulter = behaviour == "late", behaviour == "default"
    action = _PAY_ACTION.get(behaviour, "pay")
    lazy = action == "pay" and not late_payer  # pays everything owed on each due date
    for index, inst in enumerate(loan.installments):
        due = inst.due_date.toordinal()
        if due > last:
            continue
        # `inst.unpaid > 0`, written out: asked of every installment each time dates are listed
        owed = (
            inst.principal + inst.interest + inst.fees
            > inst.paid_principal + inst.paid_interest + inst.paid_fees
        )
        if owed and due > first and lazy:  # listed, if still owed, once paid on (`rungs`)
            rungs.setdefault(due, []).append(index)
        elif owed:  # the fee, then the ladder: its first day in (start, end)
            for step in ladder:
                on = due + step
                if on >= last:
                    break
                if on > first:
                    assess.setdefault(on, []).append(index)
                    if on != catch_up:
                        break
        if late_payer:
            pays.add(due + LATE_PAYER_DAYS)
        elif owed or not defaulter:
            pays.add(due)
    if catch_up:
        assess[catch_up] = []  # for the loan: the owners' next days are listed already
    keys: list[KeyDate] = [(on, _PAYMENT, action, _ALWAYS) for on in pays if first < on <= last]
    keys += [(on, _ASSESSMENT, "assess", owners) for on, owners in assess.items()]
    keys.append((last, _ASSESSMENT, "assess", _ALWAYS))
    keys.sort()
    return keys, assess, rungs


@functools.cache
def _steps(grace_days: int) -> tuple[timedelta, ...]:
    """An owed installment's key dates after its due date, the due date first, in order."""
    days = sorted((0, grace_days + 1, DELINQUENT_DAYS, CHARGE_OFF_DAYS))
    return tuple(timedelta(days=n) for n in days)


def next_key_date(loan: Loan, behaviour: str, after: date) -> date | None:
    """The first date after `after` on which the loan has something to do (None: nothing ever
    again), so a clock can leave the loan alone until then."""
    if loan.status is LoanStatus.AUTHORIZED:
        return max(loan.authorization_expires_at, after + timedelta(days=1))
    if loan.status not in SERVICING:
        return None
    # The earliest of the dates `_key_dates` would list, without listing them all; a due date
    # still owed also counts: it changes what the loan shows (an entry turns `due`).
    steps = _steps(loan.late_fee_policy.grace_days)
    late_payer, defaulter = behaviour == "late", behaviour == "default"
    best = after + timedelta(days=1) if loan.today < after else date.max  # the catch-up
    for inst in loan.installments:
        due = inst.due_date
        if (  # `inst.unpaid > 0`, written out (see `_key_dates`)
            inst.principal + inst.interest + inst.fees
            > inst.paid_principal + inst.paid_interest + inst.paid_fees
        ):
            for step in steps:
                on = due + step
                if after < on < best:
                    best = on
                    break  # the ladder's later steps come later still
        if late_payer:
            due += timedelta(days=LATE_PAYER_DAYS)
        elif defaulter:
            continue  # a defaulter's paying days are its owed due dates, counted above
        if after < due < best:
            best = due
    return None if best == date.max else best


def service_loan(loan: Loan, behaviour: str, start: date, end: date) -> list[LoanEvent]:
    """Walk one loan from `start` to `end`, visiting only its key dates; answer its events in
    order, each with the loan as it was right after (one event's snapshot is shared with the
    status change it caused: both describe the same moment; treat them as read-only)."""
    return LoanWalk(loan, behaviour, start, end).to(end)


class LoanWalk:
    """One loan's walk from `start` to `end` taken in stops (`to`), as a clock advance takes it
    between periodic dates: the key dates are listed once, at the first stop, and each stop
    walks those up to it, leaving the loan as `service_loan(loan, behaviour, previous stop,
    stop)` would, with the same events (an installment once paid is never owed again, so a
    later listing would only drop days the walk skips anyway), but for the installments'
    ladders, which it lists a day at a time as it walks (`_climb`). That walk ends by assessing the
    loan on the stop's date; here a stop that is not an assessment day of its own only brings
    the loan's date to it (`Loan.observe`), since an assessment changes nothing else between
    key dates: every fee and step of the ladder falls on one (the module docstring), and a
    payment's cure leaves the status where the ladder puts it. (py-spy over an advance of
    1,000 loans: listing the key dates again at every stop was ~5% of it, the stops' own
    assessments ~3%.)"""

    __slots__ = (
        "_dues",
        "_keys",
        "_ladder",
        "_next",
        "_rungs",
        "_start",
        "behaviour",
        "end",
        "loan",
    )

    def __init__(self, loan: Loan, behaviour: str, start: date, end: date) -> None:
        self.loan, self.behaviour, self.end = loan, behaviour, end
        self._start = start
        self._keys: list[KeyDate] | None = None
        # The assessment days' installments by day (`_key_dates`), added to by `_climb`.
        self._ladder: dict[int, list[int]] = {}
        # The installments whose ladder starts after their due date's payment (`_key_dates`).
        self._rungs: dict[int, list[int]] = {}
        self._next = 0
        # A late payer's due dates before `end` still owed when listed (with the installment):
        # dates `next_key_date` stops at (an entry turns `due`) that are no key date of its.
        self._dues: list[tuple[date, int]] = []

    def _listed(self) -> list[KeyDate]:
        """The key dates (listed at the first call)."""
        keys = self._keys
        if keys is None:
            loan = self.loan
            keys, self._ladder, self._rungs = _key_dates(
                loan, self.behaviour, self._start, self.end
            )
            self._keys = keys
            if self.behaviour == "late":
                self._dues = [
                    (inst.due_date, index)
                    for index, inst in enumerate(loan.installments)
                    if self._start < inst.due_date < self.end and inst.unpaid > 0
                ]
        return keys

    def _climb(self, index: int, day: int) -> bool:
        """List the next day of installment `index`'s ladder after `day` (an ordinal), its day
        reached with the installment still owed, when before `end`; answer whether it was."""
        on = self.loan.installments[index].due_date.toordinal()
        for step in _ladder(self.loan.late_fee_policy.grace_days):
            if on + step > day:
                on += step
                break
        else:
            return False
        if on >= self.end.toordinal():
            return False
        owners = self._ladder.get(on)
        if owners is not None:  # listed already, for others
            owners.append(index)
            return False
        assert self._keys is not None  # listed before the walk reached any day
        self._ladder[on] = [index]
        bisect.insort(self._keys, (on, _ASSESSMENT, "assess", self._ladder[on]))
        return True

    def next_stop(self, after: date) -> date | None:
        """`next_key_date(loan, behaviour, after)` for the walk taken to `after` (or not yet
        started, at `after` == start), found in the listed key dates rather than by going over
        every installment again: the same dates there, with the same installments still owed,
        before `end` (from `end` on, `next_key_date` itself answers)."""
        loan = self.loan
        if loan.status not in SERVICING:
            return next_key_date(loan, self.behaviour, after)
        keys = self._listed()
        installments = loan.installments
        best: date | None = None
        past = after.toordinal()
        for at in range(self._next, len(keys) - 1):  # the last is `end`'s own assessment
            day, order, _, owners = keys[at]
            if day <= past:
                continue
            if order == _PAYMENT or not owners:
                best = _DAYS[day]
                break
            for i in owners:
                if installments[i].unpaid:
                    break
            else:
                continue  # every installment it was for has been paid
            best = _DAYS[day]
            break
        for due, index in self._dues:
            if after < due and (best is None or due < best) and installments[index].unpaid:
                best = due
                break
        if best is None or best >= self.end:
            return next_key_date(loan, self.behaviour, after)
        return best

    def to(self, until: date) -> list[LoanEvent]:
        """Walk on through `until` (after the previous stop, at most `end`); answer the events
        as `service_loan` does."""
        loan = self.loan
        events: list[LoanEvent] = []
        if loan.status is LoanStatus.AUTHORIZED:
            if until >= loan.authorization_expires_at:
                loan.expire(max(loan.authorization_expires_at, loan.today))
                events.append((loan.today, "loan.expired", loan.to_dict()))
            return events
        keys = self._listed()
        installments = loan.installments
        own = "observe"  # the stop's own step, after the key dates up to it
        at, count = self._next, len(keys)
        last = until.toordinal()
        while True:
            if at < count and keys[at][0] <= last:
                ordinal, order, action, owners = keys[at]
                at += 1
                owed = False  # whether an installment this day is for is still owed
                for i in owners:
                    i_ = installments[i]  # `unpaid`, written out
                    if (
                        i_.paid_principal == i_.principal
                        and i_.paid_interest == i_.interest
                        and i_.paid_fees == i_.fees
                    ):
                        continue  # paid: compared part by part first, no sums built
                    if i_.principal + i_.interest + i_.fees != (
                        i_.paid_principal + i_.paid_interest + i_.paid_fees
                    ):
                        owed = True
                        if self._climb(i, ordinal):  # its next step, listed after this day
                            count += 1
                if ordinal == last and order == _ASSESSMENT:
                    own = "assess"  # the stop's own step is that assessment
                    continue
                status = loan.status
                if status not in SERVICING:
                    break
                if owners and not owed:
                    continue  # every installment this day was for has been paid: nothing changes
                day = _DAYS[ordinal]
            elif own:
                action, own = own, ""
                status = loan.status
                if status not in SERVICING:
                    break
                day = until
            else:
                break
            today = loan.as_of or loan.authorized_on  # `loan.today`, without the property call
            if day < today:  # max(day, today), compared
                day = today
            if action == "assess":
                loan.assess(day)  # `assess_late_fees` and `mark_delinquency`, in one pass
                if loan.status is not status and loan.status in _STATUS_EVENTS:
                    events.append((day, _STATUS_EVENTS[loan.status], loan.to_dict()))
                continue
            if action == "observe":
                loan.observe(day)
                continue
            if action == "fail":
                loan.observe(day)
                events.append((day, "loan.payment_failed", loan.to_dict()))
            else:
                try:  # `owed_on(day)`, or half of it, unless that is nothing
                    paid = loan.pay_due(day, half=action == "pay_half")
                except InvalidTransition:
                    events.append((day, "loan.payment_failed", loan.to_dict()))
                else:
                    if paid:
                        snapshot = loan.to_dict()
                        events.append((day, "loan.payment_succeeded", snapshot))
                        if loan.status is not status and loan.status in _STATUS_EVENTS:
                            events.append((day, _STATUS_EVENTS[loan.status], snapshot))
            rungs = self._rungs.get(ordinal)  # installments due today: still owed, they climb
            if rungs is not None:
                for i in rungs:  # once per installment and walk: `unpaid` as it is
                    if installments[i].unpaid and self._climb(i, ordinal):
                        count += 1
        self._next = at
        return events
