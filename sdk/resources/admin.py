"""`client.admin`: lender operations (policies, workflows, reviews, onboarding); admin key."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import cached_property
from typing import Any, Unpack

from .._base_client import RequestSpec, compact, path
from .._resource import AsyncAPIResource, RequestOptions, SyncAPIResource
from ..pagination import AsyncPaginator, SyncPage
from ..types.admin import DryRunResult, Policy, Review, Workflow
from ..types.merchant import Merchant

__all__ = ["Admin", "AsyncAdmin"]


def _get(url: str, params: Mapping[str, Any] | None, options: RequestOptions) -> RequestSpec:
    return RequestSpec("GET", url, params=params, auth="admin", **options)


def _send(method: str, url: str, body: Mapping[str, Any], options: RequestOptions) -> RequestSpec:
    return RequestSpec(method, url, json=body, auth="admin", **options)


def _dry_run(
    policy_id: str, applications: Iterable[Mapping[str, Any]], options: RequestOptions
) -> RequestSpec:
    body = {"applications": [dict(app) for app in applications]}
    return _send("POST", path("/v1/admin/policies/{}/dry_run", policy_id), body, options)


def _review_action(
    review_id: str, action: str, note: str | None, options: RequestOptions
) -> RequestSpec:
    url = path("/v1/admin/reviews/{}/" + action, review_id)
    return _send("POST", url, compact(note=note), options)


def _merchant_action(
    merchant_id: str, action: str, reason: str | None, options: RequestOptions
) -> RequestSpec:
    url = path("/v1/admin/merchants/{}/" + action, merchant_id)
    return _send("POST", url, compact(reason=reason), options)


class AdminPolicies(SyncAPIResource):
    """Credit and onboarding policies."""

    def list(self, **options: Unpack[RequestOptions]) -> SyncPage[Policy]:
        """List policies (their current versions)."""
        return self._client._request_page(_get("/v1/admin/policies", None, options), Policy)

    def update(
        self, policy_id: str, *, definition: Mapping[str, Any], **options: Unpack[RequestOptions]
    ) -> Policy:
        """Upload a new version of a policy (validated and compiled by the server)."""
        url = path("/v1/admin/policies/{}", policy_id)
        return self._client._request(_send("PUT", url, definition, options), Policy)

    def dry_run(
        self,
        policy_id: str,
        *,
        applications: Iterable[Mapping[str, Any]],
        **options: Unpack[RequestOptions],
    ) -> DryRunResult:
        """Decide a batch of applications with a policy without going live."""
        return self._client._request(_dry_run(policy_id, applications, options), DryRunResult)


class AdminWorkflows(SyncAPIResource):
    """Loan process definitions."""

    def list(self, **options: Unpack[RequestOptions]) -> SyncPage[Workflow]:
        """List workflow definitions."""
        return self._client._request_page(_get("/v1/admin/workflows", None, options), Workflow)

    def update(
        self, workflow_id: str, *, definition: Mapping[str, Any], **options: Unpack[RequestOptions]
    ) -> Workflow:
        """Replace a workflow definition."""
        url = path("/v1/admin/workflows/{}", workflow_id)
        return self._client._request(_send("PUT", url, definition, options), Workflow)


class AdminReviews(SyncAPIResource):
    """The manual review queue."""

    def list(
        self, *, status: str | None = None, **options: Unpack[RequestOptions]
    ) -> SyncPage[Review]:
        """List reviews, optionally by status."""
        spec = _get("/v1/admin/reviews", compact(status=status), options)
        return self._client._request_page(spec, Review)

    def approve(
        self, review_id: str, *, note: str | None = None, **options: Unpack[RequestOptions]
    ) -> Review:
        """Approve an application waiting in review."""
        return self._client._request(_review_action(review_id, "approve", note, options), Review)

    def decline(
        self, review_id: str, *, note: str | None = None, **options: Unpack[RequestOptions]
    ) -> Review:
        """Decline an application waiting in review."""
        return self._client._request(_review_action(review_id, "decline", note, options), Review)


class AdminMerchants(SyncAPIResource):
    """Onboarding review."""

    def approve(
        self, merchant_id: str, *, reason: str | None = None, **options: Unpack[RequestOptions]
    ) -> Merchant:
        """Activate a merchant waiting in onboarding review."""
        spec = _merchant_action(merchant_id, "approve", reason, options)
        return self._client._request(spec, Merchant)

    def reject(
        self, merchant_id: str, *, reason: str | None = None, **options: Unpack[RequestOptions]
    ) -> Merchant:
        """Reject a merchant's application."""
        spec = _merchant_action(merchant_id, "reject", reason, options)
        return self._client._request(spec, Merchant)


class Admin(SyncAPIResource):
    """Lender operations of the sync client."""

    @cached_property
    def policies(self) -> AdminPolicies:
        """Credit and onboarding policies."""
        return AdminPolicies(self._client)

    @cached_property
    def workflows(self) -> AdminWorkflows:
        """Loan process definitions."""
        return AdminWorkflows(self._client)

    @cached_property
    def reviews(self) -> AdminReviews:
        """The manual review queue."""
        return AdminReviews(self._client)

    @cached_property
    def merchants(self) -> AdminMerchants:
        """Onboarding review."""
        return AdminMerchants(self._client)


class AsyncAdminPolicies(AsyncAPIResource):
    """Credit and onboarding policies."""

    def list(self, **options: Unpack[RequestOptions]) -> AsyncPaginator[Policy]:
        """List policies (their current versions)."""
        return self._client._paginator(_get("/v1/admin/policies", None, options), Policy)

    async def update(
        self, policy_id: str, *, definition: Mapping[str, Any], **options: Unpack[RequestOptions]
    ) -> Policy:
        """Upload a new version of a policy (validated and compiled by the server)."""
        url = path("/v1/admin/policies/{}", policy_id)
        return await self._client._request(_send("PUT", url, definition, options), Policy)

    async def dry_run(
        self,
        policy_id: str,
        *,
        applications: Iterable[Mapping[str, Any]],
        **options: Unpack[RequestOptions],
    ) -> DryRunResult:
        """Decide a batch of applications with a policy without going live."""
        spec = _dry_run(policy_id, applications, options)
        return await self._client._request(spec, DryRunResult)


class AsyncAdminWorkflows(AsyncAPIResource):
    """Loan process definitions."""

    def list(self, **options: Unpack[RequestOptions]) -> AsyncPaginator[Workflow]:
        """List workflow definitions."""
        return self._client._paginator(_get("/v1/admin/workflows", None, options), Workflow)

    async def update(
        self, workflow_id: str, *, definition: Mapping[str, Any], **options: Unpack[RequestOptions]
    ) -> Workflow:
        """Replace a workflow definition."""
        url = path("/v1/admin/workflows/{}", workflow_id)
        return await self._client._request(_send("PUT", url, definition, options), Workflow)


class AsyncAdminReviews(AsyncAPIResource):
    """The manual review queue."""

    def list(
        self, *, status: str | None = None, **options: Unpack[RequestOptions]
    ) -> AsyncPaginator[Review]:
        """List reviews, optionally by status."""
        spec = _get("/v1/admin/reviews", compact(status=status), options)
        return self._client._paginator(spec, Review)

    async def approve(
        self, review_id: str, *, note: str | None = None, **options: Unpack[RequestOptions]
    ) -> Review:
        """Approve an application waiting in review."""
        spec = _review_action(review_id, "approve", note, options)
        return await self._client._request(spec, Review)

    async def decline(
        self, review_id: str, *, note: str | None = None, **options: Unpack[RequestOptions]
    ) -> Review:
        """Decline an application waiting in review."""
        spec = _review_action(review_id, "decline", note, options)
        return await self._client._request(spec, Review)


class AsyncAdminMerchants(AsyncAPIResource):
    """Onboarding review."""

    async def approve(
        self, merchant_id: str, *, reason: str | None = None, **options: Unpack[RequestOptions]
    ) -> Merchant:
        """Activate a merchant waiting in onboarding review."""
        spec = _merchant_action(merchant_id, "approve", reason, options)
        return await self._client._request(spec, Merchant)

    async def reject(
        self, merchant_id: str, *, reason: str | None = None, **options: Unpack[RequestOptions]
    ) -> Merchant:
        """Reject a merchant's application."""
        spec = _merchant_action(merchant_id, "reject", reason, options)
        return await self._client._request(spec, Merchant)


class AsyncAdmin(AsyncAPIResource):
    """Lender operations of the async client."""

    @cached_property
    def policies(self) -> AsyncAdminPolicies:
        """Credit and onboarding policies."""
        return AsyncAdminPolicies(self._client)

    @cached_property
    def workflows(self) -> AsyncAdminWorkflows:
        """Loan process definitions."""
        return AsyncAdminWorkflows(self._client)

    @cached_property
    def reviews(self) -> AsyncAdminReviews:
        """The manual review queue."""
        return AsyncAdminReviews(self._client)

    @cached_property
    def merchants(self) -> AsyncAdminMerchants:
        """Onboarding review."""
        return AsyncAdminMerchants(self._client)
