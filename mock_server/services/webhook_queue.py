"""The deliveries each event enqueues: the merchant's subscriptions, read once per session.

Below the webhook endpoints' use cases (services/webhooks.py) so that the event recorder
(services/events.py) can queue deliveries without importing the unit of work.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any, Final

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from mock_server.services.clock import utc_now
from mock_server.storage.driver import fetch_all
from mock_server.storage.models import EventRow, WebhookDeliveryRow, WebhookEndpointRow

__all__ = [
    "ALL_EVENTS",
    "ENDPOINT_CACHE",
    "PENDING_FLAG",
    "cache_endpoints",
    "enqueue_deliveries",
    "enqueue_event",
    "forget_endpoints",
    "remember_endpoints",
]

ALL_EVENTS = "*"
# Set on a session whose commit should wake the dispatcher.
PENDING_FLAG = "webhook_deliveries_pending"
ENDPOINT_CACHE = "webhook_endpoint_cache"


def cache_endpoints(session: Session) -> None:
    """Kept for callers that ask: `enqueue_deliveries` reads each merchant's endpoints once per
    session anyway (every change to an endpoint calls `forget_endpoints` first)."""
    session.info.setdefault(ENDPOINT_CACHE, {})


def forget_endpoints(session: Session) -> None:
    """Drop the session's endpoint cache (before changing an endpoint)."""
    session.info.pop(ENDPOINT_CACHE, None)


# Built once (every write request asks it): two columns of the merchant's enabled endpoints.
_SUBSCRIPTIONS: Final = select(WebhookEndpointRow.id, WebhookEndpointRow.enabled_events).where(
    WebhookEndpointRow.merchant_id == bindparam("merchant_id"),
    WebhookEndpointRow.status == "enabled",
)


def remember_endpoints(
    session: Session, merchant_id: str, endpoints: Sequence[Sequence[Any]]
) -> list[tuple[str, list[str]]]:
    """Keep the merchant's enabled endpoints ([id, enabled events] each) read with its key
    (`merchants.authenticate`) for this session, so that its first event needs no query of
    its own; a change to an endpoint drops them (`forget_endpoints`). Answers them as kept."""
    cache: dict[str, list[tuple[str, list[str]]]] = session.info.setdefault(ENDPOINT_CACHE, {})
    kept = cache[merchant_id] = [(endpoint_id, list(wanted)) for endpoint_id, wanted in endpoints]
    return kept


def _subscriptions(session: Session, merchant_id: str) -> list[tuple[str, list[str]]]:
    cache: dict[str, list[tuple[str, list[str]]]] = session.info.setdefault(ENDPOINT_CACHE, {})
    if merchant_id in cache:
        return cache[merchant_id]
    # Core, so no autoflush: the endpoints are never among this request's pending rows (they
    # are created by requests of their own), and a flush here would split the request's
    # inserts in two.
    rows = fetch_all(session.connection(), _SUBSCRIPTIONS, {"merchant_id": merchant_id})
    return remember_endpoints(session, merchant_id, rows)


def enqueue_deliveries(session: Session, event: EventRow, now: datetime | None = None) -> int:
    """Queue the event for each of the merchant's endpoints that wants it (same transaction)."""
    return enqueue_event(session, event.merchant_id, event.id, event.type, now)


def enqueue_event(
    session: Session, merchant_id: str, event_id: str, type_: str, now: datetime | None = None
) -> int:
    """Queue one event, given by id and type, for each endpoint that wants it."""
    queued = 0
    for endpoint_id, wanted in _subscriptions(session, merchant_id):
        if ALL_EVENTS not in wanted and type_ not in wanted:
            continue
        session.add(
            WebhookDeliveryRow.new(
                merchant_id=merchant_id,
                endpoint_id=endpoint_id,
                event_id=event_id,
                status="pending",
                next_attempt_at=now or utc_now(),
                attempts=[],
            )
        )
        queued += 1
    if queued:
        session.info[PENDING_FLAG] = True
    return queued
