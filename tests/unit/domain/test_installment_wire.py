"""An installment's wire entry: shared between loans while nothing is paid, never changed."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from mock_server.domain.ledger import LoanInstallment
from mock_server.domain.loan import Loan
from mock_server.domain.plans import get_plan

DAY = date(2026, 3, 10)


def spelled_out(inst: LoanInstallment, as_of: date) -> dict[str, object]:
    """The wire entry field by field, from the installment's state."""
    amount = inst.principal + inst.interest + inst.fees
    paid = inst.paid_principal + inst.paid_interest + inst.paid_fees
    if amount == paid:
        status = "paid"
    elif inst.late:
        status = "late"
    else:
        status = "due" if inst.due_date <= as_of else "upcoming"
    return {
        "sequence": inst.sequence,
        "due_date": inst.due_date.isoformat(),
        "amount": amount,
        "principal": inst.principal,
        "interest": inst.interest,
        "fees": inst.fees,
        "status": status,
        "paid_amount": paid,
        "paid_principal": inst.paid_principal,
        "paid_interest": inst.paid_interest,
        "paid_fees": inst.paid_fees,
        "late": inst.late,
        "late_fee_assessed": inst.late_fee_assessed,
    }


parts = st.integers(min_value=0, max_value=5)


@given(
    st.integers(1, 36),
    st.integers(-40, 40),
    parts,
    parts,
    parts,
    parts,
    parts,
    parts,
    st.booleans(),
    st.booleans(),
    st.integers(-40, 40),
)
def test_every_entry_is_the_installment_spelled_out(
    sequence: int,
    due_in: int,
    principal: int,
    interest: int,
    fees: int,
    paid_principal: int,
    paid_interest: int,
    paid_fees: int,
    late: bool,
    fee_assessed: bool,
    as_of_in: int,
) -> None:
    inst = LoanInstallment(
        sequence, DAY + timedelta(days=due_in), principal, interest, fees,
        paid_principal, paid_interest, paid_fees, late, fee_assessed,
    )  # fmt: skip
    as_of = DAY + timedelta(days=as_of_in)
    assert inst.wire(as_of) == spelled_out(inst, as_of)


def test_loans_of_the_same_terms_share_unpaid_entries_and_a_payment_changes_none() -> None:
    first = Loan.authorize(get_plan("monthly_12"), 120_000, "USD", DAY, id="loan_a")
    second = Loan.authorize(get_plan("monthly_12"), 120_000, "USD", DAY, id="loan_b")
    first.capture(None, DAY)
    second.capture(None, DAY)
    one, two = first.to_dict()["schedule"], second.to_dict()["schedule"]
    assert isinstance(one, list) and isinstance(two, list)
    assert all(a is b for a, b in zip(one, two, strict=True))  # one entry for both loans
    before = [dict(entry) for entry in two]
    first.apply_payment(int(str(one[0]["amount"])), DAY + timedelta(days=20))
    paid = first.to_dict()["schedule"]
    assert isinstance(paid, list)
    assert paid[0]["paid_amount"] == one[0]["amount"] and paid[0] is not one[0]  # prepaid
    assert second.to_dict()["schedule"] == before  # the shared entries never changed
    assert [dict(entry) for entry in one] == before
