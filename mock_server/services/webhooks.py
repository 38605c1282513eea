"""Webhook endpoints: subscribe, list, delete, their deliveries; the queueing each event does
lives in services/webhook_queue.py (re-exported here)."""

from __future__ import annotations

import base64
import secrets

from sqlalchemy import select
from sqlalchemy.orm import Session

from mock_server.contract.requests import WebhookEndpointCreate
from mock_server.ids import new_id
from mock_server.services.context import Caller, MerchantAccount, Sandbox
from mock_server.services.errors import InvalidRequest, NotFound
from mock_server.services.objects import (
    DeletedObject,
    DeliveryAttemptObject,
    Listing,
    WebhookDeliveryObject,
    WebhookEndpointObject,
)
from mock_server.services.presenters import iso
from mock_server.services.unit_of_work import UnitOfWork
from mock_server.services.webhook_queue import (
    ALL_EVENTS,
    ENDPOINT_CACHE,
    PENDING_FLAG,
    cache_endpoints,
    enqueue_deliveries,
    enqueue_event,
    forget_endpoints,
)
from mock_server.storage.models import (
    MerchantRow,
    WebhookDeliveryRow,
    WebhookEndpointRow,
)

__all__ = [
    "ALL_EVENTS",
    "ENDPOINT_CACHE",
    "PENDING_FLAG",
    "cache_endpoints",
    "create_endpoint",
    "delete_endpoint",
    "delivery_object",
    "disable_endpoint",
    "enable_endpoint",
    "endpoint_object",
    "enqueue_deliveries",
    "enqueue_event",
    "forget_endpoints",
    "get_endpoint",
    "list_deliveries",
    "list_endpoints",
]


def endpoint_object(row: WebhookEndpointRow, *, secret: str | None = None) -> WebhookEndpointObject:
    """An endpoint in the API's shape; the secret only in the answer that creates it (the row
    holds it sealed)."""
    return {
        "id": row.id,
        "object": "webhook_endpoint",
        "created": iso(row.created),
        "livemode": False,
        "url": row.url,
        "enabled_events": list(row.enabled_events),
        "status": row.status,
        "disabled_reason": row.disabled_reason,
        "secret": secret,
    }


def delivery_object(row: WebhookDeliveryRow) -> WebhookDeliveryObject:
    """A delivery of one event to one endpoint, with every attempt made so far."""
    attempts: list[DeliveryAttemptObject] = [
        {
            "at": a["at"],
            "status_code": a.get("status_code"),
            "error": a.get("error"),
            "latency_ms": a.get("latency_ms"),
        }
        for a in row.attempts
    ]
    return {
        "id": f"whd_{row.seq}",
        "object": "webhook_delivery",
        "endpoint": row.endpoint_id,
        "event": row.event_id,
        "status": row.status,
        "attempt_count": len(attempts),
        "next_attempt_at": iso(row.next_attempt_at) if row.status == "pending" else None,
        "attempts": attempts,
    }


def create_endpoint(
    sandbox: Sandbox, caller: Caller, body: WebhookEndpointCreate
) -> WebhookEndpointObject:
    """Subscribe a URL to the merchant's events (all of them unless told)."""
    url, enabled_events = body.url, body.enabled_events
    refused = sandbox.outbound.check_registration(url)
    if refused is not None:
        raise InvalidRequest(
            f"url is refused by the sandbox's outbound policy: {refused}",
            code="url_blocked",
            param="url",
        )
    events = list(dict.fromkeys(enabled_events or [ALL_EVENTS]))
    if ALL_EVENTS in events and len(events) > 1:
        raise InvalidRequest(
            "enabled_events is either ['*'] or a list of event types", param="enabled_events"
        )
    # Standard Webhooks secrets are base64 after the prefix (their libraries decode it).
    secret = f"whsec_{base64.b64encode(secrets.token_bytes(24)).decode()}"
    with UnitOfWork(sandbox, caller) as uow:
        forget_endpoints(uow.session)
        row = WebhookEndpointRow(
            id=new_id("whe"),
            merchant_id=uow.merchant_id,
            created=uow.now,
            url=url,
            enabled_events=events,
            status="enabled",
            secret=sandbox.db.sealer.seal(secret),
        )
        uow.session.add(row)
        return endpoint_object(row, secret=secret)


def _own_endpoint(session: Session, caller: Caller, endpoint_id: str) -> WebhookEndpointRow:
    row = session.scalars(
        select(WebhookEndpointRow).where(
            WebhookEndpointRow.id == endpoint_id,
            WebhookEndpointRow.merchant_id == caller.merchant.id,
        )
    ).first()
    if row is None:
        raise NotFound("webhook_endpoint", endpoint_id, param="id")
    return row


def get_endpoint(sandbox: Sandbox, caller: Caller, endpoint_id: str) -> WebhookEndpointObject:
    """One of the merchant's endpoints (without its secret)."""
    with sandbox.db.reader() as session:
        return endpoint_object(_own_endpoint(session, caller, endpoint_id))


def list_deliveries(
    sandbox: Sandbox, caller: Caller, endpoint_id: str, limit: int, starting_after: str | None
) -> Listing[WebhookDeliveryObject]:
    """The endpoint's deliveries, newest first, each with its attempts (status, latency)."""
    with sandbox.db.reader() as session:
        endpoint = _own_endpoint(session, caller, endpoint_id)
        query = (
            select(WebhookDeliveryRow)
            .where(WebhookDeliveryRow.endpoint_id == endpoint.id)
            .order_by(WebhookDeliveryRow.seq.desc())
            .limit(limit + 1)
        )
        if starting_after is not None:
            seq = starting_after.removeprefix("whd_")
            if not seq.isdigit() or len(seq) > 18:  # no real delivery has a larger number
                raise NotFound("webhook_delivery", starting_after, param="starting_after")
            query = query.where(WebhookDeliveryRow.seq < int(seq))
        rows = list(session.scalars(query))
        return Listing([delivery_object(r) for r in rows[:limit]], len(rows) > limit)


def enable_endpoint(sandbox: Sandbox, caller: Caller, endpoint_id: str) -> WebhookEndpointObject:
    """Turn a disabled endpoint back on (deliveries resume with the next event)."""
    with sandbox.db.transaction() as session:
        forget_endpoints(session)
        row = _own_endpoint(session, caller, endpoint_id)
        row.status, row.disabled_reason = "enabled", None
        return endpoint_object(row)


def disable_endpoint(
    session: Session, endpoint_id: str, reason: str
) -> tuple[Caller, WebhookEndpointObject] | None:
    """Disable an endpoint that keeps failing and cancel its pending deliveries; answer its
    merchant (for the event) and the endpoint as it is now, or None when already disabled."""
    row = session.scalars(
        select(WebhookEndpointRow).where(WebhookEndpointRow.id == endpoint_id)
    ).first()
    if row is None or row.status != "enabled":
        return None
    forget_endpoints(session)
    row.status, row.disabled_reason = "disabled", reason
    pending = select(WebhookDeliveryRow).where(
        WebhookDeliveryRow.endpoint_id == row.id, WebhookDeliveryRow.status == "pending"
    )
    for delivery in session.scalars(pending):
        delivery.status = "canceled"
    merchant = session.scalars(select(MerchantRow).where(MerchantRow.id == row.merchant_id)).one()
    return Caller(MerchantAccount.from_row(merchant)), endpoint_object(row)


def _rows(session: Session, merchant_id: str) -> list[WebhookEndpointRow]:
    query = (
        select(WebhookEndpointRow)
        .where(WebhookEndpointRow.merchant_id == merchant_id)
        .order_by(WebhookEndpointRow.seq.desc())
    )
    return list(session.scalars(query))


def list_endpoints(
    sandbox: Sandbox, caller: Caller, limit: int, starting_after: str | None
) -> Listing[WebhookEndpointObject]:
    """The merchant's endpoints, newest first."""
    with sandbox.db.reader() as session:
        objects = [endpoint_object(r) for r in _rows(session, caller.merchant.id)]
    if starting_after is not None:
        ids = [o["id"] for o in objects]
        if starting_after not in ids:
            raise NotFound("webhook_endpoint", starting_after, param="starting_after")
        objects = objects[ids.index(starting_after) + 1 :]
    return Listing(objects[:limit], len(objects) > limit)


def delete_endpoint(sandbox: Sandbox, caller: Caller, endpoint_id: str) -> DeletedObject:
    """Unsubscribe; deliveries still pending for it are dropped."""
    with sandbox.db.transaction() as session:
        forget_endpoints(session)
        row = _own_endpoint(session, caller, endpoint_id)
        pending = select(WebhookDeliveryRow).where(
            WebhookDeliveryRow.endpoint_id == row.id, WebhookDeliveryRow.status == "pending"
        )
        for delivery in session.scalars(pending):
            delivery.status = "canceled"
        session.delete(row)
        return {"id": endpoint_id, "object": "webhook_endpoint", "deleted": True}
