"""Schedules: month arithmetic, amortization, disclosures, offers and 'as low as'."""

from dataclasses import replace
from datetime import date

import pytest

from mock_server.domain.plans import DEFAULT_PLANS, Plan, get_plan
from mock_server.domain.schedule import (
    Installment,
    LowestPayment,
    PlanNotEligible,
    add_months,
    amortize,
    annuity_parts,
    build_installments,
    build_schedule,
    lowest_monthly_payment,
    make_offer,
)


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        (date(2024, 1, 31), 1, date(2024, 2, 29)),  # leap year
        (date(2023, 1, 31), 1, date(2023, 2, 28)),
        (date(2024, 1, 31), 2, date(2024, 3, 31)),  # anchored on the 31st, not on 29 Feb
        (date(2024, 1, 31), 3, date(2024, 4, 30)),
        (date(2024, 11, 15), 2, date(2025, 1, 15)),  # year rollover
        (date(2024, 3, 31), -1, date(2024, 2, 29)),
        (date(2024, 5, 10), 0, date(2024, 5, 10)),
        (date(2024, 1, 30), 36, date(2027, 1, 30)),
    ],
)
def test_add_months_anchors_on_the_start_day(start: date, n: int, expected: date) -> None:
    assert add_months(start, n) == expected


# Regular payments from the textbook annuity formula P = L * r / (1 - (1 + r) ** -n), r = APR / 12,
# computed independently of this code and rounded to the minor unit:
#   1,000.00 at 12%    for 12 months: 88.8488  -> 88.85
#  10,000.00 at 6%     for 36 months: 304.2194 -> 304.22
#  20,000.00 at 5%     for 60 months: 377.4247 -> 377.42
#   1,299.00 at 14.99% for 12 months: 117.2394 -> 117.24
#   5,000.00 at 24.99% for 36 months: 198.7727 -> 198.77
#   2,000.00 at 19.99% for 24 months: 101.7818 -> 101.78
# 120,000 JPY at 15%   for 12 months: 10830.9975 -> 10,831
#     500.00 at 36%    for 3 months:  176.7652 -> 176.77
# The finance charge is n * P - L up to rounding (at most a few minor units over the term).
@pytest.mark.parametrize(
    ("principal", "apr_bps", "n", "payment", "approx_charge"),
    [
        (100000, 1200, 12, 8885, 6619),
        (1000000, 600, 36, 30422, 95190),
        (2000000, 500, 60, 37742, 264548),
        (129900, 1499, 12, 11724, 10787),
        (500000, 2499, 36, 19877, 215582),
        (200000, 1999, 24, 10178, 44276),
        (120000, 1500, 12, 10831, 9972),
        (50000, 3600, 3, 17677, 3030),
    ],
)
def test_annuity_payment_matches_the_textbook_formula(
    principal: int, apr_bps: int, n: int, payment: int, approx_charge: int
) -> None:
    parts = annuity_parts(principal, apr_bps, n)
    amounts = [p + i for p, i in parts]
    assert amounts[:-1] == [payment] * (n - 1)
    assert abs(amounts[-1] - payment) <= n  # the final payment absorbs the rounding
    assert sum(p for p, _ in parts) == principal
    assert abs(sum(i for _, i in parts) - approx_charge) <= n


def test_first_installment_interest_is_one_month_on_the_full_balance() -> None:
    principal, interest = annuity_parts(100000, 1200, 12)[0]
    assert interest == 1000  # 1% of 1,000.00
    assert principal == 8885 - 1000


def test_zero_apr_splits_principal_evenly_with_remainder_last() -> None:
    assert annuity_parts(1000, 0, 3) == [(333, 0), (333, 0), (334, 0)]
    assert annuity_parts(1200, 0, 6) == [(200, 0)] * 6


def test_amortize_dates_follow_the_first_due_day() -> None:
    schedule = amortize(100000, 1200, 3, date(2024, 1, 31))
    assert [i.due_date for i in schedule] == [
        date(2024, 1, 31),
        date(2024, 2, 29),
        date(2024, 3, 31),
    ]
    assert [i.sequence for i in schedule] == [1, 2, 3]


def test_monthly_schedule_starts_one_month_after_start() -> None:
    schedule = build_schedule(get_plan("monthly_12"), 129900, date(2024, 1, 31))
    assert schedule[0].due_date == date(2024, 2, 29)
    assert schedule[1].due_date == date(2024, 3, 31)
    assert schedule[-1].due_date == date(2025, 1, 31)


def test_pay_in_4_is_four_interest_free_payments_two_weeks_apart_first_at_start() -> None:
    schedule = build_schedule(get_plan("pay_in_4"), 10001, date(2024, 6, 1))
    assert schedule == [
        Installment(1, date(2024, 6, 1), 2500, 0),
        Installment(2, date(2024, 6, 15), 2500, 0),
        Installment(3, date(2024, 6, 29), 2500, 0),
        Installment(4, date(2024, 7, 13), 2501, 0),
    ]


def test_offer_discloses_truth_in_lending_figures() -> None:
    offer = make_offer(get_plan("monthly_12"), 100000, "usd", date(2024, 1, 15))
    d = offer.disclosure
    assert offer.currency == "USD"
    assert d.amount_financed == 100000
    assert d.payment_count == 12
    assert d.payment_amount == 9025  # 1,000.00 at 14.99% over 12 months: 90.2536 by formula
    assert d.finance_charge == sum(i.interest for i in offer.schedule)
    assert d.total_of_payments == d.amount_financed + d.finance_charge
    assert d.final_payment_amount == offer.schedule[-1].amount
    assert d.first_due_date == date(2024, 2, 15)


def test_offer_to_dict_has_the_wire_shape() -> None:
    offer = make_offer(get_plan("monthly_3_0apr"), 30000, "EUR", date(2024, 1, 15))
    wire = offer.to_dict()
    assert {k: v for k, v in wire.items() if k != "schedule"} == {
        "plan": "monthly_3_0apr",
        "term_count": 3,
        "interval": "month",
        "apr_bps": 0,
        "currency": "EUR",
        "amount_financed": 30000,
        "finance_charge": 0,
        "total_of_payments": 30000,
        "installment_amount": 10000,
        "final_installment_amount": 10000,
        "first_due_date": "2024-02-15",
    }
    assert wire["schedule"] == [
        {
            "sequence": n,
            "due_date": f"2024-0{n + 1}-15",
            "amount": 10000,
            "principal": 10000,
            "interest": 0,
            "fees": 0,
            "status": "upcoming",
            "paid_amount": 0,
        }
        for n in (1, 2, 3)
    ]


def test_offers_of_the_same_terms_and_day_share_their_schedule_entries() -> None:
    offer = make_offer(get_plan("monthly_12"), 120000, "USD", date(2024, 1, 15))
    again = make_offer(get_plan("monthly_12"), 120000, "USD", date(2024, 1, 15))
    first, second = offer.to_dict(), again.to_dict(plan_apr_bps=1499)
    assert first["schedule"] is second["schedule"]  # built once, for every checkout offered
    assert first["schedule"] == [i.to_dict() for i in offer.schedule]
    assert replace(offer, amount=offer.amount).to_dict() == first  # a copy builds its own
    assert first is not offer.to_dict()  # each answer gets its own dict around the entries


def test_make_offer_refuses_an_ineligible_amount_with_the_reason() -> None:
    with pytest.raises(PlanNotEligible, match="below plan monthly_12's minimum"):
        make_offer(get_plan("monthly_12"), 100, "USD", date(2024, 1, 1))


def test_lowest_monthly_payment_picks_the_longest_affordable_plan() -> None:
    # 1,299.00: monthly_36 at 24.99% pays 51.64, less than monthly_24 at 19.99% (66.11).
    assert lowest_monthly_payment(DEFAULT_PLANS, 129900, "USD") == LowestPayment(
        5164, "USD", ("monthly_36",)
    )


def test_lowest_monthly_payment_reports_every_plan_tied_for_lowest() -> None:
    plans = [Plan.monthly("a_6", 6, 0), Plan.monthly("b_6", 6, 0), Plan.monthly("c_3", 3, 0)]
    assert lowest_monthly_payment(plans, 60000, "GBP") == LowestPayment(
        10000, "GBP", ("a_6", "b_6")
    )


def test_lowest_monthly_payment_ignores_pay_in_4_and_ineligible_plans() -> None:
    assert lowest_monthly_payment(DEFAULT_PLANS, 4000, "USD") is None  # only pay_in_4 fits


def test_an_offer_is_priced_once_per_plan_amount_and_start() -> None:
    plan = get_plan("monthly_12")
    start = date(2031, 3, 9)  # a date no other test prices
    first = make_offer(plan, 123_456, "USD", start)
    assert make_offer(plan, 123_456, "usd", start) is first
    assert make_offer(plan, 123_457, "USD", start) is not first
    assert make_offer(plan, 123_456, "USD", date(2031, 3, 10)) is not first
    # A plan equal but for its limits hashes alike: still priced as itself.
    wider = replace(plan, max_amount={code: limit + 1 for code, limit in plan.max_amount.items()})
    assert hash(wider) == hash(plan) and wider != plan
    assert make_offer(wider, 123_456, "USD", start).plan is wider


def test_a_schedule_is_worked_out_once_per_terms_and_day_and_handed_out_as_a_new_list() -> None:
    """A checkout's offer, its loan's authorization and its capture share one computation;
    each caller gets a list of its own (the installments themselves are immutable)."""
    start = date(2031, 3, 11)  # a date no other test schedules
    first = build_installments(98_765, 2_499, 12, "month", start)
    second = build_installments(98_765, 2_499, 12, "month", start)
    assert second == first and second is not first
    assert all(a is b for a, b in zip(first, second, strict=True))
    first.clear()
    assert build_installments(98_765, 2_499, 12, "month", start) == second
    other_day = build_installments(98_765, 2_499, 12, "month", date(2031, 3, 12))
    assert other_day[0].due_date == date(2031, 4, 12)
    assert [(i.principal, i.interest) for i in second] == annuity_parts(98_765, 2_499, 12)
