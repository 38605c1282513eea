"""Checkouts: validate the cart, price every eligible plan as an offer, read, list, cancel."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session

from mock_server.domain import InvalidTransition, Offer, Plan, make_offer
from mock_server.domain.checkout import CheckoutLifecycle
from mock_server.ids import new_id
from mock_server.services.clock import find_test_clock, merchant_now
from mock_server.services.context import Caller, Sandbox
from mock_server.services.customers import add_customer, get_customer_row
from mock_server.services.errors import InvalidRequest, NotFound, PermissionDenied
from mock_server.services.events import record_event
from mock_server.services.hosted_pages import open_hosted_page
from mock_server.services.presenters import checkout_object
from mock_server.services.pricing import TierPrice, offered_apr, priced_plan, soft_pull_price
from mock_server.services.underwriting import ProcessSettings
from mock_server.storage.models import CheckoutRow, CustomerRow
from mock_server.storage.repositories import CheckoutRepository

__all__ = [
    "cancel_checkout",
    "create_checkout",
    "expire_if_due",
    "get_checkout",
    "lifecycle",
    "list_checkouts",
    "load_checkout",
    "settle_status",
]


def _check_cart(body: Mapping[str, Any]) -> None:
    items = body["items"]
    items_total = sum(int(i["unit_amount"]) * int(i["quantity"]) for i in items)
    expected = items_total + int(body["shipping_amount"]) + int(body["tax_amount"])
    if int(body["amount"]) != expected:
        raise InvalidRequest(
            f"amount {body['amount']} does not equal the items' total {items_total} plus "
            f"shipping {body['shipping_amount']} and tax {body['tax_amount']} ({expected})",
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
) -> list[dict[str, Any]]:
    """One offer per plan at the tier's APR (never above the plan's), with the plan's own."""
    priced: list[Offer] = [
        make_offer(
            priced_plan(plan, offered_apr(plan.apr_bps, tier_apr_bps)), amount, currency, now.date()
        )
        for plan in plans
    ]
    return [
        {"id": new_id("ofr"), **offer.to_dict(), "plan_apr_bps": plan.apr_bps}
        for plan, offer in zip(plans, priced, strict=True)
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


def _known_customer(session: Session, caller: Caller, customer: Any) -> CustomerRow | None:
    """The existing customer a checkout names, or None for an inline one (whose test clock,
    if it names one, must exist)."""
    if isinstance(customer, str):
        return get_customer_row(session, caller, customer, "customer")
    clock = customer.get("test_clock")
    if clock is not None and find_test_clock(session, caller.merchant.id, clock) is None:
        raise NotFound("test_clock", str(clock), param="customer.test_clock")
    return None


def _check_channel(body: Mapping[str, Any]) -> None:
    """In store needs `store_id` and `terminal_id`; online takes neither (and in store takes no
    `redirect_urls`: the shopper stays on their phone). Every bad field is named at once."""
    in_store = body.get("channel") == "in_store"
    if in_store:
        bad = [(f, "is required for an in_store checkout") for f in ("store_id", "terminal_id")]
        bad = [(f, why) for f, why in bad if not body.get(f)]
        if body.get("redirect_urls") is not None:
            bad.append(("redirect_urls", "is for online checkouts (in store, nothing redirects)"))
    else:
        bad = [
            (f, "is for in_store checkouts only")
            for f in ("store_id", "terminal_id")
            if body.get(f) is not None
        ]
    if bad:
        raise InvalidRequest(
            "; ".join(f"{field} {why}" for field, why in bad),
            code="parameter_invalid_for_channel",
            param=bad[0][0],
        )


def create_checkout(
    sandbox: Sandbox, caller: Caller, body: Mapping[str, Any], page_base: str = ""
) -> dict[str, Any]:
    """Validate the cart and answer the checkout `open` with one offer per eligible plan, and
    the hosted application page the customer applies on (`page_base`: its base URL)."""
    refuse_if_suspended(caller)
    _check_cart(body)
    _check_channel(body)
    amount, currency = int(body["amount"]), str(body["currency"])
    with sandbox.db.transaction() as session:
        customer = body["customer"]
        known = _known_customer(session, caller, customer)
        test_clock = known.test_clock_id if known is not None else customer.get("test_clock")
        now = merchant_now(session, caller.merchant.id, sandbox.wall, test_clock)
        plans = _eligible_plans(caller, amount, currency)
        price = None
        if known is not None:
            price = _price_for(session, sandbox, caller, known, amount, currency, now)
        offers = _offers(plans, amount, currency, now, price.apr_bps if price else None)
        customer_id = (
            known.id
            if known
            else add_customer(session, caller, customer, now, param="customer.date_of_birth").id
        )
        row = CheckoutRow(
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
                "items": [dict(i) for i in body["items"]],
                "shipping_amount": body["shipping_amount"],
                "tax_amount": body["tax_amount"],
                "merchant_reference": body.get("merchant_reference"),
                "metadata": body.get("metadata"),
                "offers": offers,
                "pricing": price.to_dict() if price else None,
                "selected_offer": None,
                "decision": None,
                "channel": body.get("channel") or "online",
                "store_id": body.get("store_id"),
                "terminal_id": body.get("terminal_id"),
                "redirect_urls": body.get("redirect_urls"),
            },
        )
        open_hosted_page(session, row, _page_base(sandbox, page_base))  # before the insert:
        CheckoutRepository(session, caller.merchant.id).add(row)  # its URL is in the row's data
        obj = checkout_object(row)
        record_event(session, caller, "checkout.created", obj, now)
        return obj


def load_checkout(
    session: Session, caller: Caller, checkout_id: str, *, for_update: bool = False
) -> CheckoutRow:
    """The merchant's checkout row, or NotFound."""
    row = CheckoutRepository(session, caller.merchant.id).get(checkout_id, for_update=for_update)
    if row is None:
        raise NotFound("checkout", checkout_id, param="id")
    return row


def load_checkout_and_customer(
    session: Session, caller: Caller, checkout_id: str, *, for_update: bool = False
) -> tuple[CheckoutRow, CustomerRow]:
    """The merchant's checkout row and its customer's, read together, or NotFound."""
    found = CheckoutRepository(session, caller.merchant.id).get_with_customer(
        checkout_id, for_update=for_update
    )
    if found is None:
        raise NotFound("checkout", checkout_id, param="id")
    return found


def lifecycle(row: CheckoutRow) -> CheckoutLifecycle:
    """The stored checkout's life, to move it by its transitions (then `settle_status`)."""
    return CheckoutLifecycle.of(row.id, row.status, row.expires_at)


def settle_status(row: CheckoutRow, life: CheckoutLifecycle) -> None:
    """Store where the checkout's life now stands."""
    row.status = life.status.value


def expire_if_due(session: Session, caller: Caller, row: CheckoutRow, now: datetime) -> bool:
    """Expire an open checkout past its `expires_at` (logging `checkout.expired`)."""
    life = lifecycle(row)
    if not life.expire_if_due(now):
        return False
    settle_status(row, life)
    record_event(session, caller, "checkout.expired", checkout_object(row), now)
    return True


def get_checkout(sandbox: Sandbox, caller: Caller, checkout_id: str) -> dict[str, Any]:
    """One checkout (an open one past its time is expired first)."""
    with sandbox.db.transaction() as session:
        row = load_checkout(session, caller, checkout_id)
        now = merchant_now(session, caller.merchant.id, sandbox.wall, row.test_clock_id)
        expire_if_due(session, caller, row, now)
        return checkout_object(row)


def list_checkouts(
    sandbox: Sandbox, caller: Caller, limit: int, starting_after: str | None, status: str | None
) -> tuple[list[dict[str, Any]], bool]:
    """The merchant's checkouts, newest first."""
    filters = [CheckoutRow.status == status] if status else []
    with sandbox.db.reader() as session:
        page = CheckoutRepository(session, caller.merchant.id).page(limit, starting_after, filters)
        if page is None:
            raise NotFound("checkout", str(starting_after), param="starting_after")
        return [checkout_object(r) for r in page.rows], page.has_more


def cancel_checkout(sandbox: Sandbox, caller: Caller, checkout_id: str) -> dict[str, Any]:
    """Cancel an open checkout (one past its time expires first, and that is kept)."""
    refused: InvalidTransition | None = None
    with sandbox.db.transaction() as session:
        row = load_checkout(session, caller, checkout_id, for_update=True)
        now = merchant_now(session, caller.merchant.id, sandbox.wall, row.test_clock_id)
        expire_if_due(session, caller, row, now)
        life = lifecycle(row)
        try:
            life.cancel()
        except InvalidTransition as exc:
            refused = exc
        else:
            settle_status(row, life)
            obj = checkout_object(row)
            record_event(session, caller, "checkout.canceled", obj, now)
            return obj
    raise refused
