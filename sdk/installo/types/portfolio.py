"""Portfolio analytics as of sandbox time (`client.portfolio`, `client.admin.portfolio`).

Amounts are integers in the section's currency's minor unit; shares are integer basis points.
"""

from __future__ import annotations

from datetime import date

from pydantic import Field

from .._models import BaseModel

__all__ = [
    "BucketTally",
    "ChargeOffs",
    "CurrencyPortfolio",
    "Funnel",
    "Income",
    "MerchantVolume",
    "MonthFigures",
    "Portfolio",
    "ReasonCount",
    "RollRate",
    "StatusTally",
    "Vintage",
    "VintagePoint",
]


class StatusTally(BaseModel):
    """Loans in one status and the principal they still owe."""

    status: str
    count: int
    principal: int


class BucketTally(BaseModel):
    """Loans in one aging bucket (`current`, `1-29`, ... `120+` days past due)."""

    bucket: str
    count: int
    principal: int


class ChargeOffs(BaseModel):
    """Principal written off at charge-off, and recoveries collected after it."""

    count: int
    principal: int
    recoveries: int
    recovered: int
    net_loss: int


class RollRate(BaseModel):
    """Loans in `from_bucket` at one month-end and where they were at the next."""

    from_month: str
    to_month: str
    from_bucket: str
    to_bucket: str
    count: int
    principal: int
    rate_bps: int


class VintagePoint(BaseModel):
    """A vintage after `months_on_book`: cumulative 30+ delinquency and charge-off."""

    months_on_book: int
    on: date
    delinquent: int
    delinquent_bps: int
    charged_off: int
    loss_bps: int


class Vintage(BaseModel):
    """Loans captured in one month (`YYYY-MM`) and their curve."""

    vintage: str
    loans: int
    originated: int
    curve: list[VintagePoint] = Field(default_factory=list)


class MonthFigures(BaseModel):
    """One sandbox month: applications, decisions, originations and the book at its end."""

    month: str
    on: date
    applications: int
    approved: int
    declined: int
    originated: int
    outstanding: int
    delinquent: int
    charged_off: int


class ReasonCount(BaseModel):
    """Declines that gave one reason code."""

    code: str
    count: int


class Funnel(BaseModel):
    """Applications -> approved / declined / in review -> captured -> paid off."""

    applications: int
    approved: int
    declined: int
    in_review: int
    reviewed: int
    captured: int
    paid_off: int
    decline_reasons: list[ReasonCount] = Field(default_factory=list)


class Income(BaseModel):
    """Interest and late fees collected."""

    interest: int
    fees: int


class MerchantVolume(BaseModel):
    """One merchant's volume and the discount revenue it brought."""

    merchant: str
    name: str
    mdr_bps: int
    loans: int
    captured: int
    refunded: int
    discount_revenue: int


class CurrencyPortfolio(BaseModel):
    """Every figure for one currency."""

    currency: str
    loans: int
    outstanding_principal: int
    by_status: list[StatusTally] = Field(default_factory=list)
    aging: list[BucketTally] = Field(default_factory=list)
    charge_offs: ChargeOffs
    roll_rates: list[RollRate] = Field(default_factory=list)
    vintages: list[Vintage] = Field(default_factory=list)
    months: list[MonthFigures] = Field(default_factory=list)
    funnel: Funnel
    income: Income
    merchants: list[MerchantVolume] = Field(default_factory=list)
    discount_revenue: int


class Portfolio(BaseModel):
    """Portfolio analytics as of sandbox time, one section per currency."""

    object: str = "portfolio"
    as_of: date
    currencies: list[CurrencyPortfolio] = Field(default_factory=list)

    def currency(self, code: str) -> CurrencyPortfolio | None:
        """The section for one currency, or None if the portfolio has none in it."""
        return next((c for c in self.currencies if c.currency == code), None)
