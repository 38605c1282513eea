"""Property tests: ledger invariants hold across random loans and random servicing histories."""

import itertools
from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from mock_server.domain.ledger import LoanInstallment, PaymentAllocation
from mock_server.domain.loan import Loan
from mock_server.domain.plans import MONTHLY_TERMS, Plan
from mock_server.domain.states import SERVICING, InvalidTransition, LoanStatus

CURRENCIES = ("USD", "EUR", "GBP", "CNY", "JPY")


@st.composite
def plans(draw: st.DrawFn) -> Plan:
    if draw(st.booleans()):
        return Plan.pay_in_4()
    return Plan.monthly("p", draw(st.sampled_from(MONTHLY_TERMS)), draw(st.integers(0, 3600)))


@st.composite
def captured_loans(draw: st.DrawFn) -> Loan:
    plan = draw(plans())
    currency = draw(st.sampled_from(CURRENCIES))
    amount = draw(st.integers(plan.min_amount[currency], plan.max_amount[currency]))
    start = draw(st.dates(min_value=date(2020, 1, 1), max_value=date(2030, 12, 31)))
    loan = Loan.authorize(plan, amount, currency, start)
    capture = draw(st.none() | st.integers(1, amount))
    loan.capture(capture, start + timedelta(days=draw(st.integers(0, 29))))
    return loan


def check_ledger(loan: Loan, payments_total: int) -> None:
    """Every invariant the ledger promises, whatever happened before."""
    lines = loan.installments
    assert sum(i.principal for i in lines) == loan.captured_amount - loan.refunded_amount
    assert loan.principal_balance == (
        loan.captured_amount - loan.refunded_amount - sum(i.paid_principal for i in lines)
    )
    assert loan.principal_balance >= 0
    assert loan.paid_amount == payments_total
    assert loan.refunded_amount <= loan.captured_amount
    for inst in lines:
        assert inst.amount == inst.principal + inst.interest + inst.fees
        assert min(inst.principal, inst.interest, inst.fees) >= 0
        assert 0 <= inst.paid_principal <= inst.principal
        assert 0 <= inst.paid_interest <= inst.interest
        assert 0 <= inst.paid_fees <= inst.fees
    assert all(a.due_date < b.due_date for a, b in itertools.pairwise(lines))
    assert loan.payoff_amount(loan.today) >= 0
    if loan.status in SERVICING:
        assert loan.payoff_amount(loan.today) >= loan.principal_balance
    else:
        assert loan.payoff_amount(loan.today) == 0
    if loan.status in (LoanStatus.PAID_OFF, LoanStatus.REFUNDED):
        assert all(i.unpaid == 0 for i in lines)
    fee_cap = loan.late_fee_policy.cap_for(loan.captured_amount)
    assert sum(i.fees for i in lines) <= fee_cap


def check_allocation_order(
    before: list[LoanInstallment], after: list[LoanInstallment], a: PaymentAllocation, on: date
) -> None:
    """Oldest due installment first; within one, fees -> interest -> principal; then prepay."""
    assert a.amount == a.fees + a.interest + a.principal + a.prepaid_principal
    assert min(a.fees, a.interest, a.principal, a.prepaid_principal) >= 0
    due = [(b, x) for b, x in zip(before, after, strict=True) if b.due_date <= on and b.unpaid]
    settled_so_far = True
    for b, x in due:
        got = x.paid_amount - b.paid_amount
        if not settled_so_far:
            assert got == 0  # a later installment got nothing while an older one is open
        if x.unpaid_fees:
            assert x.paid_interest == b.paid_interest and x.paid_principal == b.paid_principal
        if x.unpaid_interest:
            assert x.paid_principal == b.paid_principal
        settled_so_far = settled_so_far and x.unpaid == 0
    if a.prepaid_principal and not a.paid_off:
        assert settled_so_far


def snapshot(loan: Loan) -> list[LoanInstallment]:
    return [LoanInstallment.from_dict(i.to_dict(loan.today)) for i in loan.installments]


operations = st.lists(
    st.tuples(
        st.sampled_from(["pay_part", "pay_due", "payoff", "refund", "clock"]),
        st.integers(0, 45),  # days to move the clock first
        st.integers(1, 10**6),  # a raw amount, reduced modulo what makes sense
    ),
    max_size=12,
)


@settings(max_examples=1000, deadline=None)
@given(loan=captured_loans(), ops=operations)
def test_servicing_histories_keep_the_ledger_exact(
    loan: Loan, ops: list[tuple[str, int, int]]
) -> None:
    paid = 0
    day = loan.today
    check_ledger(loan, paid)
    for kind, step, raw in ops:
        day += timedelta(days=step)
        if loan.status not in SERVICING:
            break
        payoff = loan.payoff_amount(day)
        try:
            if kind == "clock":
                loan.assess_late_fees(day)
                loan.mark_delinquency(day)
            elif kind == "refund":
                refundable = min(
                    loan.principal_balance, loan.captured_amount - loan.refunded_amount
                )
                refunded_before = loan.refunded_amount
                loan.refund(raw % refundable + 1, day)
                assert loan.refunded_amount == refunded_before + raw % refundable + 1
            else:
                due = sum(i.unpaid for i in loan.installments if i.due_date <= day)
                amount = {"payoff": payoff, "pay_due": due, "pay_part": raw % payoff + 1}[kind]
                if amount <= 0:
                    continue
                before = snapshot(loan)
                allocation = loan.apply_payment(amount, day)
                paid += amount
                check_allocation_order(before, loan.installments, allocation, day)
                if kind == "payoff":
                    assert loan.status is LoanStatus.PAID_OFF
        except InvalidTransition as err:
            # The only refusal a well-formed amount may meet: clearing principal without payoff.
            assert err.code == "payment_must_be_payoff", err.code
        check_ledger(loan, paid)
        assert Loan.from_dict(loan.to_dict()) == loan


@settings(max_examples=400, deadline=None)
@given(loan=captured_loans(), days=st.integers(0, 400))
def test_refunding_the_whole_balance_closes_the_loan_and_conserves_money(
    loan: Loan, days: int
) -> None:
    day = loan.today + timedelta(days=days)
    loan.mark_delinquency(day)
    if loan.status not in SERVICING:
        return
    balance = loan.principal_balance
    loan.refund(balance, day)
    assert loan.status is LoanStatus.REFUNDED
    assert loan.refunded_amount == loan.captured_amount == balance
    assert loan.principal_balance == 0
    try:
        loan.refund(1, day)
    except InvalidTransition as err:
        assert err.code == "loan_already_refunded"
    else:
        raise AssertionError("a refunded loan accepted another refund")


@settings(max_examples=400, deadline=None)
@given(loan=captured_loans(), days=st.integers(0, 1200), extra=st.integers(1, 10**6))
def test_payoff_closes_the_loan_and_overpayment_never_goes_negative(
    loan: Loan, days: int, extra: int
) -> None:
    day = loan.today + timedelta(days=days)
    payoff = loan.payoff_amount(day)
    assert payoff >= loan.principal_balance
    try:
        loan.apply_payment(payoff + extra, day)
    except InvalidTransition as err:
        assert err.code == "payment_exceeds_payoff"
    else:
        raise AssertionError("an overpayment was accepted")
    assert loan.paid_amount == 0
    allocation = loan.apply_payment(payoff, day)
    assert allocation.paid_off
    assert loan.status is LoanStatus.PAID_OFF
    assert loan.paid_amount == payoff
    assert loan.principal_balance == 0
