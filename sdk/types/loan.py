"""A loan: an authorization that becomes a repayment schedule once captured."""

from __future__ import annotations

from datetime import datetime

from pydantic import Field

from .._models import InstalloObject, OpenEnum
from .shared import ScheduleEntry

__all__ = ["Loan", "LoanStatus"]


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


class Loan(InstalloObject):
    """A loan with its schedule and balances (money in minor units of `currency`)."""

    status: LoanStatus
    checkout: str | None = None
    customer: str | None = None
    currency: str
    authorized_amount: int
    captured_amount: int = 0
    refunded_amount: int = 0
    principal_balance: int = 0
    apr_bps: int = 0
    schedule: list[ScheduleEntry] = Field(default_factory=list)
    authorization_expires_at: datetime | None = None
