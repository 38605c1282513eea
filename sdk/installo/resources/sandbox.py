"""`client.sandbox`: seeded personas and the merchant's sandbox clock."""

from __future__ import annotations

from datetime import date
from typing import Unpack

from .._base_client import RequestSpec, compact
from .._resource import AsyncAPIResource, RequestOptions, SyncAPIResource
from ..pagination import AsyncPaginator, SyncPage
from ..types.sandbox import ClockAdvance, Persona

__all__ = ["AsyncSandbox", "Sandbox"]


def _personas(
    tier: str | None, locale: str | None, limit: int | None, options: RequestOptions
) -> RequestSpec:
    params = compact(tier=tier, locale=locale, limit=limit)
    return RequestSpec("GET", "/v1/sandbox/personas", params=params, **options)


def _advance(days: int | None, to: date | str | None, options: RequestOptions) -> RequestSpec:
    if (days is None) == (to is None):
        raise ValueError("give exactly one of days= or to=")
    body = compact(days=days, to=to.isoformat() if isinstance(to, date) else to)
    return RequestSpec("POST", "/v1/sandbox/clock/advance", json=body, **options)


class Sandbox(SyncAPIResource):
    """Sandbox controls of the sync client."""

    def personas(
        self,
        *,
        tier: str | None = None,
        locale: str | None = None,
        limit: int | None = None,
        **options: Unpack[RequestOptions],
    ) -> SyncPage[Persona]:
        """Seeded Faker people across risk tiers (prime, near_prime, subprime, thin_file, ...)."""
        return self._client._request_page(_personas(tier, locale, limit, options), Persona)

    def advance_clock(
        self,
        *,
        days: int | None = None,
        to: date | str | None = None,
        **options: Unpack[RequestOptions],
    ) -> ClockAdvance:
        """Move this merchant's sandbox time forward by `days` or to a date."""
        return self._client._request(_advance(days, to, options), ClockAdvance)


class AsyncSandbox(AsyncAPIResource):
    """Sandbox controls of the async client."""

    def personas(
        self,
        *,
        tier: str | None = None,
        locale: str | None = None,
        limit: int | None = None,
        **options: Unpack[RequestOptions],
    ) -> AsyncPaginator[Persona]:
        """Seeded Faker people across risk tiers (prime, near_prime, subprime, thin_file, ...)."""
        return self._client._paginator(_personas(tier, locale, limit, options), Persona)

    async def advance_clock(
        self,
        *,
        days: int | None = None,
        to: date | str | None = None,
        **options: Unpack[RequestOptions],
    ) -> ClockAdvance:
        """Move this merchant's sandbox time forward by `days` or to a date."""
        return await self._client._request(_advance(days, to, options), ClockAdvance)
