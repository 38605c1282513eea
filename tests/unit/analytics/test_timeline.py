"""Replaying a loan's history gives its ledger on any past day; aging buckets by days past due."""

from datetime import date, timedelta

import pytest

from mock_server.analytics import LoanTimeline, bucket_for, days_past_due
from mock_server.analytics.timeline import month_end, months_between
from mock_server.domain.loan import Loan
from mock_server.domain.plans import get_plan
from mock_server.domain.states import LoanStatus

CAPTURE = date(2024, 1, 12)


def eventful_loan() -> Loan:
    """Paid on time, then a missed installment with a late fee, a refund, a cure, a default."""
    loan = Loan.authorize(get_plan("monthly_12"), 120_000, "USD", date(2024, 1, 10), id="loan_t")
    loan.capture(100_000, CAPTURE)
    first, second, third = loan.installments[:3]
    loan.apply_payment(first.amount, first.due_date)
    late = second.due_date + timedelta(days=11)
    loan.assess_late_fees(late)
    loan.mark_delinquency(late)
    loan.refund(10_000, late + timedelta(days=2))
    loan.apply_payment(sum(i.unpaid for i in loan.installments[:2]), late + timedelta(days=5))
    loan.mark_delinquency(third.due_date + timedelta(days=40))
    loan.assess_late_fees(third.due_date + timedelta(days=40))
    loan.mark_delinquency(third.due_date + timedelta(days=120))
    loan.recover(2_500, third.due_date + timedelta(days=130))
    return loan


def test_replaying_the_whole_history_rebuilds_the_ledger_exactly() -> None:
    loan = eventful_loan()
    replayed = LoanTimeline(loan).replayed()
    assert replayed is not None
    assert replayed.installments == loan.installments
    assert replayed.status is LoanStatus.CHARGED_OFF
    assert replayed.history == loan.history[1:]  # all but the authorization


def test_a_past_day_shows_the_loan_as_it_was_then() -> None:
    loan = eventful_loan()
    timeline = LoanTimeline(loan)
    assert timeline.at(CAPTURE - timedelta(days=1)) is None
    second_due = loan.installments[1].due_date
    before = timeline.at(second_due + timedelta(days=12))
    assert before is not None
    assert (before.status, before.dpd, before.principal) == (LoanStatus.LATE, 12, before.principal)
    assert before.principal > loan.principal_balance
    end = timeline.at(loan.today)
    assert end is not None and end.status is LoanStatus.CHARGED_OFF
    assert timeline.charged_off_on == loan.installments[2].due_date + timedelta(days=120)
    assert timeline.recovered == 2_500
    assert timeline.charged_off_principal >= loan.principal_balance


def test_days_past_due_count_from_the_oldest_installment_still_owed() -> None:
    loan = eventful_loan()
    third = loan.installments[2]
    assert days_past_due(loan, third.due_date + timedelta(days=200)) == 200


@pytest.mark.parametrize(
    ("dpd", "bucket"),
    [(0, "current"), (1, "1-29"), (29, "1-29"), (30, "30-59"), (59, "30-59"), (60, "60-89"),
     (90, "90-119"), (119, "90-119"), (120, "120+"), (400, "120+")],
)  # fmt: skip
def test_aging_buckets_by_days_past_due(dpd: int, bucket: str) -> None:
    assert bucket_for(dpd) == bucket


def test_months_run_from_the_first_month_to_the_last() -> None:
    assert months_between(date(2024, 11, 30), date(2025, 2, 1)) == [
        "2024-11",
        "2024-12",
        "2025-01",
        "2025-02",
    ]
    assert month_end("2024-02") == date(2024, 2, 29)
