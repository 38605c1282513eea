"""'As low as' messaging: the lowest monthly payment for an amount and the plans that give it."""

from __future__ import annotations

from mock_server.domain import lowest_monthly_payment
from mock_server.domain.schedule import annuity_parts
from mock_server.services.context import Caller
from mock_server.services.errors import InvalidRequest
from mock_server.services.objects import PromotionObject, PromotionPlanObject

__all__ = ["promotion"]


def promotion(caller: Caller, amount: int, currency: str) -> PromotionObject:
    """The lowest regular monthly payment among the merchant's eligible plans (pure: no I/O)."""
    if currency not in caller.merchant.currencies:
        raise InvalidRequest(
            f"currency {currency} is not offered by this merchant", param="currency"
        )
    lowest = lowest_monthly_payment(caller.merchant.plans, amount, currency)
    plans: list[PromotionPlanObject] = []
    if lowest is not None:
        for plan in caller.merchant.plans:
            if plan.id in lowest.plan_ids:
                first = annuity_parts(amount, plan.apr_bps, plan.term_count)[0]
                plans.append(
                    {
                        "plan": plan.id,
                        "term_count": plan.term_count,
                        "apr_bps": plan.apr_bps,
                        "installment_amount": sum(first),
                    }
                )
    return {
        "object": "promotion",
        "amount": amount,
        "currency": currency,
        "lowest_installment_amount": lowest.amount if lowest is not None else None,
        "plans": plans,
    }
