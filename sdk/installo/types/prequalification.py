"""A soft-pull prequalification."""

from __future__ import annotations

from pydantic import Field

from .._models import InstalloObject
from .checkout import DecisionOutcome

__all__ = ["Prequalification"]


class Prequalification(InstalloObject):
    """How much a customer could finance, and at what APR range, without a hard pull."""

    customer: str | None = None
    currency: str
    outcome: DecisionOutcome | None = None
    max_amount: int
    apr_min_bps: int | None = None
    apr_max_bps: int | None = None
    reason_codes: list[str] = Field(default_factory=list)
