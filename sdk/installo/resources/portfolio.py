"""`client.portfolio` (the merchant's own loans) and `client.admin.portfolio` (lender-wide)."""

from __future__ import annotations

from typing import Unpack

from .._base_client import RequestSpec
from .._resource import AsyncAPIResource, RequestOptions, SyncAPIResource
from ..types.portfolio import Portfolio

__all__ = ["AdminPortfolio", "AsyncAdminPortfolio", "AsyncPortfolioResource", "PortfolioResource"]


def _merchant(options: RequestOptions) -> RequestSpec:
    return RequestSpec("GET", "/v1/portfolio", **options)


def _lender(options: RequestOptions) -> RequestSpec:
    return RequestSpec("GET", "/v1/admin/portfolio", auth="admin", **options)


class PortfolioResource(SyncAPIResource):
    """The merchant's portfolio analytics."""

    def retrieve(self, **options: Unpack[RequestOptions]) -> Portfolio:
        """This merchant's portfolio as of its sandbox time."""
        return self._client._request(_merchant(options), Portfolio)


class AsyncPortfolioResource(AsyncAPIResource):
    """The merchant's portfolio analytics."""

    async def retrieve(self, **options: Unpack[RequestOptions]) -> Portfolio:
        """This merchant's portfolio as of its sandbox time."""
        return await self._client._request(_merchant(options), Portfolio)


class AdminPortfolio(SyncAPIResource):
    """The lender's portfolio across merchants (admin key)."""

    def retrieve(self, **options: Unpack[RequestOptions]) -> Portfolio:
        """Every merchant's loans, each as of its merchant's sandbox time."""
        return self._client._request(_lender(options), Portfolio)


class AsyncAdminPortfolio(AsyncAPIResource):
    """The lender's portfolio across merchants (admin key)."""

    async def retrieve(self, **options: Unpack[RequestOptions]) -> Portfolio:
        """Every merchant's loans, each as of its merchant's sandbox time."""
        return await self._client._request(_lender(options), Portfolio)
