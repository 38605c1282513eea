"""Lender-operations models (admin key): policies, loan processes, dry runs."""

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import ConfigDict, Field

from mock_server.api.schemas import ApiModel, ListObject, ObjectBase, StrictBody

__all__ = [
    "CreditSummary",
    "DryRunRequest",
    "Policy",
    "PolicyDryRun",
    "PolicyList",
    "Review",
    "ReviewApplication",
    "ReviewList",
    "Workflow",
    "WorkflowList",
]


class Policy(ApiModel):
    """A live credit or onboarding policy: rules as data."""

    id: str
    object: Literal["policy"] = "policy"
    version: int
    kind: Literal["credit", "onboarding"]
    description: str | None = None
    default_outcome: Literal["approve", "review", "decline"]
    rules: list[dict[str, Any]]


class Workflow(ApiModel):
    """A live loan process definition."""

    id: str
    object: Literal["workflow"] = "workflow"
    version: int
    description: str
    start: str
    steps: list[dict[str, Any]]


class PolicyList(ApiModel):
    """Every live policy."""

    object: Literal["list"] = "list"
    data: list[Policy]
    has_more: bool = False


class WorkflowList(ApiModel):
    """Every live loan process."""

    object: Literal["list"] = "list"
    data: list[Workflow]
    has_more: bool = False


class DryRunRequest(StrictBody):
    """What to dry-run: a proposed policy (the live one when absent) over the applications given
    (facts, as `docs/internals.md` lists them), the most recent stored applications, or a
    generated batch of seeded personas; the answer compares it with the live policy."""

    policy: dict[str, Any] | None = None
    applications: Annotated[list[dict[str, Any]], Field(min_length=1, max_length=1000)] | None = (
        None
    )
    source: Literal["inline", "stored", "generated"] | None = None
    count: Annotated[int, Field(strict=True, ge=1, le=1000)] = 200


class PolicyDryRun(ApiModel):
    """What the policy would decide for each application, and the mix overall."""

    model_config = ConfigDict(extra="allow")

    object: Literal["policy_dry_run"] = "policy_dry_run"
    source: Literal["inline", "stored", "generated"]
    proposed: bool
    policy_id: str
    policy_version: int
    count: int
    approval_rate_bps: int
    rule_hits: dict[str, int]
    baseline: dict[str, Any]
    changed_count: int
    changes: list[dict[str, Any]]
    results: list[dict[str, Any]]


class ReviewApplication(ApiModel):
    """What was applied for: the cart's amount, the customer and the plan chosen."""

    checkout: str
    customer: str
    amount: int
    currency: str
    plan: str | None
    item_count: int
    merchant_reference: str | None


class CreditSummary(ApiModel):
    """The latest credit report pulled for the applicant, in brief."""

    bureau_score: int | None
    pull_type: str | None
    utilization_bps: int | None
    delinquencies: int | None
    public_records: int | None
    frozen: bool | None
    tradeline_count: int
    inquiry_count: int
    pulled_at: str | None


class Review(ObjectBase):
    """An application in the manual review queue, with what an underwriter needs to decide."""

    object: Literal["review"] = "review"
    status: Literal["pending", "approved", "declined", "expired"]
    checkout: str
    merchant: str
    queue: str = Field(description="the review queue the workflow's manual_review step names")
    reason_codes: list[str]
    deadline: datetime | None
    decided_at: datetime | None
    application: ReviewApplication | None = None
    credit_summary: CreditSummary | None = None
    score: int | None = None
    credit_limit: int | None = None
    policy_id: str | None = None
    policy_version: int | None = None
    rules_fired: list[dict[str, Any]] = Field(default_factory=list)


class ReviewList(ListObject[Review]):
    """A page of the review queue, oldest first."""
