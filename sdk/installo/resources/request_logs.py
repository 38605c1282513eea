"""`client.request_logs`: the merchant's recent API requests as the sandbox logged them."""

from __future__ import annotations

from typing import Unpack

from .._base_client import RequestSpec, compact
from .._resource import AsyncAPIResource, RequestOptions, SyncAPIResource
from ..pagination import AsyncPaginator, SyncPage
from ..types.developer import RequestLog

__all__ = ["AsyncRequestLogs", "RequestLogs"]


def _list(limit: int | None, starting_after: str | None, options: RequestOptions) -> RequestSpec:
    params = compact(limit=limit, starting_after=starting_after)
    return RequestSpec("GET", "/v1/request_logs", params=params, **options)


class RequestLogs(SyncAPIResource):
    """Request logs of the sync client."""

    def list(
        self,
        *,
        limit: int | None = None,
        starting_after: str | None = None,
        **options: Unpack[RequestOptions],
    ) -> SyncPage[RequestLog]:
        """The merchant's requests, newest first (method, path, status, ids, time)."""
        return self._client._request_page(_list(limit, starting_after, options), RequestLog)


class AsyncRequestLogs(AsyncAPIResource):
    """Request logs of the async client."""

    def list(
        self,
        *,
        limit: int | None = None,
        starting_after: str | None = None,
        **options: Unpack[RequestOptions],
    ) -> AsyncPaginator[RequestLog]:
        """The merchant's requests, newest first (method, path, status, ids, time)."""
        return self._client._paginator(_list(limit, starting_after, options), RequestLog)
