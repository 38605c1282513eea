"""A merchant in the lender's network: settings, application, requirements and screening."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from .._models import BaseModel, InstalloObject, OpenEnum

__all__ = [
    "DeskNote",
    "Merchant",
    "MerchantStatus",
    "RequirementError",
    "Requirements",
    "Screening",
    "ScreeningMatch",
]


class MerchantStatus(OpenEnum):
    """Where a merchant stands in onboarding."""

    PENDING = "pending"
    PENDING_REVIEW = "pending_review"
    ACTIVE = "active"
    RESTRICTED = "restricted"
    REJECTED = "rejected"
    SUSPENDED = "suspended"


class RequirementError(BaseModel):
    """A failed check: the requirement (a field path), a code and the reason."""

    requirement: str
    code: str
    reason: str


class Requirements(BaseModel):
    """What the merchant still owes: `currently_due` (missing or failed), `eventually_due`
    (that plus what is being verified), `pending_verification`, and `errors` with reasons."""

    currently_due: list[str] = Field(default_factory=list)
    eventually_due: list[str] = Field(default_factory=list)
    pending_verification: list[str] = Field(default_factory=list)
    errors: list[RequirementError] = Field(default_factory=list)


class ScreeningMatch(BaseModel):
    """A name that scored at least the screening threshold against a list entry."""

    role: str
    name_screened: str
    matched_name: str
    score: int
    entry: dict[str, Any] = Field(default_factory=dict)


class Screening(BaseModel):
    """The sanctions screen of the business and every person: `clear` or `possible_match`."""

    status: str = "clear"
    matches: list[ScreeningMatch] = Field(default_factory=list)


class DeskNote(BaseModel):
    """A reviewer's action on the merchant and its note (admin answers only)."""

    action: str
    note: str | None = None
    at: str


class Merchant(InstalloObject):
    """A merchant; `secret_key` appears once, in the answer that activates it, and
    `onboarding_key` once, in the answer to an application still pending or in review."""

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
    requirements: Requirements = Field(default_factory=Requirements)
    screening: Screening = Field(default_factory=Screening)
    charges_enabled: bool = False
    payouts_enabled: bool = False
    application: dict[str, Any] = Field(default_factory=dict)
    notes: list[DeskNote] | None = None
    secret_key: str | None = Field(default=None, repr=False)
    onboarding_key: str | None = Field(default=None, repr=False)
