"""Single-use virtual cards: issued with an in-store approval, read by the terminal.

A card's number and CVC are never stored. They are derived from the sandbox's card key and the
card id (HMAC-SHA256, the way an issuer derives CVCs from its own keys), recomputed when the
merchant reads the card, and kept only as keyed digests: the number's digest is how the
simulated card network finds the card, the CVC's is how it checks one.

Numbers are 16 digits in the documented test range 4000 0077 xxxx xxxx and Luhn-valid.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Final

from sqlalchemy import select
from sqlalchemy.orm import Session

from mock_server.ids import new_id
from mock_server.services.context import Caller, Sandbox
from mock_server.services.errors import NotFound
from mock_server.services.objects import VirtualCardObject
from mock_server.services.presenters import iso
from mock_server.storage.models import CheckoutRow, LoanRow, VirtualCardRow

__all__ = [
    "TEST_BIN",
    "CardSecrets",
    "card_secrets",
    "cvc_digest",
    "get_virtual_card",
    "issue_virtual_card",
    "number_digest",
    "virtual_card_object",
]

TEST_BIN: Final = "40000077"  # every sandbox virtual card number starts 4000 0077
_ACCOUNT_DIGITS: Final = 7  # 8 BIN digits + 7 + the Luhn check digit = 16


@dataclass(frozen=True, slots=True)
class CardSecrets:
    """What is printed on a card and never stored: its number and CVC."""

    number: str
    cvc: str


def card_secrets(key: str, card_id: str) -> CardSecrets:
    """The number (test BIN, Luhn check digit) and CVC of a card, derived from the card key."""
    mac = hmac.new(key.encode(), f"card:{card_id}".encode(), hashlib.sha256).digest()
    account = int.from_bytes(mac[:8], "big") % 10**_ACCOUNT_DIGITS
    partial = f"{TEST_BIN}{account:0{_ACCOUNT_DIGITS}d}"
    cvc = int.from_bytes(mac[8:12], "big") % 1000
    from stdnum import luhn  # python-stdnum loads at the first card, not at start (0.05 s)

    return CardSecrets(number=partial + luhn.calc_check_digit(partial), cvc=f"{cvc:03d}")


def number_digest(key: str, number: str) -> str:
    """The keyed digest a card is looked up by (a bare sha256 of 10**7 numbers is guessable)."""
    return hmac.new(key.encode(), f"number:{number}".encode(), hashlib.sha256).hexdigest()


def cvc_digest(key: str, card_id: str, cvc: str) -> str:
    """The keyed digest a CVC is checked against."""
    return hmac.new(key.encode(), f"cvc:{card_id}:{cvc}".encode(), hashlib.sha256).hexdigest()


def _expiry(loan: LoanRow) -> datetime:
    """The card lapses with the loan's authorization (the end of its last valid day)."""
    last = date.fromisoformat(str(loan.data["authorization_expires_at"]))
    return datetime.combine(last, time(0), tzinfo=UTC) - timedelta(seconds=1)


def issue_virtual_card(
    session: Session, key: str, checkout: CheckoutRow, loan: LoanRow, at: datetime
) -> VirtualCardRow:
    """Issue the single-use card an approved in-store checkout pays the store with: locked to
    the merchant, limited to the loan's amount, expiring with its authorization."""
    while True:  # a new id until the derived number is unused (a 1 in 10**7 clash)
        card_id = new_id("vcard")
        printed = card_secrets(key, card_id)
        digest = number_digest(key, printed.number)
        clash = session.scalars(
            select(VirtualCardRow.id).where(VirtualCardRow.number_digest == digest)
        ).first()
        if clash is None:
            break
    expires_at = _expiry(loan)
    row = VirtualCardRow(
        id=card_id,
        merchant_id=checkout.merchant_id,
        checkout_id=checkout.id,
        loan_id=loan.id,
        created=at,
        status="active",
        number_digest=digest,
        last4=printed.number[-4:],
        exp_month=expires_at.month,
        exp_year=expires_at.year,
        expires_at=expires_at,
        cvc_digest=cvc_digest(key, card_id, printed.cvc),
        amount_limit=checkout.amount,
        currency=checkout.currency,
    )
    session.add(row)
    checkout.data = {**checkout.data, "virtual_card": card_id}
    return row


def virtual_card_object(
    row: VirtualCardRow, printed: CardSecrets | None = None
) -> VirtualCardObject:
    """The card as the API shows it; the number and CVC only when `printed` is given (the
    owning merchant's read), never in events."""
    return {
        "id": row.id,
        "object": "virtual_card",
        "created": iso(row.created),
        "livemode": False,
        "status": row.status,
        "checkout": row.checkout_id,
        "loan": row.loan_id,
        "merchant": row.merchant_id,
        "brand": "visa",
        "last4": row.last4,
        "number": printed.number if printed else None,
        "cvc": printed.cvc if printed else None,
        "exp_month": row.exp_month,
        "exp_year": row.exp_year,
        "expires_at": iso(row.expires_at),
        "amount_limit": row.amount_limit,
        "currency": row.currency,
        "single_use": True,
        "used_at": iso(row.used_at) if row.used_at else None,
        "authorization": row.authorization_id,
    }


def get_virtual_card(sandbox: Sandbox, caller: Caller, card_id: str) -> VirtualCardObject:
    """The merchant's card with its number and CVC (another merchant's card is a 404)."""
    with sandbox.db.reader() as session:
        row = session.scalars(
            select(VirtualCardRow).where(
                VirtualCardRow.id == card_id, VirtualCardRow.merchant_id == caller.merchant.id
            )
        ).first()
        if row is None:
            raise NotFound("virtual_card", card_id, param="id")
        return virtual_card_object(row, card_secrets(sandbox.settings.card_key, row.id))
