"""A loan's ledger mapped to its Metro 2 base segment at month-ends."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from mock_server.domain.loan import Loan
from mock_server.domain.plans import get_plan
from mock_server.furnishing.accounts import (
    Consumer,
    Period,
    account_number,
    account_status,
    base_segment,
    payment_history_profile,
    whole_dollars,
)
from mock_server.furnishing.metro2 import write_file
from tests import metro2_reference as reference

CUSTOMER = {
    "name": "Dr. Ada Byron Lovelace Jr.",
    "phone": "+1 (415) 555-0100",
    "date_of_birth": "1985-12-10",
    "national_id_last4": "1234",
    "address": {
        "line1": "1 Märket St",
        "line2": "Apt 5",
        "city": "San Francisco",
        "region": "CA",
        "postal_code": "94105-1234",
        "country": "US",
    },
}


def captured(amount: int = 120_055) -> Loan:
    loan = Loan.authorize(get_plan("monthly_12"), amount, "USD", date(2025, 1, 3), id="loan_aB")
    loan.capture(None, date(2025, 1, 5))
    return loan


def period(month_end: date) -> Period:
    return Period(month_end, datetime.combine(month_end, datetime.min.time()), "INSTALLO")


def test_the_consumer_fields_are_upper_case_ascii_with_the_name_split() -> None:
    consumer = Consumer.from_customer(CUSTOMER)
    assert (consumer.first_name, consumer.middle_name, consumer.surname) == (
        "ADA",
        "BYRON",
        "LOVELACE",
    )
    assert consumer.generation_code == "J"
    assert consumer.social_security_number == 1234
    assert consumer.telephone_number == 4155550100
    assert consumer.address_line_1 == "1 MARKET ST"
    assert consumer.postal_code == "941051234"


def test_a_loan_paid_on_time_is_current_with_its_history_building_month_by_month() -> None:
    loan = captured()
    loan.apply_payment(loan.installments[0].amount, loan.installments[0].due_date)
    fields = base_segment(loan, Consumer.from_customer(CUSTOMER), period(date(2025, 2, 28)), {})
    assert fields["account_status"] == "11"
    assert fields["payment_rating"] == ""
    assert fields["payment_history_profile"] == "D" + "B" * 23
    assert fields["highest_credit"] == 1200  # cents truncated
    assert fields["actual_payment"] == whole_dollars(loan.installments[0].amount)
    assert fields["date_of_first_delinquency"] is None
    assert fields["consumer_account_number"] == account_number("loan_aB")
    assert fields["terms_duration"] == "012"
    assert fields["terms_frequency"] == "M"


def test_days_past_due_give_71_78_80_and_then_97_when_charged_off() -> None:
    loan = captured()
    first_due = loan.installments[0].due_date
    seen = []
    for month_end in (date(2025, 3, 31), date(2025, 4, 30), date(2025, 5, 31)):
        loan.mark_delinquency(month_end)
        seen.append(account_status(loan, month_end))
    loan.mark_delinquency(date(2025, 6, 30))
    seen.append(account_status(loan, date(2025, 6, 30)))
    assert first_due == date(2025, 2, 5)
    assert seen == [("71", "1"), ("78", "2"), ("80", "3"), ("97", "L")]
    fields = base_segment(loan, Consumer.from_customer(CUSTOMER), period(date(2025, 6, 30)), {})
    assert fields["date_of_first_delinquency"] == date(2025, 3, 7)
    assert fields["original_charge_off_amount"] == fields["current_balance"]
    assert fields["amount_past_due"] == fields["current_balance"]
    assert fields["date_closed"] == loan.today


def test_a_paid_off_loan_reports_13_with_a_zero_balance_and_its_closing_date() -> None:
    loan = captured()
    loan.apply_payment(loan.payoff_amount(date(2025, 1, 20)), date(2025, 1, 20))
    fields = base_segment(loan, Consumer.from_customer(CUSTOMER), period(date(2025, 1, 31)), {})
    assert (fields["account_status"], fields["payment_rating"]) == ("13", "0")
    assert fields["current_balance"] == 0
    assert fields["date_closed"] == date(2025, 1, 20)
    assert fields["date_of_last_payment"] == date(2025, 1, 20)


def test_a_dispute_code_and_a_delete_are_carried_into_the_segment() -> None:
    loan = captured()
    consumer = Consumer.from_customer(CUSTOMER)
    disputed = base_segment(
        loan, consumer, period(date(2025, 1, 31)), {}, compliance_condition_code="XB"
    )
    deleted = base_segment(loan, consumer, period(date(2025, 1, 31)), {}, delete=True)
    assert disputed["compliance_condition_code"] == "XB"
    assert deleted["account_status"] == "DA"
    parsed = reference.read(write_file({"activity_date": date(2025, 1, 31)}, [disputed, deleted]))
    assert parsed.trailer["total_DA"] == "000000001"


def test_the_profile_is_most_recent_first_with_b_before_opening_and_d_for_gaps() -> None:
    ratings = {"2025-03": "1", "2025-01": "0"}
    profile = payment_history_profile(date(2025, 1, 5), date(2025, 4, 30), ratings)
    assert profile == "1D0" + "B" * 21


@pytest.mark.parametrize(("cents", "dollars"), [(0, 0), (99, 0), (100, 1), (120_055, 1200)])
def test_amounts_are_whole_dollars_with_cents_truncated(cents: int, dollars: int) -> None:
    assert whole_dollars(cents) == dollars
