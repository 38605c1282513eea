"""`client.admin.furnishing_files` and `client.admin.disputes`: credit reporting; admin key."""

from __future__ import annotations

from typing import Literal, Unpack

from .._base_client import RequestSpec, compact, path
from .._resource import AsyncAPIResource, RequestOptions, SyncAPIResource
from ..pagination import AsyncPaginator, SyncPage
from ..types.furnishing import Dispute, FurnishingFile, FurnishingFileDetail

__all__ = [
    "AdminDisputes",
    "AdminFurnishingFiles",
    "AsyncAdminDisputes",
    "AsyncAdminFurnishingFiles",
    "DisputeResolution",
]

DisputeResolution = Literal["verified", "corrected", "deleted"]


def _list(
    limit: int | None, starting_after: str | None, merchant: str | None, options: RequestOptions
) -> RequestSpec:
    params = compact(limit=limit, starting_after=starting_after, merchant=merchant)
    return RequestSpec("GET", "/v1/admin/furnishing_files", params=params, auth="admin", **options)


def _file(file_id: str, raw: bool, options: RequestOptions) -> RequestSpec:
    url = path("/v1/admin/furnishing_files/{}" + ("/raw" if raw else ""), file_id)
    return RequestSpec("GET", url, auth="admin", **options)


def _create(loan: str, reason: str | None, options: RequestOptions) -> RequestSpec:
    body = compact(loan=loan, reason=reason)
    return RequestSpec("POST", "/v1/admin/disputes", json=body, auth="admin", **options)


def _resolve(dispute_id: str, resolution: str, options: RequestOptions) -> RequestSpec:
    url = path("/v1/admin/disputes/{}/resolve", dispute_id)
    return RequestSpec("POST", url, json={"resolution": resolution}, auth="admin", **options)


class AdminFurnishingFiles(SyncAPIResource):
    """Month-end Metro 2 files."""

    def list(
        self,
        *,
        limit: int | None = None,
        starting_after: str | None = None,
        merchant: str | None = None,
        **options: Unpack[RequestOptions],
    ) -> SyncPage[FurnishingFile]:
        """List files, newest first (optionally one merchant's)."""
        spec = _list(limit, starting_after, merchant, options)
        return self._client._request_page(spec, FurnishingFile)

    def retrieve(self, file_id: str, **options: Unpack[RequestOptions]) -> FurnishingFileDetail:
        """A file with its parsed view (header, trailer, each account)."""
        return self._client._request(_file(file_id, False, options), FurnishingFileDetail)

    def raw(self, file_id: str, **options: Unpack[RequestOptions]) -> str:
        """The file as written: 426-character records, one a line."""
        return self._client._send(_file(file_id, True, options)).text


class AdminDisputes(SyncAPIResource):
    """Consumers' disputes of Installo tradelines."""

    def create(
        self, *, loan: str, reason: str | None = None, **options: Unpack[RequestOptions]
    ) -> Dispute:
        """Record a dispute of a furnished loan's tradeline."""
        return self._client._request(_create(loan, reason, options), Dispute)

    def resolve(
        self,
        dispute_id: str,
        *,
        resolution: DisputeResolution,
        **options: Unpack[RequestOptions],
    ) -> Dispute:
        """Resolve an open dispute: verified, corrected or deleted."""
        return self._client._request(_resolve(dispute_id, resolution, options), Dispute)


class AsyncAdminFurnishingFiles(AsyncAPIResource):
    """Month-end Metro 2 files."""

    def list(
        self,
        *,
        limit: int | None = None,
        starting_after: str | None = None,
        merchant: str | None = None,
        **options: Unpack[RequestOptions],
    ) -> AsyncPaginator[FurnishingFile]:
        """List files, newest first (optionally one merchant's)."""
        spec = _list(limit, starting_after, merchant, options)
        return self._client._paginator(spec, FurnishingFile)

    async def retrieve(
        self, file_id: str, **options: Unpack[RequestOptions]
    ) -> FurnishingFileDetail:
        """A file with its parsed view (header, trailer, each account)."""
        return await self._client._request(_file(file_id, False, options), FurnishingFileDetail)

    async def raw(self, file_id: str, **options: Unpack[RequestOptions]) -> str:
        """The file as written: 426-character records, one a line."""
        return (await self._client._send(_file(file_id, True, options))).text


class AsyncAdminDisputes(AsyncAPIResource):
    """Consumers' disputes of Installo tradelines."""

    async def create(
        self, *, loan: str, reason: str | None = None, **options: Unpack[RequestOptions]
    ) -> Dispute:
        """Record a dispute of a furnished loan's tradeline."""
        return await self._client._request(_create(loan, reason, options), Dispute)

    async def resolve(
        self,
        dispute_id: str,
        *,
        resolution: DisputeResolution,
        **options: Unpack[RequestOptions],
    ) -> Dispute:
        """Resolve an open dispute: verified, corrected or deleted."""
        return await self._client._request(_resolve(dispute_id, resolution, options), Dispute)
