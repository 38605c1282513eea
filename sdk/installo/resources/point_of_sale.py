"""`client.virtual_cards` (the single-use card an in-store approval issues) and
`client.card_network` (the sandbox's simulated network a terminal charges it through)."""

from __future__ import annotations

from typing import Unpack

from .._base_client import RequestSpec, path
from .._resource import AsyncAPIResource, RequestOptions, SyncAPIResource
from ..types.point_of_sale import CardAuthorization, VirtualCard

__all__ = ["AsyncCardNetwork", "AsyncVirtualCards", "CardNetwork", "VirtualCards"]


def _charge(
    number: str,
    exp_month: int,
    exp_year: int,
    cvc: str,
    amount: int,
    currency: str,
    options: RequestOptions,
) -> RequestSpec:
    body = {
        "number": number,
        "exp_month": exp_month,
        "exp_year": exp_year,
        "cvc": cvc,
        "amount": amount,
        "currency": currency,
    }
    return RequestSpec("POST", "/v1/card_network/authorizations", json=body, **options)


class VirtualCards(SyncAPIResource):
    """Virtual cards of the sync client."""

    def retrieve(self, card_id: str, **options: Unpack[RequestOptions]) -> VirtualCard:
        """The card with its number and CVC (to the merchant it is locked to)."""
        spec = RequestSpec("GET", path("/v1/virtual_cards/{}", card_id), **options)
        return self._client._request(spec, VirtualCard)


class AsyncVirtualCards(AsyncAPIResource):
    """Virtual cards of the async client."""

    async def retrieve(self, card_id: str, **options: Unpack[RequestOptions]) -> VirtualCard:
        """The card with its number and CVC (to the merchant it is locked to)."""
        spec = RequestSpec("GET", path("/v1/virtual_cards/{}", card_id), **options)
        return await self._client._request(spec, VirtualCard)


class CardNetwork(SyncAPIResource):
    """(sandbox) The simulated card network, sync."""

    def authorize(
        self,
        *,
        number: str,
        exp_month: int,
        exp_year: int,
        cvc: str,
        amount: int,
        currency: str,
        **options: Unpack[RequestOptions],
    ) -> CardAuthorization:
        """Charge a card as a terminal does: approved (the loan captured) or declined with a
        network response code; a decline is an answer, not an exception."""
        spec = _charge(number, exp_month, exp_year, cvc, amount, currency, options)
        return self._client._request(spec, CardAuthorization)

    def charge(
        self, card: VirtualCard, *, amount: int | None = None, **options: Unpack[RequestOptions]
    ) -> CardAuthorization:
        """Charge a virtual card read with `virtual_cards.retrieve` (default: its whole limit)."""
        if card.number is None or card.cvc is None:
            raise ValueError("read the card with virtual_cards.retrieve: it has no number here")
        return self.authorize(
            number=card.number, exp_month=card.exp_month, exp_year=card.exp_year, cvc=card.cvc,
            amount=card.amount_limit if amount is None else amount, currency=card.currency,
            **options,
        )  # fmt: skip


class AsyncCardNetwork(AsyncAPIResource):
    """(sandbox) The simulated card network, async."""

    async def authorize(
        self,
        *,
        number: str,
        exp_month: int,
        exp_year: int,
        cvc: str,
        amount: int,
        currency: str,
        **options: Unpack[RequestOptions],
    ) -> CardAuthorization:
        """Charge a card as a terminal does: approved (the loan captured) or declined with a
        network response code; a decline is an answer, not an exception."""
        spec = _charge(number, exp_month, exp_year, cvc, amount, currency, options)
        return await self._client._request(spec, CardAuthorization)

    async def charge(
        self, card: VirtualCard, *, amount: int | None = None, **options: Unpack[RequestOptions]
    ) -> CardAuthorization:
        """Charge a virtual card read with `virtual_cards.retrieve` (default: its whole limit)."""
        if card.number is None or card.cvc is None:
            raise ValueError("read the card with virtual_cards.retrieve: it has no number here")
        return await self.authorize(
            number=card.number, exp_month=card.exp_month, exp_year=card.exp_year, cvc=card.cvc,
            amount=card.amount_limit if amount is None else amount, currency=card.currency,
            **options,
        )  # fmt: skip
