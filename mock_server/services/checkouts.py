"""Checkouts: validate the cart, price every eligible plan as an offer, read, list, cancel."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import cast

from sqlalchemy.orm import Session

from mock_server.contract.requests import CheckoutCreate, CustomerCreate
from mock_server.domain import InvalidTransition, Offer, Plan, make_offer
from mock_server.domain.checkout import Checkout
from mock_server.ids import new_id, new_ids
from mock_server.services.clock import find_test_clock
from mock_server.services.context import Caller, Sandbox
from mock_server.services.customers import new_customer
from mock_server.services.errors import InvalidRequest, NotFound, PermissionDenied
from mock_server.services.events import record_event
from mock_server.services.hosted_pages import open_hosted_page
from mock_server.services.objects import CheckoutAnswer, CheckoutObject, Listing, OfferObject
from mock_server.services.presenters import checkout_object
from mock_server.services.pricing import TierPrice, offered_apr, priced_plan, soft_pull_price
from mock_server.services.unit_of_work import StoredCheckout, UnitOfWork
from mock_server.storage.models import CheckoutRow, CustomerRow
from mock_server.storage.repositories import CheckoutRepository

__all__ = [
    "cancel_checkout",
    "create_checkout",
    "expire_checkout_if_due",
    "expire_if_due",
    "get_checkout",
    "list_checkouts",
    "load_checkout",
    "refuse_if_suspended",
]


def _check_cart(body: CheckoutCreate) -> None:
    items_total = sum(item.unit_amount * item.quantity for item in body.items)
    expected = items_total + body.shipping_amount + body.tax_amount
    if body.amount != expected:
        raise InvalidRequest(
            f"amount {body.amount} does not equal the items' total {items_total} plus "
            f"shipping {body.shipping_amount} and tax {body.tax_amount} ({expected})",
            code="amount_mismatch",
            param="amount",
        )


def _eligible_plans(caller: Caller, amount: int, currency: str) -> list[Plan]:
    """The merchant's plans that can finance the cart (400 naming why when none can)."""
    merchant = caller.merchant
    if currency not in merchant.currencies:
        offered = ", ".join(sorted(merchant.currencies))
        raise InvalidRequest(
            f"currency {currency} is not offered by this merchant (offered: {offered})",
            code="currency_not_supported",
            param="currency",
        )
    eligible = [plan for plan in merchant.plans if plan.is_eligible(amount, currency)]
    if not eligible:
        reasons = "; ".join(
            r for p in merchant.plans if (r := p.eligibility_error(amount, currency))
        )
        raise InvalidRequest(
            f"no plan can finance this amount: {reasons}",
            code="amount_outside_plan_limits",
            param="amount",
        )
    return eligible


def _offers(
    plans: list[Plan], amount: int, currency: str, now: datetime, tier_apr_bps: int | None
) -> list[OfferObject]:
    """One offer per plan at the tier's APR (never above the plan's), with the plan's own."""
    priced: list[Offer] = [
        make_offer(
            priced_plan(plan, offered_apr(plan.apr_bps, tier_apr_bps)), amount, currency, now.date()
        )
        for plan in plans
    ]
    ids = new_ids("ofr", len(priced))  # one draw of the OS's randomness for them all
    return [
        cast(OfferObject, {"id": offer_id, **offer.to_dict(plan_apr_bps=plan.apr_bps)})
        for offer_id, plan, offer in zip(ids, plans, priced, strict=True)
    ]


def _price_for(
    session: Session,
    sandbox: Sandbox,
    caller: Caller,
    customer: CustomerRow,
    amount: int,
    currency: str,
    now: datetime,
) -> TierPrice:
    """A soft pull of a known customer, read by the policy of the merchant's loan process."""
    from mock_server.services.underwriting import ProcessSettings  # loaded at first use

    settings = ProcessSettings.of(sandbox.workflow(caller.merchant.workflow))
    merchant = {"mcc": caller.merchant.mcc, "country": caller.merchant.country}
    return soft_pull_price(
        session, sandbox.settings.seed, sandbox.policy(settings.policy), customer, merchant,
        amount=amount, currency=currency, now=now,
    )  # fmt: skip


def _page_base(sandbox: Sandbox, called_on: str) -> str:
    """Where hosted page links point: the `public_url` setting, else the URL the API was
    called on, else the address the sandbox listens on."""
    settings = sandbox.settings
    base = settings.public_url or called_on or f"http://{settings.host}:{settings.port}"
    return base.rstrip("/")


def refuse_if_suspended(caller: Caller) -> None:
    """A suspended merchant opens no new checkouts (its loans go on being serviced)."""
    if caller.merchant.status == "suspended":
        raise PermissionDenied(
            f"merchant {caller.merchant.id} is suspended: new checkouts are refused until the "
            "lender reinstates it; existing loans are still serviced",
            code="merchant_suspended",
        )


def _known_customer(uow: UnitOfWork, customer: str | CustomerCreate) -> CustomerRow | None:
    """The existing customer a checkout names, or None for an inline one (whose test clock,
    if it names one, must exist)."""
    if isinstance(customer, str):
        return uow.customers.get(customer, param="customer")
    clock = customer.test_clock
    if clock is not None and find_test_clock(uow.session, uow.merchant_id, clock) is None:
        raise NotFound("test_clock", clock, param="customer.test_clock")
    return None


def _check_channel(body: CheckoutCreate) -> None:
    """In store needs `store_id` and `terminal_id`; online takes neither (and in store takes no
    `redirect_urls`: the shopper stays on their phone). Every bad field is named at once."""
    stores = {"store_id": body.store_id, "terminal_id": body.terminal_id}
    if body.channel == "in_store":
        bad = [(f, "is required for an in_store checkout") for f, v in stores.items() if not v]
        if body.redirect_urls is not None:
            bad.append(("redirect_urls", "is for online checkouts (in store, nothing redirects)"))
    else:
        bad = [(f, "is for in_store checkouts only") for f, v in stores.items() if v is not None]
    if bad:
        raise InvalidRequest(
            "; ".join(f"{field} {why}" for field, why in bad),
            code="parameter_invalid_for_channel",
            param=bad[0][0],
        )


def create_checkout(
    sandbox: Sandbox, caller: Caller, body: CheckoutCreate, page_base: str = ""
) -> CheckoutAnswer:
    """Validate the cart and answer the checkout `open` with one offer per eligible plan, and
    the hosted application page the customer applies on (`page_base`: its base URL)."""
    refuse_if_suspended(caller)
    _check_cart(body)
    _check_channel(body)
    amount, currency = body.amount, body.currency
    with UnitOfWork(sandbox, caller) as uow:
        inline = body.customer if isinstance(body.customer, CustomerCreate) else None
        known = _known_customer(uow, body.customer)
        test_clock = known.test_clock_id if known is not None else None
        if inline is not None:
            test_clock = inline.test_clock
        uow.use_clock(test_clock)
        now = uow.now
        plans = _eligible_plans(caller, amount, currency)
        price = None
        if known is not None:
            price = _price_for(uow.session, sandbox, caller, known, amount, currency, now)
        offers = _offers(plans, amount, currency, now, price.apr_bps if price else None)
        if inline is not None:
            customer_id = new_customer(uow, inline, param="customer.date_of_birth").id
        else:
            assert known is not None
            customer_id = known.id
        row = CheckoutRow.new(
            id=new_id("chk"),
            merchant_id=caller.merchant.id,
            created=now,
            status="open",
            amount=amount,
            currency=currency,
            customer_id=customer_id,
            loan_id=None,
            workflow_instance_id=None,
            expires_at=now + timedelta(hours=sandbox.settings.checkout_ttl_hours),
            test_clock_id=test_clock,
            data={
                "items": [item.model_dump() for item in body.items],
                "shipping_amount": body.shipping_amount,
                "tax_amount": body.tax_amount,
                "merchant_reference": body.merchant_reference,
                "metadata": body.metadata,
                "offers": offers,
                "pricing": price.to_dict() if price else None,
                "selected_offer": None,
                "decision": None,
                "channel": body.channel,
                "store_id": body.store_id,
                "terminal_id": body.terminal_id,
                "redirect_urls": (
                    body.redirect_urls.model_dump() if body.redirect_urls is not None else None
                ),
            },
        )
        open_hosted_page(uow.session, row, _page_base(sandbox, page_base))  # before the insert:
        uow.checkouts.add(row)  # its URL is in the row's data
        return uow.record_checkout("checkout.created", checkout_object(row))


def load_checkout(
    session: Session, caller: Caller, checkout_id: str, *, for_update: bool = False
) -> CheckoutRow:
    """The merchant's checkout row, or NotFound (for use cases not yet on a unit of work)."""
    row = CheckoutRepository(session, caller.merchant.id).get(checkout_id, for_update=for_update)
    if row is None:
        raise NotFound("checkout", checkout_id, param="id")
    return row


def expire_if_due(session: Session, caller: Caller, row: CheckoutRow, now: datetime) -> bool:
    """Expire an open checkout past its `expires_at` (logging `checkout.expired`)."""
    if not Checkout(row).expire_if_due(now):
        return False
    record_event(session, caller, "checkout.expired", checkout_object(row), now)
    return True


def expire_checkout_if_due(uow: UnitOfWork, checkout: StoredCheckout) -> None:
    """Expire an open checkout past its `expires_at` at the unit's time (its checkout's clock),
    logging `checkout.expired`."""
    uow.use_clock(checkout.test_clock)
    if checkout.expire_if_due(uow.now):
        uow.record("checkout.expired", checkout_object(checkout.row))


def get_checkout(sandbox: Sandbox, caller: Caller, checkout_id: str) -> CheckoutObject:
    """One checkout (an open one past its time is expired first)."""
    with UnitOfWork(sandbox, caller) as uow:
        checkout = uow.checkouts.get(checkout_id)
        expire_checkout_if_due(uow, checkout)
        return checkout_object(checkout.row)


def list_checkouts(
    sandbox: Sandbox, caller: Caller, limit: int, starting_after: str | None, status: str | None
) -> Listing[CheckoutObject]:
    """The merchant's checkouts, newest first."""
    with UnitOfWork(sandbox, caller, read_only=True) as uow:
        page = uow.checkouts.page(limit, starting_after, status)
        return Listing([checkout_object(r) for r in page.rows], page.has_more)


def cancel_checkout(sandbox: Sandbox, caller: Caller, checkout_id: str) -> CheckoutAnswer:
    """Cancel an open checkout (one past its time expires first, and that is kept)."""
    refused: InvalidTransition | None = None
    with UnitOfWork(sandbox, caller) as uow:
        checkout = uow.checkouts.get(checkout_id, for_update=True)
        expire_checkout_if_due(uow, checkout)
        try:
            checkout.cancel()
        except InvalidTransition as exc:
            refused = exc
        else:
            return uow.record_checkout("checkout.canceled", checkout_object(checkout.row))
    raise refused
