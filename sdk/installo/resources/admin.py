"""`client.admin`: lender operations (policies, workflows, reviews, onboarding); admin key."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import cached_property
from typing import Any, Literal, Unpack

from .._base_client import RequestSpec, compact, path
from .._resource import AsyncAPIResource, RequestOptions, SyncAPIResource
from ..pagination import AsyncPaginator, SyncPage
from ..types.admin import DryRunResult, Policy, Review, Workflow
from .furnishing import (
    AdminDisputes,
    AdminFurnishingFiles,
    AsyncAdminDisputes,
    AsyncAdminFurnishingFiles,
)
from .merchant_desk import AdminMerchants, AsyncAdminMerchants
from .portfolio import AdminPortfolio, AsyncAdminPortfolio

__all__ = ["Admin", "AsyncAdmin", "DryRunSource"]

DryRunSource = Literal["inline", "stored", "generated"]


def _get(url: str, params: Mapping[str, Any] | None, options: RequestOptions) -> RequestSpec:
    return RequestSpec("GET", url, params=params, auth="admin", **options)


def _send(method: str, url: str, body: Mapping[str, Any], options: RequestOptions) -> RequestSpec:
    return RequestSpec(method, url, json=body, auth="admin", **options)


def _dry_run(
    policy_id: str,
    policy: Mapping[str, Any] | None,
    applications: Iterable[Mapping[str, Any]] | None,
    source: DryRunSource | None,
    count: int | None,
    options: RequestOptions,
) -> RequestSpec:
    apps = [dict(app) for app in applications] if applications is not None else None
    proposed = dict(policy) if policy is not None else None
    body = compact(policy=proposed, applications=apps, source=source, count=count)
    return _send("POST", path("/v1/admin/policies/{}/dry_run", policy_id), body, options)


def _definition(
    kind: str, definition_id: str, versions: bool, options: RequestOptions
) -> RequestSpec:
    url = path(f"/v1/admin/{kind}/{{}}" + ("/versions" if versions else ""), definition_id)
    return _get(url, None, options)


def _review_action(
    review_id: str,
    action: str,
    note: str | None,
    options: RequestOptions,
    credit_limit: int | None = None,
) -> RequestSpec:
    url = path("/v1/admin/reviews/{}/" + action, review_id)
    return _send("POST", url, compact(note=note, credit_limit=credit_limit), options)


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

    def retrieve(self, policy_id: str, **options: Unpack[RequestOptions]) -> Policy:
        """Read the live version of a policy."""
        return self._client._request(_definition("policies", policy_id, False, options), Policy)

    def versions(self, policy_id: str, **options: Unpack[RequestOptions]) -> SyncPage[Policy]:
        """List every version of a policy, oldest first."""
        spec = _definition("policies", policy_id, True, options)
        return self._client._request_page(spec, Policy)

    def dry_run(
        self,
        policy_id: str,
        *,
        policy: Mapping[str, Any] | None = None,
        applications: Iterable[Mapping[str, Any]] | None = None,
        source: DryRunSource | None = None,
        count: int | None = None,
        **options: Unpack[RequestOptions],
    ) -> DryRunResult:
        """Compare a proposed policy (the live one when None) with the live one over a batch:
        `applications` given inline, or `count` stored or generated ones (`source`)."""
        spec = _dry_run(policy_id, policy, applications, source, count, options)
        return self._client._request(spec, DryRunResult)


class AdminWorkflows(SyncAPIResource):
    """Loan process definitions."""

    def list(self, **options: Unpack[RequestOptions]) -> SyncPage[Workflow]:
        """List workflow definitions."""
        return self._client._request_page(_get("/v1/admin/workflows", None, options), Workflow)

    def retrieve(self, workflow_id: str, **options: Unpack[RequestOptions]) -> Workflow:
        """Read the live version of a loan process."""
        spec = _definition("workflows", workflow_id, False, options)
        return self._client._request(spec, Workflow)

    def versions(self, workflow_id: str, **options: Unpack[RequestOptions]) -> SyncPage[Workflow]:
        """List every version of a loan process, oldest first."""
        spec = _definition("workflows", workflow_id, True, options)
        return self._client._request_page(spec, Workflow)

    def update(
        self, workflow_id: str, *, definition: Mapping[str, Any], **options: Unpack[RequestOptions]
    ) -> Workflow:
        """Replace a workflow definition."""
        url = path("/v1/admin/workflows/{}", workflow_id)
        return self._client._request(_send("PUT", url, definition, options), Workflow)


class AdminReviews(SyncAPIResource):
    """The manual review queue."""

    def list(
        self,
        *,
        status: str | None = None,
        queue: str | None = None,
        **options: Unpack[RequestOptions],
    ) -> SyncPage[Review]:
        """List reviews, optionally by status and by queue (`manual_review.queue`)."""
        spec = _get("/v1/admin/reviews", compact(status=status, queue=queue), options)
        return self._client._request_page(spec, Review)

    def approve(
        self,
        review_id: str,
        *,
        note: str | None = None,
        credit_limit: int | None = None,
        **options: Unpack[RequestOptions],
    ) -> Review:
        """Approve an application waiting in review, optionally with a lower `credit_limit`."""
        spec = _review_action(review_id, "approve", note, options, credit_limit)
        return self._client._request(spec, Review)

    def decline(
        self, review_id: str, *, note: str | None = None, **options: Unpack[RequestOptions]
    ) -> Review:
        """Decline an application waiting in review."""
        return self._client._request(_review_action(review_id, "decline", note, options), Review)


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
        """The reviewer's desk for merchant applications."""
        return AdminMerchants(self._client)

    @cached_property
    def portfolio(self) -> AdminPortfolio:
        """Portfolio analytics across every merchant."""
        return AdminPortfolio(self._client)

    @cached_property
    def furnishing_files(self) -> AdminFurnishingFiles:
        """Month-end Metro 2 files."""
        return AdminFurnishingFiles(self._client)

    @cached_property
    def disputes(self) -> AdminDisputes:
        """Consumers' disputes of Installo tradelines."""
        return AdminDisputes(self._client)


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

    async def retrieve(self, policy_id: str, **options: Unpack[RequestOptions]) -> Policy:
        """Read the live version of a policy."""
        spec = _definition("policies", policy_id, False, options)
        return await self._client._request(spec, Policy)

    def versions(self, policy_id: str, **options: Unpack[RequestOptions]) -> AsyncPaginator[Policy]:
        """List every version of a policy, oldest first."""
        return self._client._paginator(_definition("policies", policy_id, True, options), Policy)

    async def dry_run(
        self,
        policy_id: str,
        *,
        policy: Mapping[str, Any] | None = None,
        applications: Iterable[Mapping[str, Any]] | None = None,
        source: DryRunSource | None = None,
        count: int | None = None,
        **options: Unpack[RequestOptions],
    ) -> DryRunResult:
        """Compare a proposed policy (the live one when None) with the live one over a batch:
        `applications` given inline, or `count` stored or generated ones (`source`)."""
        spec = _dry_run(policy_id, policy, applications, source, count, options)
        return await self._client._request(spec, DryRunResult)


class AsyncAdminWorkflows(AsyncAPIResource):
    """Loan process definitions."""

    def list(self, **options: Unpack[RequestOptions]) -> AsyncPaginator[Workflow]:
        """List workflow definitions."""
        return self._client._paginator(_get("/v1/admin/workflows", None, options), Workflow)

    async def retrieve(self, workflow_id: str, **options: Unpack[RequestOptions]) -> Workflow:
        """Read the live version of a loan process."""
        spec = _definition("workflows", workflow_id, False, options)
        return await self._client._request(spec, Workflow)

    def versions(
        self, workflow_id: str, **options: Unpack[RequestOptions]
    ) -> AsyncPaginator[Workflow]:
        """List every version of a loan process, oldest first."""
        spec = _definition("workflows", workflow_id, True, options)
        return self._client._paginator(spec, Workflow)

    async def update(
        self, workflow_id: str, *, definition: Mapping[str, Any], **options: Unpack[RequestOptions]
    ) -> Workflow:
        """Replace a workflow definition."""
        url = path("/v1/admin/workflows/{}", workflow_id)
        return await self._client._request(_send("PUT", url, definition, options), Workflow)


class AsyncAdminReviews(AsyncAPIResource):
    """The manual review queue."""

    def list(
        self,
        *,
        status: str | None = None,
        queue: str | None = None,
        **options: Unpack[RequestOptions],
    ) -> AsyncPaginator[Review]:
        """List reviews, optionally by status and by queue (`manual_review.queue`)."""
        spec = _get("/v1/admin/reviews", compact(status=status, queue=queue), options)
        return self._client._paginator(spec, Review)

    async def approve(
        self,
        review_id: str,
        *,
        note: str | None = None,
        credit_limit: int | None = None,
        **options: Unpack[RequestOptions],
    ) -> Review:
        """Approve an application waiting in review, optionally with a lower `credit_limit`."""
        spec = _review_action(review_id, "approve", note, options, credit_limit)
        return await self._client._request(spec, Review)

    async def decline(
        self, review_id: str, *, note: str | None = None, **options: Unpack[RequestOptions]
    ) -> Review:
        """Decline an application waiting in review."""
        spec = _review_action(review_id, "decline", note, options)
        return await self._client._request(spec, Review)


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
        """The reviewer's desk for merchant applications."""
        return AsyncAdminMerchants(self._client)

    @cached_property
    def portfolio(self) -> AsyncAdminPortfolio:
        """Portfolio analytics across every merchant."""
        return AsyncAdminPortfolio(self._client)

    @cached_property
    def furnishing_files(self) -> AsyncAdminFurnishingFiles:
        """Month-end Metro 2 files."""
        return AsyncAdminFurnishingFiles(self._client)

    @cached_property
    def disputes(self) -> AsyncAdminDisputes:
        """Consumers' disputes of Installo tradelines."""
        return AsyncAdminDisputes(self._client)
