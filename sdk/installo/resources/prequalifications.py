"""`client.prequalifications`: soft-pull prequalification."""

from __future__ import annotations

from typing import Unpack

from .._base_client import RequestSpec, compact
from .._resource import AsyncAPIResource, RequestOptions, SyncAPIResource
from ..types.params import CustomerParam
from ..types.prequalification import Prequalification

__all__ = ["AsyncPrequalifications", "Prequalifications"]


def _create(
    customer: str | CustomerParam, amount: int | None, currency: str | None, options: RequestOptions
) -> RequestSpec:
    body = compact(customer=customer, amount=amount, currency=currency)
    return RequestSpec("POST", "/v1/prequalifications", json=body, **options)


class Prequalifications(SyncAPIResource):
    """Prequalifications of the sync client."""

    def create(
        self,
        *,
        customer: str | CustomerParam,
        amount: int | None = None,
        currency: str | None = None,
        **options: Unpack[RequestOptions],
    ) -> Prequalification:
        """Soft-pull a customer: how much they could finance and at what APR range."""
        spec = _create(customer, amount, currency, options)
        return self._client._request(spec, Prequalification)


class AsyncPrequalifications(AsyncAPIResource):
    """Prequalifications of the async client."""

    async def create(
        self,
        *,
        customer: str | CustomerParam,
        amount: int | None = None,
        currency: str | None = None,
        **options: Unpack[RequestOptions],
    ) -> Prequalification:
        """Soft-pull a customer: how much they could finance and at what APR range."""
        spec = _create(customer, amount, currency, options)
        return await self._client._request(spec, Prequalification)
