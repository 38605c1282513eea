"""Installment schedules, Truth-in-Lending disclosures and offers.

Schedules are exact: principal parts sum to the amount financed and interest parts to the
finance charge. Monthly plans are equal-payment annuities at ``apr_bps / 12`` per month computed
with ``Fraction``; each payment is rounded half-even to the minor unit and the rounding remainder
lands on the last installment. 0% plans split principal evenly, remainder on the last.
"""

from __future__ import annotations

import calendar
import functools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from fractions import Fraction
from typing import Final

from mock_server.domain.money import divide_half_even, get_currency
from mock_server.domain.plans import Interval, Plan

__all__ = [
    "PAY_IN_4_SPACING",
    "Disclosure",
    "Installment",
    "LowestPayment",
    "Offer",
    "PlanNotEligible",
    "add_months",
    "amortize",
    "annuity_parts",
    "build_installments",
    "build_schedule",
    "disclose",
    "due_dates",
    "lowest_monthly_payment",
    "make_offer",
    "monthly_rate",
]

PAY_IN_4_SPACING: Final = timedelta(days=14)
BPS_PER_UNIT: Final = 10_000


class PlanNotEligible(ValueError):
    """The plan cannot finance this amount in this currency."""


@dataclass(frozen=True, slots=True)
class Installment:
    """One scheduled payment; ``amount == principal + interest + fees``."""

    sequence: int
    due_date: date
    principal: int
    interest: int
    fees: int = 0

    @property
    def amount(self) -> int:
        """The total due for this installment."""
        return self.principal + self.interest + self.fees

    def to_dict(self) -> dict[str, object]:
        """Wire shape of a schedule entry for an offer (nothing paid yet)."""
        return {
            "sequence": self.sequence,
            "due_date": self.due_date.isoformat(),
            "amount": self.principal + self.interest + self.fees,
            "principal": self.principal,
            "interest": self.interest,
            "fees": self.fees,
            "status": "upcoming",
            "paid_amount": 0,
        }


def add_months(start: date, n: int) -> date:
    """``start`` moved ``n`` calendar months, clamped to month end (31 Jan + 1 -> 28/29 Feb)."""
    months = start.year * 12 + (start.month - 1) + n
    year, month0 = divmod(months, 12)
    last_day = calendar.monthrange(year, month0 + 1)[1]
    return date(year, month0 + 1, min(start.day, last_day))


def due_dates(interval: Interval, term_count: int, start: date) -> list[date]:
    """Due dates for a plan started on ``start``.

    Monthly: one month after ``start`` and monthly after that, each anchored on ``start``'s day.
    Two-weekly (pay in 4): the first at ``start``, then every 14 days.
    """
    return list(_due_dates(interval, term_count, start))


@functools.lru_cache(maxsize=512)
def _due_dates(interval: Interval, term_count: int, start: date) -> tuple[date, ...]:
    """`due_dates`, computed once per plan shape and start: every checkout of a day prices
    the same few plans from the same date, and the calendar arithmetic was a third of an
    offer's cost."""
    if interval == "month":
        return tuple(add_months(start, k) for k in range(1, term_count + 1))
    return tuple(start + PAY_IN_4_SPACING * k for k in range(term_count))


def monthly_rate(apr_bps: int) -> Fraction:
    """The exact periodic (monthly) rate for an APR in basis points."""
    return Fraction(apr_bps, 12 * BPS_PER_UNIT)


def _even_split(principal: int, term_count: int) -> list[tuple[int, int]]:
    base = principal // term_count
    last = principal - base * (term_count - 1)
    return [(base, 0)] * (term_count - 1) + [(last, 0)]


def annuity_parts(principal: int, apr_bps: int, term_count: int) -> list[tuple[int, int]]:
    """(principal, interest) per installment of an equal-payment annuity; exact sums.

    The regular payment is the exact annuity payment rounded half-even; each period's interest is
    the rounded balance times the monthly rate, rounded half-even; the last installment takes
    whatever balance remains, so the principal parts sum exactly to ``principal``.
    """
    if term_count < 1:
        raise ValueError("term_count must be at least 1")
    if principal < 0:
        raise ValueError("principal must not be negative")
    if apr_bps == 0:
        return _even_split(principal, term_count)
    # In integers: with the monthly rate r = a / b, the annuity payment
    # P * r / (1 - (1 + r) ** -n) is P * a * (a + b) ** n / (b * ((a + b) ** n - b ** n)),
    # the same exact value as the Fraction arithmetic, several times faster.
    a, b = apr_bps, 12 * BPS_PER_UNIT
    grown = (a + b) ** term_count
    payment = divide_half_even(principal * a * grown, b * (grown - b**term_count))
    parts: list[tuple[int, int]] = []
    balance = principal
    for _ in range(term_count - 1):
        interest = divide_half_even(balance * a, b)
        # Never below zero, never more than the balance left (see the property tests).
        principal_part = min(max(payment - interest, 0), balance)
        parts.append((principal_part, interest))
        balance -= principal_part
    parts.append((balance, divide_half_even(balance * a, b)))
    return parts


def _installments(parts: Sequence[tuple[int, int]], dates: Sequence[date]) -> list[Installment]:
    return [
        Installment(sequence=i, due_date=d, principal=p, interest=r)
        for i, ((p, r), d) in enumerate(zip(parts, dates, strict=True), start=1)
    ]


def amortize(principal: int, apr_bps: int, term_count: int, first_due: date) -> list[Installment]:
    """A monthly annuity schedule whose due dates are anchored on ``first_due``'s day."""
    dates = [add_months(first_due, k) for k in range(term_count)]
    return _installments(annuity_parts(principal, apr_bps, term_count), dates)


def build_installments(
    amount: int, apr_bps: int, term_count: int, interval: Interval, start: date
) -> list[Installment]:
    """The schedule for these terms, financing ``amount`` from ``start``."""
    return list(_schedule(amount, apr_bps, term_count, interval, start))


@functools.lru_cache(maxsize=1024)
def _schedule(
    amount: int, apr_bps: int, term_count: int, interval: Interval, start: date
) -> tuple[Installment, ...]:
    """`build_installments`' schedule, worked out once for the same terms and day: a checkout's
    offer, its loan's authorization and the capture of the whole amount ask for the same one
    (its installments are immutable)."""
    dates = _due_dates(interval, term_count, start)
    return tuple(_installments(annuity_parts(amount, apr_bps, term_count), dates))


def build_schedule(plan: Plan, amount: int, start: date) -> list[Installment]:
    """The plan's schedule for ``amount`` starting ``start`` (no eligibility check)."""
    return build_installments(amount, plan.apr_bps, plan.term_count, plan.interval, start)


@dataclass(frozen=True, slots=True)
class Disclosure:
    """What a Truth-in-Lending box shows for a schedule."""

    apr_bps: int
    amount_financed: int
    finance_charge: int
    total_of_payments: int
    payment_count: int
    payment_amount: int
    final_payment_amount: int
    first_due_date: date


def disclose(apr_bps: int, schedule: Sequence[Installment]) -> Disclosure:
    """The disclosure for a schedule: totals, the regular and final payment, first due date."""
    if not schedule:
        raise ValueError("a schedule needs at least one installment")
    financed = charge = fees = 0
    for installment in schedule:
        financed += installment.principal
        charge += installment.interest
        fees += installment.fees
    return Disclosure(
        apr_bps=apr_bps,
        amount_financed=financed,
        finance_charge=charge,
        total_of_payments=financed + charge + fees,
        payment_count=len(schedule),
        payment_amount=schedule[0].amount,
        final_payment_amount=schedule[-1].amount,
        first_due_date=schedule[0].due_date,
    )


@dataclass(frozen=True, slots=True)
class Offer:
    """A plan priced for an amount: disclosure and schedule."""

    plan: Plan
    currency: str
    amount: int
    disclosure: Disclosure
    schedule: tuple[Installment, ...]
    # The schedule's wire entries, built at the first `to_dict` (a priced offer is memoized,
    # so the checkouts offered the same terms on the same day share them: read-only).
    _schedule_wire: list[dict[str, object]] | None = field(
        default=None, init=False, repr=False, compare=False
    )

    def to_dict(self, *, plan_apr_bps: int | None = None) -> dict[str, object]:
        """The offer in the wire shape of docs/api.md (without the server-assigned id); with
        `plan_apr_bps`, the plan's own APR where the offer is priced from a plan (it follows
        the offered `apr_bps`, in the answer's order)."""
        d = self.disclosure
        wire: dict[str, object] = {
            "plan": self.plan.id,
            "term_count": self.plan.term_count,
            "interval": self.plan.interval,
            "apr_bps": d.apr_bps,
        }
        if plan_apr_bps is not None:
            wire["plan_apr_bps"] = plan_apr_bps
        wire |= {
            "currency": self.currency,
            "amount_financed": d.amount_financed,
            "finance_charge": d.finance_charge,
            "total_of_payments": d.total_of_payments,
            "installment_amount": d.payment_amount,
            "final_installment_amount": d.final_payment_amount,
            "first_due_date": d.first_due_date.isoformat(),
            "schedule": self._schedule_entries(),
        }
        return wire

    def _schedule_entries(self) -> list[dict[str, object]]:
        entries = self._schedule_wire
        if entries is None:
            entries = [i.to_dict() for i in self.schedule]
            object.__setattr__(self, "_schedule_wire", entries)  # frozen: set once, as a cache
        return entries


def make_offer(plan: Plan, amount: int, currency: str, start: date) -> Offer:
    """Price ``plan`` for ``amount``; raises PlanNotEligible with the reason when it cannot."""
    code = get_currency(currency).code
    reason = plan.eligibility_error(amount, code)
    if reason is not None:
        raise PlanNotEligible(reason)
    return _priced(plan, code, amount, start)


@functools.lru_cache(maxsize=1024)
def _priced(plan: Plan, currency: str, amount: int, start: date) -> Offer:
    """The offer, computed once per plan, amount and start: an offer is immutable and a
    function of these alone, and a day's checkouts price the same plans for the same cart
    amounts again and again (the schedule and its disclosure were ~6% of a create's CPU)."""
    schedule = _schedule(amount, plan.apr_bps, plan.term_count, plan.interval, start)
    return Offer(plan, currency, amount, disclose(plan.apr_bps, schedule), schedule)


@dataclass(frozen=True, slots=True)
class LowestPayment:
    """'As low as' messaging: the lowest regular monthly payment and the plans that give it."""

    amount: int
    currency: str
    plan_ids: tuple[str, ...]


def lowest_monthly_payment(
    plans: Iterable[Plan], amount: int, currency: str
) -> LowestPayment | None:
    """The lowest regular monthly payment among eligible monthly plans, or None if none fit."""
    code = get_currency(currency).code
    by_payment: dict[int, list[str]] = {}
    for plan in plans:
        if plan.interval != "month" or not plan.is_eligible(amount, code):
            continue
        payment = annuity_parts(amount, plan.apr_bps, plan.term_count)[0]
        by_payment.setdefault(sum(payment), []).append(plan.id)
    if not by_payment:
        return None
    lowest = min(by_payment)
    return LowestPayment(lowest, code, tuple(by_payment[lowest]))
