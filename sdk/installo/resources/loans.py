"""`client.loans`: retrieve, list, capture, void, refund, pay."""

from __future__ import annotations

from typing import Unpack

from .._base_client import RequestSpec, compact, path
from .._resource import AsyncAPIResource, RequestOptions, SyncAPIResource
from ..pagination import AsyncPaginator, SyncPage
from ..types.loan import Loan

__all__ = ["AsyncLoans", "Loans"]


def _list(
    limit: int | None,
    starting_after: str | None,
    status: str | None,
    customer: str | None,
    options: RequestOptions,
) -> RequestSpec:
    params = compact(limit=limit, starting_after=starting_after, status=status, customer=customer)
    return RequestSpec("GET", "/v1/loans", params=params, **options)


def _retrieve(loan_id: str, options: RequestOptions) -> RequestSpec:
    return RequestSpec("GET", path("/v1/loans/{}", loan_id), **options)


def _capture(loan_id: str, amount: int | None, options: RequestOptions) -> RequestSpec:
    body = compact(amount=amount)
    return RequestSpec("POST", path("/v1/loans/{}/capture", loan_id), json=body, **options)


def _void(loan_id: str, options: RequestOptions) -> RequestSpec:
    return RequestSpec("POST", path("/v1/loans/{}/void", loan_id), json={}, **options)


def _refund(loan_id: str, amount: int, reason: str | None, options: RequestOptions) -> RequestSpec:
    body = compact(amount=amount, reason=reason)
    return RequestSpec("POST", path("/v1/loans/{}/refunds", loan_id), json=body, **options)


def _pay(loan_id: str, amount: int, options: RequestOptions) -> RequestSpec:
    body = {"amount": amount}
    return RequestSpec("POST", path("/v1/loans/{}/payments", loan_id), json=body, **options)


class Loans(SyncAPIResource):
    """Loans of the sync client."""

    def retrieve(self, loan_id: str, **options: Unpack[RequestOptions]) -> Loan:
        """Read one loan with its schedule and balances."""
        return self._client._request(_retrieve(loan_id, options), Loan)

    def list(
        self,
        *,
        limit: int | None = None,
        starting_after: str | None = None,
        status: str | None = None,
        customer: str | None = None,
        **options: Unpack[RequestOptions],
    ) -> SyncPage[Loan]:
        """List loans; `.auto_paging_iter()` walks every page."""
        spec = _list(limit, starting_after, status, customer, options)
        return self._client._request_page(spec, Loan)

    def capture(
        self, loan_id: str, *, amount: int | None = None, **options: Unpack[RequestOptions]
    ) -> Loan:
        """Capture an authorized loan, fully (default) or in part, e.g. on shipment."""
        return self._client._request(_capture(loan_id, amount, options), Loan)

    def void(self, loan_id: str, **options: Unpack[RequestOptions]) -> Loan:
        """Release an authorization that was never captured."""
        return self._client._request(_void(loan_id, options), Loan)

    def refund(
        self,
        loan_id: str,
        *,
        amount: int,
        reason: str | None = None,
        **options: Unpack[RequestOptions],
    ) -> Loan:
        """Refund part or all of a captured loan; the remaining installments re-amortize."""
        return self._client._request(_refund(loan_id, amount, reason, options), Loan)

    def pay(self, loan_id: str, *, amount: int, **options: Unpack[RequestOptions]) -> Loan:
        """(Sandbox) the customer pays `amount` now."""
        return self._client._request(_pay(loan_id, amount, options), Loan)


class AsyncLoans(AsyncAPIResource):
    """Loans of the async client."""

    async def retrieve(self, loan_id: str, **options: Unpack[RequestOptions]) -> Loan:
        """Read one loan with its schedule and balances."""
        return await self._client._request(_retrieve(loan_id, options), Loan)

    def list(
        self,
        *,
        limit: int | None = None,
        starting_after: str | None = None,
        status: str | None = None,
        customer: str | None = None,
        **options: Unpack[RequestOptions],
    ) -> AsyncPaginator[Loan]:
        """List loans: await for the first page, or `async for` over every loan."""
        spec = _list(limit, starting_after, status, customer, options)
        return self._client._paginator(spec, Loan)

    async def capture(
        self, loan_id: str, *, amount: int | None = None, **options: Unpack[RequestOptions]
    ) -> Loan:
        """Capture an authorized loan, fully (default) or in part, e.g. on shipment."""
        return await self._client._request(_capture(loan_id, amount, options), Loan)

    async def void(self, loan_id: str, **options: Unpack[RequestOptions]) -> Loan:
        """Release an authorization that was never captured."""
        return await self._client._request(_void(loan_id, options), Loan)

    async def refund(
        self,
        loan_id: str,
        *,
        amount: int,
        reason: str | None = None,
        **options: Unpack[RequestOptions],
    ) -> Loan:
        """Refund part or all of a captured loan; the remaining installments re-amortize."""
        return await self._client._request(_refund(loan_id, amount, reason, options), Loan)

    async def pay(self, loan_id: str, *, amount: int, **options: Unpack[RequestOptions]) -> Loan:
        """(Sandbox) the customer pays `amount` now."""
        return await self._client._request(_pay(loan_id, amount, options), Loan)
