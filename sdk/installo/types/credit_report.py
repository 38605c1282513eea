"""A bureau-style credit report pulled for a customer."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import Field

from .._models import BaseModel, InstalloObject, OpenEnum

__all__ = ["CreditReport", "Inquiry", "PullType", "Tradeline", "TradelineType"]


class PullType(OpenEnum):
    """Whether a pull affects the customer's file."""

    HARD = "hard"
    SOFT = "soft"


class TradelineType(OpenEnum):
    """What kind of credit account a tradeline is."""

    REVOLVING = "revolving"
    INSTALLMENT = "installment"
    MORTGAGE = "mortgage"
    AUTO = "auto"
    STUDENT = "student"


class Tradeline(BaseModel):
    """One credit account on the file (amounts in minor units of the report's currency).

    `limit` is the credit limit (revolving) or the original amount (loans); `payment_history`
    holds the last 24 months, oldest first: `C` current, `1`/`2`/`3` 30/60/90+ days late,
    `-` not open yet. Accounts Installo furnished also carry their Metro 2 `account_status`
    and any dispute's `compliance_condition_code`.
    """

    type: TradelineType
    creditor: str | None = None
    limit: int | None = None
    balance: int | None = None
    opened: date | None = None
    payment_history: str | None = None
    account_status: str | None = None
    compliance_condition_code: str | None = None


class Inquiry(BaseModel):
    """A lender's look at the file: hard inquiries count against the applicant, soft do not."""

    kind: PullType
    date: date
    by: str | None = None


class CreditReport(InstalloObject):
    """The latest report pulled for one customer."""

    customer: str
    bureau_score: int | None = None
    pulled_at: datetime | None = None
    pull_type: PullType | None = None
    tradelines: list[Tradeline] = Field(default_factory=list)
    utilization_bps: int | None = None
    inquiries: list[Inquiry] = Field(default_factory=list)
    delinquencies: int = 0
    public_records: int = 0
    frozen: bool = False
