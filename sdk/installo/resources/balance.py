"""`client.balance`, `client.balance_transactions`, `client.payouts` and
`client.settlement_reports`: the merchant's money."""

from __future__ import annotations

from datetime import date
from typing import Unpack

from .._base_client import RequestSpec, compact, path
from .._resource import AsyncAPIResource, RequestOptions, SyncAPIResource
from ..pagination import AsyncPaginator, SyncPage
from ..types.balance import Balance, BalanceTransaction, Payout, SettlementReport

__all__ = [
    "AsyncBalanceResource",
    "AsyncBalanceTransactions",
    "AsyncPayouts",
    "AsyncSettlementReports",
    "BalanceResource",
    "BalanceTransactions",
    "Payouts",
    "SettlementReports",
]


def _balance(options: RequestOptions) -> RequestSpec:
    return RequestSpec("GET", "/v1/balance", **options)


def _transactions(
    limit: int | None,
    starting_after: str | None,
    type: str | None,
    loan: str | None,
    payout: str | None,
    options: RequestOptions,
) -> RequestSpec:
    params = compact(
        limit=limit, starting_after=starting_after, type=type, loan=loan, payout=payout
    )
    return RequestSpec("GET", "/v1/balance_transactions", params=params, **options)


def _payouts(
    limit: int | None, starting_after: str | None, status: str | None, options: RequestOptions
) -> RequestSpec:
    params = compact(limit=limit, starting_after=starting_after, status=status)
    return RequestSpec("GET", "/v1/payouts", params=params, **options)


def _report(day: date | str, csv: bool, options: RequestOptions) -> RequestSpec:
    day_text = day.isoformat() if isinstance(day, date) else day
    params = {"format": "csv"} if csv else None
    return RequestSpec("GET", path("/v1/settlement_reports/{}", day_text), params=params, **options)


class BalanceResource(SyncAPIResource):
    """The balance (sync)."""

    def retrieve(self, **options: Unpack[RequestOptions]) -> Balance:
        """Available and pending balance per currency."""
        return self._client._request(_balance(options), Balance)


class AsyncBalanceResource(AsyncAPIResource):
    """The balance (async)."""

    async def retrieve(self, **options: Unpack[RequestOptions]) -> Balance:
        """Available and pending balance per currency."""
        return await self._client._request(_balance(options), Balance)


class BalanceTransactions(SyncAPIResource):
    """Balance transactions (sync)."""

    def retrieve(self, txn_id: str, **options: Unpack[RequestOptions]) -> BalanceTransaction:
        """One balance transaction."""
        spec = RequestSpec("GET", path("/v1/balance_transactions/{}", txn_id), **options)
        return self._client._request(spec, BalanceTransaction)

    def list(
        self,
        *,
        limit: int | None = None,
        starting_after: str | None = None,
        type: str | None = None,
        loan: str | None = None,
        payout: str | None = None,
        **options: Unpack[RequestOptions],
    ) -> SyncPage[BalanceTransaction]:
        """Newest first, optionally of one type, loan or payout."""
        spec = _transactions(limit, starting_after, type, loan, payout, options)
        return self._client._request_page(spec, BalanceTransaction)


class AsyncBalanceTransactions(AsyncAPIResource):
    """Balance transactions (async)."""

    async def retrieve(self, txn_id: str, **options: Unpack[RequestOptions]) -> BalanceTransaction:
        """One balance transaction."""
        spec = RequestSpec("GET", path("/v1/balance_transactions/{}", txn_id), **options)
        return await self._client._request(spec, BalanceTransaction)

    def list(
        self,
        *,
        limit: int | None = None,
        starting_after: str | None = None,
        type: str | None = None,
        loan: str | None = None,
        payout: str | None = None,
        **options: Unpack[RequestOptions],
    ) -> AsyncPaginator[BalanceTransaction]:
        """Await for the first page, or `async for` over every transaction."""
        spec = _transactions(limit, starting_after, type, loan, payout, options)
        return self._client._paginator(spec, BalanceTransaction)


class Payouts(SyncAPIResource):
    """Payouts (sync)."""

    def retrieve(self, payout_id: str, **options: Unpack[RequestOptions]) -> Payout:
        """One payout."""
        spec = RequestSpec("GET", path("/v1/payouts/{}", payout_id), **options)
        return self._client._request(spec, Payout)

    def list(
        self,
        *,
        limit: int | None = None,
        starting_after: str | None = None,
        status: str | None = None,
        **options: Unpack[RequestOptions],
    ) -> SyncPage[Payout]:
        """Newest first, optionally in one status."""
        return self._client._request_page(_payouts(limit, starting_after, status, options), Payout)


class AsyncPayouts(AsyncAPIResource):
    """Payouts (async)."""

    async def retrieve(self, payout_id: str, **options: Unpack[RequestOptions]) -> Payout:
        """One payout."""
        spec = RequestSpec("GET", path("/v1/payouts/{}", payout_id), **options)
        return await self._client._request(spec, Payout)

    def list(
        self,
        *,
        limit: int | None = None,
        starting_after: str | None = None,
        status: str | None = None,
        **options: Unpack[RequestOptions],
    ) -> AsyncPaginator[Payout]:
        """Await for the first page, or `async for` over every payout."""
        return self._client._paginator(_payouts(limit, starting_after, status, options), Payout)


class SettlementReports(SyncAPIResource):
    """Daily settlement reports (sync)."""

    def retrieve(self, day: date | str, **options: Unpack[RequestOptions]) -> SettlementReport:
        """A sandbox day's report with its transactions and sums."""
        return self._client._request(_report(day, False, options), SettlementReport)

    def retrieve_csv(self, day: date | str, **options: Unpack[RequestOptions]) -> str:
        """A sandbox day's report as CSV text (one row per balance transaction)."""
        return self._client._send(_report(day, True, options)).text


class AsyncSettlementReports(AsyncAPIResource):
    """Daily settlement reports (async)."""

    async def retrieve(
        self, day: date | str, **options: Unpack[RequestOptions]
    ) -> SettlementReport:
        """A sandbox day's report with its transactions and sums."""
        return await self._client._request(_report(day, False, options), SettlementReport)

    async def retrieve_csv(self, day: date | str, **options: Unpack[RequestOptions]) -> str:
        """A sandbox day's report as CSV text (one row per balance transaction)."""
        return (await self._client._send(_report(day, True, options))).text
