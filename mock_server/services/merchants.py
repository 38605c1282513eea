"""Merchants: the seeded demo merchant, keys and authentication, and settings.

Applications and their verification live in services.onboarding; the reviewer's desk in
services.merchant_desk."""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any, Final

from sqlalchemy import (
    JSON,
    ColumnElement,
    Select,
    Text,
    and_,
    bindparam,
    cast,
    func,
    select,
    type_coerce,
)
from sqlalchemy.orm import Session

from mock_server.contract.requests import MerchantUpdate
from mock_server.domain import DEFAULT_PLANS, Plan, PlanError, plan_from_dict
from mock_server.ids import new_id
from mock_server.services.clock import remember_offset
from mock_server.services.context import Caller, MerchantAccount, Sandbox
from mock_server.services.errors import (
    InvalidRequest,
    NotFound,
    PermissionDenied,
    Unauthenticated,
)
from mock_server.services.events import record_event
from mock_server.services.objects import MerchantObject
from mock_server.services.presenters import merchant_object
from mock_server.services.webhook_queue import remember_endpoints
from mock_server.storage.database import json_value
from mock_server.storage.driver import fetch_one
from mock_server.storage.models import ApiKeyRow, ClockRow, MerchantRow, WebhookEndpointRow

__all__ = [
    "DEFAULT_MDR_BPS",
    "DEMO_APPLICATION",
    "DEMO_MERCHANT_NAME",
    "KEYED_STATUSES",
    "PROMOTION_FREE_MONTHS",
    "PROMOTION_MONTH_BPS",
    "authenticate",
    "ensure_demo_merchant",
    "hash_key",
    "locked_merchant",
    "merchant_id_for_key",
    "new_merchant_row",
    "read_merchant",
    "required_mdr_bps",
    "update_merchant",
]

DEFAULT_MDR_BPS = 399
# 0% promotions are paid for by the merchant through its discount rate: the base rate covers
# interest-free plans of up to PROMOTION_FREE_MONTHS months; each further month of the longest
# 0% monthly plan adds PROMOTION_MONTH_BPS (a 0% 12-month plan: 399 + 6 * 40 = 639 bps).
PROMOTION_FREE_MONTHS = 6
PROMOTION_MONTH_BPS = 40
MAX_MDR_BPS = 2_000
DEMO_MERCHANT_NAME = "Installo Demo Store"
# Statuses whose secret key works: restricted merchants sell (payouts pause), suspended ones
# service their loans but open no new checkouts.
KEYED_STATUSES = ("active", "restricted", "suspended")
_PERSON_ADDRESS = {
    "line1": "1 Demo Way",
    "city": "Portland",
    "region": "OR",
    "postal_code": "97201",
    "country": "US",
}
DEMO_APPLICATION: dict[str, Any] = {
    "legal_name": DEMO_MERCHANT_NAME,
    "mcc": "5732",
    "country": "US",
    "currency": "USD",
    "website": "https://demo.installo.dev",
    "years_in_business": 5,
    "expected_monthly_volume": 50_000_000,
    "contact_email": "owner@demo.installo.dev",
    "tax_id": "12-3456789",
    "address": _PERSON_ADDRESS,
    "representative": {
        "name": "Dana Demo",
        "date_of_birth": "1980-01-15",
        "address": _PERSON_ADDRESS,
        "title": "CEO",
    },
    "owners": [
        {
            "name": "Dana Demo",
            "date_of_birth": "1980-01-15",
            "address": _PERSON_ADDRESS,
            "ownership_percent": 100,
        }
    ],
    "owners_provided": True,
    "bank_account": {
        "account_holder_name": DEMO_MERCHANT_NAME,
        "routing_number": "110000000",
        "account_number": "000123456789",
    },
}


def hash_key(key: str) -> str:
    """The stored form of a secret key."""
    return hashlib.sha256(key.encode()).hexdigest()


def new_merchant_row(application: Mapping[str, Any], status: str, now: datetime) -> MerchantRow:
    """A merchant row for an application, with the default plans and discount rate."""
    return MerchantRow(
        id=new_id("mer"),
        created=now,
        status=status,
        legal_name=str(application["legal_name"]),
        mcc=str(application["mcc"]),
        country=str(application["country"]).upper(),
        currency=str(application["currency"]).upper(),
        plans=[p.to_dict() for p in DEFAULT_PLANS],
        workflow="standard",
        mdr_bps=DEFAULT_MDR_BPS,
        review_reasons=[],
        application=dict(application),
        requirements={},
        verification={},
    )


def ensure_demo_merchant(sandbox: Sandbox) -> str:
    """Seed the active demo merchant with the configured key, once; answer its id."""
    key = sandbox.settings.demo_secret_key
    with sandbox.db.transaction() as session:
        existing = session.get(ApiKeyRow, hash_key(key))
        if existing is not None:
            return existing.merchant_id
        now = sandbox.wall()
        row = new_merchant_row(DEMO_APPLICATION, "active", now)
        row.requirements = {
            "currently_due": [],
            "eventually_due": [],
            "pending_verification": [],
            "errors": [],
        }
        row.verification = {"activated_on": now.date().isoformat(), "tax_id": "verified"}
        session.add(row)
        session.flush()
        session.add(ClockRow(merchant_id=row.id, offset_seconds=0))
        session.add(ApiKeyRow(key_hash=hash_key(key), merchant_id=row.id, created=now))
        return row.id


def merchant_id_for_key(session: Session, key: str) -> str | None:
    """The merchant a secret key belongs to, or None."""
    row = session.get(ApiKeyRow, hash_key(key))
    return row.merchant_id if row is not None else None


# The key, its merchant's settings, the merchant's sandbox clock and its enabled webhook
# endpoints in one core statement, built once per database kind (every authenticated request
# asks it): no ORM row to build, the plans as stored text, parsed once per distinct text
# (`_plans_of`), and the endpoints a write's events are queued for read with the key rather than
# by a statement of their own at the request's first event (`webhook_queue.remember_endpoints`).
_MERCHANTS: Final = MerchantRow.__table__.c
_ENDPOINTS: Final = WebhookEndpointRow.__table__.c
_ENABLED_OF_MERCHANT: Final = and_(
    _ENDPOINTS.merchant_id == _MERCHANTS.id, _ENDPOINTS.status == "enabled"
)


def _enabled_endpoints(dialect: str) -> ColumnElement[Any]:
    """The merchant's enabled endpoints as one JSON list of [id, enabled events], oldest first
    (SQLite's aggregate takes the rows in the order its index on the merchant gives them)."""
    if dialect == "postgresql":
        # imported here: the PostgreSQL dialect's 19 modules are no part of an SQLite start
        from sqlalchemy.dialects.postgresql import aggregate_order_by

        pair = func.json_build_array(_ENDPOINTS.id, _ENDPOINTS.enabled_events)
        listed = func.json_agg(aggregate_order_by(pair, _ENDPOINTS.seq))
    else:
        pair = func.json_array(_ENDPOINTS.id, func.json(_ENDPOINTS.enabled_events))
        listed = func.json_group_array(pair)
    found = select(listed).where(_ENABLED_OF_MERCHANT).scalar_subquery()
    return type_coerce(found, JSON).label("endpoints")


@functools.cache
def _key_holder(dialect: str) -> Select[Any]:
    return (
        select(
            _MERCHANTS.id,
            _MERCHANTS.status,
            _MERCHANTS.currency,
            _MERCHANTS.country,
            _MERCHANTS.mcc,
            _MERCHANTS.workflow,
            _MERCHANTS.mdr_bps,
            cast(_MERCHANTS.plans, Text).label("plans"),
            ApiKeyRow.scope,
            ClockRow.offset_seconds,
            _enabled_endpoints(dialect),
        )
        .select_from(MerchantRow)
        .join(ApiKeyRow, ApiKeyRow.merchant_id == MerchantRow.id)
        .outerjoin(ClockRow, ClockRow.merchant_id == MerchantRow.id)
        .where(ApiKeyRow.key_hash == bindparam("key_hash"))
    )


@functools.lru_cache(maxsize=256)
def _plans_of(stored: str) -> tuple[Plan, ...]:
    """A merchant's plans from their stored JSON text (the same text parses once)."""
    return tuple(plan_from_dict(p) for p in json_value(stored))


def authenticate(session: Session, key: str | None, *, onboarding: bool = False) -> MerchantAccount:
    """The merchant holding this key. A secret key works while the merchant is active,
    restricted or suspended; an onboarding key (`rk_test_`) only where `onboarding` allows it
    (the merchant's own application), 403 elsewhere. Unauthenticated otherwise."""
    if not key:
        raise Unauthenticated(
            "No API key provided: send 'Authorization: Bearer sk_test_...'",
            code="missing_api_key",
        )
    connection = session.connection()
    statement = _key_holder(connection.dialect.name)
    found = fetch_one(connection, statement, {"key_hash": hash_key(key)})
    if found is None:
        raise Unauthenticated(f"Invalid API key provided: {key[:8]}...")
    merchant_id, status, currency, country, mcc, workflow, mdr_bps, plans, scope, offset, hooks = (
        found
    )
    if scope == "onboarding":
        if not onboarding:
            raise PermissionDenied(
                f"an onboarding key may only read and update the application "
                f"(GET /v1/merchants/me, PATCH /v1/merchants/me/application); merchant "
                f"{merchant_id} is {status} and gets its secret key when it is activated",
                code="onboarding_key_scope",
            )
    elif status not in KEYED_STATUSES:
        raise Unauthenticated(f"Invalid API key provided: {key[:8]}...")
    remember_offset(session, merchant_id, offset)
    remember_endpoints(session, merchant_id, hooks or [])
    return MerchantAccount(
        key_scope=scope,
        mdr_bps=mdr_bps,
        id=merchant_id,
        status=status,
        currency=currency,
        country=country,
        mcc=mcc,
        plans=_plans_of(plans),
        workflow=workflow,
    )


def locked_merchant(session: Session, merchant_id: str) -> MerchantRow:
    """The merchant's row, locked for an update (404 naming `id` when there is none)."""
    row = session.scalars(
        select(MerchantRow).where(MerchantRow.id == merchant_id).with_for_update()
    ).first()
    if row is None:
        raise NotFound("merchant", merchant_id, param="id")
    return row


def _merchant_row(session: Session, merchant_id: str) -> MerchantRow | None:
    return session.scalars(select(MerchantRow).where(MerchantRow.id == merchant_id)).first()


def read_merchant(sandbox: Sandbox, caller: Caller) -> MerchantObject:
    """The caller's own merchant object."""
    with sandbox.db.reader() as session:
        row = _merchant_row(session, caller.merchant.id)
        if row is None:
            raise NotFound("merchant", caller.merchant.id)
        return merchant_object(row)


def required_mdr_bps(plans: Sequence[Mapping[str, Any]]) -> int:
    """The lowest discount rate that pays for the 0% promotions among these plans."""
    promo_months = [
        int(p["term_count"])
        for p in plans
        if int(p["apr_bps"]) == 0 and p.get("interval", "month") == "month"
    ]
    extra = max([m - PROMOTION_FREE_MONTHS for m in promo_months], default=0)
    return DEFAULT_MDR_BPS + max(0, extra) * PROMOTION_MONTH_BPS


def update_merchant(sandbox: Sandbox, caller: Caller, body: MerchantUpdate) -> MerchantObject:
    """Change the plans offered (0% promotions priced into the discount rate), the workflow
    loans follow, and the name customers see."""
    plans: list[Mapping[str, Any] | str] | None = None
    if body.plans is not None:
        plans = [p if isinstance(p, str) else p.model_dump(exclude_none=True) for p in body.plans]
    workflow, display_name, mdr_bps = body.workflow, body.display_name, body.mdr_bps
    with sandbox.db.transaction() as session:
        row = _merchant_row(session, caller.merchant.id)
        if row is None:
            raise NotFound("merchant", caller.merchant.id)
        if plans is not None:
            row.plans = _plans(plans)
        row.mdr_bps = _discount_rate(row.plans, mdr_bps, row.mdr_bps, plans is not None)
        if display_name is not None:
            row.display_name = display_name.strip() or None
        if workflow is not None:
            workflow = workflow.removeprefix("wf_")
            if workflow not in sandbox.workflows:
                known = ", ".join(sorted(sandbox.workflows))
                raise InvalidRequest(
                    f"unknown workflow {workflow!r} (known: {known})", param="workflow"
                )
            row.workflow = workflow
        obj = merchant_object(row)
        record_event(session, caller, "merchant.updated", obj, sandbox.wall())
        return obj


def _discount_rate(
    plans: Sequence[Mapping[str, Any]], asked: int | None, current: int, plans_changed: bool
) -> int:
    required = required_mdr_bps(plans)
    if asked is None:
        return required if plans_changed else max(current, required)
    if not required <= asked <= MAX_MDR_BPS:
        raise InvalidRequest(
            f"mdr_bps {asked} must be between {required} (what the 0% promotions offered cost) "
            f"and {MAX_MDR_BPS}",
            param="mdr_bps",
        )
    return asked


def _plans(raw: Sequence[Mapping[str, Any] | str]) -> list[dict[str, Any]]:
    if not raw:
        raise InvalidRequest("a merchant must offer at least one plan", param="plans")
    by_id = {p.id: p for p in DEFAULT_PLANS}
    out: list[dict[str, Any]] = []
    for index, item in enumerate(raw):
        if isinstance(item, str):
            if item not in by_id:
                known = ", ".join(by_id)
                raise InvalidRequest(f"unknown plan {item!r} (known: {known})", param="plans")
            out.append(by_id[item].to_dict())
            continue
        try:
            out.append(plan_from_dict(item).to_dict())
        except PlanError as exc:
            raise InvalidRequest(str(exc), param=f"plans.{index}.{exc.field}") from exc
    ids = [p["id"] for p in out]
    if len(set(ids)) != len(ids):
        raise InvalidRequest("plan ids must be unique", param="plans")
    return out
