"""A merchant in the lender's network."""

from __future__ import annotations

from pydantic import Field

from .._models import InstalloObject, OpenEnum

__all__ = ["Merchant", "MerchantStatus"]


class MerchantStatus(OpenEnum):
    """Where a merchant stands in onboarding."""

    ACTIVE = "active"
    PENDING_REVIEW = "pending_review"
    REJECTED = "rejected"
    SUSPENDED = "suspended"


class Merchant(InstalloObject):
    """A merchant's settings; `secret_key` appears once, in the answer that activates it."""

    status: MerchantStatus
    legal_name: str
    display_name: str | None = None
    mcc: str | None = None
    country: str | None = None
    currency: str | None = None
    plans: list[str] = Field(default_factory=list)
    workflow: str | None = None
    mdr_bps: int | None = None
    review_reasons: list[str] = Field(default_factory=list)
    secret_key: str | None = Field(default=None, repr=False)
