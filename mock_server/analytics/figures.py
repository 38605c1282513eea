"""The portfolio's figures: what goes in (applications, booked loans, merchants) and what comes
out (tallies, aging, roll rates, vintages, the funnel, income, merchant volumes), per currency.

Amounts are integers in the currency's minor unit; shares are integer basis points, rounded half
to even. Every class here is a frozen dataclass, so read models are built from them directly.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from fractions import Fraction

from mock_server.domain.loan import Loan
from mock_server.domain.money import round_half_even

__all__ = [
    "Application",
    "BookedLoan",
    "BucketTally",
    "ChargeOffs",
    "CurrencyPortfolio",
    "Funnel",
    "Income",
    "MerchantTerms",
    "MerchantVolume",
    "MonthFigures",
    "Portfolio",
    "ReasonCount",
    "RollRate",
    "StatusTally",
    "Vintage",
    "VintagePoint",
    "share_bps",
]


def share_bps(part: int, whole: int) -> int:
    """``part / whole`` in basis points, half to even (0 when ``whole`` is 0)."""
    return round_half_even(Fraction(part * 10_000, whole)) if whole else 0


# Inputs ------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Application:
    """A confirmed checkout: when it was made, in what currency, and how it was decided."""

    id: str
    merchant_id: str
    currency: str
    amount: int
    on: date
    status: str
    reason_codes: tuple[str, ...] = ()
    reviewed: bool = False


@dataclass(frozen=True, slots=True)
class MerchantTerms:
    """A merchant as the portfolio sees it: its name and discount rate."""

    id: str
    name: str
    mdr_bps: int


@dataclass(frozen=True, slots=True)
class BookedLoan:
    """A loan and the sandbox date its merchant is at (figures are as of that date)."""

    merchant_id: str
    loan: Loan
    as_of: date


# Outputs -----------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class StatusTally:
    """Loans in one status and the principal they still owe."""

    status: str
    count: int
    principal: int


@dataclass(frozen=True, slots=True)
class BucketTally:
    """Loans in one delinquency aging bucket and their principal."""

    bucket: str
    count: int
    principal: int


@dataclass(frozen=True, slots=True)
class ChargeOffs:
    """Principal written off at charge-off, and what was collected afterwards."""

    count: int
    principal: int
    recoveries: int
    recovered: int

    @property
    def net_loss(self) -> int:
        """Charged-off principal less recoveries."""
        return self.principal - self.recovered


@dataclass(frozen=True, slots=True)
class RollRate:
    """Loans moving from one bucket at a month-end to another (or closed) at the next."""

    from_month: str
    to_month: str
    from_bucket: str
    to_bucket: str
    count: int
    principal: int
    rate_bps: int


@dataclass(frozen=True, slots=True)
class VintagePoint:
    """A vintage after ``months_on_book``: cumulative 30+ delinquency and charge-off."""

    months_on_book: int
    on: date
    delinquent: int
    delinquent_bps: int
    charged_off: int
    loss_bps: int


@dataclass(frozen=True, slots=True)
class Vintage:
    """Loans captured in one month and how they have performed since."""

    vintage: str
    loans: int
    originated: int
    curve: list[VintagePoint] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class MonthFigures:
    """One sandbox month: applications, decisions, originations, and the book at its end."""

    month: str
    on: date
    applications: int
    approved: int
    declined: int
    originated: int
    outstanding: int
    delinquent: int
    charged_off: int


@dataclass(frozen=True, slots=True)
class ReasonCount:
    """How many declines gave one reason code."""

    code: str
    count: int


@dataclass(frozen=True, slots=True)
class Funnel:
    """Applications through decision, capture and payoff."""

    applications: int
    approved: int
    declined: int
    in_review: int
    reviewed: int
    captured: int
    paid_off: int
    decline_reasons: list[ReasonCount] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Income:
    """Interest and late fees collected."""

    interest: int
    fees: int


@dataclass(frozen=True, slots=True)
class MerchantVolume:
    """One merchant's captured and refunded volume and the discount revenue it brought."""

    merchant: str
    name: str
    mdr_bps: int
    loans: int
    captured: int
    refunded: int
    discount_revenue: int


@dataclass(frozen=True, slots=True)
class CurrencyPortfolio:
    """Every figure for the loans and applications in one currency."""

    currency: str
    loans: int
    outstanding_principal: int
    by_status: list[StatusTally]
    aging: list[BucketTally]
    charge_offs: ChargeOffs
    roll_rates: list[RollRate]
    vintages: list[Vintage]
    months: list[MonthFigures]
    funnel: Funnel
    income: Income
    merchants: list[MerchantVolume]
    discount_revenue: int


@dataclass(frozen=True, slots=True)
class Portfolio:
    """The portfolio as of a sandbox date, one section per currency."""

    as_of: date
    currencies: list[CurrencyPortfolio]
