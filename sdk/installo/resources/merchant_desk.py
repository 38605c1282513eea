"""`client.admin.merchants`: the lender's reviewer desk for merchant applications (admin key).

List and search applicants by status, review reason or requirement error; read one with its
application, requirements, screening matches and desk notes; approve, reject, request more
information, suspend and reinstate, each with an optional note kept on the merchant.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Literal, Unpack

from .._base_client import RequestSpec, compact, path
from .._resource import AsyncAPIResource, RequestOptions, SyncAPIResource
from ..pagination import AsyncPaginator, SyncPage
from ..types.merchant import Merchant

__all__ = ["AdminMerchants", "AsyncAdminMerchants", "DeskAction", "MerchantStatusFilter"]

DeskAction = Literal["approve", "reject", "request_information", "suspend", "reinstate"]
MerchantStatusFilter = Literal[
    "pending", "pending_review", "active", "restricted", "suspended", "rejected"
]


def _list(
    status: MerchantStatusFilter | None,
    reason: str | None,
    search: str | None,
    limit: int | None,
    starting_after: str | None,
    options: RequestOptions,
) -> RequestSpec:
    params = compact(
        status=status, reason=reason, q=search, limit=limit, starting_after=starting_after
    )
    return RequestSpec("GET", "/v1/admin/merchants", params=params, auth="admin", **options)


def _retrieve(merchant_id: str, options: RequestOptions) -> RequestSpec:
    url = path("/v1/admin/merchants/{}", merchant_id)
    return RequestSpec("GET", url, auth="admin", **options)


def _act(
    merchant_id: str,
    action: DeskAction,
    options: RequestOptions,
    *,
    note: str | None = None,
    reason: str | None = None,
    requirements: Iterable[str] | None = None,
) -> RequestSpec:
    asked = list(requirements) if requirements is not None else None
    body = compact(note=note, reason=reason, requirements=asked)
    url = path("/v1/admin/merchants/{}/" + action, merchant_id)
    return RequestSpec("POST", url, json=body, auth="admin", **options)


class AdminMerchants(SyncAPIResource):
    """The reviewer's desk for merchant applications."""

    def list(
        self,
        *,
        status: MerchantStatusFilter | None = None,
        reason: str | None = None,
        search: str | None = None,
        limit: int | None = None,
        starting_after: str | None = None,
        **options: Unpack[RequestOptions],
    ) -> SyncPage[Merchant]:
        """Merchants newest first; `status` filters, `reason` matches a review reason or a
        requirement error code (`SANCTIONS_POSSIBLE_MATCH`, `invalid_tax_id`), `search` a name
        or an id."""
        spec = _list(status, reason, search, limit, starting_after, options)
        return self._client._request_page(spec, Merchant)

    def retrieve(self, merchant_id: str, **options: Unpack[RequestOptions]) -> Merchant:
        """One merchant with its application, requirements, screening matches and notes."""
        return self._client._request(_retrieve(merchant_id, options), Merchant)

    def approve(
        self,
        merchant_id: str,
        *,
        note: str | None = None,
        reason: str | None = None,
        **options: Unpack[RequestOptions],
    ) -> Merchant:
        """Activate a merchant in review (a first activation's answer carries its secret key)."""
        spec = _act(merchant_id, "approve", options, note=note, reason=reason)
        return self._client._request(spec, Merchant)

    def reject(
        self,
        merchant_id: str,
        *,
        note: str | None = None,
        reason: str | None = None,
        **options: Unpack[RequestOptions],
    ) -> Merchant:
        """Reject a merchant pending, in review or restricted (its keys stop working)."""
        spec = _act(merchant_id, "reject", options, note=note, reason=reason)
        return self._client._request(spec, Merchant)

    def request_information(
        self,
        merchant_id: str,
        *,
        requirements: Iterable[str],
        note: str | None = None,
        **options: Unpack[RequestOptions],
    ) -> Merchant:
        """Ask for more information: the named `requirements` (`business.website`, ...) are
        currently due until the merchant updates its application."""
        spec = _act(
            merchant_id, "request_information", options, note=note, requirements=requirements
        )
        return self._client._request(spec, Merchant)

    def suspend(
        self, merchant_id: str, *, note: str | None = None, **options: Unpack[RequestOptions]
    ) -> Merchant:
        """Suspend: new checkouts get a 403 `merchant_suspended`; existing loans are serviced."""
        return self._client._request(_act(merchant_id, "suspend", options, note=note), Merchant)

    def reinstate(
        self, merchant_id: str, *, note: str | None = None, **options: Unpack[RequestOptions]
    ) -> Merchant:
        """Lift a suspension (active again, or restricted if requirements are due)."""
        spec = _act(merchant_id, "reinstate", options, note=note)
        return self._client._request(spec, Merchant)


class AsyncAdminMerchants(AsyncAPIResource):
    """The reviewer's desk for merchant applications (async)."""

    def list(
        self,
        *,
        status: MerchantStatusFilter | None = None,
        reason: str | None = None,
        search: str | None = None,
        limit: int | None = None,
        starting_after: str | None = None,
        **options: Unpack[RequestOptions],
    ) -> AsyncPaginator[Merchant]:
        """Merchants newest first, by status, reason and search (see the sync client)."""
        spec = _list(status, reason, search, limit, starting_after, options)
        return self._client._paginator(spec, Merchant)

    async def retrieve(self, merchant_id: str, **options: Unpack[RequestOptions]) -> Merchant:
        """One merchant with its application, requirements, screening matches and notes."""
        return await self._client._request(_retrieve(merchant_id, options), Merchant)

    async def approve(
        self,
        merchant_id: str,
        *,
        note: str | None = None,
        reason: str | None = None,
        **options: Unpack[RequestOptions],
    ) -> Merchant:
        """Activate a merchant in review."""
        spec = _act(merchant_id, "approve", options, note=note, reason=reason)
        return await self._client._request(spec, Merchant)

    async def reject(
        self,
        merchant_id: str,
        *,
        note: str | None = None,
        reason: str | None = None,
        **options: Unpack[RequestOptions],
    ) -> Merchant:
        """Reject a merchant's application."""
        spec = _act(merchant_id, "reject", options, note=note, reason=reason)
        return await self._client._request(spec, Merchant)

    async def request_information(
        self,
        merchant_id: str,
        *,
        requirements: Iterable[str],
        note: str | None = None,
        **options: Unpack[RequestOptions],
    ) -> Merchant:
        """Ask for more information (the named requirements become currently due)."""
        spec = _act(
            merchant_id, "request_information", options, note=note, requirements=requirements
        )
        return await self._client._request(spec, Merchant)

    async def suspend(
        self, merchant_id: str, *, note: str | None = None, **options: Unpack[RequestOptions]
    ) -> Merchant:
        """Suspend: new checkouts get a 403; existing loans are serviced."""
        spec = _act(merchant_id, "suspend", options, note=note)
        return await self._client._request(spec, Merchant)

    async def reinstate(
        self, merchant_id: str, *, note: str | None = None, **options: Unpack[RequestOptions]
    ) -> Merchant:
        """Lift a suspension."""
        spec = _act(merchant_id, "reinstate", options, note=note)
        return await self._client._request(spec, Merchant)
