"""`client.checkouts`: create (online or in store), retrieve, list, confirm, cancel; the hosted
page's token (authorize), the in-store QR code and SMS link."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Unpack

from .._base_client import RequestSpec, compact, path
from .._resource import AsyncAPIResource, RequestOptions, SyncAPIResource
from ..pagination import AsyncPaginator, SyncPage
from ..types.checkout import Checkout
from ..types.params import CartItemParam, CustomerParam, RedirectUrlsParam
from ..types.point_of_sale import SmsMessage

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
    channel: ChannelParam,
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
        channel=channel.channel,
        store_id=channel.store_id,
        terminal_id=channel.terminal_id,
        redirect_urls=dict(channel.redirect_urls) if channel.redirect_urls else None,
    )
    return RequestSpec("POST", "/v1/checkouts", json=body, **options)


@dataclass(frozen=True, slots=True)
class ChannelParam:
    """Where the customer applies: online (optional redirect URLs) or in store (store and
    terminal ids)."""

    channel: str | None = None
    store_id: str | None = None
    terminal_id: str | None = None
    redirect_urls: RedirectUrlsParam | None = None


def _authorize(checkout_id: str, token: str, options: RequestOptions) -> RequestSpec:
    url = path("/v1/checkouts/{}/authorize", checkout_id)
    return RequestSpec("POST", url, json={"token": token}, **options)


def _qr(checkout_id: str, kind: str, scale: int | None, options: RequestOptions) -> RequestSpec:
    params = compact(scale=scale) if kind == "png" else None
    url = path("/v1/checkouts/{}/qr." + kind, checkout_id)
    return RequestSpec("GET", url, params=params, **options)


def _sms(checkout_id: str, phone: str | None, options: RequestOptions) -> RequestSpec:
    url = path("/v1/checkouts/{}/sms", checkout_id)
    return RequestSpec("POST", url, json=compact(phone=phone), **options)


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
        channel: str | None = None,
        store_id: str | None = None,
        terminal_id: str | None = None,
        redirect_urls: RedirectUrlsParam | None = None,
        **options: Unpack[RequestOptions],
    ) -> Checkout:
        """Create a checkout; the answer carries its offers and `next_action` (the hosted page:
        a redirect online; a QR code and short code with `channel="in_store"`)."""
        where = ChannelParam(channel, store_id, terminal_id, redirect_urls)
        spec = _create(
            items, amount, currency, customer, shipping_amount, tax_amount,
            merchant_reference, metadata, where, options,
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

    def authorize(
        self, checkout_id: str, *, token: str, **options: Unpack[RequestOptions]
    ) -> Checkout:
        """Redeem the one-time token the hosted page sent the shopper back with."""
        return self._client._request(_authorize(checkout_id, token, options), Checkout)

    def qr_png(
        self, checkout_id: str, *, scale: int | None = None, **options: Unpack[RequestOptions]
    ) -> bytes:
        """The in-store QR code of the hosted page as PNG bytes."""
        return self._client._send(_qr(checkout_id, "png", scale, options)).content

    def qr_svg(self, checkout_id: str, **options: Unpack[RequestOptions]) -> str:
        """The in-store QR code of the hosted page as SVG text."""
        return self._client._send(_qr(checkout_id, "svg", None, options)).text

    def send_sms(
        self, checkout_id: str, *, phone: str | None = None, **options: Unpack[RequestOptions]
    ) -> SmsMessage:
        """Text the hosted page link (to `phone`, default the customer's) - sandbox outbox."""
        return self._client._request(_sms(checkout_id, phone, options), SmsMessage)


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
        channel: str | None = None,
        store_id: str | None = None,
        terminal_id: str | None = None,
        redirect_urls: RedirectUrlsParam | None = None,
        **options: Unpack[RequestOptions],
    ) -> Checkout:
        """Create a checkout; the answer carries its offers and `next_action` (the hosted page:
        a redirect online; a QR code and short code with `channel="in_store"`)."""
        where = ChannelParam(channel, store_id, terminal_id, redirect_urls)
        spec = _create(
            items, amount, currency, customer, shipping_amount, tax_amount,
            merchant_reference, metadata, where, options,
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

    async def authorize(
        self, checkout_id: str, *, token: str, **options: Unpack[RequestOptions]
    ) -> Checkout:
        """Redeem the one-time token the hosted page sent the shopper back with."""
        return await self._client._request(_authorize(checkout_id, token, options), Checkout)

    async def qr_png(
        self, checkout_id: str, *, scale: int | None = None, **options: Unpack[RequestOptions]
    ) -> bytes:
        """The in-store QR code of the hosted page as PNG bytes."""
        return (await self._client._send(_qr(checkout_id, "png", scale, options))).content

    async def qr_svg(self, checkout_id: str, **options: Unpack[RequestOptions]) -> str:
        """The in-store QR code of the hosted page as SVG text."""
        return (await self._client._send(_qr(checkout_id, "svg", None, options))).text

    async def send_sms(
        self, checkout_id: str, *, phone: str | None = None, **options: Unpack[RequestOptions]
    ) -> SmsMessage:
        """Text the hosted page link (to `phone`, default the customer's) - sandbox outbox."""
        return await self._client._request(_sms(checkout_id, phone, options), SmsMessage)
