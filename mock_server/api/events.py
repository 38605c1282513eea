"""`/v1/events`: the merchant's event log, and its live stream."""

import json
from collections.abc import AsyncIterable
from typing import Annotated, Any

from anyio import to_thread
from fastapi import APIRouter, Depends, Header, Query, Request
from fastapi.sse import EventSourceResponse, ServerSentEvent

from mock_server.api import present
from mock_server.api.deferred_routes import DeferredRoute
from mock_server.api.deps import CallerDep, PageDep, SandboxDep
from mock_server.api.errors import ERROR_RESPONSES
from mock_server.api.schemas import Event, EventList
from mock_server.services import event_stream, events

__all__ = ["router"]

router = APIRouter(prefix="/v1/events", tags=["events"], route_class=DeferredRoute)


@router.get("", operation_id="events-list")
def list_(
    sandbox: SandboxDep,
    caller: CallerDep,
    page: PageDep,
    type: Annotated[str | None, Query(max_length=64, description="only this event type")] = None,
) -> EventList:
    """The merchant's events, newest first."""
    listing = events.list_events(sandbox, caller, page.limit, page.starting_after, type)
    return present.event_list(listing)


def stream_position(
    sandbox: SandboxDep,
    caller: CallerDep,
    last_event_id: Annotated[
        str | None,
        Header(alias="Last-Event-ID", max_length=64, description="resume after this event"),
    ] = None,
) -> int:
    """Where the stream starts: after the client's last event, else after the newest."""
    return event_stream.stream_start(sandbox, caller, last_event_id)


# The stream's refusals are JSON like every other error (not server-sent events).
_JSON_ERRORS: dict[int | str, dict[str, Any]] = {
    code: {
        "description": answer["description"],
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorEnvelope"}}},
    }
    for code, answer in ERROR_RESPONSES.items()
}


@router.get(
    "/stream",
    operation_id="events-stream",
    response_class=EventSourceResponse,
    responses=_JSON_ERRORS,
)
async def stream(
    request: Request,
    sandbox: SandboxDep,
    caller: CallerDep,
    position: Annotated[int, Depends(stream_position)],
    types: Annotated[
        str | None, Query(max_length=2000, description="comma-separated event types (all if unset)")
    ] = None,
) -> AsyncIterable[ServerSentEvent]:
    """The merchant's events as they happen, as server-sent events (`id` the event id, `event`
    its type, `data` the event as webhooks deliver it); what `installo listen` reads. Send
    `Last-Event-ID` to resume after an event; a comment line keeps an idle stream open."""
    wanted = [t.strip() for t in (types or "").split(",") if t.strip()]
    bus = sandbox.event_bus
    while not await request.is_disconnected():
        seen = bus.generation
        found, position, caught_up = await to_thread.run_sync(
            event_stream.events_after, sandbox, caller, position, wanted
        )
        for event in found:
            payload = json.dumps(event, separators=(",", ":"))
            yield ServerSentEvent(id=event["id"], event=event["type"], raw_data=payload)
        if caught_up:
            await event_stream.wait_for_events(bus, seen, request.is_disconnected)


@router.get("/{event_id}", operation_id="events-retrieve")
def retrieve(event_id: str, sandbox: SandboxDep, caller: CallerDep) -> Event:
    """One event."""
    return present.event(events.get_event(sandbox, caller, event_id))
