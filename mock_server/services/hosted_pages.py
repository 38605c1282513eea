"""The customer's hosted application page of a checkout: opened with the checkout, found by its
URL token (or, in store, its short code), and the one-time token it hands back to the merchant.

The page's steps themselves are in `services.application_page`.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from typing import Final

from sqlalchemy import select
from sqlalchemy.orm import Session

from mock_server.services.clock import merchant_now
from mock_server.services.context import Caller, Sandbox
from mock_server.services.errors import Conflict, InvalidRequest, NotFound
from mock_server.services.events import record_event
from mock_server.services.objects import CheckoutObject
from mock_server.services.presenters import checkout_object
from mock_server.storage.models import CheckoutRow, HostedPageRow
from mock_server.storage.repositories import CheckoutRepository

__all__ = [
    "SHORT_CODE_ALPHABET",
    "authorize_with_token",
    "find_page",
    "find_page_by_code",
    "mint_return_token",
    "open_hosted_page",
]

# No 0/O, 1/I/L: a short code is read off a terminal's screen and typed on a phone.
SHORT_CODE_ALPHABET: Final = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
_SHORT_CODE_LENGTH: Final = 8


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _short_code(session: Session) -> str:
    while True:  # 31**8 codes: a clash is rare, and retried
        code = "".join(secrets.choice(SHORT_CODE_ALPHABET) for _ in range(_SHORT_CODE_LENGTH))
        taken = session.scalars(
            select(HostedPageRow.seq).where(HostedPageRow.short_code == code)
        ).first()
        if taken is None:
            return code


def open_hosted_page(session: Session, checkout: CheckoutRow, base_url: str) -> HostedPageRow:
    """The checkout's hosted page at `<base_url>/pay/<token>` (in store also a short code)."""
    in_store = checkout.data.get("channel") == "in_store"
    page = HostedPageRow.new(
        token=secrets.token_urlsafe(24),
        merchant_id=checkout.merchant_id,
        checkout_id=checkout.id,
        short_code=_short_code(session) if in_store else None,
        created=checkout.created,
        step="identity",
        data={},
    )
    session.add(page)
    checkout.data = {
        **checkout.data,
        "hosted_page": {"url": f"{base_url}/pay/{page.token}", "short_code": page.short_code},
    }
    return page


def find_page(session: Session, token: str, *, for_update: bool = False) -> HostedPageRow:
    """The page with this URL token (NotFound otherwise)."""
    query = select(HostedPageRow).where(HostedPageRow.token == token)
    if for_update:
        query = query.with_for_update()
    page = session.scalars(query).first()
    if page is None:
        raise NotFound("hosted page", token[:8])
    return page


def find_page_by_code(session: Session, code: str) -> HostedPageRow | None:
    """The in-store page a short code names (case and spaces or dashes ignored)."""
    cleaned = "".join(ch for ch in code.upper() if ch.isalnum())
    if len(cleaned) != _SHORT_CODE_LENGTH:
        return None
    return session.scalars(select(HostedPageRow).where(HostedPageRow.short_code == cleaned)).first()


def mint_return_token(page: HostedPageRow) -> str:
    """A fresh one-time token for the way back to the merchant; only its digest is kept, and
    it replaces any earlier one."""
    token = f"ctok_{secrets.token_urlsafe(24)}"
    page.data = {**page.data, "return_digest": _digest(token), "redeemed_at": None}
    return token


def authorize_with_token(
    sandbox: Sandbox, caller: Caller, checkout_id: str, token: str
) -> CheckoutObject:
    """The merchant redeems the token the page handed back: once, for that checkout only."""
    with sandbox.db.transaction() as session:
        checkout = CheckoutRepository(session, caller.merchant.id).get(checkout_id, for_update=True)
        if checkout is None:
            raise NotFound("checkout", checkout_id, param="id")
        page = session.scalars(
            select(HostedPageRow).where(HostedPageRow.checkout_id == checkout.id).with_for_update()
        ).first()
        digest = (page.data if page else {}).get("return_digest")
        if page is None or digest is None or not hmac.compare_digest(digest, _digest(token)):
            raise InvalidRequest(
                f"token is not the one checkout {checkout_id}'s hosted page handed back",
                code="checkout_token_invalid",
                param="token",
            )
        if page.data.get("redeemed_at") is not None:
            raise Conflict(
                f"this token was already redeemed for checkout {checkout_id}",
                code="checkout_token_redeemed",
            )
        now = merchant_now(session, caller.merchant.id, sandbox.wall, checkout.test_clock_id)
        page.data = {**page.data, "redeemed_at": now.isoformat()}
        checkout.data = {**checkout.data, "merchant_authorized": True}
        obj = checkout_object(checkout)
        record_event(session, caller, "checkout.authorized", obj, now)
        return obj
