"""The simulator's one door to the lending API: thin async calls over the SDK."""

from __future__ import annotations

import calendar
from collections.abc import Awaitable, Callable, Mapping
from datetime import date
from typing import Any, TypeVar, cast

from installo import AsyncInstallo
from installo._exceptions import NotFoundError
from installo.types.admin import Review
from installo.types.balance import BalanceTransaction
from installo.types.checkout import Checkout
from installo.types.credit_report import CreditReport
from installo.types.customer import Customer
from installo.types.event import Event
from installo.types.loan import Loan
from installo.types.merchant import Merchant
from installo.types.params import CartItemParam, CustomerParam
from installo.types.portfolio import Portfolio
from installo.types.sandbox import Persona

from merchant_sim.cart import Cart
from merchant_sim.identity import Identity

__all__ = ["FeatureUnavailable", "Gateway", "same_day_next_month"]

T = TypeVar("T")


def same_day_next_month(today: date) -> date:
    """The same day of the next calendar month, clamped to that month's last day (a loan's
    monthly due dates fall this way: 2026-12-01 -> 2027-01-01, 2027-01-31 -> 2027-02-28)."""
    year, month = (today.year + 1, 1) if today.month == 12 else (today.year, today.month + 1)
    return date(year, month, min(today.day, calendar.monthrange(year, month)[1]))


class FeatureUnavailable(Exception):
    """The sandbox answered 404 for a whole feature: it does not have it (yet)."""

    def __init__(self, feature: str) -> None:
        super().__init__(f"{feature} is not available on this sandbox yet")
        self.feature = feature


async def _feature(feature: str, call: Callable[[], Awaitable[T]]) -> T:
    try:
        return await call()
    except (NotFoundError, AttributeError) as exc:
        raise FeatureUnavailable(feature) from exc


class Gateway:
    """Storefront-sized calls: a cart becomes a checkout, an offer a decision, and so on."""

    def __init__(self, client: AsyncInstallo) -> None:
        self.client = client

    async def create_customer(self, identity: Identity) -> Customer:
        """Register the shopper as a customer of this merchant."""
        body = cast(CustomerParam, identity.customer_body())
        return await self.client.customers.create(**body)

    async def create_checkout(
        self,
        cart: Cart,
        customer: str | Identity,
        *,
        reference: str | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> Checkout:
        """Open a checkout for the cart; the answer carries the offers."""
        who: str | CustomerParam = (
            customer if isinstance(customer, str) else cast(CustomerParam, customer.customer_body())
        )
        extra: dict[str, Any] = {"extra_headers": dict(headers)} if headers else {}
        return await self.client.checkouts.create(
            items=cast(list[CartItemParam], cart.items_payload()),
            amount=cart.total,
            currency=cart.currency,
            customer=who,
            shipping_amount=cart.shipping,
            tax_amount=cart.tax,
            merchant_reference=reference,
            **extra,
        )

    async def checkout_references(self, prefix: str) -> list[str]:
        """The merchant references, starting with `prefix`, of every checkout on this merchant."""
        page = await self.client.checkouts.list(limit=100)
        return [
            c.merchant_reference
            async for c in page.auto_paging_iter()
            if c.merchant_reference is not None and c.merchant_reference.startswith(prefix)
        ]

    async def confirm(
        self,
        checkout_id: str,
        offer_id: str,
        *,
        device_id: str | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> Checkout:
        """Confirm the chosen offer with consent; the answer carries the decision."""
        extra: dict[str, Any] = {"extra_headers": dict(headers)} if headers else {}
        return await self.client.checkouts.confirm(
            checkout_id, offer=offer_id, consent=True, device_id=device_id, **extra
        )

    async def checkout(self, checkout_id: str) -> Checkout:
        """Read a checkout."""
        return await self.client.checkouts.retrieve(checkout_id)

    async def loan(self, loan_id: str) -> Loan:
        """Read a loan with its schedule."""
        return await self.client.loans.retrieve(loan_id)

    async def capture(self, loan_id: str, amount: int | None = None, **opts: Any) -> Loan:
        """Capture the authorization (all of it by default)."""
        return await self.client.loans.capture(loan_id, amount=amount, **opts)

    async def void(self, loan_id: str, **opts: Any) -> Loan:
        """Release an uncaptured authorization."""
        return await self.client.loans.void(loan_id, **opts)

    async def refund(self, loan_id: str, amount: int, **opts: Any) -> Loan:
        """Refund part or all of a captured loan."""
        return await self.client.loans.refund(loan_id, amount=amount, **opts)

    async def pay(self, loan_id: str, amount: int, **opts: Any) -> Loan:
        """The customer pays ``amount`` now."""
        return await self.client.loans.pay(loan_id, amount=amount, **opts)

    async def credit_report(self, customer_id: str) -> CreditReport | None:
        """The customer's latest report, or None if none was pulled."""
        try:
            return await self.client.customers.credit_report(customer_id)
        except NotFoundError:
            return None

    async def events(self, limit: int = 50) -> list[Event]:
        """The most recent events, newest first."""
        page = await self.client.events.list(limit=limit)
        return list(page.data)

    async def personas(self, *, tier: str | None = None, limit: int = 200) -> list[Persona]:
        """Seeded sandbox people (up to ``limit``), optionally of one tier."""

        async def fetch() -> list[Persona]:
            found: list[Persona] = []
            async for persona in self.client.sandbox.personas(tier=tier, limit=100):
                found.append(persona)
                if len(found) >= limit:
                    break
            return found

        return await _feature("Sandbox personas", fetch)

    async def advance_clock(self, days: int) -> str:
        """Move the sandbox clock ``days`` on; answers the new sandbox time as text."""
        result = await _feature(
            "The sandbox clock", lambda: self.client.sandbox.advance_clock(days=days)
        )
        return result.now.isoformat(timespec="minutes") if result.now else f"+{days} days"

    async def portfolio(self, *, lender: bool = False) -> Portfolio:
        """Portfolio analytics as of sandbox time: this merchant's, or the lender's (admin key)."""
        if lender:
            return await _feature("The lender's portfolio", self.client.admin.portfolio.retrieve)
        return await _feature("Portfolio analytics", self.client.portfolio.retrieve)

    async def advance_month(self) -> date:
        """Move the sandbox clock to the same day next month (clamped to its end); answers the
        new sandbox date."""
        today = (await self.portfolio()).as_of
        return await self.advance_clock_to(same_day_next_month(today))

    async def advance_clock_to(self, day: date) -> date:
        """Move the sandbox clock to ``day`` (a due date, say); answers the new sandbox date."""
        result = await _feature(
            "The sandbox clock", lambda: self.client.sandbox.advance_clock(to=day)
        )
        return result.now.date() if result.now else day

    async def reviews(self, status: str | None = "pending") -> list[Review]:
        """The manual review queue."""

        async def fetch() -> list[Review]:
            return [r async for r in self.client.admin.reviews.list(status=status)]

        return await _feature("The manual review queue", fetch)

    async def settle_review(self, review_id: str, approve: bool) -> Review:
        """Approve or decline one review."""
        reviews = self.client.admin.reviews
        action = reviews.approve if approve else reviews.decline
        return await _feature("The manual review queue", lambda: action(review_id))

    async def apply_merchant(self, application: Mapping[str, Any]) -> Merchant:
        """Send a merchant application (no key needed)."""
        return await self.client.merchants.apply(**application)

    async def settle_merchant(self, merchant_id: str, approve: bool) -> Merchant:
        """Approve or reject a merchant waiting in onboarding review."""
        merchants = self.client.admin.merchants
        action = merchants.approve if approve else merchants.reject
        return await _feature("Onboarding review", lambda: action(merchant_id))

    async def subscribe_webhooks(self, url: str) -> str:
        """Subscribe ``url`` to every event; answers the signing secret (shown only now)."""
        endpoint = await _feature(
            "Webhook endpoints", lambda: self.client.webhook_endpoints.create(url=url)
        )
        if not endpoint.secret:
            raise FeatureUnavailable("Webhook signing secrets")
        return endpoint.secret

    async def balance_transactions(self) -> list[BalanceTransaction]:
        """Every movement of this merchant's balance (captures, refunds, payouts), newest
        first."""

        async def fetch() -> list[BalanceTransaction]:
            return [t async for t in self.client.balance_transactions.list(limit=100)]

        return await _feature("Settlement", fetch)
