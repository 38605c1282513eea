"""Loan aggregate: state transitions, refunds, repayments, late fees and delinquency."""

from datetime import date, timedelta

import pytest

from mock_server.domain.ledger import LateFeePolicy, PaymentAllocation
from mock_server.domain.loan import Loan
from mock_server.domain.plans import Plan, get_plan
from mock_server.domain.schedule import annuity_parts
from mock_server.domain.states import SERVICING, InvalidTransition, LoanStatus

AUTH = date(2024, 1, 10)
CAPTURE = date(2024, 1, 12)


def captured(plan_id: str = "monthly_12", amount: int = 120000, currency: str = "USD") -> Loan:
    loan = Loan.authorize(get_plan(plan_id), amount, currency, AUTH, id="loan_t")
    loan.capture(None, CAPTURE)
    return loan


def status_of(loan: Loan) -> LoanStatus:
    """Read the status through a call, so mypy does not narrow it across mutations."""
    return loan.status


def codes(excinfo: pytest.ExceptionInfo[InvalidTransition]) -> str:
    return excinfo.value.code


# Authorization, capture, void, expiry ------------------------------------------------------


def test_authorize_creates_an_authorized_loan_expiring_in_30_days() -> None:
    loan = Loan.authorize(get_plan("monthly_12"), 50000, "eur", AUTH)
    assert loan.status is LoanStatus.AUTHORIZED
    assert loan.currency == "EUR"
    assert loan.authorization_expires_at == date(2024, 2, 9)
    assert loan.principal_balance == 0
    assert loan.history[0].kind == "authorized"


def test_full_capture_activates_the_loan_with_a_schedule_from_the_capture_date() -> None:
    loan = captured()
    assert loan.status is LoanStatus.ACTIVE
    assert loan.captured_amount == 120000
    assert loan.principal_balance == 120000
    assert loan.installments[0].due_date == date(2024, 2, 12)
    assert sum(i.principal for i in loan.installments) == 120000


def test_partial_capture_recomputes_the_schedule_on_the_captured_amount() -> None:
    loan = Loan.authorize(get_plan("monthly_12"), 120000, "USD", AUTH)
    loan.capture(60000, CAPTURE)
    expected = annuity_parts(60000, 1499, 12)
    assert [(i.principal, i.interest) for i in loan.installments] == expected
    assert loan.captured_amount == 60000
    assert [(h.kind, h.amount) for h in loan.history[-2:]] == [
        ("captured", 60000),
        ("released", 60000),
    ]


def test_capture_beyond_the_authorized_amount_is_refused() -> None:
    loan = Loan.authorize(get_plan("monthly_12"), 120000, "USD", AUTH)
    with pytest.raises(InvalidTransition) as info:
        loan.capture(120001, CAPTURE)
    assert codes(info) == "capture_exceeds_authorized"
    assert loan.status is LoanStatus.AUTHORIZED


def test_capture_twice_is_refused() -> None:
    loan = captured()
    with pytest.raises(InvalidTransition) as info:
        loan.capture(None, CAPTURE)
    assert codes(info) == "loan_already_captured"


def test_capture_on_or_after_expiry_is_refused() -> None:
    loan = Loan.authorize(get_plan("monthly_12"), 120000, "USD", AUTH)
    with pytest.raises(InvalidTransition) as info:
        loan.capture(None, AUTH + timedelta(days=30))
    assert codes(info) == "loan_authorization_expired"


def test_non_positive_amounts_are_bad_input_not_transitions() -> None:
    loan = Loan.authorize(get_plan("monthly_12"), 120000, "USD", AUTH)
    with pytest.raises(ValueError, match="positive"):
        loan.capture(0, CAPTURE)
    loan.capture(None, CAPTURE)
    with pytest.raises(ValueError, match="positive"):
        loan.refund(-5, CAPTURE)
    with pytest.raises(TypeError, match="minor units"):
        loan.apply_payment(10.0, CAPTURE)  # type: ignore[arg-type]


def test_void_releases_an_authorization_once() -> None:
    loan = Loan.authorize(get_plan("pay_in_4"), 20000, "USD", AUTH)
    loan.void(AUTH + timedelta(days=1))
    assert loan.status is LoanStatus.VOIDED
    with pytest.raises(InvalidTransition) as info:
        loan.void()
    assert codes(info) == "loan_already_voided"
    with pytest.raises(InvalidTransition) as info:
        loan.capture(None, AUTH + timedelta(days=2))
    assert codes(info) == "loan_already_voided"


def test_void_after_capture_is_refused() -> None:
    with pytest.raises(InvalidTransition) as info:
        captured().void()
    assert codes(info) == "loan_already_captured"


def test_expire_only_after_thirty_days() -> None:
    loan = Loan.authorize(get_plan("monthly_12"), 120000, "USD", AUTH)
    with pytest.raises(InvalidTransition) as info:
        loan.expire(AUTH + timedelta(days=29))
    assert codes(info) == "authorization_not_expired"
    loan.expire(AUTH + timedelta(days=30))
    assert loan.status is LoanStatus.EXPIRED
    with pytest.raises(InvalidTransition) as info:
        loan.capture(None, AUTH + timedelta(days=31))
    assert codes(info) == "loan_authorization_expired"


def test_operations_refuse_a_date_before_the_last_activity() -> None:
    loan = captured()
    loan.apply_payment(1000, date(2024, 2, 20))
    with pytest.raises(InvalidTransition) as info:
        loan.apply_payment(1000, date(2024, 2, 19))
    assert codes(info) == "date_before_last_activity"


# Refunds ------------------------------------------------------------------------------------


def test_refund_reamortizes_remaining_installments() -> None:
    loan = captured()
    dates = [i.due_date for i in loan.installments]
    loan.refund(20000, date(2024, 1, 20))
    assert [i.due_date for i in loan.installments] == dates
    assert [(i.principal, i.interest) for i in loan.installments] == annuity_parts(100000, 1499, 12)
    assert loan.principal_balance == 100000
    assert loan.refunded_amount == 20000
    assert loan.status is LoanStatus.ACTIVE


def test_refund_after_payments_reamortizes_only_the_installments_not_yet_due() -> None:
    loan = captured()
    first, second = loan.installments[0], loan.installments[1]
    loan.apply_payment(first.amount, first.due_date)
    loan.apply_payment(second.amount, second.due_date)
    paid_lines = [(i.principal, i.interest) for i in loan.installments[:2]]
    owed = loan.principal_balance
    loan.refund(30000, second.due_date + timedelta(days=3))
    assert [(i.principal, i.interest) for i in loan.installments[:2]] == paid_lines
    assert [(i.principal, i.interest) for i in loan.installments[2:]] == annuity_parts(
        owed - 30000, 1499, 10
    )


def test_full_refund_closes_the_loan_as_refunded() -> None:
    loan = captured()
    loan.refund(120000, date(2024, 1, 20))
    assert loan.status is LoanStatus.REFUNDED
    assert loan.principal_balance == 0
    assert loan.payoff_amount(date(2024, 1, 20)) == 0
    assert all(i.unpaid == 0 for i in loan.installments)


def test_refund_reduces_past_due_principal_first() -> None:
    loan = captured()
    late_day = loan.installments[0].due_date + timedelta(days=15)
    loan.mark_delinquency(late_day)
    assert loan.status is LoanStatus.LATE
    loan.refund(loan.installments[0].principal, late_day)
    assert loan.installments[0].unpaid_principal == 0
    assert loan.installments[0].unpaid_interest > 0  # interest is still owed


def test_refund_beyond_the_captured_amount_is_refused() -> None:
    loan = Loan.authorize(get_plan("monthly_12"), 120000, "USD", AUTH)
    loan.capture(50000, CAPTURE)
    loan.refund(30000, CAPTURE)
    with pytest.raises(InvalidTransition) as info:
        loan.refund(20001, CAPTURE)
    assert codes(info) == "refund_exceeds_captured"


def test_refund_beyond_the_principal_still_owed_is_refused() -> None:
    loan = captured()
    first = loan.installments[0]
    loan.apply_payment(first.amount, first.due_date)
    with pytest.raises(InvalidTransition) as info:
        loan.refund(120000, first.due_date)
    assert codes(info) == "refund_exceeds_balance"
    assert loan.refunded_amount == 0


def test_refund_before_capture_is_refused() -> None:
    loan = Loan.authorize(get_plan("monthly_12"), 120000, "USD", AUTH)
    with pytest.raises(InvalidTransition) as info:
        loan.refund(100, AUTH)
    assert codes(info) == "loan_not_captured"


# Payments -----------------------------------------------------------------------------------


def test_paying_every_installment_on_time_pays_the_loan_off() -> None:
    loan = captured()
    total = sum(i.amount for i in loan.installments)
    for inst in list(loan.installments):
        loan.apply_payment(inst.amount, inst.due_date)
    assert loan.status is LoanStatus.PAID_OFF
    assert loan.paid_amount == total
    assert loan.principal_balance == 0
    assert [i.status(loan.today) for i in loan.installments] == ["paid"] * 12


def test_payment_allocates_fees_then_interest_then_principal() -> None:
    loan = captured()
    first = loan.installments[0]
    day = first.due_date + timedelta(days=11)
    assert loan.assess_late_fees(day) == 700
    allocation = loan.apply_payment(700 + first.interest + 100, day)
    assert allocation == PaymentAllocation(
        amount=700 + first.interest + 100,
        fees=700,
        interest=first.interest,
        principal=100,
        prepaid_principal=0,
    )
    assert first.unpaid_fees == 0
    assert first.unpaid_principal == first.principal - 100


def test_payment_covers_the_oldest_installment_first() -> None:
    loan = captured()
    first, second = loan.installments[0], loan.installments[1]
    loan.apply_payment(first.amount + 50, second.due_date)
    assert first.unpaid == 0
    assert second.paid_interest == 50
    assert second.paid_principal == 0


def test_payment_beyond_what_is_due_prepays_future_principal() -> None:
    loan = captured()
    allocation = loan.apply_payment(30000, date(2024, 1, 20))
    assert allocation.prepaid_principal == 30000
    assert loan.principal_balance == 90000
    future = [(i.principal - i.paid_principal, i.interest) for i in loan.installments]
    assert future == annuity_parts(90000, 1499, 12)


def test_payoff_includes_interest_accrued_in_the_current_period() -> None:
    loan = captured()
    first = loan.installments[0]  # period 12 Jan -> 12 Feb: 31 days
    assert first.interest == 1499  # 1,200.00 x 14.99% / 12
    assert loan.payoff_amount(CAPTURE) == 120000
    # 10 of 31 days: 1499 x 10 / 31 = 483.55 -> 484.
    assert loan.payoff_amount(CAPTURE + timedelta(days=10)) == 120000 + 484
    # On the due date the whole period's interest is owed, as part of the due installment.
    assert loan.payoff_amount(first.due_date) == 120000 + 1499


def test_paying_the_payoff_amount_closes_the_loan_and_waives_future_interest() -> None:
    loan = captured()
    day = CAPTURE + timedelta(days=10)
    payoff = loan.payoff_amount(day)
    allocation = loan.apply_payment(payoff, day)
    assert allocation.paid_off
    assert (
        allocation.fees
        + allocation.interest
        + allocation.principal
        + (allocation.prepaid_principal)
        == payoff
    )
    assert loan.status is LoanStatus.PAID_OFF
    assert loan.paid_amount == payoff
    assert loan.history[-2].kind == "interest_waived"


def test_overpayment_is_refused() -> None:
    loan = captured()
    with pytest.raises(InvalidTransition) as info:
        loan.apply_payment(loan.payoff_amount(CAPTURE) + 1, CAPTURE)
    assert codes(info) == "payment_exceeds_payoff"
    assert loan.paid_amount == 0


def test_payment_that_clears_principal_but_not_accrued_interest_is_refused() -> None:
    loan = captured()
    day = CAPTURE + timedelta(days=10)
    payoff = loan.payoff_amount(day)
    assert payoff > 120000
    with pytest.raises(InvalidTransition) as info:
        loan.apply_payment(120000, day)
    assert codes(info) == "payment_must_be_payoff"


def test_pay_in_4_first_installment_is_due_at_capture() -> None:
    loan = captured("pay_in_4", 10000)
    assert loan.installments[0].due_date == CAPTURE
    assert loan.installments[0].status(loan.today) == "due"
    allocation = loan.apply_payment(2500, CAPTURE)
    assert allocation.principal == 2500
    assert loan.principal_balance == 7500


# Late fees and delinquency ------------------------------------------------------------------


def test_delinquency_ladder_follows_days_past_due() -> None:
    loan = captured()
    due = loan.installments[0].due_date
    assert loan.mark_delinquency(due + timedelta(days=10)) is LoanStatus.ACTIVE  # grace
    assert loan.mark_delinquency(due + timedelta(days=11)) is LoanStatus.LATE
    assert loan.installments[0].status(loan.today) == "late"
    assert loan.mark_delinquency(due + timedelta(days=29)) is LoanStatus.LATE
    assert loan.mark_delinquency(due + timedelta(days=30)) is LoanStatus.DELINQUENT
    assert loan.mark_delinquency(due + timedelta(days=119)) is LoanStatus.DELINQUENT
    assert loan.mark_delinquency(due + timedelta(days=120)) is LoanStatus.CHARGED_OFF
    with pytest.raises(InvalidTransition) as info:
        loan.apply_payment(100, due + timedelta(days=121))
    assert codes(info) == "loan_charged_off"
    assert loan.mark_delinquency(due + timedelta(days=200)) is LoanStatus.CHARGED_OFF


def test_paying_the_arrears_steps_a_delinquent_loan_back_to_active() -> None:
    loan = captured()
    first, second = loan.installments[0], loan.installments[1]
    day = first.due_date + timedelta(days=40)  # the second is 11 days past due by then
    assert loan.mark_delinquency(day) is LoanStatus.DELINQUENT
    loan.apply_payment(first.amount, day)
    assert status_of(loan) is LoanStatus.LATE
    loan.apply_payment(second.amount, day)
    assert status_of(loan) is LoanStatus.ACTIVE
    assert [h.detail for h in loan.history if h.kind == "status"] == [
        "active -> delinquent",
        "delinquent -> late",
        "late -> active",
    ]


def test_late_fee_is_charged_once_per_installment_after_grace() -> None:
    loan = captured()
    due = loan.installments[0].due_date
    assert loan.assess_late_fees(due + timedelta(days=10)) == 0
    assert loan.assess_late_fees(due + timedelta(days=11)) == 700
    assert loan.assess_late_fees(due + timedelta(days=12)) == 0
    assert loan.installments[0].fees == 700
    assert loan.installments[0].amount == (
        loan.installments[0].principal + loan.installments[0].interest + 700
    )
    assert loan.fees_outstanding == 700


def test_late_fees_never_exceed_the_policy_cap() -> None:
    policy = LateFeePolicy(grace_days=0, fee_amounts={"USD": 1000}, cap_bps=1000)
    loan = Loan.authorize(Plan.monthly("m6", 6, 0), 15000, "USD", AUTH, late_fee_policy=policy)
    loan.capture(None, CAPTURE)
    charged = loan.assess_late_fees(loan.installments[-1].due_date + timedelta(days=1))
    assert charged == 1500  # 10% of 150.00, not 6 x 10.00
    assert [i.fees for i in loan.installments] == [1000, 500, 0, 0, 0, 0]


def test_late_fees_use_the_loan_currency() -> None:
    loan = captured("monthly_12", 120000, "JPY")
    due = loan.installments[0].due_date
    assert loan.assess_late_fees(due + timedelta(days=11)) == 1000


def test_clock_jobs_leave_closed_loans_alone() -> None:
    loan = Loan.authorize(get_plan("monthly_12"), 120000, "USD", AUTH)
    loan.void(AUTH)
    assert loan.assess_late_fees(date(2025, 1, 1)) == 0
    assert loan.mark_delinquency(date(2025, 1, 1)) is LoanStatus.VOIDED
    assert loan.payoff_amount(date(2025, 1, 1)) == 0


# Persistence --------------------------------------------------------------------------------


def test_loan_round_trips_through_dict() -> None:
    loan = captured()
    loan.apply_payment(5000, date(2024, 1, 20))
    loan.refund(10000, date(2024, 1, 25))
    loan.assess_late_fees(date(2024, 3, 30))
    loan.mark_delinquency(date(2024, 3, 30))
    restored = Loan.from_dict(loan.to_dict())
    assert restored == loan
    assert restored.to_dict() == loan.to_dict()


def test_to_dict_carries_the_wire_fields() -> None:
    loan = captured()
    loan.mark_delinquency(loan.installments[0].due_date)
    wire = loan.to_dict()
    assert wire["status"] == "active"
    assert wire["object"] == "loan"
    assert wire["principal_balance"] == 120000
    assert wire["authorization_expires_at"] == "2024-02-09"
    schedule = wire["schedule"]
    assert isinstance(schedule, list)
    assert [e["status"] for e in schedule[:2]] == ["due", "upcoming"]
    assert set(schedule[0]) >= {
        "sequence",
        "due_date",
        "amount",
        "principal",
        "interest",
        "fees",
        "status",
        "paid_amount",
    }


def test_late_fee_policy_round_trips_and_refuses_float_fees() -> None:
    policy = LateFeePolicy(grace_days=5, fee_amounts={"USD": 900}, cap_bps=1000)
    assert LateFeePolicy.from_dict(policy.to_dict()) == policy
    data = policy.to_dict() | {"fee_amounts": {"USD": 9.5}}
    with pytest.raises(ValueError, match="USD must be an int"):
        LateFeePolicy.from_dict(data)


# Recoveries after charge-off ---------------------------------------------------------------


def charged_off() -> Loan:
    loan = captured()
    loan.mark_delinquency(loan.installments[0].due_date + timedelta(days=120))
    assert loan.status is LoanStatus.CHARGED_OFF
    return loan


def test_a_recovery_collects_oldest_first_and_the_loan_stays_charged_off() -> None:
    loan = charged_off()
    first = loan.installments[0]
    owed_interest = first.unpaid_interest
    allocation = loan.recover(owed_interest + 100, loan.today + timedelta(days=5))
    assert (allocation.interest, allocation.principal) == (owed_interest, 100)
    assert first.paid_principal == 100
    assert status_of(loan) is LoanStatus.CHARGED_OFF
    assert loan.history[-1].kind == "recovery"


def test_a_recovery_above_what_is_owed_is_refused() -> None:
    loan = charged_off()
    owed = sum(i.unpaid for i in loan.installments)
    with pytest.raises(InvalidTransition) as info:
        loan.recover(owed + 1, loan.today)
    assert codes(info) == "recovery_exceeds_balance"
    loan.recover(owed, loan.today)
    assert sum(i.unpaid for i in loan.installments) == 0


def test_only_a_charged_off_loan_takes_a_recovery() -> None:
    with pytest.raises(InvalidTransition) as info:
        captured().recover(100, CAPTURE)
    assert codes(info) == "loan_not_charged_off"


@pytest.mark.parametrize("cap_bps", [2500, 40])
@pytest.mark.parametrize("pays_every", [0, 20, 45])
def test_assess_is_late_fees_then_the_ladder(cap_bps: int, pays_every: int) -> None:
    """`Loan.assess` (the clock's one pass) leaves a loan as `assess_late_fees` then
    `mark_delinquency` do, day after day: fees (up to the cap), flags, history and status."""
    policy = LateFeePolicy(cap_bps=cap_bps)
    one, two = captured(), captured()
    one.late_fee_policy = two.late_fee_policy = policy
    for n in range(1, 400, 3):
        day = CAPTURE + timedelta(days=n)
        if pays_every and n % pays_every == 0 and one.status in SERVICING:
            one.pay_due(day, half=n % 2 == 0)
            two.pay_due(day, half=n % 2 == 0)
        two.assess_late_fees(day)
        assert one.assess(day) is two.mark_delinquency(day)
        assert one.to_dict() == two.to_dict()
