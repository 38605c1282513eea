"""`client.test_clocks`: create, retrieve, list, advance and delete test clocks."""

from __future__ import annotations

from datetime import date, datetime
from typing import Unpack

from .._base_client import RequestSpec, compact, path
from .._resource import AsyncAPIResource, RequestOptions, SyncAPIResource
from ..pagination import AsyncPaginator, SyncPage
from ..types.developer import TestClock
from ..types.shared import DeletedObject

__all__ = ["AsyncTestClocks", "TestClocks"]


def _create(name: str | None, frozen_time: datetime | None, options: RequestOptions) -> RequestSpec:
    body = compact(name=name, frozen_time=frozen_time.isoformat() if frozen_time else None)
    return RequestSpec("POST", "/v1/test_clocks", json=body, **options)


def _advance(
    clock_id: str, days: int | None, to: date | str | None, options: RequestOptions
) -> RequestSpec:
    if (days is None) == (to is None):
        raise ValueError("give exactly one of days= or to=")
    body = compact(days=days, to=to.isoformat() if isinstance(to, date) else to)
    return RequestSpec("POST", path("/v1/test_clocks/{}/advance", clock_id), json=body, **options)


def _one(method: str, clock_id: str, options: RequestOptions) -> RequestSpec:
    return RequestSpec(method, path("/v1/test_clocks/{}", clock_id), **options)


def _list(limit: int | None, starting_after: str | None, options: RequestOptions) -> RequestSpec:
    params = compact(limit=limit, starting_after=starting_after)
    return RequestSpec("GET", "/v1/test_clocks", params=params, **options)


class TestClocks(SyncAPIResource):
    """Test clocks of the sync client."""

    __test__ = False  # a resource, not a pytest class

    def create(
        self,
        *,
        name: str | None = None,
        frozen_time: datetime | None = None,
        **options: Unpack[RequestOptions],
    ) -> TestClock:
        """A new clock frozen at `frozen_time` (default: the merchant's sandbox time now)."""
        return self._client._request(_create(name, frozen_time, options), TestClock)

    def retrieve(self, clock_id: str, **options: Unpack[RequestOptions]) -> TestClock:
        """Read one clock."""
        return self._client._request(_one("GET", clock_id, options), TestClock)

    def list(
        self,
        *,
        limit: int | None = None,
        starting_after: str | None = None,
        **options: Unpack[RequestOptions],
    ) -> SyncPage[TestClock]:
        """List the merchant's clocks, newest first."""
        return self._client._request_page(_list(limit, starting_after, options), TestClock)

    def advance(
        self,
        clock_id: str,
        *,
        days: int | None = None,
        to: date | str | None = None,
        **options: Unpack[RequestOptions],
    ) -> TestClock:
        """Move the clock forward by `days` or to a date; its loans live through the days."""
        return self._client._request(_advance(clock_id, days, to, options), TestClock)

    def delete(self, clock_id: str, **options: Unpack[RequestOptions]) -> DeletedObject:
        """Delete the clock and every customer, checkout and loan attached to it."""
        return self._client._request(_one("DELETE", clock_id, options), DeletedObject)


class AsyncTestClocks(AsyncAPIResource):
    """Test clocks of the async client."""

    __test__ = False

    async def create(
        self,
        *,
        name: str | None = None,
        frozen_time: datetime | None = None,
        **options: Unpack[RequestOptions],
    ) -> TestClock:
        """A new clock frozen at `frozen_time` (default: the merchant's sandbox time now)."""
        return await self._client._request(_create(name, frozen_time, options), TestClock)

    async def retrieve(self, clock_id: str, **options: Unpack[RequestOptions]) -> TestClock:
        """Read one clock."""
        return await self._client._request(_one("GET", clock_id, options), TestClock)

    def list(
        self,
        *,
        limit: int | None = None,
        starting_after: str | None = None,
        **options: Unpack[RequestOptions],
    ) -> AsyncPaginator[TestClock]:
        """List the merchant's clocks, newest first."""
        return self._client._paginator(_list(limit, starting_after, options), TestClock)

    async def advance(
        self,
        clock_id: str,
        *,
        days: int | None = None,
        to: date | str | None = None,
        **options: Unpack[RequestOptions],
    ) -> TestClock:
        """Move the clock forward by `days` or to a date; its loans live through the days."""
        return await self._client._request(_advance(clock_id, days, to, options), TestClock)

    async def delete(self, clock_id: str, **options: Unpack[RequestOptions]) -> DeletedObject:
        """Delete the clock and every customer, checkout and loan attached to it."""
        return await self._client._request(_one("DELETE", clock_id, options), DeletedObject)
