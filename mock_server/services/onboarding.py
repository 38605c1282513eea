"""Merchant onboarding: applications, their requirements and the status they lead to.

A merchant's status follows from its application (mock_server.kyb), the onboarding policy and what
reviewers and later checks said (`MerchantRow.verification`):

- requirements currently due (missing or in error) keep a new merchant `pending`, an activated one
  `restricted` (checkouts go on, payouts pause);
- a policy `decline` rejects a merchant never activated; a `review` (a sanctions match, a young
  business with high volume) sends it to `pending_review` until a reviewer approves, which accepts
  those reasons for good;
- otherwise it is `active`; `suspended` and `rejected` change only by a reviewer's hand.

Each status change appends its event (`merchant.activated`, `merchant.restricted`, ...), which
webhooks deliver. The first activation issues the secret key, shown once in that answer; until then
the merchant holds an onboarding key that may only read and update its own application.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any, Final

from sqlalchemy.orm import Session

from mock_server.contract.merchant_requests import MerchantApplicationUpdate
from mock_server.contract.requests import MerchantApplication
from mock_server.domain.merchant import MerchantLifecycle
from mock_server.services.context import Caller, MerchantAccount, Sandbox
from mock_server.services.errors import InvalidRequest
from mock_server.services.events import record_event
from mock_server.services.merchants import hash_key, locked_merchant, new_merchant_row
from mock_server.services.objects import MerchantObject
from mock_server.services.presenters import merchant_object
from mock_server.services.unit_of_work import UnitOfWork
from mock_server.storage.models import ApiKeyRow, ClockRow, MerchantRow

if TYPE_CHECKING:
    # KYB (python-stdnum, the sanctions list) and the rule engine are imported where an
    # application is checked, not at start (0.05 s and 0.04 s of it).
    from mock_server.kyb import CheckError, Requirements
    from mock_server.rules import Decision

__all__ = [
    "STATUS_EVENTS",
    "TAX_ID_CHECK_DAYS",
    "apply_for_merchant",
    "issue_key",
    "reevaluate",
    "run_tax_id_checks",
    "settle_status",
    "update_application",
]

TAX_ID_CHECK_DAYS: Final = 1
STATUS_EVENTS: Final = {
    "pending": "merchant.requirements_due",
    "pending_review": "merchant.in_review",
    "active": "merchant.activated",
    "restricted": "merchant.restricted",
    "suspended": "merchant.suspended",
    "rejected": "merchant.rejected",
}
_MERGED: Final = ("representative", "address")  # partial updates merge into these


def issue_key(session: Session, row: MerchantRow, scope: str, now: datetime) -> str:
    """A new key for the merchant (stored only as its hash); answer it to show once."""
    prefix = "sk_test_" if scope == "secret" else "rk_test_"
    key = f"{prefix}{secrets.token_urlsafe(24)}"
    session.add(ApiKeyRow(key_hash=hash_key(key), merchant_id=row.id, created=now, scope=scope))
    return key


def _standing_errors(state: Mapping[str, Any]) -> list[CheckError]:
    """Errors that come from later checks and reviewers rather than from the application."""
    from mock_server.kyb import CheckError

    errors = []
    if state.get("tax_id") == "failed":
        errors.append(
            CheckError(
                "tax_id",
                "tax_id_verification_failed",
                "the tax authority found no business with this tax id and legal name",
            )
        )
    if failure := state.get("payout_failure"):
        errors.append(
            CheckError(
                "bank_account",
                "payout_failed",
                f"payout {failure['payout']} to this account failed ({failure['code']}); "
                "give another bank account",
            )
        )
    for asked in state.get("requested") or []:
        errors.append(CheckError(asked["requirement"], "information_requested", asked["note"]))
    return errors


def _merged(base: Requirements, extra: list[CheckError]) -> Requirements:
    if not extra:
        return base
    from mock_server.kyb import Requirements

    due = tuple(dict.fromkeys([*base.currently_due, *(e.requirement for e in extra)]))
    return Requirements(
        currently_due=due,
        eventually_due=tuple(dict.fromkeys([*due, *base.eventually_due])),
        pending_verification=tuple(p for p in base.pending_verification if p not in due),
        errors=(*base.errors, *extra),
    )


def merchant_lifecycle(row: MerchantRow) -> MerchantLifecycle:
    """The stored merchant's standing, to move it by verification or the desk."""
    return MerchantLifecycle.of(
        row.id, row.status, activated=bool(row.verification.get("activated_on"))
    )


def _settle_verified(row: MerchantRow, requirements: Requirements, decision: Decision) -> None:
    life = merchant_lifecycle(row)
    accepted = set(row.verification.get("accepted_reasons") or [])
    unaccepted = [] if decision.outcome == "approve" else set(decision.reason_codes) - accepted
    life.after_verification(
        declined=decision.outcome == "decline",
        requirements_due=bool(requirements.currently_due),
        unaccepted_reasons=unaccepted,
    )
    row.status = life.status.value


def reevaluate(sandbox: Sandbox, row: MerchantRow, today: date) -> Decision:
    """Verify the application again and set the row's requirements, reasons and status."""
    from mock_server.kyb import verify_application
    from mock_server.rules import build_onboarding_facts

    state = row.verification
    pending = ["tax_id"] if state.get("tax_id") == "pending" else []
    verification = verify_application(row.application, today, pending)
    requirements = _merged(verification.requirements, _standing_errors(state))
    decision = sandbox.onboarding_policy.evaluate(
        build_onboarding_facts(row.application, verification)
    )
    row.requirements = requirements.to_dict()
    row.verification = {**state, "screening": [m.to_dict() for m in verification.matches]}
    _settle_verified(row, requirements, decision)
    accepted = set(state.get("accepted_reasons") or [])
    row.review_reasons = (
        [c for c in decision.reason_codes if c not in accepted]
        if decision.outcome != "approve"
        else []
    )
    return decision


def settle_status(
    session: Session, sandbox: Sandbox, row: MerchantRow, before: str, caller: Caller, now: datetime
) -> str | None:
    """After a change: on first activation start the tax id check and issue the secret key
    (answered); append the event of a status change."""
    key = None
    if row.status == "active" and not row.verification.get("activated_on"):
        check_on = (now.date() + timedelta(days=TAX_ID_CHECK_DAYS)).isoformat()
        row.verification = {
            **row.verification,
            "activated_on": now.date().isoformat(),
            "tax_id": "pending",
            "tax_id_check_on": check_on,
        }
        reevaluate(sandbox, row, now.date())  # the tax id is now pending verification
        key = issue_key(session, row, "secret", now)
    if row.status != before:
        record_event(session, caller, STATUS_EVENTS[row.status], merchant_object(row), now)
    return key


def apply_for_merchant(
    sandbox: Sandbox, body: MerchantApplication, request_id: str | None = None
) -> MerchantObject:
    """Verify an application and run the KYB policy: an active merchant gets its secret key
    once; one pending or in review gets an onboarding key for its application."""
    application = body.model_dump(mode="json", exclude_none=True)
    now = sandbox.wall()
    with sandbox.db.transaction() as session:
        row = new_merchant_row(application, "pending", now)
        row.verification = {"tax_id": "unverified"}
        reevaluate(sandbox, row, now.date())
        session.add(row)
        session.flush()
        session.add(ClockRow(merchant_id=row.id, offset_seconds=0))
        caller = Caller(MerchantAccount.from_row(row), request_id)
        key = settle_status(session, sandbox, row, "", caller, now)
        obj = merchant_object(row)
        if key is not None:
            obj["secret_key"] = key
        elif row.status != "rejected":
            obj["onboarding_key"] = issue_key(session, row, "onboarding", now)
        return obj


# Application fields every merchant keeps on file: a change may replace them, never clear them.
_REQUIRED_ON_FILE = (
    "legal_name",
    "mcc",
    "country",
    "currency",
    "website",
    "years_in_business",
    "expected_monthly_volume",
    "contact_email",
)


def update_application(
    sandbox: Sandbox, caller: Caller, body: MerchantApplicationUpdate
) -> MerchantObject:
    """Change the caller's application (the fields the body sets) and verify it again; the
    answer carries the secret key once if this change activated the merchant."""
    changes = body.model_dump(mode="json", exclude_unset=True)
    with UnitOfWork(sandbox, caller) as uow:
        session, now = uow.session, uow.now
        row = locked_merchant(session, caller.merchant.id)
        merchant_lifecycle(row).require_unfrozen()
        cleared = [name for name in _REQUIRED_ON_FILE if name in changes and changes[name] is None]
        if cleared:
            raise InvalidRequest(
                f"{', '.join(cleared)} cannot be null: leave a field out to keep its value",
                param=cleared[0],
            )
        activated = bool(row.verification.get("activated_on"))
        for name in ("country", "currency"):
            if activated and name in changes and changes[name] != row.application.get(name):
                raise InvalidRequest(f"{name} cannot change after activation", param=name)
        row.application = _apply_changes(row.application, changes)
        row.verification = _after_changes(row.verification, changes, activated, now.date())
        before = row.status
        reevaluate(sandbox, row, now.date())
        key = settle_status(session, sandbox, row, before, caller, now)
        obj = merchant_object(row)
        uow.record("merchant.updated", obj)
        if not key:
            return obj
        answer: MerchantObject = {**obj, "secret_key": key}  # the event's object keeps no key
        return answer


def _apply_changes(application: Mapping[str, Any], changes: Mapping[str, Any]) -> dict[str, Any]:
    merged = dict(application)
    for name, value in changes.items():
        if name in _MERGED and isinstance(value, Mapping) and isinstance(merged.get(name), Mapping):
            merged[name] = {**merged[name], **value}
        else:
            merged[name] = value
    return merged


def _after_changes(
    state: Mapping[str, Any], changes: Mapping[str, Any], activated: bool, today: date
) -> dict[str, Any]:
    """What a change clears: requests it answers, a payout failure (new account), a failed tax
    id check (new tax id, checked again a day later)."""
    updated = dict(state)
    requested = [
        r
        for r in state.get("requested") or []
        if r["requirement"] != "information" and r["requirement"].split(".")[0] not in changes
    ]
    updated["requested"] = requested
    if "bank_account" in changes:
        updated.pop("payout_failure", None)
    if "tax_id" in changes:
        if activated:
            check_on = (today + timedelta(days=TAX_ID_CHECK_DAYS)).isoformat()
            updated.update(tax_id="pending", tax_id_check_on=check_on)
        else:
            updated["tax_id"] = "unverified"
    return updated


def run_tax_id_checks(
    session: Session, sandbox: Sandbox, row: MerchantRow, caller: Caller, now: datetime
) -> None:
    """The tax authority's answer for a pending tax id, once its check day has come: the magic
    tax id fails (restricted), any other is verified."""
    state = row.verification
    due = state.get("tax_id_check_on")
    if state.get("tax_id") != "pending" or not due or date.fromisoformat(due) > now.date():
        return
    from mock_server.kyb import tax_id_fails_later

    failed = tax_id_fails_later(str(row.application.get("tax_id") or ""))
    row.verification = {**state, "tax_id": "failed" if failed else "verified"}
    before = row.status
    reevaluate(sandbox, row, now.date())
    settle_status(session, sandbox, row, before, caller, now)
    if row.status == before:
        record_event(session, caller, "merchant.updated", merchant_object(row), now)
