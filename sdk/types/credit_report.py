"""A bureau-style credit report pulled for a customer."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import Field

from .._models import BaseModel, InstalloObject, OpenEnum

__all__ = ["CreditReport", "PullType", "Tradeline"]


class PullType(OpenEnum):
    """Whether a pull affects the customer's file."""

    HARD = "hard"
    SOFT = "soft"


class Tradeline(BaseModel):
    """One credit account on the file; fields beyond these are kept as extras."""

    kind: str | None = None
    balance: int | None = None
    limit: int | None = None


class CreditReport(InstalloObject):
    """The latest report pulled for one customer."""

    customer: str
    bureau_score: int | None = None
    pulled_at: datetime | None = None
    pull_type: PullType | None = None
    tradelines: list[Tradeline] = Field(default_factory=list)
    utilization_bps: int | None = None
    inquiries: list[dict[str, Any]] = Field(default_factory=list)
    delinquencies: int = 0
    public_records: int = 0
    frozen: bool = False
