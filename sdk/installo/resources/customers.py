"""`client.customers`: create, retrieve, list, credit_report."""

from __future__ import annotations

from datetime import date
from typing import Unpack

from .._base_client import RequestSpec, compact, path
from .._resource import AsyncAPIResource, RequestOptions, SyncAPIResource
from ..pagination import AsyncPaginator, SyncPage
from ..types.credit_report import CreditReport
from ..types.customer import Customer
from ..types.params import AddressParam, CustomerParam

__all__ = ["AsyncCustomers", "Customers"]


def _iso_date(day: str | date) -> str:
    return day.isoformat() if isinstance(day, date) else day


def _create(
    identity: CustomerParam, options: RequestOptions, test_clock: str | None = None
) -> RequestSpec:
    body = compact(**identity, test_clock=test_clock)
    body["address"] = dict(identity["address"])
    return RequestSpec("POST", "/v1/customers", json=body, **options)


def _list(limit: int | None, starting_after: str | None, options: RequestOptions) -> RequestSpec:
    params = compact(limit=limit, starting_after=starting_after)
    return RequestSpec("GET", "/v1/customers", params=params, **options)


def _retrieve(customer_id: str, options: RequestOptions) -> RequestSpec:
    return RequestSpec("GET", path("/v1/customers/{}", customer_id), **options)


def _credit_report(customer_id: str, options: RequestOptions) -> RequestSpec:
    return RequestSpec("GET", path("/v1/customers/{}/credit_report", customer_id), **options)


class Customers(SyncAPIResource):
    """Customers of the sync client."""

    def create(
        self,
        *,
        email: str,
        name: str,
        phone: str,
        date_of_birth: str | date,
        address: AddressParam,
        national_id_last4: str,
        locale: str | None = None,
        device_id: str | None = None,
        test_clock: str | None = None,
        **options: Unpack[RequestOptions],
    ) -> Customer:
        """Create a customer; `date_of_birth` is a date or `YYYY-MM-DD`; all but locale required.
        `test_clock` attaches the customer (and its checkouts and loans) to a test clock."""
        identity = CustomerParam(
            email=email,
            name=name,
            phone=phone,
            date_of_birth=_iso_date(date_of_birth),
            address=address,
            national_id_last4=national_id_last4,
        )
        if locale is not None:
            identity["locale"] = locale
        if device_id is not None:
            identity["device_id"] = device_id
        spec = _create(identity, options, test_clock)
        return self._client._request(spec, Customer)

    def retrieve(self, customer_id: str, **options: Unpack[RequestOptions]) -> Customer:
        """Read one customer."""
        return self._client._request(_retrieve(customer_id, options), Customer)

    def list(
        self,
        *,
        limit: int | None = None,
        starting_after: str | None = None,
        **options: Unpack[RequestOptions],
    ) -> SyncPage[Customer]:
        """List customers; `.auto_paging_iter()` walks every page."""
        return self._client._request_page(_list(limit, starting_after, options), Customer)

    def credit_report(self, customer_id: str, **options: Unpack[RequestOptions]) -> CreditReport:
        """Read the latest credit report pulled for a customer."""
        return self._client._request(_credit_report(customer_id, options), CreditReport)


class AsyncCustomers(AsyncAPIResource):
    """Customers of the async client."""

    async def create(
        self,
        *,
        email: str,
        name: str,
        phone: str,
        date_of_birth: str | date,
        address: AddressParam,
        national_id_last4: str,
        locale: str | None = None,
        device_id: str | None = None,
        test_clock: str | None = None,
        **options: Unpack[RequestOptions],
    ) -> Customer:
        """Create a customer; `date_of_birth` is a date or `YYYY-MM-DD`; all but locale required.
        `test_clock` attaches the customer (and its checkouts and loans) to a test clock."""
        identity = CustomerParam(
            email=email,
            name=name,
            phone=phone,
            date_of_birth=_iso_date(date_of_birth),
            address=address,
            national_id_last4=national_id_last4,
        )
        if locale is not None:
            identity["locale"] = locale
        if device_id is not None:
            identity["device_id"] = device_id
        spec = _create(identity, options, test_clock)
        return await self._client._request(spec, Customer)

    async def retrieve(self, customer_id: str, **options: Unpack[RequestOptions]) -> Customer:
        """Read one customer."""
        return await self._client._request(_retrieve(customer_id, options), Customer)

    def list(
        self,
        *,
        limit: int | None = None,
        starting_after: str | None = None,
        **options: Unpack[RequestOptions],
    ) -> AsyncPaginator[Customer]:
        """List customers: await for the first page, or `async for` over every customer."""
        return self._client._paginator(_list(limit, starting_after, options), Customer)

    async def credit_report(
        self, customer_id: str, **options: Unpack[RequestOptions]
    ) -> CreditReport:
        """Read the latest credit report pulled for a customer."""
        return await self._client._request(_credit_report(customer_id, options), CreditReport)
