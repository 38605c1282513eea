"""The reviewer's desk for merchants (admin): list and search applications, approve, reject,
request information, suspend and reinstate, each with a note kept on the merchant.

- approve: `pending_review` (or `restricted` by a review reason) -> `active`, accepting the review
  reasons for good; the first activation's answer carries the secret key once.
- reject: `pending`, `pending_review` or `restricted` -> `rejected` (its keys stop working).
- request_information: names requirements (or none: any update answers it) with the note; the
  merchant becomes `pending` (or `restricted` once activated) until it updates them.
- suspend: `active` or `restricted` -> `suspended`: new checkouts are refused with a 403, existing
  loans go on being serviced; reinstate: `suspended` -> what its requirements say.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Final

from sqlalchemy import String, cast, or_, select
from sqlalchemy.orm import Session

from mock_server.contract.merchant_requests import DeskAction as DeskRequest
from mock_server.domain import InvalidTransition
from mock_server.domain.merchant import DeskAction, MerchantLifecycle
from mock_server.services.clock import merchant_now
from mock_server.services.context import Caller, MerchantAccount, Sandbox
from mock_server.services.errors import NotFound
from mock_server.services.events import record_event
from mock_server.services.merchants import locked_merchant
from mock_server.services.objects import Listing, MerchantObject
from mock_server.services.onboarding import merchant_lifecycle, reevaluate, settle_status
from mock_server.services.presenters import merchant_object
from mock_server.storage.models import MerchantRow

__all__ = ["act_on_merchant", "get_merchant", "list_merchants"]

_FOLLOW_UP_EVENTS: Final = {
    "request_information": "merchant.information_requested",
    "reinstate": "merchant.reinstated",
}


def list_merchants(
    sandbox: Sandbox,
    limit: int,
    starting_after: str | None,
    status: str | None = None,
    reason: str | None = None,
    query: str | None = None,
) -> Listing[MerchantObject]:
    """Merchants newest first, by status, by a review reason or requirement error code, and by
    a search over legal name, display name and id."""
    with sandbox.db.reader() as session:
        stmt = select(MerchantRow)
        if status:
            stmt = stmt.where(MerchantRow.status == status)
        if reason:
            like = f'%"{reason}"%'
            stmt = stmt.where(
                or_(
                    cast(MerchantRow.review_reasons, String).like(like),
                    cast(MerchantRow.requirements, String).like(like),
                )
            )
        if query:
            pattern = f"%{query.lower()}%"
            stmt = stmt.where(
                or_(
                    MerchantRow.legal_name.ilike(pattern),
                    MerchantRow.display_name.ilike(pattern),
                    MerchantRow.id == query,
                )
            )
        if starting_after is not None:
            cursor = session.scalars(
                select(MerchantRow.seq).where(MerchantRow.id == starting_after)
            ).first()
            if cursor is None:
                raise NotFound("merchant", starting_after, param="starting_after")
            stmt = stmt.where(MerchantRow.seq < cursor)
        rows = list(session.scalars(stmt.order_by(MerchantRow.seq.desc()).limit(limit + 1)))
        return Listing([merchant_object(r, admin=True) for r in rows[:limit]], len(rows) > limit)


def get_merchant(sandbox: Sandbox, merchant_id: str) -> MerchantObject:
    """One merchant as the reviewer sees it: application, requirements, screening, notes."""
    with sandbox.db.reader() as session:
        row = session.scalars(select(MerchantRow).where(MerchantRow.id == merchant_id)).first()
        if row is None:
            raise NotFound("merchant", merchant_id, param="id")
        return merchant_object(row, admin=True)


def act_on_merchant(
    sandbox: Sandbox,
    merchant_id: str,
    action: DeskAction,
    body: DeskRequest | None,
    request_id: str | None,
) -> MerchantObject:
    """Run one desk action with the reviewer's note (and, asking for information, the
    requirements named); answer the merchant (with a new secret key once)."""
    note = (body.note or body.reason) if body is not None else None
    requirements = (body.requirements or []) if body is not None else []
    refused: InvalidTransition | None = None
    with sandbox.db.transaction() as session:
        row = locked_merchant(session, merchant_id)
        life = merchant_lifecycle(row)
        try:
            life.act(action)
        except InvalidTransition as exc:
            refused = exc
        else:
            now = merchant_now(session, row.id, sandbox.wall)
            caller = Caller(MerchantAccount.from_row(row), request_id)
            desk = _DeskStep(action, note, requirements, caller, now)
            return _act(session, sandbox, row, life, desk)
    raise refused


@dataclass(frozen=True, slots=True)
class _DeskStep:
    """One desk action as the reviewer took it."""

    action: DeskAction
    note: str | None
    requirements: list[str]
    caller: Caller
    now: datetime


def _act(
    session: Session, sandbox: Sandbox, row: MerchantRow, life: MerchantLifecycle, desk: _DeskStep
) -> MerchantObject:
    action, note, now, caller = desk.action, desk.note, desk.now, desk.caller
    before = row.status
    state = dict(row.verification)
    notes = [*(state.get("notes") or []), _note(action, note, now)]
    state["notes"] = notes
    if action == "approve":
        accepted = {*(state.get("accepted_reasons") or []), *row.review_reasons}
        state["accepted_reasons"] = sorted(accepted)
    elif action == "request_information":
        asked = [
            {"requirement": r, "note": note or "the reviewer asks for more information"}
            for r in (desk.requirements or ["information"])
        ]
        state["requested"] = [*(state.get("requested") or []), *asked]
    row.verification = state
    row.status = life.status.value  # reject, suspend and reinstate move it themselves
    if action == "reject" and note:
        row.review_reasons = [*row.review_reasons, note]
    if action not in ("reject", "suspend"):
        reevaluate(sandbox, row, now.date())
    key = settle_status(session, sandbox, row, before, caller, now)
    obj = merchant_object(row, admin=True)
    if follow_up := _FOLLOW_UP_EVENTS.get(action):
        record_event(session, caller, follow_up, merchant_object(row), now)
    if key:
        obj["secret_key"] = key  # the answer's own object: the events carry others
    return obj


def _note(action: str, note: str | None, now: datetime) -> dict[str, Any]:
    return {"action": action, "note": note, "at": now.isoformat().replace("+00:00", "Z")}
