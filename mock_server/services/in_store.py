"""In store: the page URL a terminal shows as a QR code, and the SMS link into the simulated
outbox (`GET /v1/sandbox/sms`)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from mock_server.contract.requests import SmsLinkRequest
from mock_server.ids import new_id
from mock_server.services.checkouts import expire_if_due, load_checkout
from mock_server.services.clock import merchant_now
from mock_server.services.context import Caller, Sandbox
from mock_server.services.errors import Conflict, NotFound
from mock_server.services.objects import Listing, SmsMessageObject
from mock_server.services.presenters import iso
from mock_server.storage.models import CheckoutRow, CustomerRow, SmsMessageRow

__all__ = ["list_sms", "page_url", "send_sms_link", "sms_object"]


def _page_url(checkout: CheckoutRow) -> str:
    page = checkout.data.get("hosted_page")
    if not page:
        raise Conflict(
            f"checkout {checkout.id} has no hosted page (it was made before pages existed)",
            code="hosted_page_missing",
        )
    return str(page["url"])


def page_url(sandbox: Sandbox, caller: Caller, checkout_id: str) -> str:
    """The hosted page URL of the merchant's checkout (what its QR code encodes)."""
    with sandbox.db.reader() as session:
        return _page_url(load_checkout(session, caller, checkout_id))


def sms_object(row: SmsMessageRow) -> SmsMessageObject:
    """One message of the simulated outbox."""
    return {
        "id": row.id,
        "object": "sms_message",
        "created": iso(row.created),
        "livemode": False,
        "checkout": row.checkout_id,
        "to": row.to,
        "body": row.body,
    }


def send_sms_link(
    sandbox: Sandbox, caller: Caller, checkout_id: str, body: SmsLinkRequest
) -> SmsMessageObject:
    """Text the page link of an open checkout to `phone` (default: the customer's phone)."""
    error: Conflict | None = None
    with sandbox.db.transaction() as session:
        checkout = load_checkout(session, caller, checkout_id)
        now = merchant_now(session, caller.merchant.id, sandbox.wall, checkout.test_clock_id)
        expire_if_due(session, caller, checkout, now)
        if checkout.status == "open":
            to = body.phone or _customer_phone(session, checkout)
            row = SmsMessageRow(
                id=new_id("sms"),
                merchant_id=caller.merchant.id,
                checkout_id=checkout.id,
                created=now,
                to=to,
                body=f"Apply for your installment plan and finish your purchase: "
                f"{_page_url(checkout)}",
            )
            session.add(row)
            session.flush()
            return sms_object(row)
        error = Conflict(
            f"cannot text the link: checkout {checkout.id} is {checkout.status}",
            code=f"checkout_{checkout.status}",
        )
    raise error


def _customer_phone(session: Session, checkout: CheckoutRow) -> str:
    customer = session.scalars(
        select(CustomerRow).where(CustomerRow.id == checkout.customer_id)
    ).one()
    return str(customer.data["phone"])


def list_sms(
    sandbox: Sandbox, caller: Caller, limit: int, starting_after: str | None, checkout: str | None
) -> Listing[SmsMessageObject]:
    """The merchant's outbox, newest first (optionally one checkout's messages)."""
    with sandbox.db.reader() as session:
        query = select(SmsMessageRow).where(SmsMessageRow.merchant_id == caller.merchant.id)
        if checkout:
            query = query.where(SmsMessageRow.checkout_id == checkout)
        if starting_after:
            after = session.scalars(
                query.where(SmsMessageRow.id == starting_after).with_only_columns(SmsMessageRow.seq)
            ).first()
            if after is None:
                raise NotFound("sms_message", starting_after, param="starting_after")
            query = query.where(SmsMessageRow.seq < after)
        rows = session.scalars(query.order_by(SmsMessageRow.seq.desc()).limit(limit + 1)).all()
        return Listing([sms_object(r) for r in rows[:limit]], len(rows) > limit)
