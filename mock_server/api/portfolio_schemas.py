"""Response models of the portfolio endpoints (`GET /v1/portfolio`, `GET /v1/admin/portfolio`).

Built straight from the analytics' dataclasses (`from_attributes`); amounts are integers in the
section's currency's minor unit, shares integer basis points.
"""

from datetime import date
from typing import Literal

from pydantic import ConfigDict, Field

from mock_server.api.schemas import ApiModel

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


class _Figures(ApiModel):
    model_config = ConfigDict(from_attributes=True)


class StatusTally(_Figures):
    """Loans in one status and the principal they still owe."""

    status: str
    count: int
    principal: int


class BucketTally(_Figures):
    """Loans in one aging bucket (days past due) and their principal."""

    bucket: Literal["current", "1-29", "30-59", "60-89", "90-119", "120+"]
    count: int
    principal: int


class ChargeOffs(_Figures):
    """Principal written off at charge-off; recoveries collected after it."""

    count: int
    principal: int
    recoveries: int = Field(description="payments collected on charged-off loans")
    recovered: int
    net_loss: int


class RollRate(_Figures):
    """Loans in `from_bucket` at `from_month`'s end and where they were a month-end later
    (a bucket, or `paid_off` / `refunded`); `rate_bps` is the share of the from-bucket's
    principal."""

    from_month: str
    to_month: str
    from_bucket: str
    to_bucket: str
    count: int
    principal: int
    rate_bps: int


class VintagePoint(_Figures):
    """A vintage after `months_on_book`: principal ever 30+ days past due at a month-end, and
    principal charged off, so far."""

    months_on_book: int
    on: date
    delinquent: int
    delinquent_bps: int
    charged_off: int
    loss_bps: int


class Vintage(_Figures):
    """Loans captured in one month (`YYYY-MM`) and their curve."""

    vintage: str
    loans: int
    originated: int
    curve: list[VintagePoint]


class MonthFigures(_Figures):
    """One sandbox month: applications and decisions in it, principal captured in it, and at its
    end (`on`; today for the running month) principal outstanding, 30+ days past due, and
    charged off during the month."""

    month: str
    on: date
    applications: int
    approved: int
    declined: int
    originated: int
    outstanding: int
    delinquent: int
    charged_off: int


class ReasonCount(_Figures):
    """Declines that gave one reason code."""

    code: str
    count: int


class Funnel(_Figures):
    """Applications (confirmed checkouts) -> approved / declined / in review -> captured ->
    paid off; `reviewed` counts applications that went to manual review."""

    applications: int
    approved: int
    declined: int
    in_review: int
    reviewed: int
    captured: int
    paid_off: int
    decline_reasons: list[ReasonCount]


class Income(_Figures):
    """Interest and late fees collected."""

    interest: int
    fees: int


class MerchantVolume(_Figures):
    """A merchant's captured and refunded volume and the discount revenue (`mdr_bps` of each
    captured amount)."""

    merchant: str
    name: str
    mdr_bps: int
    loans: int
    captured: int
    refunded: int
    discount_revenue: int


class CurrencyPortfolio(_Figures):
    """Every figure for one currency."""

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


class Portfolio(_Figures):
    """Portfolio analytics as of sandbox time, one section per currency."""

    object: Literal["portfolio"] = "portfolio"
    as_of: date
    currencies: list[CurrencyPortfolio]
