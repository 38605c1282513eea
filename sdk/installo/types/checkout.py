"""A checkout: a cart financed by one of its offers once the customer confirms."""

from __future__ import annotations

from datetime import datetime

from pydantic import Field

from .._models import BaseModel, InstalloObject, OpenEnum
from .offer import Offer
from .shared import CartItem

__all__ = [
    "Checkout",
    "CheckoutPricing",
    "CheckoutStatus",
    "CheckoutWorkflow",
    "Decision",
    "DecisionOutcome",
    "RuleFired",
    "SandboxTagTrace",
    "WorkflowStep",
]


class CheckoutStatus(OpenEnum):
    """Where a checkout stands."""

    OPEN = "open"
    APPROVED = "approved"
    DECLINED = "declined"
    IN_REVIEW = "in_review"
    EXPIRED = "expired"
    CANCELED = "canceled"


class DecisionOutcome(OpenEnum):
    """The credit decision's outcome."""

    APPROVE = "approve"
    REVIEW = "review"
    DECLINE = "decline"


class RuleFired(BaseModel):
    """One policy rule that fired during a decision."""

    rule_id: str
    outcome: DecisionOutcome
    reason_code: str | None = None


class SandboxTagTrace(BaseModel):
    """(sandbox) The magic email tag behind a decision, and what it set for the engines."""

    tag: str
    effects: list[str] = Field(default_factory=list)


class Decision(BaseModel):
    """The credit decision recorded on a checkout, explaining itself."""

    outcome: DecisionOutcome
    reason_codes: list[str] = Field(default_factory=list)
    score: int | None = None
    credit_limit: int | None = None
    apr_bps: int | None = None  # the APR the policy prices this customer's tier at
    policy_id: str | None = None
    policy_version: int | None = None
    rules_fired: list[RuleFired] = Field(default_factory=list)
    sandbox_tag: SandboxTagTrace | None = None


class WorkflowStep(BaseModel):
    """One step of the lender's loan process, with its outcome and how long its work took."""

    step: str
    type: str
    outcome: str | None = None
    started_at: datetime | None = None
    finished_at: datetime | None = None
    elapsed_us: int | None = None


class CheckoutWorkflow(BaseModel):
    """The loan process the sandbox ran for a confirmed checkout, step by step."""

    id: str
    definition: str
    definition_version: int
    status: str
    outcome: str | None = None
    steps: list[WorkflowStep] = Field(default_factory=list)


class CheckoutPricing(BaseModel):
    """How a known customer's offers were priced: a soft pull read by the credit policy of the
    merchant's loan process (the tier's APR, never above a plan's; 0% plans stay 0%)."""

    basis: str
    tier: str | None = None  # the policy rule's reason code (PRIME_TIER, ...)
    tier_apr_bps: int | None = None
    bureau_score: int | None = None  # the score the soft pull found
    policy_id: str
    policy_version: int


class Checkout(InstalloObject):
    """A checkout and, once confirmed, its decision and loan."""

    status: CheckoutStatus
    amount: int
    currency: str
    items: list[CartItem] = Field(default_factory=list)
    shipping_amount: int = 0
    tax_amount: int = 0
    customer: str | None = None
    merchant_reference: str | None = None
    offers: list[Offer] = Field(default_factory=list)
    pricing: CheckoutPricing | None = None  # set when a known customer's offers were priced
    selected_offer: str | None = None
    decision: Decision | None = None
    workflow: CheckoutWorkflow | None = None
    loan: str | None = None
    expires_at: datetime | None = None
    metadata: dict[str, str] | None = None
