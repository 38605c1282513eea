"""Prequalification: a soft pull that answers how much a customer could finance, at what APR."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy.orm import Session

from mock_server.contract.requests import PrequalificationCreate
from mock_server.domain import Plan
from mock_server.ids import new_id
from mock_server.risk.assessment import Assessment
from mock_server.risk.personas import usd_to_minor
from mock_server.services.context import Caller, Sandbox
from mock_server.services.customers import new_customer
from mock_server.services.errors import InvalidRequest
from mock_server.services.objects import PrequalificationObject
from mock_server.services.presenters import iso
from mock_server.services.pricing import soft_assessment
from mock_server.services.unit_of_work import UnitOfWork
from mock_server.storage.models import CreditReportRow, CustomerRow

if TYPE_CHECKING:
    # The rule engine (mock_server.rules) loads at the first decision, not at start.
    from mock_server.rules import Decision

__all__ = ["DEFAULT_PREQUALIFY_USD", "prequalify", "soft_pull"]

# The amount a prequalification is assessed for when the merchant names none: $1,000.
DEFAULT_PREQUALIFY_USD = 100_000


def prequalify(
    sandbox: Sandbox, caller: Caller, body: PrequalificationCreate
) -> PrequalificationObject:
    """Soft-pull the customer and evaluate the credit policy; nothing touches the file."""
    currency = body.currency or caller.merchant.currency
    plans = [p for p in caller.merchant.plans if currency in p.currencies]
    if not plans:
        raise InvalidRequest(
            f"currency {currency} is not offered by this merchant", param="currency"
        )
    amount = body.amount or usd_to_minor(DEFAULT_PREQUALIFY_USD, currency)
    with UnitOfWork(sandbox, caller) as uow:
        now = uow.now
        if isinstance(body.customer, str):
            row = uow.customers.get(body.customer, param="customer")
        else:
            row = new_customer(uow, body.customer, param="customer.date_of_birth")
        assessment = soft_pull(uow.session, sandbox, caller, row, amount, currency, now)
        uow.session.add(
            CreditReportRow(
                id=new_id("cr"),
                merchant_id=caller.merchant.id,
                customer_id=row.id,
                created=now,
                pull_type="soft",
                data=assessment.report.to_dict(customer=row.id),
            )
        )
    decision = sandbox.credit_policy.evaluate(assessment.facts)
    max_amount, apr_min_bps, apr_max_bps = _terms(decision, plans, currency)
    return {
        "id": new_id("pq"),
        "object": "prequalification",
        "created": iso(now),
        "livemode": False,
        "customer": row.id,
        "currency": currency,
        "outcome": decision.outcome,
        "reason_codes": list(decision.reason_codes),
        "max_amount": max_amount,
        "apr_min_bps": apr_min_bps,
        "apr_max_bps": apr_max_bps,
    }


def soft_pull(
    session: Session,
    sandbox: Sandbox,
    caller: Caller,
    row: CustomerRow,
    amount: int,
    currency: str,
    now: datetime,
) -> Assessment:
    """Assess the customer on a soft pull (pricing's, for this merchant)."""
    merchant = {"mcc": caller.merchant.mcc, "country": caller.merchant.country}
    return soft_assessment(
        session,
        sandbox.settings.seed,
        row,
        merchant,
        amount=amount,
        currency=currency,
        now=now,
    )


def _terms(
    decision: Decision, plans: list[Plan], currency: str
) -> tuple[int, int | None, int | None]:
    """Maximum amount (the policy's limit, capped by the largest plan) and the APR range."""
    if decision.outcome == "decline":
        return 0, None, None
    limit_usd = decision.credit_limit if decision.credit_limit is not None else 0
    max_plan = max(p.max_amount[currency] for p in plans)
    aprs = sorted({p.apr_bps for p in plans} | ({decision.apr_bps} if decision.apr_bps else set()))
    return min(usd_to_minor(limit_usd, currency), max_plan), aprs[0], aprs[-1]
