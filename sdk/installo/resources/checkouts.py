"""`client.checkouts`: create, retrieve, list, confirm, cancel."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Unpack

from .._base_client import RequestSpec, compact, path
from .._resource import AsyncAPIResource, RequestOptions, SyncAPIResource
from ..pagination import AsyncPaginator, SyncPage
from ..types.checkout import Checkout
from ..types.params import CartItemParam, CustomerParam

__all__ = ["AsyncCheckouts", "Checkouts"]


def _create(
    items: Iterable[CartItemParam],
    amount: int,
    currency: str,
    customer: str | CustomerParam,
    shipping_amount: int,
    tax_amount: int,
    merchant_reference: str | None,
    metadata: Mapping[str, str] | None,
    options: RequestOptions,
) -> RequestSpec:
    body = compact(
        items=[dict(item) for item in items],
        amount=amount,
        currency=currency,
        customer=customer,
        shipping_amount=shipping_amount,
        tax_amount=tax_amount,
        merchant_reference=merchant_reference,
        metadata=dict(metadata) if metadata is not None else None,
    )
    return RequestSpec("POST", "/v1/checkouts", json=body, **options)


def _list(
    limit: int | None, starting_after: str | None, status: str | None, options: RequestOptions
) -> RequestSpec:
    params = compact(limit=limit, starting_after=starting_after, status=status)
    return RequestSpec("GET", "/v1/checkouts", params=params, **options)


def _confirm(
    checkout_id: str, offer: str, consent: bool, device_id: str | None, options: RequestOptions
) -> RequestSpec:
    body = compact(offer=offer, consent=consent, device_id=device_id)
    return RequestSpec("POST", path("/v1/checkouts/{}/confirm", checkout_id), json=body, **options)


class Checkouts(SyncAPIResource):
    """Checkouts of the sync client."""

    def create(
        self,
        *,
        items: Iterable[CartItemParam],
        amount: int,
        currency: str,
        customer: str | CustomerParam,
        shipping_amount: int = 0,
        tax_amount: int = 0,
        merchant_reference: str | None = None,
        metadata: Mapping[str, str] | None = None,
        **options: Unpack[RequestOptions],
    ) -> Checkout:
        """Create a checkout; the answer carries its offers."""
        spec = _create(
            items, amount, currency, customer, shipping_amount, tax_amount,
            merchant_reference, metadata, options,
        )  # fmt: skip
        return self._client._request(spec, Checkout)

    def retrieve(self, checkout_id: str, **options: Unpack[RequestOptions]) -> Checkout:
        """Read one checkout."""
        spec = RequestSpec("GET", path("/v1/checkouts/{}", checkout_id), **options)
        return self._client._request(spec, Checkout)

    def list(
        self,
        *,
        limit: int | None = None,
        starting_after: str | None = None,
        status: str | None = None,
        **options: Unpack[RequestOptions],
    ) -> SyncPage[Checkout]:
        """List checkouts, newest first; `.auto_paging_iter()` walks every page."""
        spec = _list(limit, starting_after, status, options)
        return self._client._request_page(spec, Checkout)

    def confirm(
        self,
        checkout_id: str,
        *,
        offer: str,
        consent: bool = True,
        device_id: str | None = None,
        **options: Unpack[RequestOptions],
    ) -> Checkout:
        """Confirm the customer's offer and consent; the answer carries the decision."""
        spec = _confirm(checkout_id, offer, consent, device_id, options)
        return self._client._request(spec, Checkout)

    def cancel(self, checkout_id: str, **options: Unpack[RequestOptions]) -> Checkout:
        """Cancel an open checkout."""
        spec = RequestSpec("POST", path("/v1/checkouts/{}/cancel", checkout_id), **options)
        return self._client._request(spec, Checkout)


class AsyncCheckouts(AsyncAPIResource):
    """Checkouts of the async client."""

    async def create(
        self,
        *,
        items: Iterable[CartItemParam],
        amount: int,
        currency: str,
        customer: str | CustomerParam,
        shipping_amount: int = 0,
        tax_amount: int = 0,
        merchant_reference: str | None = None,
        metadata: Mapping[str, str] | None = None,
        **options: Unpack[RequestOptions],
    ) -> Checkout:
        """Create a checkout; the answer carries its offers."""
        spec = _create(
            items, amount, currency, customer, shipping_amount, tax_amount,
            merchant_reference, metadata, options,
        )  # fmt: skip
        return await self._client._request(spec, Checkout)

    async def retrieve(self, checkout_id: str, **options: Unpack[RequestOptions]) -> Checkout:
        """Read one checkout."""
        spec = RequestSpec("GET", path("/v1/checkouts/{}", checkout_id), **options)
        return await self._client._request(spec, Checkout)

    def list(
        self,
        *,
        limit: int | None = None,
        starting_after: str | None = None,
        status: str | None = None,
        **options: Unpack[RequestOptions],
    ) -> AsyncPaginator[Checkout]:
        """List checkouts: await for the first page, or `async for` over every checkout."""
        spec = _list(limit, starting_after, status, options)
        return self._client._paginator(spec, Checkout)

    async def confirm(
        self,
        checkout_id: str,
        *,
        offer: str,
        consent: bool = True,
        device_id: str | None = None,
        **options: Unpack[RequestOptions],
    ) -> Checkout:
        """Confirm the customer's offer and consent; the answer carries the decision."""
        spec = _confirm(checkout_id, offer, consent, device_id, options)
        return await self._client._request(spec, Checkout)

    async def cancel(self, checkout_id: str, **options: Unpack[RequestOptions]) -> Checkout:
        """Cancel an open checkout."""
        spec = RequestSpec("POST", path("/v1/checkouts/{}/cancel", checkout_id), **options)
        return await self._client._request(spec, Checkout)
