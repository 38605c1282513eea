"""The event-driven clock walk against a plain day-by-day walk of the same servicing rules.

The day-by-day walk below is the schedule written the simplest way: every day, in order, the
payer acts (on-time and partial payers on each due date, late payers 15 days after each due
date, defaulters fail on each due date still owed), then late fees and the delinquency ladder
are assessed. `service_loan` visits only key dates; over a few hundred loans of every persona
tier and payer behaviour, every plan, full, partial and missing captures, and advances taken at
once or in uneven steps, both must give identical events (date, type, loan snapshot), balances,
statuses and histories.
"""

from __future__ import annotations

import functools
import itertools
import random
from datetime import date, timedelta
from typing import Any

import pytest

from mock_server.domain import DEFAULT_PLANS, InvalidTransition, Loan, LoanStatus
from mock_server.domain.ledger import due_lines
from mock_server.risk.personas import generate_personas
from mock_server.services.servicing import (
    LATE_PAYER_DAYS,
    LoanEvent,
    LoanWalk,
    next_key_date,
    service_loan,
)

SEED = 11
LOANS = 240
START = date(2026, 1, 10)
HORIZON = 420  # days: past the last due date of a 12-month plan plus charge-off
_STATUS_EVENTS = {
    LoanStatus.LATE: "loan.late",
    LoanStatus.DELINQUENT: "loan.delinquent",
    LoanStatus.CHARGED_OFF: "loan.charged_off",
    LoanStatus.PAID_OFF: "loan.paid_off",
    LoanStatus.ACTIVE: "loan.current",
    LoanStatus.EXPIRED: "loan.expired",
}
_SERVICING = (LoanStatus.ACTIVE, LoanStatus.LATE, LoanStatus.DELINQUENT)


def _emit(events: list[LoanEvent], loan: Loan, on: date, type_: str) -> None:
    events.append((on, type_, loan.to_dict()))


def _changed(events: list[LoanEvent], loan: Loan, on: date, before: LoanStatus) -> None:
    if loan.status is not before and loan.status in _STATUS_EVENTS:
        _emit(events, loan, on, _STATUS_EVENTS[loan.status])


def _pay_today(loan: Loan, behaviour: str, day: date, events: list[LoanEvent]) -> None:
    if behaviour == "late":
        if not any(i.due_date + timedelta(days=LATE_PAYER_DAYS) == day for i in loan.installments):
            return
    elif behaviour == "default":
        if any(i.due_date == day and i.unpaid > 0 for i in loan.installments):
            loan.observe(day)
            _emit(events, loan, day, "loan.payment_failed")
        return
    elif not any(i.due_date == day for i in loan.installments):
        return
    owed = sum(i.unpaid for i in due_lines(loan.installments, day))
    amount = owed // 2 if behaviour == "partial" else owed
    if amount <= 0:
        return
    before = loan.status
    try:
        loan.apply_payment(amount, day)
    except InvalidTransition:
        _emit(events, loan, day, "loan.payment_failed")
        return
    _emit(events, loan, day, "loan.payment_succeeded")
    _changed(events, loan, day, before)


def walk_day_by_day(loan: Loan, behaviour: str, start: date, end: date) -> list[LoanEvent]:
    """The old way: every day from `start` (exclusive) to `end`, the payer, then assessment."""
    events: list[LoanEvent] = []
    day = start
    while day < end:
        day += timedelta(days=1)
        if loan.status is LoanStatus.AUTHORIZED:
            if day >= loan.authorization_expires_at:
                loan.expire(max(loan.authorization_expires_at, loan.today))
                _emit(events, loan, loan.today, "loan.expired")
            continue
        if loan.status not in _SERVICING:
            break
        _pay_today(loan, behaviour, day, events)
        if loan.status not in _SERVICING:
            break
        before = loan.status
        loan.assess_late_fees(day)
        loan.mark_delinquency(day)
        _changed(events, loan, day, before)
    return events


def portfolio() -> list[tuple[str, str, dict[str, Any]]]:
    """Loans of every plan for personas of every tier: (tier, behaviour, loan data)."""
    rng = random.Random(SEED)
    made = []
    for n, persona in enumerate(generate_personas(SEED, LOANS)):
        plan = DEFAULT_PLANS[n % len(DEFAULT_PLANS)]
        amount = rng.choice((5_000, 25_000, 60_000, 129_900, 480_000))
        on = START - timedelta(days=rng.choice((0, 0, 0, 20, 75)))
        loan = Loan.authorize(plan, amount, "USD", on, id=f"loan_{n}")
        kind = n % 10
        if kind != 9:  # one in ten is never captured, so it expires
            loan.capture(amount // 2 if kind == 8 else None, on)
        made.append((persona.tier.value, persona.behaviour, loan.to_dict()))
    return made


PORTFOLIO = portfolio()
END = START + timedelta(days=HORIZON)


@functools.cache
def day_by_day(index: int) -> tuple[list[LoanEvent], dict[str, object]]:
    """The day-by-day outcome for one loan of the portfolio (walked once per test run)."""
    _, behaviour, data = PORTFOLIO[index]
    loan = Loan.from_dict(data)
    return walk_day_by_day(loan, behaviour, START, END), loan.to_dict()


def test_the_portfolio_covers_every_tier_behaviour_and_plan() -> None:
    tiers = {tier for tier, _, _ in PORTFOLIO}
    behaviours = {behaviour for _, behaviour, _ in PORTFOLIO}
    assert len(tiers) >= 6
    assert behaviours == {"on_time", "partial", "late", "default"}
    assert {data["plan"] for _, _, data in PORTFOLIO} == {p.id for p in DEFAULT_PLANS}


@pytest.mark.parametrize("steps", [1, 4, 17])
def test_jumping_from_key_date_to_key_date_equals_walking_every_day(steps: int) -> None:
    rng = random.Random(steps)
    statuses: set[str] = set()
    for index, (_, behaviour, data) in enumerate(PORTFOLIO):
        jumping = Loan.from_dict(data)
        cuts = sorted(rng.sample(range(1, HORIZON), steps - 1))
        bounds = [START, *(START + timedelta(days=c) for c in cuts), END]
        events: list[LoanEvent] = []
        for begin, stop in itertools.pairwise(bounds):
            events += service_loan(jumping, behaviour, begin, stop)
        assert (events, jumping.to_dict()) == day_by_day(index), (data["id"], behaviour)
        statuses.add(jumping.status.value)
    assert statuses >= {"paid_off", "charged_off", "expired", "delinquent"}


def test_a_loan_has_nothing_to_do_before_its_next_key_date() -> None:
    for _, behaviour, data in PORTFOLIO[:60]:
        loan = Loan.from_dict(data)
        after = START
        while (upcoming := next_key_date(loan, behaviour, after)) is not None:
            untouched = Loan.from_dict(loan.to_dict())
            if upcoming - after > timedelta(days=1):
                quiet = upcoming - timedelta(days=1)
                assert service_loan(untouched, behaviour, after, quiet) == []
                assert untouched.status is loan.status
            service_loan(loan, behaviour, after, upcoming)
            after = upcoming
        assert loan.status not in _SERVICING


def test_a_walk_taken_in_stops_leaves_the_loan_as_walking_each_stretch_does() -> None:
    """`LoanWalk` as a clock advance takes it (key dates listed once; stops at each key date the
    loan book queues and at other dates, as periodic work brings): at every stop the same
    events and the same loan as `service_loan` over that stretch, the same next key date as
    `next_key_date`, and in the end the same as walking every day."""
    rng = random.Random(5)
    for index, (_, behaviour, data) in enumerate(PORTFOLIO):
        walked, stretched = Loan.from_dict(data), Loan.from_dict(data)
        walk = LoanWalk(walked, behaviour, START, END)
        events: list[LoanEvent] = []
        after = START
        while after < END:
            upcoming = next_key_date(walked, behaviour, after)
            assert walk.next_stop(after) == upcoming, (data["id"], behaviour, after)
            stop = min(END, after + timedelta(days=rng.randint(1, 40)), upcoming or END)
            stretch = service_loan(stretched, behaviour, after, stop)
            assert walk.to(stop) == stretch, (data["id"], behaviour, stop)
            assert walked.to_dict() == stretched.to_dict(), (data["id"], behaviour, stop)
            events += stretch
            after = stop
        assert (events, walked.to_dict()) == day_by_day(index), (data["id"], behaviour)
