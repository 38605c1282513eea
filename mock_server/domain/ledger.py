"""The loan ledger's parts: installments with what was paid, history, allocations, fee policy."""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Final, Literal, TypeVar

from mock_server.domain.schedule import Installment, annuity_parts

__all__ = [
    "DATES",
    "DEFAULT_LATE_FEE_POLICY",
    "ISO_DATES",
    "CalendarMemo",
    "HistoryEntry",
    "InstallmentStatus",
    "LateFeePolicy",
    "LoanInstallment",
    "PaymentAllocation",
    "accrued_interest",
    "allocate",
    "due_lines",
    "future_lines",
    "past_grace",
    "payment_detail",
    "reamortize",
    "waive_unpaid",
]

InstallmentStatus = Literal["upcoming", "due", "paid", "late"]

_DEFAULT_LATE_FEES: Final = {"USD": 700, "EUR": 700, "GBP": 600, "CNY": 5000, "JPY": 1000}


@dataclass(frozen=True, slots=True)
class LateFeePolicy:
    """Late fees: one flat fee per installment unpaid beyond the grace period, capped per loan.

    ``cap_bps`` caps the total late fees on a loan at that share of the captured amount.
    """

    grace_days: int = 10
    fee_amounts: Mapping[str, int] = field(
        default_factory=lambda: dict(_DEFAULT_LATE_FEES), hash=False
    )
    cap_bps: int = 2500
    # The policy never changes, so its data is built once (a loan snapshot per event reuses it).
    _data: dict[str, object] = field(init=False, repr=False, compare=False, hash=False)
    # `grace_days` as a timedelta, for the date arithmetic of every assessment.
    grace_period: timedelta = field(init=False, repr=False, compare=False, hash=False)

    def __post_init__(self) -> None:
        data = {"grace_days": self.grace_days, "fee_amounts": dict(self.fee_amounts)}
        data["cap_bps"] = self.cap_bps
        object.__setattr__(self, "_data", data)
        if self.grace_days < 0:
            raise ValueError("grace_days must not be negative")
        if not 0 <= self.cap_bps <= 10_000:
            raise ValueError("cap_bps must be between 0 and 10000")
        if any(v < 0 for v in self.fee_amounts.values()):
            raise ValueError("fee_amounts must not be negative")
        object.__setattr__(self, "grace_period", timedelta(days=self.grace_days))

    def fee_for(self, currency: str) -> int:
        """The flat late fee in this currency (0 when none is configured)."""
        return self.fee_amounts.get(currency, 0)

    def cap_for(self, captured_amount: int) -> int:
        """The most late fees a loan of this captured amount may ever carry."""
        return captured_amount * self.cap_bps // 10_000

    def to_dict(self) -> dict[str, object]:
        """JSON-ready data (a fresh dict the caller may change)."""
        data = self._data.copy()
        data["fee_amounts"] = dict(self.fee_amounts)
        return data

    def wire(self) -> dict[str, object]:
        """`to_dict`, shared (built once; a loan snapshot per event reuses it): read-only."""
        return self._data

    @classmethod
    def from_dict(cls, data: Mapping[str, object]) -> LateFeePolicy:
        """Read the data ``to_dict`` wrote."""
        if data == _DEFAULT_POLICY_DATA:  # nearly every loan: one shared policy
            return DEFAULT_LATE_FEE_POLICY
        fees = mapping_field(data["fee_amounts"])
        return cls(
            grace_days=int_field(data, "grace_days"),
            fee_amounts={str(code): int_field(fees, code) for code in fees},
            cap_bps=int_field(data, "cap_bps"),
        )


DEFAULT_LATE_FEE_POLICY: Final = LateFeePolicy()
_DEFAULT_POLICY_DATA: Final = DEFAULT_LATE_FEE_POLICY.to_dict()


def int_field(data: Mapping[str, object], key: str) -> int:
    """Read an int field from JSON-like data."""
    value = data[key]
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"{key} must be an int")
    return value


def date_field(data: Mapping[str, object], key: str) -> date:
    """Read an ISO date field from JSON-like data."""
    value = data[key]
    if not isinstance(value, str):
        raise ValueError(f"{key} must be an ISO date string")
    return DATES[value]


_K = TypeVar("_K")
_V = TypeVar("_V")


class CalendarMemo(dict[_K, _V]):
    """A function of a calendar day kept by its argument: `memo[x]` is `function(x)`, worked
    out once. A clock advance meets the same few hundred days loan after loan, in every
    schedule, history and snapshot, where these functions cost ~1.2k-3.5k instructions a call
    and a hit here ~0.4k (a dict's lookup; half of what a `functools.lru_cache` costs). At
    4,096 arguments it starts again. An argument the function refuses raises as it does."""

    __slots__ = ("_function",)

    def __init__(self, function: Callable[[_K], _V]) -> None:
        super().__init__()
        self._function = function

    def __missing__(self, argument: _K) -> _V:
        if len(self) >= 4096:
            self.clear()
        value = self[argument] = self._function(argument)
        return value


# ``day.isoformat()`` by day, and ``date.fromisoformat(text)`` by text.
ISO_DATES: Final = CalendarMemo(date.isoformat)
DATES: Final = CalendarMemo(date.fromisoformat)


def _entry(
    inst: LoanInstallment, status: InstallmentStatus, amount: int, paid: int
) -> dict[str, object]:
    """An installment's wire entry (`LoanInstallment.wire`)."""
    return {
        "sequence": inst.sequence,
        "due_date": ISO_DATES[inst.due_date],
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


@functools.lru_cache(maxsize=4096)
def _unpaid_entry(
    sequence: int,
    due_date: date,
    principal: int,
    interest: int,
    fees: int,
    late_fee_assessed: bool,
    status: InstallmentStatus,
) -> dict[str, object]:
    """The wire entry of an installment nothing was paid against yet, one per distinct entry:
    a new loan's schedule is one a checkout's offer priced, so loans of the same terms and day
    share its entries (read-only, as every wire entry)."""
    inst = LoanInstallment(
        sequence, due_date, principal, interest, fees, late_fee_assessed=late_fee_assessed
    )
    return _entry(inst, status, principal + interest + fees, 0)


@dataclass(slots=True)
class LoanInstallment:
    """A scheduled installment of a live loan and what has been paid against each part.

    Its wire entry is built once and kept until the installment changes (the clock snapshots a
    loan per event and most entries stay as they were): whatever changes a field drops it
    (`changed`); the ledger's functions and `Loan`'s methods, the only writers, all do.
    """

    sequence: int
    due_date: date
    principal: int
    interest: int
    fees: int = 0
    paid_principal: int = 0
    paid_interest: int = 0
    paid_fees: int = 0
    late: bool = False
    late_fee_assessed: bool = False
    # The last wire entry (see `wire`), None once a field changed; whether its status was `due`
    # (None: `paid` or `late`, which the date does not change); and the installment's part of
    # the loan's balances then: (unpaid principal, unpaid fees, paid, unpaid interest).
    _wire: dict[str, object] | None = field(default=None, init=False, repr=False, compare=False)
    _wire_due: bool | None = field(default=None, init=False, repr=False, compare=False)
    _wire_parts: tuple[int, int, int, int] = field(
        default=(0, 0, 0, 0), init=False, repr=False, compare=False
    )

    @classmethod
    def from_installment(cls, installment: Installment) -> LoanInstallment:
        """A fresh, unpaid ledger line for a scheduled installment."""
        i = installment
        return cls(i.sequence, i.due_date, i.principal, i.interest, i.fees)

    @property
    def amount(self) -> int:
        """Total owed for this installment: principal + interest + fees."""
        return self.principal + self.interest + self.fees

    @property
    def paid_amount(self) -> int:
        """Total paid against this installment."""
        return self.paid_principal + self.paid_interest + self.paid_fees

    @property
    def unpaid_principal(self) -> int:
        """Principal still owed."""
        return self.principal - self.paid_principal

    @property
    def unpaid_interest(self) -> int:
        """Interest still owed."""
        return self.interest - self.paid_interest

    @property
    def unpaid_fees(self) -> int:
        """Fees still owed."""
        return self.fees - self.paid_fees

    @property
    def unpaid(self) -> int:
        """Everything still owed on this installment."""
        # Written out rather than amount - paid_amount: the clock reads it millions of times.
        return (
            self.principal
            + self.interest
            + self.fees
            - self.paid_principal
            - self.paid_interest
            - self.paid_fees
        )

    def status(self, as_of: date) -> InstallmentStatus:
        """``paid``, ``late`` (past grace), ``due`` (on or after its date) or ``upcoming``."""
        if self.unpaid == 0:
            return "paid"
        if self.late:
            return "late"
        return "due" if self.due_date <= as_of else "upcoming"

    def to_dict(self, as_of: date) -> dict[str, object]:
        """The wire schedule entry plus the ledger fields needed to restore it (a fresh dict
        the caller may change)."""
        return dict(self.wire(as_of))

    def changed(self) -> None:
        """Drop the wire entry kept from before a change (call after changing a field)."""
        self._wire = None

    def wire(self, as_of: date) -> dict[str, object]:
        """`to_dict`, shared: built again only when the installment changed since the last call
        or its status moved with the date (`upcoming` -> `due`); read-only."""
        entry = self._wire
        if entry is not None and (
            self._wire_due is None or self._wire_due is (self.due_date <= as_of)
        ):
            return entry
        amount = self.principal + self.interest + self.fees
        if amount and not (
            self.paid_principal or self.paid_interest or self.paid_fees or self.late
        ):
            # As scheduled, nothing paid (most entries built, a loan's first snapshot every
            # one): `due` or `upcoming`, and the entry loans of these terms share.
            self._wire_due = due = self.due_date <= as_of
            self._wire_parts = (self.principal, self.fees, 0, self.interest)
            entry = self._wire = _unpaid_entry(
                self.sequence,
                self.due_date,
                self.principal,
                self.interest,
                self.fees,
                self.late_fee_assessed,
                "due" if due else "upcoming",
            )
            return entry
        paid = self.paid_principal + self.paid_interest + self.paid_fees
        self._wire_due = None
        if amount == paid:
            status: InstallmentStatus = "paid"
        elif self.late:
            status = "late"
        else:
            self._wire_due = due = self.due_date <= as_of
            status = "due" if due else "upcoming"
        self._wire_parts = (
            self.principal - self.paid_principal,
            self.fees - self.paid_fees,
            paid,
            self.interest - self.paid_interest,
        )
        entry = self._wire = _entry(self, status, amount, paid)
        return entry

    @classmethod
    def from_dict(cls, data: Mapping[str, object]) -> LoanInstallment:
        """Read the data ``to_dict`` wrote (derived fields are recomputed, not read)."""
        # The usual case, checked field by field without a call (a clock reads thousands); one
        # assignment a field (several at once build a tuple and take it apart again).
        sequence = data["sequence"]
        principal = data["principal"]
        interest = data["interest"]
        fees = data["fees"]
        paid_principal = data["paid_principal"]
        paid_interest = data["paid_interest"]
        paid_fees = data["paid_fees"]
        due_date = data["due_date"]
        if (
            type(sequence) is int
            and type(principal) is int
            and type(interest) is int
            and type(fees) is int
            and type(paid_principal) is int
            and type(paid_interest) is int
            and type(paid_fees) is int
            and type(due_date) is str
        ):
            return cls(
                sequence,
                DATES[due_date],
                principal,
                interest,
                fees,
                paid_principal,
                paid_interest,
                paid_fees,
                late if type(late := data["late"]) is bool else bool(late),
                assessed if type(assessed := data["late_fee_assessed"]) is bool else bool(assessed),
            )
        return cls(
            sequence=int_field(data, "sequence"),
            due_date=date_field(data, "due_date"),
            principal=int_field(data, "principal"),
            interest=int_field(data, "interest"),
            fees=int_field(data, "fees"),
            paid_principal=int_field(data, "paid_principal"),
            paid_interest=int_field(data, "paid_interest"),
            paid_fees=int_field(data, "paid_fees"),
            late=bool(data["late"]),
            late_fee_assessed=bool(data["late_fee_assessed"]),
        )


@dataclass(frozen=True, slots=True, init=False)
class HistoryEntry:
    """One thing that happened to a loan: when, what, how much and a human detail."""

    on: date
    kind: str
    amount: int
    detail: str = ""
    # An entry never changes, so its data is built once (a loan snapshot per event reuses it).
    _data: dict[str, object] = field(init=False, repr=False, compare=False, hash=False)

    def __init__(self, on: date, kind: str, amount: int, detail: str = "") -> None:
        """The generated initializer's, written out to set each slot through its descriptor:
        a frozen dataclass's own sets each field with object.__setattr__, ~10k instructions an
        entry against ~6k, and a loan records one per payment and status change."""
        _SET_ON(self, on)
        _SET_KIND(self, kind)
        _SET_AMOUNT(self, amount)
        _SET_DETAIL(self, detail)
        data = {"date": ISO_DATES[on], "kind": kind, "amount": amount}
        data["detail"] = detail
        _SET_DATA(self, data)

    def to_dict(self) -> dict[str, object]:
        """JSON-ready data (a fresh dict the caller may change)."""
        return self._data.copy()

    def wire(self) -> dict[str, object]:
        """`to_dict`, shared (built once; a loan snapshot per event reuses it): read-only."""
        return self._data

    @classmethod
    def from_dict(cls, data: Mapping[str, object]) -> HistoryEntry:
        """Read the data ``to_dict`` wrote."""
        day, kind, amount, detail = data["date"], data["kind"], data["amount"], data["detail"]
        if type(day) is str and type(kind) is str and type(amount) is int and type(detail) is str:
            # The usual case, without the checking calls (a loan's read reads every entry).
            return cls(DATES[day], kind, amount, detail)
        return cls(date_field(data, "date"), str(kind), int_field(data, "amount"), str(detail))


def _slot_setter(cls: type, name: str) -> Callable[[object, object], None]:
    """The function that sets slot ``name`` of a ``cls`` (its descriptor's ``__set__``), which
    a frozen class's ``__setattr__`` does not stand in front of."""
    setter: Callable[[object, object], None] = getattr(cls, name).__set__
    return setter


_SET_ON, _SET_KIND, _SET_AMOUNT, _SET_DETAIL, _SET_DATA = (
    _slot_setter(HistoryEntry, name) for name in ("on", "kind", "amount", "detail", "_data")
)


@dataclass(frozen=True, slots=True)
class PaymentAllocation:
    """Where a payment went: fees, then interest, then due principal, then future principal."""

    amount: int
    fees: int
    interest: int
    principal: int
    prepaid_principal: int
    paid_off: bool = False

    def to_dict(self) -> dict[str, object]:
        """JSON-ready data."""
        return {
            "amount": self.amount,
            "fees": self.fees,
            "interest": self.interest,
            "principal": self.principal,
            "prepaid_principal": self.prepaid_principal,
            "paid_off": self.paid_off,
        }

    def describe(self) -> str:
        """A one-line summary for the loan's history."""
        return payment_detail(self.fees, self.interest, self.principal, self.prepaid_principal)


def payment_detail(fees: int, interest: int, principal: int, prepaid_principal: int) -> str:
    """A payment's history detail (`PaymentAllocation.describe`), from its parts."""
    # A part that is 0 (most payments' fees and prepaid principal) written as the text "0":
    # formatting an int costs ~0.7k instructions, the same for 0.
    return (
        f"fees={fees or '0'} interest={interest or '0'} principal={principal or '0'} "
        f"prepaid_principal={prepaid_principal or '0'}"
    )


def due_lines(lines: Sequence[LoanInstallment], on: date) -> list[LoanInstallment]:
    """Installments due on or before ``on`` with something still owed, oldest first."""
    return [
        i
        for i in lines
        if i.due_date <= on
        and i.principal + i.interest + i.fees > i.paid_principal + i.paid_interest + i.paid_fees
    ]


def future_lines(lines: Sequence[LoanInstallment], on: date) -> list[LoanInstallment]:
    """Installments not yet due on ``on``."""
    return [i for i in lines if i.due_date > on]


def past_grace(
    lines: Sequence[LoanInstallment], on: date, grace_days: int
) -> list[LoanInstallment]:
    """Due installments still owed more than ``grace_days`` after their due date."""
    return [i for i in due_lines(lines, on) if (on - i.due_date).days > grace_days]


def accrued_interest(lines: Sequence[LoanInstallment], start: date, on: date) -> int:
    """Interest accrued by ``on`` in the current period, pro rata by days, half-even.

    The current period runs from the previous due date (or ``start``, the capture date, for the
    first installment) to the next installment's due date; that installment's interest accrues
    evenly across it.
    """
    index = next((n for n, inst in enumerate(lines) if inst.due_date > on), len(lines))
    return accrued_from(lines, index, start, on)


def accrued_from(lines: Sequence[LoanInstallment], index: int, start: date, on: date) -> int:
    """`accrued_interest`, given the index of the first installment due after ``on`` (the
    number of lines when none is): for a caller that found it in its own pass."""
    if index >= len(lines):
        return 0  # nothing left to fall due
    current = lines[index]
    begin = lines[index - 1].due_date if index else start
    period = (current.due_date - begin).days
    if period <= 0:
        return 0
    elapsed = (on - begin).days  # within 0..period (compared, not min/max: the clock's hot path)
    if elapsed < 0:
        elapsed = 0
    elif elapsed > period:
        elapsed = period
    unpaid = current.interest - current.paid_interest
    quotient, remainder = divmod(unpaid * elapsed, period)  # half-even, exact
    if 2 * remainder > period or (2 * remainder == period and quotient % 2 == 1):
        quotient += 1
    return quotient


def reamortize(future: Sequence[LoanInstallment], principal: int, apr_bps: int) -> None:
    """Spread ``principal`` still owed over the future installments as a fresh annuity."""
    if not future:
        return
    parts = annuity_parts(principal, apr_bps, len(future))
    for inst, (p, r) in zip(future, parts, strict=True):
        # Future installments carry no paid interest; any paid principal is a prepayment.
        inst.principal, inst.interest = inst.paid_principal + p, inst.paid_interest + r
        inst.changed()


def allocate(lines: Sequence[LoanInstallment], amount: int) -> tuple[int, int, int]:
    """Pay ``lines`` oldest first, each one's fees, then interest, then principal.

    Answers the (fees, interest, principal) taken. Settling one installment fully before the next
    is what brings the oldest arrears current, so days past due fall as soon as money arrives.
    """
    fees = interest = principal = 0
    left = amount
    for inst in lines:
        # Each part's unpaid amount, or what is left if less (compared rather than min(): a
        # builtin call costs several comparisons, and the clock pays thousands of lines).
        pay_fees = inst.fees - inst.paid_fees
        if pay_fees > left:
            pay_fees = left
        pay_interest = inst.interest - inst.paid_interest
        if pay_interest > left - pay_fees:
            pay_interest = left - pay_fees
        pay_principal = inst.principal - inst.paid_principal
        if pay_principal > left - pay_fees - pay_interest:
            pay_principal = left - pay_fees - pay_interest
        inst.paid_fees += pay_fees
        inst.paid_interest += pay_interest
        inst.paid_principal += pay_principal
        inst._wire = None  # `changed`, without the call
        fees, interest, principal = (
            fees + pay_fees,
            interest + pay_interest,
            principal + pay_principal,
        )
        left -= pay_fees + pay_interest + pay_principal
    return fees, interest, principal


def waive_unpaid(lines: Sequence[LoanInstallment]) -> int:
    """Forgive the interest and fees still owed on ``lines``; answers the amount waived."""
    waived = 0
    for inst in lines:
        waived += inst.unpaid_interest + inst.unpaid_fees
        inst.interest, inst.fees = inst.paid_interest, inst.paid_fees
        inst.changed()
    return waived


def mapping_field(value: object) -> Mapping[str, object]:
    """Check that JSON-like data is an object."""
    if type(value) is dict:  # what JSON gives: no ABC check needed
        return value
    if not isinstance(value, Mapping):
        raise ValueError("expected an object")
    return value


def list_field(value: object) -> list[object]:
    """Check that JSON-like data is a list."""
    if not isinstance(value, list):
        raise ValueError("expected a list")
    return value
