"""Point-of-sale objects and bodies: virtual cards, card-network authorizations, the SMS
outbox, and the token an online shopper brings back from the hosted page."""

from datetime import datetime
from typing import Annotated, Literal

from pydantic import StringConstraints

from mock_server.api.schemas import ApiModel, ListObject, ObjectBase, StrictBody
from mock_server.contract.requests import CardAuthorizationRequest, SmsLinkRequest

__all__ = [
    "CardAuthorization",
    "CardAuthorizationRequest",
    "CheckoutAuthorizeRequest",
    "SmsLinkRequest",
    "SmsMessage",
    "SmsMessageList",
    "VirtualCard",
]


class CheckoutAuthorizeRequest(StrictBody):
    """The one-time token the hosted page handed the shopper back with."""

    token: Annotated[str, StringConstraints(min_length=1, max_length=100)]


class SmsMessage(ObjectBase):
    """A text in the simulated SMS outbox."""

    object: Literal["sms_message"] = "sms_message"
    checkout: str
    to: str
    body: str


class SmsMessageList(ListObject[SmsMessage]):
    """A page of the outbox, newest first."""


class VirtualCard(ObjectBase):
    """A single-use card an in-store approval issued: number and CVC only in the owning
    merchant's read, locked to that merchant, limited to the loan's amount."""

    object: Literal["virtual_card"] = "virtual_card"
    status: Literal["active", "used"]
    checkout: str
    loan: str
    merchant: str
    brand: Literal["visa"]
    last4: str
    number: str | None
    cvc: str | None
    exp_month: int
    exp_year: int
    expires_at: datetime
    amount_limit: int
    currency: str
    single_use: bool
    used_at: datetime | None
    authorization: str | None


class CardAuthorization(ApiModel):
    """The network's answer: approved (code 00, the loan captured) or declined with an
    ISO 8583-style response code and a reason."""

    id: str
    object: Literal["card_authorization"] = "card_authorization"
    created: datetime
    livemode: bool = False
    approved: bool
    response_code: str
    reason: Literal[
        "approved",
        "invalid_card_number",
        "expired_card",
        "expiry_mismatch",
        "cvc_mismatch",
        "card_already_used",
        "merchant_not_allowed",
        "card_canceled",
        "currency_mismatch",
        "amount_over_limit",
    ]
    message: str
    amount: int
    currency: str
    last4: str
    virtual_card: str | None
    loan: str | None
