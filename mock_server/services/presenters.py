"""Rows to the API's objects (docs/api.md "Objects and their states"); the typed ones are the
services' read models (`services.objects`)."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from typing import Any, Protocol, cast

from mock_server.risk.tags import sandbox_tag_fields
from mock_server.services.objects import (
    CheckoutObject,
    CreditReportObject,
    CustomerObject,
    LoanObject,
    MerchantObject,
    NextActionObject,
    RequirementsObject,
    WorkflowObject,
    WorkflowStepObject,
)
from mock_server.storage.models import CheckoutRow, CreditReportRow, CustomerRow, MerchantRow
from mock_server.workflow import WorkflowInstance

__all__ = [
    "LoanMemo",
    "LoanRecord",
    "application_view",
    "checkout_object",
    "credit_report_object",
    "customer_object",
    "day_start",
    "iso",
    "last_furnished",
    "loan_object",
    "loan_read_model",
    "merchant_object",
]


def iso(moment: datetime) -> str:
    """ISO 8601 UTC with a `Z`."""
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def day_start(day: date) -> datetime:
    """Midnight UTC of a date (for dates the domain keeps and the API shows as timestamps)."""
    return datetime.combine(day, time(0), tzinfo=UTC)


def _base(object_type: str, object_id: str, created: datetime) -> dict[str, Any]:
    return {"id": object_id, "object": object_type, "created": iso(created), "livemode": False}


def merchant_object(row: MerchantRow, *, admin: bool = False) -> MerchantObject:
    """A merchant's settings, application (tax id and account number masked), requirements and
    screening (never its keys); the reviewer also sees the desk's notes."""
    state = row.verification or {}
    matches = list(state.get("screening") or [])
    obj: MerchantObject = {
        "id": row.id,
        "object": "merchant",
        "created": iso(row.created),
        "livemode": False,
        "status": row.status,
        "legal_name": row.legal_name,
        "display_name": row.display_name or row.legal_name,
        "mcc": row.mcc,
        "country": row.country,
        "currency": row.currency,
        "plans": [str(p["id"]) for p in row.plans],
        "workflow": row.workflow,
        "mdr_bps": row.mdr_bps,
        "review_reasons": list(row.review_reasons),
        "requirements": _requirements(row.requirements),
        "screening": {"status": "possible_match" if matches else "clear", "matches": matches},
        "charges_enabled": row.status in ("active", "restricted"),
        "payouts_enabled": row.status == "active",
        "application": application_view(row.application),
        "secret_key": None,
    }
    if admin:
        obj["notes"] = list(state.get("notes") or [])
    return obj


def _requirements(stored: dict[str, Any] | None) -> RequirementsObject:
    stored = stored or {}
    return {
        "currently_due": list(stored.get("currently_due") or []),
        "eventually_due": list(stored.get("eventually_due") or []),
        "pending_verification": list(stored.get("pending_verification") or []),
        "errors": list(stored.get("errors") or []),
    }


def _last4(value: object) -> str | None:
    digits = "".join(ch for ch in str(value or "") if ch.isalnum())
    return digits[-4:] if digits else None


def application_view(application: dict[str, Any]) -> dict[str, Any]:
    """The application as answers show it: tax id and bank account number reduced to last 4."""
    view = {
        k: v for k, v in application.items() if k not in ("tax_id", "bank_account", "contact_email")
    }
    view["contact_email"] = application.get("contact_email")
    view["tax_id_last4"] = _last4(application.get("tax_id"))
    account = application.get("bank_account")
    view["bank_account"] = (
        {
            "account_holder_name": account.get("account_holder_name"),
            "routing_number": account.get("routing_number"),
            "last4": _last4(account.get("account_number") or account.get("iban")),
        }
        if isinstance(account, dict)
        else None
    )
    return view


def customer_object(row: CustomerRow) -> CustomerObject:
    """A customer."""
    data = row.data
    tags = sandbox_tag_fields(str(data["email"]))
    return {
        "id": row.id,
        "object": "customer",
        "created": iso(row.created),
        "livemode": False,
        "email": data["email"],
        "name": data["name"],
        "phone": data["phone"],
        "date_of_birth": data["date_of_birth"],
        "address": data["address"],
        "national_id_last4": data["national_id_last4"],
        "locale": data["locale"],
        **tags,  # type: ignore[typeddict-item]  # sandbox_tag (and its note): str | None
        "test_clock": row.test_clock_id,
    }


def credit_report_object(row: CreditReportRow) -> CreditReportObject:
    """A stored credit report."""
    obj = {**row.data, **_base("credit_report", row.id, row.created), "customer": row.customer_id}
    return cast(CreditReportObject, obj)


def checkout_object(row: CheckoutRow) -> CheckoutObject:
    """A checkout with its offers and (once decided) decision."""
    data = row.data
    page = data.get("hosted_page") or {}
    return {
        "id": row.id,
        "created": iso(row.created),
        "livemode": False,
        "object": "checkout",
        "status": row.status,
        "amount": row.amount,
        "currency": row.currency,
        "items": data["items"],
        "shipping_amount": data["shipping_amount"],
        "tax_amount": data["tax_amount"],
        "customer": row.customer_id,
        "merchant_reference": data.get("merchant_reference"),
        "metadata": data.get("metadata"),
        "offers": data["offers"],
        "pricing": data.get("pricing"),
        "selected_offer": data.get("selected_offer"),
        "decision": data.get("decision"),
        "workflow": data.get("workflow"),
        "loan": row.loan_id,
        "expires_at": iso(row.expires_at),
        # The channel's fields: where the customer applies (`next_action`, while open), the
        # in-store short code and, once approved in store, the virtual card.
        "channel": data.get("channel") or "online",
        "store_id": data.get("store_id"),
        "terminal_id": data.get("terminal_id"),
        "redirect_urls": data.get("redirect_urls"),
        "short_code": page.get("short_code"),
        "next_action": _next_action(row, page),
        "merchant_authorized": bool(data.get("merchant_authorized")),
        "virtual_card": data.get("virtual_card"),
    }


def _next_action(row: CheckoutRow, page: dict[str, Any]) -> NextActionObject | None:
    """Where the customer applies while the checkout is open: the hosted page (online), or
    its QR code and short code (in store)."""
    if row.status != "open" or not page:
        return None
    if (row.data.get("channel") or "online") != "in_store":
        return {
            "type": "redirect_to_url",
            "url": page["url"],
            "short_code": None,
            "qr_png_url": None,
            "qr_svg_url": None,
        }
    return {
        "type": "display_qr_code",
        "url": page["url"],
        "short_code": page["short_code"],
        "qr_png_url": f"/v1/checkouts/{row.id}/qr.png",
        "qr_svg_url": f"/v1/checkouts/{row.id}/qr.svg",
    }


class LoanRecord(Protocol):
    """What a loan object is built from: a stored loan row, or a loan a clock advance holds."""

    @property
    def id(self) -> str: ...
    @property
    def created(self) -> datetime: ...
    @property
    def checkout_id(self) -> str: ...
    @property
    def customer_id(self) -> str: ...
    @property
    def data(self) -> dict[str, Any]: ...
    @property
    def furnished(self) -> dict[str, Any] | None: ...


@dataclass(slots=True)
class LoanMemo:
    """What a loan's objects repeat, kept by whoever shows one loan many times (a clock advance
    shows it once per event): its creation time as shown, and its last furnished record as
    shown (for the stored record it was shown from: a new record is a new dict)."""

    created: str | None = None
    furnished: dict[str, Any] | None = None
    shown: dict[str, Any] | None = None


@functools.lru_cache(maxsize=4096)
def _expires_at(day: str) -> str:
    return iso(day_start(date.fromisoformat(day)))


def loan_object(
    row: LoanRecord, data: dict[str, Any] | None = None, memo: LoanMemo | None = None
) -> dict[str, Any]:
    """A loan with schedule, balances and history (from `data`, a `Loan.to_dict()`, if given;
    with `memo`, what the loan's objects repeat is formatted once)."""
    data = row.data if data is None else data
    if memo is None:
        created, shown = iso(row.created), last_furnished(row.furnished)
    else:
        if memo.created is None:
            memo.created = iso(row.created)
        created = memo.created
        furnished = row.furnished
        if furnished is None or furnished is not memo.furnished:
            memo.furnished, memo.shown = furnished, last_furnished(furnished)
        shown = memo.shown
    return {
        "id": row.id,
        "object": "loan",
        "created": created,
        "livemode": False,
        "status": data["status"],
        "checkout": row.checkout_id,
        "customer": row.customer_id,
        "currency": data["currency"],
        "plan": data["plan"],
        "term_count": data["term_count"],
        "interval": data["interval"],
        "apr_bps": data["apr_bps"],
        "authorized_amount": data["authorized_amount"],
        "captured_amount": data["captured_amount"],
        "refunded_amount": data["refunded_amount"],
        "paid_amount": data["paid_amount"],
        "principal_balance": data["principal_balance"],
        "interest_outstanding": data["interest_outstanding"],
        "fees_outstanding": data["fees_outstanding"],
        "authorization_expires_at": _expires_at(data["authorization_expires_at"]),
        "schedule": data["schedule"],
        "history": data["history"],
        "last_furnished": shown,
    }


def loan_read_model(row: LoanRecord) -> LoanObject:
    """A loan as the use cases answer it: the object `loan_object` builds, typed. (The clock's
    loan book collects `loan_object`'s plain dicts for its bulk event insert.)"""
    return cast(LoanObject, loan_object(row))


def last_furnished(furnished: dict[str, Any] | None) -> dict[str, Any] | None:
    """When and how the loan was last reported to the bureau, and the score change it caused."""
    if not furnished:
        return None
    shown = furnished.copy()  # the same keys in the same order, less the ratings
    shown.pop("ratings", None)
    shown["currency"] = "USD"
    return shown


def workflow_object(instance: WorkflowInstance) -> WorkflowObject:
    """The loan process an application went through: its steps, outcomes and real timings."""
    steps: list[WorkflowStepObject] = []
    for record in instance.history:
        elapsed = record.summary.get("elapsed_us")
        steps.append(
            {
                "step": record.step_id,
                "type": record.type,
                "outcome": record.outcome,
                "started_at": iso(record.started_at),
                "finished_at": iso(record.finished_at) if record.finished_at else None,
                "elapsed_us": elapsed if isinstance(elapsed, int) else None,
            }
        )
    return {
        "id": instance.id,
        "definition": instance.definition_id,
        "definition_version": instance.definition_version,
        "status": instance.status,
        "outcome": instance.outcome,
        "steps": steps,
    }
