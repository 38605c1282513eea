"""Prequalification: a soft pull that answers how much a customer could finance, at what APR."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from mock_server.domain import Plan
from mock_server.ids import new_id
from mock_server.risk.assessment import Assessment
from mock_server.risk.personas import usd_to_minor
from mock_server.rules import Decision
from mock_server.services.clock import merchant_now
from mock_server.services.context import Caller, Sandbox
from mock_server.services.customers import add_customer, get_customer_row
from mock_server.services.errors import InvalidRequest
from mock_server.services.presenters import iso
from mock_server.services.pricing import soft_assessment
from mock_server.storage.models import CreditReportRow, CustomerRow

__all__ = ["DEFAULT_PREQUALIFY_USD", "prequalify", "soft_pull"]

# The amount a prequalification is assessed for when the merchant names none: $1,000.
DEFAULT_PREQUALIFY_USD = 100_000


def prequalify(sandbox: Sandbox, caller: Caller, body: Mapping[str, Any]) -> dict[str, Any]:
    """Soft-pull the customer and evaluate the credit policy; nothing touches the file."""
    currency = str(body.get("currency") or caller.merchant.currency)
    plans = [p for p in caller.merchant.plans if currency in p.currencies]
    if not plans:
        raise InvalidRequest(
            f"currency {currency} is not offered by this merchant", param="currency"
        )
    amount = int(body.get("amount") or usd_to_minor(DEFAULT_PREQUALIFY_USD, currency))
    with sandbox.db.transaction() as session:
        now = merchant_now(session, caller.merchant.id, sandbox.wall)
        customer = body["customer"]
        if isinstance(customer, str):
            row = get_customer_row(session, caller, customer, "customer")
        else:
            row = add_customer(session, caller, customer, now, param="customer.date_of_birth")
        assessment = soft_pull(session, sandbox, caller, row, amount, currency, now)
        session.add(
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
    return {
        "id": new_id("pq"),
        "object": "prequalification",
        "created": iso(now),
        "livemode": False,
        "customer": row.id,
        "currency": currency,
        "outcome": decision.outcome,
        "reason_codes": list(decision.reason_codes),
        **_terms(decision, plans, currency),
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


def _terms(decision: Decision, plans: list[Plan], currency: str) -> dict[str, Any]:
    """Maximum amount (the policy's limit, capped by the largest plan) and the APR range."""
    if decision.outcome == "decline":
        return {"max_amount": 0, "apr_min_bps": None, "apr_max_bps": None}
    limit_usd = decision.credit_limit if decision.credit_limit is not None else 0
    max_plan = max(p.max_amount[currency] for p in plans)
    aprs = sorted({p.apr_bps for p in plans} | ({decision.apr_bps} if decision.apr_bps else set()))
    return {
        "max_amount": min(usd_to_minor(limit_usd, currency), max_plan),
        "apr_min_bps": aprs[0],
        "apr_max_bps": aprs[-1],
    }
