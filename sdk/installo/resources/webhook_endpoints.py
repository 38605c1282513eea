"""`client.webhook_endpoints`: create, list, retrieve, read deliveries, re-enable, delete."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Unpack

from .._base_client import RequestSpec, compact, path
from .._resource import AsyncAPIResource, RequestOptions, SyncAPIResource
from ..pagination import AsyncPaginator, SyncPage
from ..types.shared import DeletedObject
from ..types.webhook_endpoint import WebhookDelivery, WebhookEndpoint

__all__ = ["AsyncWebhookEndpoints", "WebhookEndpoints"]


def _create(url: str, enabled_events: Iterable[str] | None, options: RequestOptions) -> RequestSpec:
    events = list(enabled_events) if enabled_events is not None else None
    body = compact(url=url, enabled_events=events)
    return RequestSpec("POST", "/v1/webhook_endpoints", json=body, **options)


def _list(limit: int | None, starting_after: str | None, options: RequestOptions) -> RequestSpec:
    params = compact(limit=limit, starting_after=starting_after)
    return RequestSpec("GET", "/v1/webhook_endpoints", params=params, **options)


def _retrieve(endpoint_id: str, options: RequestOptions) -> RequestSpec:
    return RequestSpec("GET", path("/v1/webhook_endpoints/{}", endpoint_id), **options)


def _deliveries(
    endpoint_id: str, limit: int | None, starting_after: str | None, options: RequestOptions
) -> RequestSpec:
    url = path("/v1/webhook_endpoints/{}/deliveries", endpoint_id)
    params = compact(limit=limit, starting_after=starting_after)
    return RequestSpec("GET", url, params=params, **options)


def _enable(endpoint_id: str, options: RequestOptions) -> RequestSpec:
    url = path("/v1/webhook_endpoints/{}/enable", endpoint_id)
    return RequestSpec("POST", url, json={}, **options)


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

    def retrieve(self, endpoint_id: str, **options: Unpack[RequestOptions]) -> WebhookEndpoint:
        """Read an endpoint: its status, and why it was disabled if it was."""
        return self._client._request(_retrieve(endpoint_id, options), WebhookEndpoint)

    def deliveries(
        self,
        endpoint_id: str,
        *,
        limit: int | None = None,
        starting_after: str | None = None,
        **options: Unpack[RequestOptions],
    ) -> SyncPage[WebhookDelivery]:
        """List an endpoint's deliveries, newest first, each attempt with status and latency."""
        spec = _deliveries(endpoint_id, limit, starting_after, options)
        return self._client._request_page(spec, WebhookDelivery)

    def enable(self, endpoint_id: str, **options: Unpack[RequestOptions]) -> WebhookEndpoint:
        """Turn an endpoint disabled after failing deliveries back on."""
        return self._client._request(_enable(endpoint_id, options), WebhookEndpoint)

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

    async def retrieve(
        self, endpoint_id: str, **options: Unpack[RequestOptions]
    ) -> WebhookEndpoint:
        """Read an endpoint: its status, and why it was disabled if it was."""
        return await self._client._request(_retrieve(endpoint_id, options), WebhookEndpoint)

    def deliveries(
        self,
        endpoint_id: str,
        *,
        limit: int | None = None,
        starting_after: str | None = None,
        **options: Unpack[RequestOptions],
    ) -> AsyncPaginator[WebhookDelivery]:
        """List an endpoint's deliveries, newest first, each attempt with status and latency."""
        spec = _deliveries(endpoint_id, limit, starting_after, options)
        return self._client._paginator(spec, WebhookDelivery)

    async def enable(self, endpoint_id: str, **options: Unpack[RequestOptions]) -> WebhookEndpoint:
        """Turn an endpoint disabled after failing deliveries back on."""
        return await self._client._request(_enable(endpoint_id, options), WebhookEndpoint)

    async def delete(self, endpoint_id: str, **options: Unpack[RequestOptions]) -> DeletedObject:
        """Delete a webhook endpoint."""
        return await self._client._request(_delete(endpoint_id, options), DeletedObject)
