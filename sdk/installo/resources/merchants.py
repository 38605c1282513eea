"""`client.merchants`: apply to join, read and change one's own settings."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Unpack

from .._base_client import RequestSpec, compact
from .._resource import AsyncAPIResource, RequestOptions, SyncAPIResource
from ..types.merchant import Merchant
from ..types.params import PlanParam

__all__ = ["AsyncMerchants", "Merchants"]


def _apply(
    legal_name: str,
    mcc: str,
    country: str,
    currency: str,
    website: str | None,
    years_in_business: int,
    expected_monthly_volume: int,
    contact_email: str,
    options: RequestOptions,
) -> RequestSpec:
    body = compact(
        legal_name=legal_name,
        mcc=mcc,
        country=country,
        currency=currency,
        website=website,
        years_in_business=years_in_business,
        expected_monthly_volume=expected_monthly_volume,
        contact_email=contact_email,
    )
    return RequestSpec("POST", "/v1/merchants", json=body, auth="none", **options)


def _update(
    plans: Iterable[str | PlanParam] | None,
    workflow: str | None,
    display_name: str | None,
    mdr_bps: int | None,
    options: RequestOptions,
) -> RequestSpec:
    body = compact(
        plans=[p if isinstance(p, str) else dict(p) for p in plans] if plans is not None else None,
        workflow=workflow,
        display_name=display_name,
        mdr_bps=mdr_bps,
    )
    return RequestSpec("PATCH", "/v1/merchants/me", json=body, **options)


class Merchants(SyncAPIResource):
    """Merchant settings of the sync client."""

    def apply(
        self,
        *,
        legal_name: str,
        mcc: str,
        country: str,
        currency: str,
        years_in_business: int,
        expected_monthly_volume: int,
        contact_email: str,
        website: str | None = None,
        **options: Unpack[RequestOptions],
    ) -> Merchant:
        """Apply to join (no key needed); an active answer carries `secret_key`, once."""
        spec = _apply(
            legal_name, mcc, country, currency, website, years_in_business,
            expected_monthly_volume, contact_email, options,
        )  # fmt: skip
        return self._client._request(spec, Merchant)

    def me(self, **options: Unpack[RequestOptions]) -> Merchant:
        """Read this merchant's settings."""
        return self._client._request(RequestSpec("GET", "/v1/merchants/me", **options), Merchant)

    def update(
        self,
        *,
        plans: Iterable[str | PlanParam] | None = None,
        workflow: str | None = None,
        display_name: str | None = None,
        mdr_bps: int | None = None,
        **options: Unpack[RequestOptions],
    ) -> Merchant:
        """Change plans offered (ids or definitions), workflow, display name or discount rate."""
        spec = _update(plans, workflow, display_name, mdr_bps, options)
        return self._client._request(spec, Merchant)


class AsyncMerchants(AsyncAPIResource):
    """Merchant settings of the async client."""

    async def apply(
        self,
        *,
        legal_name: str,
        mcc: str,
        country: str,
        currency: str,
        years_in_business: int,
        expected_monthly_volume: int,
        contact_email: str,
        website: str | None = None,
        **options: Unpack[RequestOptions],
    ) -> Merchant:
        """Apply to join (no key needed); an active answer carries `secret_key`, once."""
        spec = _apply(
            legal_name, mcc, country, currency, website, years_in_business,
            expected_monthly_volume, contact_email, options,
        )  # fmt: skip
        return await self._client._request(spec, Merchant)

    async def me(self, **options: Unpack[RequestOptions]) -> Merchant:
        """Read this merchant's settings."""
        spec = RequestSpec("GET", "/v1/merchants/me", **options)
        return await self._client._request(spec, Merchant)

    async def update(
        self,
        *,
        plans: Iterable[str | PlanParam] | None = None,
        workflow: str | None = None,
        display_name: str | None = None,
        mdr_bps: int | None = None,
        **options: Unpack[RequestOptions],
    ) -> Merchant:
        """Change plans offered (ids or definitions), workflow, display name or discount rate."""
        spec = _update(plans, workflow, display_name, mdr_bps, options)
        return await self._client._request(spec, Merchant)
