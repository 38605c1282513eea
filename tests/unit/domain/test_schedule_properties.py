"""Property tests: schedule invariants over thousands of random plans and amounts."""

import calendar
import itertools
from datetime import date, timedelta
from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from mock_server.domain.money import round_half_even
from mock_server.domain.plans import MONTHLY_TERMS, Plan
from mock_server.domain.schedule import (
    annuity_parts,
    build_installments,
    disclose,
    make_offer,
)

principals = st.integers(min_value=0, max_value=10**9)
aprs = st.integers(min_value=0, max_value=3600)
terms = st.sampled_from(MONTHLY_TERMS)
starts = st.dates(min_value=date(2000, 1, 1), max_value=date(2090, 12, 31))


@settings(max_examples=1500, deadline=None)
@given(principal=principals, apr_bps=aprs, term_count=st.integers(1, 60))
def test_annuity_parts_are_exact_and_non_negative(
    principal: int, apr_bps: int, term_count: int
) -> None:
    parts = annuity_parts(principal, apr_bps, term_count)
    assert len(parts) == term_count
    assert sum(p for p, _ in parts) == principal
    assert all(p >= 0 and i >= 0 for p, i in parts)
    if apr_bps == 0:
        assert all(i == 0 for _, i in parts)


@settings(max_examples=1500, deadline=None)
@given(principal=st.integers(1000, 10**9), apr_bps=st.integers(1, 3600), term_count=terms)
def test_regular_payments_are_equal_and_interest_follows_the_balance(
    principal: int, apr_bps: int, term_count: int
) -> None:
    parts = annuity_parts(principal, apr_bps, term_count)
    amounts = [p + i for p, i in parts]
    assert len(set(amounts[:-1])) <= 1
    rate = Fraction(apr_bps, 120000)
    balance = principal
    for p, i in parts:
        assert i == round_half_even(balance * rate)
        balance -= p
    assert balance == 0


@settings(max_examples=1500, deadline=None)
@given(
    amount=st.integers(1, 10**9),
    apr_bps=aprs,
    term_count=terms,
    start=starts,
)
def test_monthly_schedule_invariants(
    amount: int, apr_bps: int, term_count: int, start: date
) -> None:
    schedule = build_installments(amount, apr_bps, term_count, "month", start)
    d = disclose(apr_bps, schedule)
    assert d.amount_financed == amount
    assert d.finance_charge == sum(i.interest for i in schedule)
    assert d.total_of_payments == d.amount_financed + d.finance_charge
    for n, inst in enumerate(schedule, start=1):
        assert inst.sequence == n
        assert inst.amount == inst.principal + inst.interest + inst.fees
        assert min(inst.principal, inst.interest, inst.fees) >= 0
        due = inst.due_date
        assert (due.year * 12 + due.month) - (start.year * 12 + start.month) == n
        # Anchored on the start day, clamped to the month's last day.
        assert due.day == min(start.day, calendar.monthrange(due.year, due.month)[1])
    dates = [i.due_date for i in schedule]
    assert all(a < b for a, b in itertools.pairwise(dates))


@settings(max_examples=500, deadline=None)
@given(amount=st.integers(4, 10**8), start=starts)
def test_pay_in_4_invariants(amount: int, start: date) -> None:
    schedule = build_installments(amount, 0, 4, "two_weeks", start)
    assert sum(i.principal for i in schedule) == amount
    assert all(i.interest == 0 for i in schedule)
    assert [i.due_date for i in schedule] == [start + timedelta(days=14 * k) for k in range(4)]
    assert max(i.amount for i in schedule) - min(i.amount for i in schedule) <= 3


@settings(max_examples=300, deadline=None)
@given(apr_bps=aprs, term_count=terms, start=starts, data=st.data())
def test_offers_within_limits_disclose_consistently(
    apr_bps: int, term_count: int, start: date, data: st.DataObject
) -> None:
    plan = Plan.monthly("p", term_count, apr_bps)
    currency = data.draw(st.sampled_from(plan.currencies))
    amount = data.draw(
        st.integers(plan.min_amount[currency], plan.max_amount[currency]), label="amount"
    )
    offer = make_offer(plan, amount, currency, start)
    wire = offer.to_dict()
    schedule = wire["schedule"]
    assert isinstance(schedule, list)
    assert sum(e["amount"] for e in schedule) == wire["total_of_payments"]
    assert wire["installment_amount"] == schedule[0]["amount"]
    assert wire["first_due_date"] == schedule[0]["due_date"]
