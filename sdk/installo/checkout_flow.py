"""The common checkout path, end to end, with every outcome a typed result.

    flow = CheckoutFlow(client)
    cart = Cart("USD").add(sku="ESP-1", name="Espresso machine", unit_amount=129900)
    session = flow.start(cart, customer="cus_123")
    for presented in session.offers:          # show these to the customer
        print(presented.headline, presented.disclosure_text())
    outcome = flow.confirm(session.checkout.id, session.offers[0].offer.id)
    match outcome:
        case Approved(loan_id=loan_id): ...   # on shipment: flow.capture_on_shipment(loan_id)
        case Declined(reason_codes=codes): ...
        case PendingReview(): ...             # wait for the checkout.approved/declined webhook

In store (or online through the hosted page), the customer applies on the lender's page:

    session = flow.start(cart, customer="cus_123", channel="in_store",
                         store_id="store-1", terminal_id="lane-3")
    show(session.short_code, client.checkouts.qr_png(session.checkout.id))
    outcome = flow.wait_for_shopper(session.checkout.id)    # webhooks say it sooner
    if isinstance(outcome, Approved):
        flow.pay_with_virtual_card(outcome)                 # the terminal's card charge
    # online: redirect to session.page_url; back on your success URL,
    # flow.complete_online(checkout_id, token) redeems the token the page handed back.

A decline is an outcome, not an exception; API failures still raise the SDK's errors.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

from ._money import format_money, format_rate_bps
from ._resource import RequestOptions
from .types.checkout import Checkout, CheckoutStatus
from .types.event import Event
from .types.loan import Loan
from .types.offer import Offer, OfferInterval
from .types.params import CartItemParam, CustomerParam, RedirectUrlsParam
from .types.point_of_sale import CardAuthorization

if TYPE_CHECKING:
    from ._client import AsyncInstallo, Installo

__all__ = [
    "Approved",
    "AsyncCheckoutFlow",
    "Cart",
    "CheckoutFlow",
    "CheckoutOutcome",
    "CheckoutSession",
    "Closed",
    "Declined",
    "PendingReview",
    "PresentedOffer",
    "SaleChannel",
    "outcome_of",
    "present_offer",
]


@dataclass
class Cart:
    """A cart being built: items, shipping and tax, all in minor units of `currency`."""

    currency: str
    items: list[CartItemParam] = field(default_factory=list)
    shipping_amount: int = 0
    tax_amount: int = 0

    def add(self, *, sku: str, name: str, unit_amount: int, quantity: int = 1) -> Cart:
        """Add a line; answers the cart so calls chain."""
        if unit_amount < 0 or quantity < 1:
            raise ValueError("unit_amount must be 0 or more and quantity at least 1")
        self.items.append(
            {"sku": sku, "name": name, "unit_amount": unit_amount, "quantity": quantity}
        )
        return self

    @property
    def subtotal(self) -> int:
        """The items' total."""
        return sum(item["unit_amount"] * item["quantity"] for item in self.items)

    @property
    def total(self) -> int:
        """What the checkout's `amount` must be: items plus shipping plus tax."""
        return self.subtotal + self.shipping_amount + self.tax_amount


@dataclass(frozen=True)
class PresentedOffer:
    """An offer ready to show: a headline and its Truth-in-Lending disclosure."""

    offer: Offer
    currency: str
    headline: str
    disclosure: tuple[tuple[str, str], ...]

    def disclosure_text(self) -> str:
        """The disclosure as aligned `label  value` lines."""
        width = max(len(label) for label, _ in self.disclosure)
        return "\n".join(f"{label.ljust(width)}  {value}" for label, value in self.disclosure)


def present_offer(offer: Offer, currency: str) -> PresentedOffer:
    """Format an offer for display (money formatted only here, at the edge)."""

    def money(amount: int) -> str:
        return format_money(amount, currency)

    every = "every two weeks" if offer.interval == OfferInterval.TWO_WEEKS else "monthly"
    interest = "interest-free" if offer.apr_bps == 0 else f"{format_rate_bps(offer.apr_bps)} APR"
    headline = (
        f"{offer.term_count} {interest} payments of {money(offer.installment_amount)} {every}"
    )
    disclosure: tuple[tuple[str, str], ...] = (
        ("Annual percentage rate (APR)", format_rate_bps(offer.apr_bps)),
        ("Finance charge", money(offer.finance_charge)),
        ("Amount financed", money(offer.amount_financed)),
        ("Total of payments", money(offer.total_of_payments)),
        ("Number of payments", str(offer.term_count)),
        ("Amount of each payment", money(offer.installment_amount)),
        ("First payment due", offer.first_due_date.isoformat()),
    )
    final = offer.final_installment_amount
    if final is not None and final != offer.installment_amount:
        disclosure = (*disclosure[:6], ("Final payment", money(final)), disclosure[6])
    return PresentedOffer(offer=offer, currency=currency, headline=headline, disclosure=disclosure)


@dataclass(frozen=True)
class CheckoutSession:
    """A created checkout and its offers, formatted for the customer."""

    checkout: Checkout
    offers: tuple[PresentedOffer, ...]

    @property
    def page_url(self) -> str | None:
        """The hosted page the customer applies on (redirect to it, or show it as a QR code)."""
        action = self.checkout.next_action
        return action.url if action is not None else None

    @property
    def short_code(self) -> str | None:
        """In store: the code a shopper can type at `<sandbox>/pay` instead of scanning."""
        return self.checkout.short_code


@dataclass(frozen=True)
class Approved:
    """Credit approved: a loan is authorized; capture it on shipment."""

    checkout: Checkout
    loan_id: str
    status: Literal["approved"] = "approved"


@dataclass(frozen=True)
class Declined:
    """Credit declined, with the adverse-action reason codes."""

    checkout: Checkout
    reason_codes: tuple[str, ...]
    status: Literal["declined"] = "declined"


@dataclass(frozen=True)
class PendingReview:
    """Still in manual review after waiting; a webhook will tell the end."""

    checkout: Checkout
    status: Literal["in_review"] = "in_review"


@dataclass(frozen=True)
class Closed:
    """The checkout ended without a decision (expired, canceled) or is still open."""

    checkout: Checkout
    status: str = "closed"


CheckoutOutcome = Approved | Declined | PendingReview | Closed


def outcome_of(checkout: Checkout) -> CheckoutOutcome:
    """Answer the typed outcome a checkout's state stands for."""
    if checkout.status == CheckoutStatus.APPROVED and checkout.loan:
        return Approved(checkout=checkout, loan_id=checkout.loan)
    if checkout.status == CheckoutStatus.DECLINED:
        codes = tuple(checkout.decision.reason_codes) if checkout.decision else ()
        return Declined(checkout=checkout, reason_codes=codes)
    if checkout.status == CheckoutStatus.IN_REVIEW:
        return PendingReview(checkout=checkout)
    return Closed(checkout=checkout, status=str(checkout.status))


def outcome_from_event(event: Event) -> CheckoutOutcome | None:
    """Answer the outcome a `checkout.*` webhook event carries, or None for other events."""
    if not event.type.startswith("checkout."):
        return None
    checkout = event.data_object()
    return outcome_of(checkout) if isinstance(checkout, Checkout) else None


@dataclass(frozen=True)
class PollPolicy:
    """How to wait for a review: first delay, growth, cap, and how long in total."""

    initial_delay: float = 1.0
    max_delay: float = 15.0
    multiplier: float = 2.0
    timeout: float = 120.0

    def delays(self) -> list[float]:
        """The pauses between polls, summing to no more than `timeout`."""
        delays, spent, delay = [], 0.0, self.initial_delay
        while spent + delay <= self.timeout:
            delays.append(delay)
            spent += delay
            delay = min(delay * self.multiplier, self.max_delay)
        return delays


def _checked(cart: Cart) -> Cart:
    if not cart.items:
        raise ValueError("the cart is empty")
    return cart


def _options(idempotency_key: str | None) -> RequestOptions:
    return {"idempotency_key": idempotency_key} if idempotency_key else {}


@dataclass(frozen=True)
class SaleChannel:
    """Where the customer applies: `online` (the hosted page redirects back to
    `redirect_urls`) or `in_store` (a QR code on the terminal `terminal_id` of `store_id`)."""

    channel: str | None = None
    store_id: str | None = None
    terminal_id: str | None = None
    redirect_urls: RedirectUrlsParam | None = None


def _deciding(outcome: CheckoutOutcome) -> bool:
    """Still waiting: the shopper has not finished the page, or a reviewer has not decided."""
    return isinstance(outcome, PendingReview) or (
        isinstance(outcome, Closed) and outcome.status == CheckoutStatus.OPEN
    )


def _card_of(outcome: Approved) -> str:
    card = outcome.checkout.virtual_card
    if card is None:
        raise ValueError(f"checkout {outcome.checkout.id} has no virtual card (not in store)")
    return card


def _session(checkout: Checkout) -> CheckoutSession:
    offers = tuple(present_offer(offer, checkout.currency) for offer in checkout.offers)
    return CheckoutSession(checkout=checkout, offers=offers)


class CheckoutFlow:
    """The checkout path over the sync client."""

    def __init__(
        self,
        client: Installo,
        *,
        poll: PollPolicy | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self._client = client
        self._poll = poll or PollPolicy()
        self._sleep = sleep

    def start(
        self,
        cart: Cart,
        *,
        customer: str | CustomerParam,
        merchant_reference: str | None = None,
        idempotency_key: str | None = None,
        where: SaleChannel | None = None,
    ) -> CheckoutSession:
        """Create the checkout for a cart (online unless `where` says in store) and answer
        its offers, formatted for display, and its hosted page."""
        cart, where = _checked(cart), where or SaleChannel()
        checkout = self._client.checkouts.create(
            items=cart.items, amount=cart.total, currency=cart.currency, customer=customer,
            shipping_amount=cart.shipping_amount, tax_amount=cart.tax_amount,
            merchant_reference=merchant_reference, channel=where.channel,
            store_id=where.store_id, terminal_id=where.terminal_id,
            redirect_urls=where.redirect_urls, **_options(idempotency_key),
        )  # fmt: skip
        return _session(checkout)

    def confirm(
        self, checkout_id: str, offer_id: str, *, wait: bool = True, device_id: str | None = None
    ) -> CheckoutOutcome:
        """Confirm the customer's choice; with `wait`, poll a review until it is decided."""
        checkout = self._client.checkouts.confirm(checkout_id, offer=offer_id, device_id=device_id)
        outcome = outcome_of(checkout)
        if wait and isinstance(outcome, PendingReview):
            return self.wait_for_decision(checkout_id)
        return outcome

    def wait_for_decision(self, checkout_id: str) -> CheckoutOutcome:
        """Poll a checkout with backoff until it leaves review or the poll policy's time is up."""
        outcome: CheckoutOutcome = outcome_of(self._client.checkouts.retrieve(checkout_id))
        for delay in self._poll.delays():
            if not isinstance(outcome, PendingReview):
                break
            self._sleep(delay)
            outcome = outcome_of(self._client.checkouts.retrieve(checkout_id))
        return outcome

    def capture_on_shipment(
        self, loan_id: str, *, amount: int | None = None, shipment_id: str | None = None
    ) -> Loan:
        """Capture (all, or `amount` for a partial shipment); one shipment captures once."""
        key = f"capture-{loan_id}-{shipment_id}" if shipment_id else None
        return self._client.loans.capture(loan_id, amount=amount, **_options(key))

    def wait_for_shopper(self, checkout_id: str) -> CheckoutOutcome:
        """Poll with backoff while the shopper is on the hosted page or a reviewer decides."""
        outcome: CheckoutOutcome = outcome_of(self._client.checkouts.retrieve(checkout_id))
        for delay in self._poll.delays():
            if not _deciding(outcome):
                break
            self._sleep(delay)
            outcome = outcome_of(self._client.checkouts.retrieve(checkout_id))
        return outcome

    def complete_online(self, checkout_id: str, token: str) -> CheckoutOutcome:
        """Redeem the token the hosted page sent the shopper back with; answer the outcome."""
        return outcome_of(self._client.checkouts.authorize(checkout_id, token=token))

    def pay_with_virtual_card(
        self, outcome: Approved, *, amount: int | None = None
    ) -> CardAuthorization:
        """In store: charge the approval's single-use card as the terminal (the whole amount
        unless told); the first approved charge captures the loan. Retries are idempotent."""
        card = self._client.virtual_cards.retrieve(_card_of(outcome))
        key = f"charge-{card.id}-{amount if amount is not None else card.amount_limit}"
        return self._client.card_network.charge(card, amount=amount, idempotency_key=key)


class AsyncCheckoutFlow:
    """The checkout path over the async client."""

    def __init__(
        self,
        client: AsyncInstallo,
        *,
        poll: PollPolicy | None = None,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self._client = client
        self._poll = poll or PollPolicy()
        self._sleep = sleep

    async def start(
        self,
        cart: Cart,
        *,
        customer: str | CustomerParam,
        merchant_reference: str | None = None,
        idempotency_key: str | None = None,
        where: SaleChannel | None = None,
    ) -> CheckoutSession:
        """Create the checkout for a cart (online unless `where` says in store) and answer
        its offers, formatted for display, and its hosted page."""
        cart, where = _checked(cart), where or SaleChannel()
        checkout = await self._client.checkouts.create(
            items=cart.items, amount=cart.total, currency=cart.currency, customer=customer,
            shipping_amount=cart.shipping_amount, tax_amount=cart.tax_amount,
            merchant_reference=merchant_reference, channel=where.channel,
            store_id=where.store_id, terminal_id=where.terminal_id,
            redirect_urls=where.redirect_urls, **_options(idempotency_key),
        )  # fmt: skip
        return _session(checkout)

    async def confirm(
        self, checkout_id: str, offer_id: str, *, wait: bool = True, device_id: str | None = None
    ) -> CheckoutOutcome:
        """Confirm the customer's choice; with `wait`, poll a review until it is decided."""
        checkout = await self._client.checkouts.confirm(
            checkout_id, offer=offer_id, device_id=device_id
        )
        outcome = outcome_of(checkout)
        if wait and isinstance(outcome, PendingReview):
            return await self.wait_for_decision(checkout_id)
        return outcome

    async def wait_for_decision(self, checkout_id: str) -> CheckoutOutcome:
        """Poll a checkout with backoff until it leaves review or the poll policy's time is up."""
        outcome: CheckoutOutcome = outcome_of(await self._client.checkouts.retrieve(checkout_id))
        for delay in self._poll.delays():
            if not isinstance(outcome, PendingReview):
                break
            await self._sleep(delay)
            outcome = outcome_of(await self._client.checkouts.retrieve(checkout_id))
        return outcome

    async def capture_on_shipment(
        self, loan_id: str, *, amount: int | None = None, shipment_id: str | None = None
    ) -> Loan:
        """Capture (all, or `amount` for a partial shipment); one shipment captures once."""
        key = f"capture-{loan_id}-{shipment_id}" if shipment_id else None
        return await self._client.loans.capture(loan_id, amount=amount, **_options(key))

    async def wait_for_shopper(self, checkout_id: str) -> CheckoutOutcome:
        """Poll with backoff while the shopper is on the hosted page or a reviewer decides."""
        outcome: CheckoutOutcome = outcome_of(await self._client.checkouts.retrieve(checkout_id))
        for delay in self._poll.delays():
            if not _deciding(outcome):
                break
            await self._sleep(delay)
            outcome = outcome_of(await self._client.checkouts.retrieve(checkout_id))
        return outcome

    async def complete_online(self, checkout_id: str, token: str) -> CheckoutOutcome:
        """Redeem the token the hosted page sent the shopper back with; answer the outcome."""
        return outcome_of(await self._client.checkouts.authorize(checkout_id, token=token))

    async def pay_with_virtual_card(
        self, outcome: Approved, *, amount: int | None = None
    ) -> CardAuthorization:
        """In store: charge the approval's single-use card as the terminal (the whole amount
        unless told); the first approved charge captures the loan. Retries are idempotent."""
        card = await self._client.virtual_cards.retrieve(_card_of(outcome))
        key = f"charge-{card.id}-{amount if amount is not None else card.amount_limit}"
        return await self._client.card_network.charge(card, amount=amount, idempotency_key=key)
