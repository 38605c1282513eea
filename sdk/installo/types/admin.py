"""Lender-operations objects: policies, workflows, dry runs, the manual review queue."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import Field

from .._models import BaseModel, InstalloObject, OpenEnum
from .checkout import RuleFired

__all__ = [
    "CreditSummary",
    "DryRunChange",
    "DryRunResult",
    "Policy",
    "Review",
    "ReviewApplication",
    "ReviewStatus",
    "Workflow",
]


class Policy(BaseModel):
    """A versioned credit or onboarding policy."""

    id: str
    object: str = "policy"
    version: int
    kind: str
    description: str | None = None
    default_outcome: str | None = None
    rules: list[dict[str, Any]] = Field(default_factory=list)


class DryRunChange(BaseModel):
    """One application whose outcome the dry-run policy changes against the live one."""

    index: int
    from_outcome: str = Field(alias="from")
    to_outcome: str = Field(alias="to")


class DryRunResult(BaseModel):
    """A policy's decisions over a batch of applications, compared with the live policy.

    `results` holds one decision per application (or `{"error": ...}`), in batch order; the
    server's other summaries (`outcomes`, `top_reason_codes`, `errors`) are kept as extras.
    """

    object: str = "policy_dry_run"
    source: str | None = None
    proposed: bool = False
    policy_id: str | None = None
    policy_version: int | None = None
    count: int = 0
    approval_rate_bps: int | None = None
    rule_hits: dict[str, int] = Field(default_factory=dict)
    baseline: dict[str, Any] = Field(default_factory=dict)
    changed_count: int = 0
    changes: list[DryRunChange] = Field(default_factory=list)
    results: list[dict[str, Any]] = Field(default_factory=list)


class Workflow(BaseModel):
    """A loan process definition."""

    id: str
    object: str = "workflow"
    version: int | None = None
    description: str | None = None
    start: str | None = None
    steps: list[dict[str, Any]] = Field(default_factory=list)


class ReviewStatus(OpenEnum):
    """Where a review stands."""

    PENDING = "pending"
    APPROVED = "approved"
    DECLINED = "declined"
    EXPIRED = "expired"


class ReviewApplication(BaseModel):
    """What was applied for: the cart's amount (minor units of `currency`), customer, plan."""

    checkout: str
    customer: str
    amount: int
    currency: str
    plan: str | None = None
    item_count: int = 0
    merchant_reference: str | None = None


class CreditSummary(BaseModel):
    """The applicant's latest credit report, in brief."""

    bureau_score: int | None = None
    pull_type: str | None = None
    utilization_bps: int | None = None
    delinquencies: int | None = None
    public_records: int | None = None
    frozen: bool | None = None
    tradeline_count: int = 0
    inquiry_count: int = 0
    pulled_at: datetime | None = None


class Review(InstalloObject):
    """An application in the manual review queue, with what an underwriter needs to decide."""

    status: ReviewStatus
    checkout: str | None = None
    merchant: str | None = None
    queue: str | None = None
    reason_codes: list[str] = Field(default_factory=list)
    deadline: datetime | None = None
    decided_at: datetime | None = None
    application: ReviewApplication | None = None
    credit_summary: CreditSummary | None = None
    score: int | None = None
    credit_limit: int | None = None
    policy_id: str | None = None
    policy_version: int | None = None
    rules_fired: list[RuleFired] = Field(default_factory=list)
