"""Risk-based pricing that keeps the disclosure exact.

A checkout for a known customer (one the merchant created before, named by id) soft-pulls the
customer's file and evaluates the credit policy of the merchant's loan process: each offer is
priced at the APR the policy gives the customer's tier, never above the plan's own APR (so a 0%
promotion stays 0%). A checkout for a new (inline) customer is priced at the plans' APRs.

Confirming charges exactly the APR of the chosen offer. If the hard pull at confirmation prices
the customer above what the offer disclosed (a worse tier: the file or the policy changed since
the soft pull), the decision step answers `decision.on_worse_tier` (decline, or review) with
`RISK_TIER_WORSENED` instead of re-pricing silently; a better tier keeps the disclosed APR.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from typing import TYPE_CHECKING, Any, Final, Literal

from sqlalchemy.orm import Session

from mock_server.domain import Plan
from mock_server.risk.assessment import Assessment, assess_application
from mock_server.risk.fraud import InMemoryVelocityStore
from mock_server.risk.identity import Identity
from mock_server.risk.reasons import ReasonCode
from mock_server.services import bureau
from mock_server.storage.models import CustomerRow

if TYPE_CHECKING:
    # The rule engine (mock_server.rules) loads at the first decision, not at start.
    from mock_server.rules import Decision, Policy

__all__ = [
    "RISK_TIER_WORSENED",
    "OfferPrice",
    "TierPrice",
    "WorseTierAction",
    "hold_disclosed_price",
    "offered_apr",
    "priced_plan",
    "soft_pull_price",
]

RISK_TIER_WORSENED: Final = ReasonCode.RISK_TIER_WORSENED.value
WorseTierAction = Literal["decline", "review"]


def offered_apr(plan_apr_bps: int, tier_apr_bps: int | None) -> int:
    """The APR a plan is offered at for a tier: the tier's, never above the plan's."""
    return plan_apr_bps if tier_apr_bps is None else min(plan_apr_bps, tier_apr_bps)


def priced_plan(plan: Plan, apr_bps: int) -> Plan:
    """The plan at the APR an offer disclosed (never above the plan's own)."""
    return plan if apr_bps == plan.apr_bps else replace(plan, apr_bps=min(apr_bps, plan.apr_bps))


@dataclass(frozen=True, slots=True)
class OfferPrice:
    """What the chosen offer disclosed: its APR and the plan's APR when it was priced."""

    apr_bps: int
    plan_apr_bps: int

    @classmethod
    def of(cls, offer: Mapping[str, Any]) -> OfferPrice:
        """From a stored offer (one priced before risk-based pricing was at the plan's APR)."""
        apr = int(offer["apr_bps"])
        return cls(apr, int(offer.get("plan_apr_bps", apr)))


def hold_disclosed_price(
    decision: Decision, offer: OfferPrice | None, on_worse_tier: WorseTierAction
) -> Decision:
    """The decision, unless it approves a customer whose tier now prices the plan above the
    disclosed APR: then `on_worse_tier` with RISK_TIER_WORSENED first among its reasons."""
    if offer is None or decision.outcome != "approve":
        return decision
    if offered_apr(offer.plan_apr_bps, decision.apr_bps) <= offer.apr_bps:
        return decision
    return replace(
        decision,
        outcome=on_worse_tier,
        reason_codes=(RISK_TIER_WORSENED, *decision.reason_codes),
    )


@dataclass(frozen=True, slots=True)
class TierPrice:
    """The soft pull behind a checkout's prices: the tier's APR and where it came from."""

    apr_bps: int | None
    tier: str | None  # the reason code of the policy rule that set the APR (PRIME_TIER, ...)
    bureau_score: int
    policy_id: str
    policy_version: int

    def to_dict(self) -> dict[str, Any]:
        """The checkout's `pricing`."""
        return {
            "basis": "soft_pull",
            "tier": self.tier,
            "tier_apr_bps": self.apr_bps,
            "bureau_score": self.bureau_score,
            "policy_id": f"pol_{self.policy_id.removeprefix('pol_')}",
            "policy_version": self.policy_version,
        }


def _tier_rule(policy: Policy, decision: Decision) -> str | None:
    pricing_rules = {rule.id for rule in policy.rules if rule.apr_bps is not None}
    return next(
        (fired.reason_code for fired in decision.rules_fired if fired.rule_id in pricing_rules),
        None,
    )


def soft_assessment(
    session: Session,
    seed: int,
    customer: CustomerRow,
    merchant: Mapping[str, Any],
    *,
    amount: int,
    currency: str,
    now: datetime,
) -> Assessment:
    """Assess the customer on a soft pull: no velocity recorded (it is no application), no mark
    on the file; the bureau's file includes what Installo furnished."""
    identity = Identity.from_dict(customer.data)
    return assess_application(
        seed,
        identity,
        amount=amount,
        currency=currency,
        cart=[],
        merchant=merchant,
        store=InMemoryVelocityStore(),
        now=now,
        pull_type="soft",
        report=bureau.pull_report(session, seed, identity, as_of=now, pull_type="soft"),
    )


def soft_pull_price(
    session: Session,
    seed: int,
    policy: Policy,
    customer: CustomerRow,
    merchant: Mapping[str, Any],
    *,
    amount: int,
    currency: str,
    now: datetime,
) -> TierPrice:
    """Soft-pull the customer and read the policy's APR for their tier. A soft pull leaves no
    mark on the file and is not the customer's credit report: the hard pull at confirmation
    is."""
    assessment = soft_assessment(
        session, seed, customer, merchant, amount=amount, currency=currency, now=now
    )
    decision = policy.evaluate(assessment.facts)
    return TierPrice(
        decision.apr_bps,
        _tier_rule(policy, decision),
        assessment.report.bureau_score,
        policy.id,
        policy.version,
    )
