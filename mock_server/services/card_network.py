"""The simulated card network a store's terminal charges a virtual card through.

A charge is approved once: the first valid charge captures the card's loan (for the amount
charged, at most the card's limit) and uses the card up. Every other charge is declined with an
ISO 8583-style response code and a reason, as a real network answers a terminal:

| code | reason                | when                                                  |
| ---- | --------------------- | ----------------------------------------------------- |
| 00   | approved              | the first valid charge                                |
| 14   | invalid_card_number   | not Luhn-valid, or no card has this number            |
| 54   | expired_card          | the card's expiry has passed                          |
| 54   | expiry_mismatch       | the expiry sent is not the card's                     |
| N7   | cvc_mismatch          | the CVC sent is not the card's                        |
| 57   | card_already_used     | a second charge of a single-use card                  |
| 58   | merchant_not_allowed  | a merchant other than the one the card is locked to   |
| 62   | card_canceled         | the card's loan is no longer authorized (voided, ...) |
| 13   | currency_mismatch     | another currency than the card's                      |
| 51   | amount_over_limit     | more than the card's amount limit                     |
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Final

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from mock_server.contract.requests import CardAuthorizationRequest
from mock_server.ids import new_id
from mock_server.services.clock import merchant_now
from mock_server.services.context import Caller, Sandbox
from mock_server.services.events import record_event
from mock_server.services.loans import capture_loan
from mock_server.services.objects import CardAuthorizationObject
from mock_server.services.presenters import iso
from mock_server.services.virtual_cards import (
    cvc_digest,
    number_digest,
    virtual_card_object,
)
from mock_server.storage.models import CardAuthorizationRow, LoanRow, VirtualCardRow

__all__ = ["RESPONSE_CODES", "authorize_charge"]

RESPONSE_CODES: Final[dict[str, tuple[str, str]]] = {
    "approved": ("00", "Approved"),
    "invalid_card_number": ("14", "Invalid card number"),
    "expired_card": ("54", "Expired card"),
    "expiry_mismatch": ("54", "Expiry date does not match the card"),
    "cvc_mismatch": ("N7", "CVC does not match the card"),
    "card_already_used": ("57", "Single-use card already used"),
    "merchant_not_allowed": ("58", "Card is locked to another merchant"),
    "card_canceled": ("62", "Restricted card: its loan is no longer authorized"),
    "currency_mismatch": ("13", "Invalid amount: currency differs from the card's"),
    "amount_over_limit": ("51", "Amount exceeds the card's limit"),
}


def _find_card(session: Session, key: str, number: str) -> VirtualCardRow | None:
    from stdnum import luhn  # python-stdnum loads at the first card, not at start (0.05 s)

    if not luhn.is_valid(number):
        return None
    return session.scalars(
        select(VirtualCardRow)
        .where(VirtualCardRow.number_digest == number_digest(key, number))
        .with_for_update()
    ).first()


def _decline_reason(
    key: str, card: VirtualCardRow, loan: LoanRow, charge: CardAuthorizationRequest, now: datetime
) -> str | None:
    """Why the network declines this charge of a known card, checked in a network's order
    (None: approve)."""
    checks: list[tuple[bool, str]] = [
        (now > card.expires_at, "expired_card"),
        (
            (charge.exp_month, charge.exp_year) != (card.exp_month, card.exp_year),
            "expiry_mismatch",
        ),
        (cvc_digest(key, card.id, charge.cvc) != card.cvc_digest, "cvc_mismatch"),
        (card.status == "used", "card_already_used"),
        (card.status != "active" or not _loan_open(loan, now), "card_canceled"),
        (charge.currency != card.currency, "currency_mismatch"),
        (charge.amount > card.amount_limit, "amount_over_limit"),
    ]
    return next((reason for failed, reason in checks if failed), None)


def _loan_open(loan: LoanRow, now: datetime) -> bool:
    expires = date.fromisoformat(str(loan.data["authorization_expires_at"]))
    return loan.status == "authorized" and now.date() < expires


def authorize_charge(
    sandbox: Sandbox, caller: Caller, charge: CardAuthorizationRequest
) -> CardAuthorizationObject:
    """Authorize a terminal's charge: approve and capture the loan, or decline with a reason."""
    key = sandbox.settings.card_key
    with sandbox.db.transaction() as session:
        card = _find_card(session, key, charge.number)
        loan = None
        if card is not None:  # the card's loan keeps the time (its test clock, if any)
            loan = session.scalars(select(LoanRow).where(LoanRow.id == card.loan_id)).one()
        clock = loan.test_clock_id if loan is not None else None
        now = merchant_now(session, caller.merchant.id, sandbox.wall, clock)
        if card is None or loan is None:
            reason: str | None = "invalid_card_number"
        elif card.merchant_id != caller.merchant.id:
            reason = "merchant_not_allowed"
        else:
            reason = _decline_reason(key, card, loan, charge, now)
        auth = CardAuthorizationRow(
            id=new_id("auth"),
            merchant_id=caller.merchant.id,
            card_id=card.id if card is not None else None,
            created=now,
            approved=reason is None,
            response_code=RESPONSE_CODES[reason or "approved"][0],
            data={},
        )
        session.add(auth)
        if reason is None and card is not None:
            reason = _approve(sandbox, session, caller, card, auth, charge, now)
        answer = _authorization(auth, card, charge, reason or "approved", caller)
        auth.data = dict(answer)
        return answer


def _approve(
    sandbox: Sandbox,
    session: Session,
    caller: Caller,
    card: VirtualCardRow,
    auth: CardAuthorizationRow,
    charge: CardAuthorizationRequest,
    now: datetime,
) -> str | None:
    """Use the card up (only one of racing charges can) and capture its loan for the amount."""
    used = session.execute(
        update(VirtualCardRow)
        .where(VirtualCardRow.id == card.id, VirtualCardRow.status == "active")
        .values(status="used", used_at=now, authorization_id=auth.id)
        .execution_options(synchronize_session="fetch")
    )
    if getattr(used, "rowcount", 0) != 1:
        auth.approved, auth.response_code = False, RESPONSE_CODES["card_already_used"][0]
        return "card_already_used"
    capture_loan(sandbox, caller, card.loan_id, charge.amount)
    session.refresh(card)
    record_event(session, caller, "virtual_card.used", virtual_card_object(card), now)
    return None


def _authorization(
    auth: CardAuthorizationRow,
    card: VirtualCardRow | None,
    charge: CardAuthorizationRequest,
    reason: str,
    caller: Caller,
) -> CardAuthorizationObject:
    """The network's answer; the card and loan are named only to the merchant owning them."""
    code, message = RESPONSE_CODES[reason]
    owned = card is not None and card.merchant_id == caller.merchant.id
    return {
        "id": auth.id,
        "object": "card_authorization",
        "created": iso(auth.created),
        "livemode": False,
        "approved": reason == "approved",
        "response_code": code,
        "reason": reason,
        "message": message,
        "amount": charge.amount,
        "currency": charge.currency,
        "last4": charge.number[-4:],
        "virtual_card": card.id if owned and card is not None else None,
        "loan": card.loan_id if owned and card is not None and reason == "approved" else None,
    }
