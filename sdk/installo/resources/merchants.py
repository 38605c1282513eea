"""`client.merchants`: apply to join, update the application until it verifies, read and change
one's own settings."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Unpack

from .._base_client import RequestSpec, compact
from .._resource import AsyncAPIResource, RequestOptions, SyncAPIResource
from ..types.merchant import Merchant
from ..types.merchant_params import (
    ApplicationParams,
    BankAccountParam,
    OwnerParam,
    RepresentativeParam,
)
from ..types.params import AddressParam, PlanParam

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
    verification: dict[str, Any],
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
        **verification,
    )
    return RequestSpec("POST", "/v1/merchants", json=body, auth="none", **options)


def _verification(
    tax_id: str | None,
    address: AddressParam | None,
    representative: RepresentativeParam | None,
    owners: Iterable[OwnerParam] | None,
    owners_provided: bool | None,
    bank_account: BankAccountParam | None,
) -> dict[str, Any]:
    return {
        "tax_id": tax_id,
        "address": dict(address) if address is not None else None,
        "representative": dict(representative) if representative is not None else None,
        "owners": [dict(o) for o in owners] if owners is not None else None,
        "owners_provided": owners_provided,
        "bank_account": dict(bank_account) if bank_account is not None else None,
    }


def _update_application(changes: ApplicationParams, options: RequestOptions) -> RequestSpec:
    return RequestSpec("PATCH", "/v1/merchants/me/application", json=dict(changes), **options)


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
        tax_id: str | None = None,
        address: AddressParam | None = None,
        representative: RepresentativeParam | None = None,
        owners: Iterable[OwnerParam] | None = None,
        owners_provided: bool | None = None,
        bank_account: BankAccountParam | None = None,
        **options: Unpack[RequestOptions],
    ) -> Merchant:
        """Apply to join (no key needed): an active answer carries `secret_key` once; one still
        pending or in review carries `onboarding_key` (for `update_application`) and lists what
        is missing in `requirements.currently_due`."""
        verification = _verification(
            tax_id, address, representative, owners, owners_provided, bank_account
        )
        spec = _apply(
            legal_name, mcc, country, currency, website, years_in_business,
            expected_monthly_volume, contact_email, verification, options,
        )  # fmt: skip
        return self._client._request(spec, Merchant)

    def me(self, **options: Unpack[RequestOptions]) -> Merchant:
        """Read this merchant's settings, application, requirements and status."""
        return self._client._request(RequestSpec("GET", "/v1/merchants/me", **options), Merchant)

    def update_application(
        self, changes: ApplicationParams, **options: Unpack[RequestOptions]
    ) -> Merchant:
        """Change application fields (with the onboarding or secret key) and verify again; the
        answer carries `secret_key` once if this activated the merchant."""
        return self._client._request(_update_application(changes, options), Merchant)

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
        tax_id: str | None = None,
        address: AddressParam | None = None,
        representative: RepresentativeParam | None = None,
        owners: Iterable[OwnerParam] | None = None,
        owners_provided: bool | None = None,
        bank_account: BankAccountParam | None = None,
        **options: Unpack[RequestOptions],
    ) -> Merchant:
        """Apply to join (no key needed): an active answer carries `secret_key` once; one still
        pending or in review carries `onboarding_key` (for `update_application`) and lists what
        is missing in `requirements.currently_due`."""
        verification = _verification(
            tax_id, address, representative, owners, owners_provided, bank_account
        )
        spec = _apply(
            legal_name, mcc, country, currency, website, years_in_business,
            expected_monthly_volume, contact_email, verification, options,
        )  # fmt: skip
        return await self._client._request(spec, Merchant)

    async def me(self, **options: Unpack[RequestOptions]) -> Merchant:
        """Read this merchant's settings, application, requirements and status."""
        spec = RequestSpec("GET", "/v1/merchants/me", **options)
        return await self._client._request(spec, Merchant)

    async def update_application(
        self, changes: ApplicationParams, **options: Unpack[RequestOptions]
    ) -> Merchant:
        """Change application fields (with the onboarding or secret key) and verify again; the
        answer carries `secret_key` once if this activated the merchant."""
        return await self._client._request(_update_application(changes, options), Merchant)

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
