"""`client.events`: the merchant's event log."""

from __future__ import annotations

from typing import Unpack

from .._base_client import RequestSpec, compact, path
from .._resource import AsyncAPIResource, RequestOptions, SyncAPIResource
from ..pagination import AsyncPaginator, SyncPage
from ..types.event import Event

__all__ = ["AsyncEvents", "Events"]


def _list(
    limit: int | None, starting_after: str | None, type: str | None, options: RequestOptions
) -> RequestSpec:
    params = compact(limit=limit, starting_after=starting_after, type=type)
    return RequestSpec("GET", "/v1/events", params=params, **options)


def _retrieve(event_id: str, options: RequestOptions) -> RequestSpec:
    return RequestSpec("GET", path("/v1/events/{}", event_id), **options)


class Events(SyncAPIResource):
    """Events of the sync client."""

    def retrieve(self, event_id: str, **options: Unpack[RequestOptions]) -> Event:
        """Read one event."""
        return self._client._request(_retrieve(event_id, options), Event)

    def list(
        self,
        *,
        limit: int | None = None,
        starting_after: str | None = None,
        type: str | None = None,
        **options: Unpack[RequestOptions],
    ) -> SyncPage[Event]:
        """List events, newest first, optionally of one `type`."""
        return self._client._request_page(_list(limit, starting_after, type, options), Event)


class AsyncEvents(AsyncAPIResource):
    """Events of the async client."""

    async def retrieve(self, event_id: str, **options: Unpack[RequestOptions]) -> Event:
        """Read one event."""
        return await self._client._request(_retrieve(event_id, options), Event)

    def list(
        self,
        *,
        limit: int | None = None,
        starting_after: str | None = None,
        type: str | None = None,
        **options: Unpack[RequestOptions],
    ) -> AsyncPaginator[Event]:
        """List events: await for the first page, or `async for` over every event."""
        return self._client._paginator(_list(limit, starting_after, type, options), Event)
