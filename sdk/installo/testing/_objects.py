"""Realistic canned API objects (plain JSON-like dicts), for mocks and merchants' tests.

Each factory answers what the sandbox would send, and takes keyword overrides.
"""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime, timedelta
from typing import Any

__all__ = [
    "checkout_object",
    "customer_object",
    "error_body",
    "event_object",
    "list_object",
    "loan_object",
    "offer_object",
    "schedule",
]

_counter = itertools.count(1)
CREATED = "2026-01-15T12:00:00Z"
TODAY = date(2026, 1, 15)


def _next_id(prefix: str) -> str:
    return f"{prefix}_test{next(_counter):06d}"


def schedule(
    amount: int, term_count: int, *, interval_days: int = 30, first_due: date = TODAY
) -> list[dict[str, Any]]:
    """An interest-free schedule that splits `amount` evenly, the remainder on the last payment."""
    part, remainder = divmod(amount, term_count)
    entries = []
    for sequence in range(1, term_count + 1):
        principal = part + (remainder if sequence == term_count else 0)
        entries.append(
            {
                "sequence": sequence,
                "due_date": (
                    first_due + timedelta(days=interval_days * (sequence - 1))
                ).isoformat(),
                "amount": principal,
                "principal": principal,
                "interest": 0,
                "fees": 0,
                "status": "upcoming",
                "paid_amount": 0,
            }
        )
    return entries


def offer_object(amount: int, plan: str = "pay_in_4", **overrides: Any) -> dict[str, Any]:
    """An interest-free offer: `pay_in_4` (two weeks apart) or `monthly_N`."""
    if plan == "pay_in_4":
        terms, interval, days = 4, "two_weeks", 14
    else:
        terms, interval, days = int(plan.rsplit("_", 1)[-1]), "month", 30
    entries = schedule(amount, terms, interval_days=days)
    offer = {
        "id": _next_id("off"),
        "plan": plan,
        "term_count": terms,
        "interval": interval,
        "apr_bps": 0,
        "amount_financed": amount,
        "finance_charge": 0,
        "total_of_payments": amount,
        "installment_amount": entries[0]["amount"],
        "first_due_date": entries[0]["due_date"],
        "schedule": entries,
    }
    return {**offer, **overrides}


def checkout_object(
    amount: int = 129900, currency: str = "USD", **overrides: Any
) -> dict[str, Any]:
    """An open checkout with a pay-in-4 and a 12-month offer."""
    checkout = {
        "id": _next_id("chk"),
        "object": "checkout",
        "created": CREATED,
        "livemode": False,
        "status": "open",
        "amount": amount,
        "currency": currency,
        "items": [
            {"sku": "SKU-1", "name": "Espresso machine", "unit_amount": amount, "quantity": 1}
        ],
        "shipping_amount": 0,
        "tax_amount": 0,
        "customer": _next_id("cus"),
        "merchant_reference": None,
        "offers": [offer_object(amount, "pay_in_4"), offer_object(amount, "monthly_12")],
        "selected_offer": None,
        "decision": None,
        "loan": None,
        "expires_at": "2026-01-15T13:00:00Z",
    }
    return {**checkout, **overrides}


def decision_object(outcome: str, reason_codes: list[str] | None = None) -> dict[str, Any]:
    """A decision as the rule engine records it."""
    codes = reason_codes if reason_codes is not None else [f"SANDBOX_{outcome.upper()}"]
    return {
        "outcome": outcome,
        "reason_codes": codes,
        "score": {"approve": 742, "review": 655, "decline": 540}.get(outcome, 600),
        "credit_limit": 500000 if outcome == "approve" else None,
        "policy_id": "pol_consumer_credit",
        "policy_version": 1,
        "rules_fired": [
            {"rule_id": f"email_tag_{outcome}", "outcome": outcome, "reason_code": code}
            for code in codes
        ],
    }


def loan_object(amount: int = 129900, currency: str = "USD", **overrides: Any) -> dict[str, Any]:
    """An authorized, not yet captured loan."""
    loan = {
        "id": _next_id("loan"),
        "object": "loan",
        "created": CREATED,
        "livemode": False,
        "status": "authorized",
        "checkout": _next_id("chk"),
        "customer": _next_id("cus"),
        "currency": currency,
        "authorized_amount": amount,
        "captured_amount": 0,
        "refunded_amount": 0,
        "principal_balance": 0,
        "apr_bps": 0,
        "schedule": schedule(amount, 4, interval_days=14),
        "authorization_expires_at": (
            datetime(2026, 1, 15, 12, tzinfo=UTC) + timedelta(days=30)
        ).isoformat(),
    }
    return {**loan, **overrides}


def customer_object(email: str = "ada@example.com", **overrides: Any) -> dict[str, Any]:
    """A customer of the merchant."""
    customer = {
        "id": _next_id("cus"),
        "object": "customer",
        "created": CREATED,
        "livemode": False,
        "email": email,
        "name": "Ada Lovelace",
        "phone": "+15555550100",
        "date_of_birth": "1990-12-10",
        "address": {
            "line1": "1 Main St",
            "city": "Springfield",
            "region": "IL",
            "postal_code": "62701",
            "country": "US",
        },
        "national_id_last4": "1234",
        "locale": "en_US",
    }
    return {**customer, **overrides}


def event_object(type: str, data_object: dict[str, Any], **overrides: Any) -> dict[str, Any]:
    """An event wrapping an object as it was after the change."""
    event = {
        "id": _next_id("evt"),
        "object": "event",
        "created": CREATED,
        "livemode": False,
        "type": type,
        "data": {"object": data_object},
        "request_id": _next_id("req"),
    }
    return {**event, **overrides}


def list_object(data: list[dict[str, Any]], has_more: bool = False) -> dict[str, Any]:
    """A list envelope."""
    return {"object": "list", "data": data, "has_more": has_more}


_ERROR_TYPES = {
    400: "invalid_request_error",
    401: "authentication_error",
    403: "permission_error",
    404: "not_found_error",
    409: "invalid_request_error",
    422: "invalid_request_error",
    429: "rate_limit_error",
}


def error_body(
    status: int,
    code: str = "sandbox_error",
    message: str = "sandbox error",
    *,
    param: str | None = None,
    type: str | None = None,
    request_id: str | None = None,
) -> dict[str, Any]:
    """An error envelope as the API sends it."""
    return {
        "error": {
            "type": type or _ERROR_TYPES.get(status, "api_error"),
            "code": code,
            "message": message,
            "param": param,
            "request_id": request_id or _next_id("req"),
        }
    }
