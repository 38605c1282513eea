"""`Installo` and `AsyncInstallo`: the clients. They only do I/O; `_base_client` does the rest."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Mapping
from functools import cached_property
from types import TracebackType
from typing import Self

import httpx

from ._base_client import (
    BaseClient,
    ClientOptions,
    ModelT,
    RequestSpec,
    Timeout,
    _Action,
    _Outcome,
    _Send,
)
from ._constants import DEFAULT_CONNECTION_LIMITS
from .pagination import AsyncPage, AsyncPaginator, SyncPage
from .resources.admin import Admin, AsyncAdmin
from .resources.balance import (
    AsyncBalanceResource,
    AsyncBalanceTransactions,
    AsyncPayouts,
    AsyncSettlementReports,
    BalanceResource,
    BalanceTransactions,
    Payouts,
    SettlementReports,
)
from .resources.checkouts import AsyncCheckouts, Checkouts
from .resources.customers import AsyncCustomers, Customers
from .resources.events import AsyncEvents, Events
from .resources.loans import AsyncLoans, Loans
from .resources.merchants import AsyncMerchants, Merchants
from .resources.point_of_sale import AsyncCardNetwork, AsyncVirtualCards, CardNetwork, VirtualCards
from .resources.portfolio import AsyncPortfolioResource, PortfolioResource
from .resources.prequalifications import AsyncPrequalifications, Prequalifications
from .resources.promotions import AsyncPromotions, Promotions
from .resources.request_logs import AsyncRequestLogs, RequestLogs
from .resources.sandbox import AsyncSandbox, Sandbox
from .resources.test_clocks import AsyncTestClocks, TestClocks
from .resources.webhook_endpoints import AsyncWebhookEndpoints, WebhookEndpoints

__all__ = ["AsyncInstallo", "Installo"]


class Installo(BaseClient):
    """The synchronous Installo client.

    Reads the key from `INSTALLO_API_KEY` and the URL from `INSTALLO_BASE_URL` when not given;
    reuses connections; close it (or use it as a context manager) when done.
    """

    def __init__(
        self,
        *,
        api_key: str | None = None,
        admin_key: str | None = None,
        base_url: str | httpx.URL | None = None,
        timeout: Timeout | None = None,
        max_retries: int | None = None,
        default_headers: Mapping[str, str] | None = None,
        transport: httpx.BaseTransport | None = None,
        http_client: httpx.Client | None = None,
    ) -> None:
        self._options = ClientOptions.resolve(
            api_key=api_key,
            admin_key=admin_key,
            base_url=base_url,
            timeout=timeout,
            max_retries=max_retries,
            default_headers=default_headers,
        )
        self._owns_http = http_client is None
        self._http = http_client or httpx.Client(
            transport=transport, timeout=self._options.timeout, limits=DEFAULT_CONNECTION_LIMITS
        )
        # Injectable so retry tests never sleep for real.
        self._sleep: Callable[[float], None] = time.sleep

    @cached_property
    def checkouts(self) -> Checkouts:
        """Checkouts: create, retrieve, list, confirm, cancel."""
        return Checkouts(self)

    @cached_property
    def loans(self) -> Loans:
        """Loans: retrieve, list, capture, void, refund, pay."""
        return Loans(self)

    @cached_property
    def customers(self) -> Customers:
        """Customers and their credit reports."""
        return Customers(self)

    @cached_property
    def prequalifications(self) -> Prequalifications:
        """Soft-pull prequalifications."""
        return Prequalifications(self)

    @cached_property
    def promotions(self) -> Promotions:
        """'As low as' messaging."""
        return Promotions(self)

    @cached_property
    def events(self) -> Events:
        """The merchant's event log."""
        return Events(self)

    @cached_property
    def balance(self) -> BalanceResource:
        """What the merchant is owed: available and pending."""
        return BalanceResource(self)

    @cached_property
    def balance_transactions(self) -> BalanceTransactions:
        """Every movement of the balance, linked to its loan or payout."""
        return BalanceTransactions(self)

    @cached_property
    def payouts(self) -> Payouts:
        """Daily payouts to the merchant's bank account."""
        return Payouts(self)

    @cached_property
    def settlement_reports(self) -> SettlementReports:
        """Daily settlement reports (JSON or CSV)."""
        return SettlementReports(self)

    @cached_property
    def webhook_endpoints(self) -> WebhookEndpoints:
        """Webhook subscriptions."""
        return WebhookEndpoints(self)

    @cached_property
    def merchants(self) -> Merchants:
        """The merchant's own settings, and applications to join."""
        return Merchants(self)

    @cached_property
    def sandbox(self) -> Sandbox:
        """Sandbox controls: personas and the clock."""
        return Sandbox(self)

    @cached_property
    def portfolio(self) -> PortfolioResource:
        """Portfolio analytics of this merchant's loans."""
        return PortfolioResource(self)

    @cached_property
    def test_clocks(self) -> TestClocks:
        """Test clocks: frozen time of their own for the customers and loans attached."""
        return TestClocks(self)

    @cached_property
    def request_logs(self) -> RequestLogs:
        """The merchant's recent API requests as the sandbox logged them."""
        return RequestLogs(self)

    @cached_property
    def virtual_cards(self) -> VirtualCards:
        """Single-use cards in-store approvals issue."""
        return VirtualCards(self)

    @cached_property
    def card_network(self) -> CardNetwork:
        """(sandbox) The simulated card network a terminal charges virtual cards through."""
        return CardNetwork(self)

    @cached_property
    def admin(self) -> Admin:
        """Lender operations (needs the admin key)."""
        return Admin(self)

    def with_options(
        self,
        *,
        api_key: str | None = None,
        admin_key: str | None = None,
        base_url: str | httpx.URL | None = None,
        timeout: Timeout | None = None,
        max_retries: int | None = None,
        default_headers: Mapping[str, str] | None = None,
    ) -> Installo:
        """Answer a client with some settings changed, sharing this one's connections."""
        options = self._options
        clone = Installo(
            api_key=api_key or options.api_key,
            admin_key=admin_key or options.admin_key,
            base_url=base_url or options.base_url,
            timeout=timeout if timeout is not None else options.timeout,
            max_retries=max_retries if max_retries is not None else options.max_retries,
            default_headers={**options.default_headers, **(default_headers or {})},
            http_client=self._http,
        )
        clone._sleep = self._sleep
        return clone

    def close(self) -> None:
        """Close the connections, unless the HTTP client was passed in by the caller."""
        if self._owns_http:
            self._http.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def _perform(self, action: _Action) -> _Outcome:
        if not isinstance(action, _Send):
            self._sleep(action.seconds)
            return None
        try:
            return self._http.send(action.request)
        except httpx.TransportError as error:
            return error

    def _send(self, spec: RequestSpec) -> httpx.Response:
        flow = self._call_flow(self._http, spec)
        try:
            action = next(flow)
            while True:
                action = flow.send(self._perform(action))
        except StopIteration as done:
            response: httpx.Response = done.value
            return response

    def _request(self, spec: RequestSpec, cast_to: type[ModelT]) -> ModelT:
        return self._parse(self._send(spec), cast_to)

    def _request_page(self, spec: RequestSpec, item_type: type[ModelT]) -> SyncPage[ModelT]:
        items, has_more, request_id = self._parse_list(self._send(spec), item_type)
        page = SyncPage[ModelT](data=items, has_more=has_more)
        page._spec = spec
        page._request_id = request_id
        page._fetch = lambda next_spec: self._request_page(next_spec, item_type)
        return page


class AsyncInstallo(BaseClient):
    """The asynchronous Installo client; the same resources, awaitable."""

    def __init__(
        self,
        *,
        api_key: str | None = None,
        admin_key: str | None = None,
        base_url: str | httpx.URL | None = None,
        timeout: Timeout | None = None,
        max_retries: int | None = None,
        default_headers: Mapping[str, str] | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
        http_client: httpx.AsyncClient | None = None,
    ) -> None:
        self._options = ClientOptions.resolve(
            api_key=api_key,
            admin_key=admin_key,
            base_url=base_url,
            timeout=timeout,
            max_retries=max_retries,
            default_headers=default_headers,
        )
        self._owns_http = http_client is None
        self._http = http_client or httpx.AsyncClient(
            transport=transport, timeout=self._options.timeout, limits=DEFAULT_CONNECTION_LIMITS
        )
        self._sleep: Callable[[float], Awaitable[None]] = asyncio.sleep

    @cached_property
    def checkouts(self) -> AsyncCheckouts:
        """Checkouts: create, retrieve, list, confirm, cancel."""
        return AsyncCheckouts(self)

    @cached_property
    def loans(self) -> AsyncLoans:
        """Loans: retrieve, list, capture, void, refund, pay."""
        return AsyncLoans(self)

    @cached_property
    def customers(self) -> AsyncCustomers:
        """Customers and their credit reports."""
        return AsyncCustomers(self)

    @cached_property
    def prequalifications(self) -> AsyncPrequalifications:
        """Soft-pull prequalifications."""
        return AsyncPrequalifications(self)

    @cached_property
    def promotions(self) -> AsyncPromotions:
        """'As low as' messaging."""
        return AsyncPromotions(self)

    @cached_property
    def events(self) -> AsyncEvents:
        """The merchant's event log."""
        return AsyncEvents(self)

    @cached_property
    def balance(self) -> AsyncBalanceResource:
        """What the merchant is owed: available and pending."""
        return AsyncBalanceResource(self)

    @cached_property
    def balance_transactions(self) -> AsyncBalanceTransactions:
        """Every movement of the balance, linked to its loan or payout."""
        return AsyncBalanceTransactions(self)

    @cached_property
    def payouts(self) -> AsyncPayouts:
        """Daily payouts to the merchant's bank account."""
        return AsyncPayouts(self)

    @cached_property
    def settlement_reports(self) -> AsyncSettlementReports:
        """Daily settlement reports (JSON or CSV)."""
        return AsyncSettlementReports(self)

    @cached_property
    def webhook_endpoints(self) -> AsyncWebhookEndpoints:
        """Webhook subscriptions."""
        return AsyncWebhookEndpoints(self)

    @cached_property
    def merchants(self) -> AsyncMerchants:
        """The merchant's own settings, and applications to join."""
        return AsyncMerchants(self)

    @cached_property
    def sandbox(self) -> AsyncSandbox:
        """Sandbox controls: personas and the clock."""
        return AsyncSandbox(self)

    @cached_property
    def portfolio(self) -> AsyncPortfolioResource:
        """Portfolio analytics of this merchant's loans."""
        return AsyncPortfolioResource(self)

    @cached_property
    def test_clocks(self) -> AsyncTestClocks:
        """Test clocks: frozen time of their own for the customers and loans attached."""
        return AsyncTestClocks(self)

    @cached_property
    def request_logs(self) -> AsyncRequestLogs:
        """The merchant's recent API requests as the sandbox logged them."""
        return AsyncRequestLogs(self)

    @cached_property
    def virtual_cards(self) -> AsyncVirtualCards:
        """Single-use cards in-store approvals issue."""
        return AsyncVirtualCards(self)

    @cached_property
    def card_network(self) -> AsyncCardNetwork:
        """(sandbox) The simulated card network a terminal charges virtual cards through."""
        return AsyncCardNetwork(self)

    @cached_property
    def admin(self) -> AsyncAdmin:
        """Lender operations (needs the admin key)."""
        return AsyncAdmin(self)

    def with_options(
        self,
        *,
        api_key: str | None = None,
        admin_key: str | None = None,
        base_url: str | httpx.URL | None = None,
        timeout: Timeout | None = None,
        max_retries: int | None = None,
        default_headers: Mapping[str, str] | None = None,
    ) -> AsyncInstallo:
        """Answer a client with some settings changed, sharing this one's connections."""
        options = self._options
        clone = AsyncInstallo(
            api_key=api_key or options.api_key,
            admin_key=admin_key or options.admin_key,
            base_url=base_url or options.base_url,
            timeout=timeout if timeout is not None else options.timeout,
            max_retries=max_retries if max_retries is not None else options.max_retries,
            default_headers={**options.default_headers, **(default_headers or {})},
            http_client=self._http,
        )
        clone._sleep = self._sleep
        return clone

    async def close(self) -> None:
        """Close the connections, unless the HTTP client was passed in by the caller."""
        if self._owns_http:
            await self._http.aclose()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()

    async def _perform(self, action: _Action) -> _Outcome:
        if not isinstance(action, _Send):
            await self._sleep(action.seconds)
            return None
        try:
            return await self._http.send(action.request)
        except httpx.TransportError as error:
            return error

    async def _send(self, spec: RequestSpec) -> httpx.Response:
        flow = self._call_flow(self._http, spec)
        try:
            action = next(flow)
            while True:
                action = flow.send(await self._perform(action))
        except StopIteration as done:
            response: httpx.Response = done.value
            return response

    async def _request(self, spec: RequestSpec, cast_to: type[ModelT]) -> ModelT:
        return self._parse(await self._send(spec), cast_to)

    async def _request_page(self, spec: RequestSpec, item_type: type[ModelT]) -> AsyncPage[ModelT]:
        items, has_more, request_id = self._parse_list(await self._send(spec), item_type)
        page = AsyncPage[ModelT](data=items, has_more=has_more)
        page._spec = spec
        page._request_id = request_id

        async def fetch(next_spec: RequestSpec) -> AsyncPage[ModelT]:
            return await self._request_page(next_spec, item_type)

        page._fetch = fetch
        return page

    def _paginator(self, spec: RequestSpec, item_type: type[ModelT]) -> AsyncPaginator[ModelT]:
        async def fetch(first: RequestSpec) -> AsyncPage[ModelT]:
            return await self._request_page(first, item_type)

        return AsyncPaginator(fetch, spec)
