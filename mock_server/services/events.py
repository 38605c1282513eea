"""The event log: every state change appends one event in the same transaction as the change."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

import orjson
from sqlalchemy import insert
from sqlalchemy.orm import Session

from mock_server.ids import new_id, new_ids
from mock_server.services.context import Caller, Sandbox
from mock_server.services.errors import NotFound
from mock_server.services.event_bus import EVENTS_RECORDED
from mock_server.services.objects import EventObject, Listing
from mock_server.services.presenters import iso
from mock_server.services.webhook_queue import enqueue_deliveries, enqueue_event
from mock_server.storage.bulk import execute_many
from mock_server.storage.models import EventRow
from mock_server.storage.repositories import EventRepository, Page

__all__ = ["event_object", "get_event", "list_events", "record_event", "record_events"]

_EVENTS = EventRow.metadata.tables[EventRow.__tablename__]
_INSERT_EVENTS = insert(_EVENTS)


def record_event(
    session: Session,
    caller: Caller,
    type_: str,
    obj: Mapping[str, object],
    now: datetime,
    *,
    obj_json: bytes | None = None,
) -> EventRow:
    """Append `type_` carrying the object as it is after the change; `obj_json`, the object's
    JSON when the answer wrote it already, is stored as it is (the same text `obj` gives)."""
    row = EventRow.new(
        id=new_id("evt"),
        merchant_id=caller.merchant.id,
        created=now,
        type=type_,
        object_id=str(obj.get("id", "")),
        request_id=caller.request_id,
        data={"object": obj if obj_json is None else orjson.Fragment(obj_json)},
    )
    session.add(row)
    enqueue_deliveries(session, row)
    session.info[EVENTS_RECORDED] = True
    return row


def record_events(
    session: Session, caller: Caller, items: Sequence[tuple[str, dict[str, Any], datetime]]
) -> None:
    """Append many events, each `(type, object after the change, when)`, in one statement
    (bulk work such as a clock advance), with their webhook deliveries."""
    if not items:
        return
    ids = new_ids("evt", len(items))
    rows = [
        {
            "id": event_id,
            "merchant_id": caller.merchant.id,
            "created": at,
            "type": type_,
            "object_id": str(obj.get("id", "")),
            "request_id": caller.request_id,
            "data": {"object": obj},
        }
        for event_id, (type_, obj, at) in zip(ids, items, strict=True)
    ]
    # Core, one driver executemany (no ORM bookkeeping nor SQLAlchemy's work per row); what the
    # session holds is flushed first, so events recorded one by one keep their place in the log.
    execute_many(session, _INSERT_EVENTS, rows)
    for event_id, (type_, _, _) in zip(ids, items, strict=True):
        enqueue_event(session, caller.merchant.id, event_id, type_)


def event_object(row: EventRow) -> EventObject:
    """The event in the API's shape."""
    return {
        "id": row.id,
        "object": "event",
        "created": iso(row.created),
        "livemode": False,
        "type": row.type,
        "data": row.data,
        "request_id": row.request_id,
    }


def get_event(sandbox: Sandbox, caller: Caller, event_id: str) -> EventObject:
    """One of the merchant's events."""
    with sandbox.db.reader() as session:
        row = EventRepository(session, caller.merchant.id).get(event_id)
        if row is None:
            raise NotFound("event", event_id, param="id")
        return event_object(row)


def list_events(
    sandbox: Sandbox,
    caller: Caller,
    limit: int,
    starting_after: str | None,
    type_: str | None = None,
) -> Listing[EventObject]:
    """The merchant's events, newest first."""
    filters = [EventRow.type == type_] if type_ else []
    with sandbox.db.reader() as session:
        page: Page[EventRow] | None = EventRepository(session, caller.merchant.id).page(
            limit, starting_after, filters
        )
        if page is None:
            raise NotFound("event", str(starting_after), param="starting_after")
        return Listing([event_object(r) for r in page.rows], page.has_more)
