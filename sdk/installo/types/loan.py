"""A loan: an authorization that becomes a repayment schedule once captured."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import Field

from .._models import BaseModel, InstalloObject, OpenEnum
from .offer import OfferInterval
from .shared import ScheduleEntry

__all__ = ["HistoryEntry", "Loan", "LoanStatus"]


class LoanStatus(OpenEnum):
    """Where a loan stands."""

    AUTHORIZED = "authorized"
    ACTIVE = "active"
    PAID_OFF = "paid_off"
    VOIDED = "voided"
    LATE = "late"
    DELINQUENT = "delinquent"
    CHARGED_OFF = "charged_off"
    REFUNDED = "refunded"
    EXPIRED = "expired"


class HistoryEntry(BaseModel):
    """One dated entry of a loan's history (capture, payment, refund, late fee, ...)."""

    date: date
    kind: str
    amount: int
    detail: str | None = None


class LastFurnished(BaseModel):
    """When and how the loan was last reported to the bureau (Metro 2), and the change in the
    customer's bureau score that file caused (balances in cents of `currency`, USD)."""

    file: str
    period: str
    reported_at: datetime
    account_number: str
    account_status: str
    payment_rating: str = ""
    compliance_condition_code: str = ""
    current_balance: int
    amount_past_due: int
    currency: str
    score_before: int
    score_after: int


class Loan(InstalloObject):
    """A loan with its schedule and balances (money in minor units of `currency`)."""

    status: LoanStatus
    checkout: str | None = None
    customer: str | None = None
    currency: str
    plan: str | None = None
    term_count: int | None = None
    interval: OfferInterval | None = None
    apr_bps: int = 0
    authorized_amount: int
    captured_amount: int = 0
    refunded_amount: int = 0
    paid_amount: int = 0
    principal_balance: int = 0
    interest_outstanding: int = 0
    fees_outstanding: int = 0
    authorization_expires_at: datetime | None = None
    schedule: list[ScheduleEntry] = Field(default_factory=list)
    history: list[HistoryEntry] = Field(default_factory=list)
    last_furnished: LastFurnished | None = None
