"""In store: the single-use virtual card an approval issues, the card network's answer to a
charge, and the simulated SMS outbox."""

from __future__ import annotations

from datetime import datetime

from .._models import InstalloObject, OpenEnum

__all__ = [
    "CardAuthorization",
    "DeclineReason",
    "SmsMessage",
    "VirtualCard",
    "VirtualCardStatus",
]


class VirtualCardStatus(OpenEnum):
    """A single-use card is `active` until its first approved charge, then `used`."""

    ACTIVE = "active"
    USED = "used"


class VirtualCard(InstalloObject):
    """The card a terminal charges: number and CVC (shown to the owning merchant only), locked
    to that merchant, limited to `amount_limit`, expiring with the loan's authorization."""

    status: VirtualCardStatus
    checkout: str
    loan: str
    merchant: str
    brand: str
    last4: str
    number: str | None = None
    cvc: str | None = None
    exp_month: int
    exp_year: int
    expires_at: datetime | None = None
    amount_limit: int
    currency: str
    single_use: bool = True
    used_at: datetime | None = None
    authorization: str | None = None


class DeclineReason(OpenEnum):
    """Why the card network answered as it did (with its ISO 8583-style response code)."""

    APPROVED = "approved"  # 00
    INVALID_CARD_NUMBER = "invalid_card_number"  # 14
    EXPIRED_CARD = "expired_card"  # 54
    EXPIRY_MISMATCH = "expiry_mismatch"  # 54
    CVC_MISMATCH = "cvc_mismatch"  # N7
    CARD_ALREADY_USED = "card_already_used"  # 57
    MERCHANT_NOT_ALLOWED = "merchant_not_allowed"  # 58
    CARD_CANCELED = "card_canceled"  # 62
    CURRENCY_MISMATCH = "currency_mismatch"  # 13
    AMOUNT_OVER_LIMIT = "amount_over_limit"  # 51


class CardAuthorization(InstalloObject):
    """The network's answer to a charge: approved (`00`, the loan captured) or declined."""

    approved: bool
    response_code: str
    reason: DeclineReason
    message: str
    amount: int
    currency: str
    last4: str
    virtual_card: str | None = None
    loan: str | None = None


class SmsMessage(InstalloObject):
    """A text in the simulated SMS outbox."""

    checkout: str
    to: str
    body: str
