"""`client.promotions`: 'as low as' messaging for a product page."""

from __future__ import annotations

from typing import Unpack

from .._base_client import RequestSpec
from .._resource import AsyncAPIResource, RequestOptions, SyncAPIResource
from ..types.promotion import Promotion

__all__ = ["AsyncPromotions", "Promotions"]


def _retrieve(amount: int, currency: str, options: RequestOptions) -> RequestSpec:
    params = {"amount": amount, "currency": currency}
    return RequestSpec("GET", "/v1/promotions", params=params, **options)


class Promotions(SyncAPIResource):
    """Promotions of the sync client."""

    def retrieve(
        self, *, amount: int, currency: str, **options: Unpack[RequestOptions]
    ) -> Promotion:
        """The lowest monthly payment for `amount` and the plans that give it."""
        return self._client._request(_retrieve(amount, currency, options), Promotion)


class AsyncPromotions(AsyncAPIResource):
    """Promotions of the async client."""

    async def retrieve(
        self, *, amount: int, currency: str, **options: Unpack[RequestOptions]
    ) -> Promotion:
        """The lowest monthly payment for `amount` and the plans that give it."""
        return await self._client._request(_retrieve(amount, currency, options), Promotion)
