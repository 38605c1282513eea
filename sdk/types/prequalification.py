"""A soft-pull prequalification."""

from __future__ import annotations

from .._models import InstalloObject

__all__ = ["Prequalification"]


class Prequalification(InstalloObject):
    """How much a customer could finance, and at what APR range, without a hard pull."""

    customer: str | None = None
    currency: str
    max_amount: int
    apr_min_bps: int | None = None
    apr_max_bps: int | None = None
