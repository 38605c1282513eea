"""'As low as' messaging for a product page."""

from __future__ import annotations

from pydantic import Field

from .._models import BaseModel

__all__ = ["Promotion", "PromotionPlan"]


class PromotionPlan(BaseModel):
    """One plan that gives the promoted monthly payment."""

    plan: str
    term_count: int | None = None
    apr_bps: int | None = None
    installment_amount: int | None = None


class Promotion(BaseModel):
    """The lowest monthly payment for an amount and the plans that give it."""

    object: str = "promotion"
    amount: int
    currency: str
    lowest_installment_amount: int | None = None
    plans: list[PromotionPlan] = Field(default_factory=list)
