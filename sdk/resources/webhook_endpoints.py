"""`client.webhook_endpoints`: create, list, delete."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Unpack

from .._base_client import RequestSpec, compact, path
from .._resource import AsyncAPIResource, RequestOptions, SyncAPIResource
from ..pagination import AsyncPaginator, SyncPage
from ..types.shared import DeletedObject
from ..types.webhook_endpoint import WebhookEndpoint

__all__ = ["AsyncWebhookEndpoints", "WebhookEndpoints"]


def _create(url: str, enabled_events: Iterable[str] | None, options: RequestOptions) -> RequestSpec:
    events = list(enabled_events) if enabled_events is not None else None
    body = compact(url=url, enabled_events=events)
    return RequestSpec("POST", "/v1/webhook_endpoints", json=body, **options)


def _list(limit: int | None, starting_after: str | None, options: RequestOptions) -> RequestSpec:
    params = compact(limit=limit, starting_after=starting_after)
    return RequestSpec("GET", "/v1/webhook_endpoints", params=params, **options)


def _delete(endpoint_id: str, options: RequestOptions) -> RequestSpec:
    return RequestSpec("DELETE", path("/v1/webhook_endpoints/{}", endpoint_id), **options)


class WebhookEndpoints(SyncAPIResource):
    """Webhook endpoints of the sync client."""

    def create(
        self,
        *,
        url: str,
        enabled_events: Iterable[str] | None = None,
        **options: Unpack[RequestOptions],
    ) -> WebhookEndpoint:
        """Subscribe a URL; keep the answer's `secret` (shown only now) to verify deliveries."""
        return self._client._request(_create(url, enabled_events, options), WebhookEndpoint)

    def list(
        self,
        *,
        limit: int | None = None,
        starting_after: str | None = None,
        **options: Unpack[RequestOptions],
    ) -> SyncPage[WebhookEndpoint]:
        """List webhook endpoints."""
        return self._client._request_page(_list(limit, starting_after, options), WebhookEndpoint)

    def delete(self, endpoint_id: str, **options: Unpack[RequestOptions]) -> DeletedObject:
        """Delete a webhook endpoint."""
        return self._client._request(_delete(endpoint_id, options), DeletedObject)


class AsyncWebhookEndpoints(AsyncAPIResource):
    """Webhook endpoints of the async client."""

    async def create(
        self,
        *,
        url: str,
        enabled_events: Iterable[str] | None = None,
        **options: Unpack[RequestOptions],
    ) -> WebhookEndpoint:
        """Subscribe a URL; keep the answer's `secret` (shown only now) to verify deliveries."""
        return await self._client._request(_create(url, enabled_events, options), WebhookEndpoint)

    def list(
        self,
        *,
        limit: int | None = None,
        starting_after: str | None = None,
        **options: Unpack[RequestOptions],
    ) -> AsyncPaginator[WebhookEndpoint]:
        """List webhook endpoints."""
        return self._client._paginator(_list(limit, starting_after, options), WebhookEndpoint)

    async def delete(self, endpoint_id: str, **options: Unpack[RequestOptions]) -> DeletedObject:
        """Delete a webhook endpoint."""
        return await self._client._request(_delete(endpoint_id, options), DeletedObject)
