"""An installment offer with its Truth-in-Lending disclosure."""

from __future__ import annotations

from datetime import date

from pydantic import Field

from .._models import BaseModel, OpenEnum
from .shared import ScheduleEntry

__all__ = ["Offer", "OfferInterval"]


class OfferInterval(OpenEnum):
    """How far apart an offer's payments are."""

    MONTH = "month"
    TWO_WEEKS = "two_weeks"


class Offer(BaseModel):
    """One plan the customer may choose, with everything a TILA box discloses."""

    id: str
    plan: str
    term_count: int
    interval: OfferInterval
    apr_bps: int  # the APR this customer is offered
    plan_apr_bps: int | None = None  # the plan's own APR; apr_bps is never above it
    amount_financed: int
    finance_charge: int
    total_of_payments: int
    installment_amount: int
    final_installment_amount: int | None = None
    first_due_date: date
    schedule: list[ScheduleEntry] = Field(default_factory=list)
    currency: str | None = None
