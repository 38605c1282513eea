"""`/v1/events`: the merchant's event log."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from mock_server.api.deps import CallerDep, PageDep, SandboxDep
from mock_server.api.errors import ERROR_RESPONSES
from mock_server.api.schemas import Event, EventList
from mock_server.services import events

__all__ = ["router"]

router = APIRouter(prefix="/v1/events", tags=["events"], responses=ERROR_RESPONSES)


@router.get("", operation_id="events-list")
def list_(
    sandbox: SandboxDep,
    caller: CallerDep,
    page: PageDep,
    type: Annotated[str | None, Query(max_length=64, description="only this event type")] = None,
) -> EventList:
    """The merchant's events, newest first."""
    data, has_more = events.list_events(sandbox, caller, page.limit, page.starting_after, type)
    return EventList.model_validate({"data": data, "has_more": has_more})


@router.get("/{event_id}", operation_id="events-retrieve")
def retrieve(event_id: str, sandbox: SandboxDep, caller: CallerDep) -> Event:
    """One event."""
    return Event.model_validate(events.get_event(sandbox, caller, event_id))
