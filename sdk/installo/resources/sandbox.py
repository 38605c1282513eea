"""`client.sandbox`: seeded personas, the merchant's sandbox clock, reset and snapshots."""

from __future__ import annotations

from datetime import date
from typing import Unpack

from .._base_client import RequestSpec, compact, path
from .._resource import AsyncAPIResource, RequestOptions, SyncAPIResource
from ..pagination import AsyncPaginator, SyncPage
from ..types.developer import SandboxReset, SandboxSnapshot
from ..types.point_of_sale import SmsMessage
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


def _sms(
    checkout: str | None, limit: int | None, starting_after: str | None, options: RequestOptions
) -> RequestSpec:
    params = compact(checkout=checkout, limit=limit, starting_after=starting_after)
    return RequestSpec("GET", "/v1/sandbox/sms", params=params, **options)


def _reset(confirm: str, options: RequestOptions) -> RequestSpec:
    return RequestSpec("POST", "/v1/sandbox/reset", json={"confirm": confirm}, **options)


def _snapshot(name: str, options: RequestOptions) -> RequestSpec:
    return RequestSpec("POST", "/v1/sandbox/snapshots", json={"name": name}, **options)


def _restore(name: str, options: RequestOptions) -> RequestSpec:
    return RequestSpec("POST", path("/v1/sandbox/snapshots/{}/restore", name), **options)


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

    def sms(
        self,
        *,
        checkout: str | None = None,
        limit: int | None = None,
        starting_after: str | None = None,
        **options: Unpack[RequestOptions],
    ) -> SyncPage[SmsMessage]:
        """The simulated SMS outbox (the hosted page links texted to shoppers), newest first."""
        return self._client._request_page(
            _sms(checkout, limit, starting_after, options), SmsMessage
        )

    def reset(self, *, confirm: str, **options: Unpack[RequestOptions]) -> SandboxReset:
        """Delete this merchant's sandbox data (customers, checkouts, loans, events, test
        clocks); `confirm` must be the merchant's id. Keys, settings and endpoints stay."""
        return self._client._request(_reset(confirm, options), SandboxReset)

    def snapshot(self, name: str, **options: Unpack[RequestOptions]) -> SandboxSnapshot:
        """Copy this merchant's sandbox data under `name` (replacing a snapshot of that name)."""
        return self._client._request(_snapshot(name, options), SandboxSnapshot)

    def restore(self, name: str, **options: Unpack[RequestOptions]) -> SandboxSnapshot:
        """Replace this merchant's sandbox data with the snapshot `name`."""
        return self._client._request(_restore(name, options), SandboxSnapshot)


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

    def sms(
        self,
        *,
        checkout: str | None = None,
        limit: int | None = None,
        starting_after: str | None = None,
        **options: Unpack[RequestOptions],
    ) -> AsyncPaginator[SmsMessage]:
        """The simulated SMS outbox: await for the first page, or `async for` over it."""
        return self._client._paginator(_sms(checkout, limit, starting_after, options), SmsMessage)

    async def reset(self, *, confirm: str, **options: Unpack[RequestOptions]) -> SandboxReset:
        """Delete this merchant's sandbox data (customers, checkouts, loans, events, test
        clocks); `confirm` must be the merchant's id. Keys, settings and endpoints stay."""
        return await self._client._request(_reset(confirm, options), SandboxReset)

    async def snapshot(self, name: str, **options: Unpack[RequestOptions]) -> SandboxSnapshot:
        """Copy this merchant's sandbox data under `name` (replacing a snapshot of that name)."""
        return await self._client._request(_snapshot(name, options), SandboxSnapshot)

    async def restore(self, name: str, **options: Unpack[RequestOptions]) -> SandboxSnapshot:
        """Replace this merchant's sandbox data with the snapshot `name`."""
        return await self._client._request(_restore(name, options), SandboxSnapshot)
