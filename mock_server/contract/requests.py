"""Request bodies: unknown fields are refused by name; money is a strict int in minor units."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from pydantic import AwareDatetime, Field, StrictBool, StringConstraints

from mock_server.contract.fields import (
    PRINTABLE,
    Address,
    Amount,
    CartItem,
    CountryCode,
    CurrencyCode,
    Email,
    Locale,
    Metadata,
    PositiveAmount,
    RedirectUrls,
    ShortText,
    StrictBody,
    Text,
)
from mock_server.contract.merchant_requests import ApplicationFields

__all__ = [
    "SNAPSHOT_NAME",
    "CaptureRequest",
    "CardAuthorizationRequest",
    "CheckoutCreate",
    "ClockAdvance",
    "ConfirmRequest",
    "CustomerCreate",
    "DisputeRequest",
    "DisputeResolution",
    "MerchantApplication",
    "MerchantUpdate",
    "PaymentRequest",
    "PlanSpec",
    "PrequalificationCreate",
    "RefundRequest",
    "ReviewApproval",
    "ReviewDecision",
    "SandboxResetBody",
    "SandboxSnapshotBody",
    "SmsLinkRequest",
    "TestClockCreateBody",
    "WebhookEndpointCreate",
]


StoreRef = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_.\-]{1,64}$")]


class CustomerCreate(StrictBody):
    """A customer's identity."""

    email: Email
    name: Text
    phone: Annotated[str, StringConstraints(pattern=r"^\+?[0-9 ()\-]{6,20}$")]
    date_of_birth: date
    national_id_last4: Annotated[str, StringConstraints(pattern=r"^[0-9]{4}$")]
    locale: Locale = "en_US"
    address: Address
    device_id: Annotated[str, StringConstraints(max_length=100, pattern=PRINTABLE)] | None = None
    test_clock: Annotated[str, StringConstraints(max_length=40)] | None = Field(
        default=None, description="attach the customer (and its loans) to this test clock"
    )


class CheckoutCreate(StrictBody):
    """A cart to finance."""

    items: Annotated[list[CartItem], Field(min_length=1, max_length=100)]
    shipping_amount: Amount = 0
    tax_amount: Amount = 0
    amount: PositiveAmount
    currency: CurrencyCode
    customer: Annotated[str, StringConstraints(min_length=1, max_length=64)] | CustomerCreate
    merchant_reference: ShortText | None = None
    metadata: Metadata | None = None
    channel: Literal["online", "in_store"] = Field(
        default="online", description="online (a redirect to the hosted page) or in_store"
    )
    store_id: StoreRef | None = Field(default=None, description="in store: the store")
    terminal_id: StoreRef | None = Field(default=None, description="in store: the terminal")
    redirect_urls: RedirectUrls | None = Field(
        default=None, description="online: where the hosted page sends the shopper back"
    )


class ConfirmRequest(StrictBody):
    """The customer's choice of offer and consent."""

    offer: Annotated[str, StringConstraints(min_length=1, max_length=64)]
    consent: StrictBool  # JSON true or false only: "yes", 1 or "on" is not consent
    device_id: Annotated[str, StringConstraints(max_length=100, pattern=PRINTABLE)] | None = None


class CaptureRequest(StrictBody):
    """Capture all (no amount) or part of an authorization."""

    amount: PositiveAmount | None = None


class RefundRequest(StrictBody):
    """Refund part or all of a captured loan."""

    amount: PositiveAmount
    reason: ShortText | None = None


class PaymentRequest(StrictBody):
    """(sandbox) The customer pays an amount now."""

    amount: PositiveAmount


class PlanSpec(StrictBody):
    """A custom plan a merchant offers."""

    id: Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]{0,63}$")]
    term_count: Annotated[int, Field(strict=True)]
    interval: Literal["month", "two_weeks"] = "month"
    apr_bps: Annotated[int, Field(strict=True)]
    min_amount: dict[str, PositiveAmount] | None = None
    max_amount: dict[str, PositiveAmount] | None = None
    currencies: list[CurrencyCode] | None = None


class MerchantApplication(ApplicationFields):
    """An application to join the network: the business, and (ApplicationFields) its tax id,
    address, representative, owners and payout bank account."""

    legal_name: Text
    mcc: Annotated[str, StringConstraints(pattern=r"^[0-9]{4}$")]
    country: CountryCode
    currency: CurrencyCode
    website: ShortText | None = None
    years_in_business: Annotated[int, Field(strict=True, ge=0, le=500)]
    expected_monthly_volume: Amount
    contact_email: Email


class MerchantUpdate(StrictBody):
    """Settings a merchant may change: plans offered (ids or definitions), workflow, the name
    customers see, and the discount rate (at least what its 0% promotions cost)."""

    plans: Annotated[list[str | PlanSpec], Field(min_length=1, max_length=20)] | None = None
    workflow: Annotated[str, StringConstraints(min_length=1, max_length=64)] | None = None
    display_name: (
        Annotated[
            str,
            StringConstraints(
                strip_whitespace=True, min_length=1, max_length=200, pattern=PRINTABLE
            ),
        ]
        | None
    ) = None
    mdr_bps: Annotated[int, Field(strict=True, ge=0, le=10_000)] | None = None


class PrequalificationCreate(StrictBody):
    """Soft-pull a customer (an id or an identity) for an amount and currency."""

    customer: Annotated[str, StringConstraints(min_length=1, max_length=64)] | CustomerCreate
    amount: PositiveAmount | None = None
    currency: CurrencyCode | None = None


EventType = Annotated[str, StringConstraints(pattern=r"^(\*|[a-z_]+\.[a-z_]+)$", max_length=64)]


class WebhookEndpointCreate(StrictBody):
    """A URL to post the merchant's events to (all of them unless `enabled_events` says)."""

    url: Annotated[str, StringConstraints(pattern=r"^https?://[^\s]+$", max_length=2048)]
    enabled_events: Annotated[list[EventType], Field(min_length=1, max_length=50)] | None = None


Phone = Annotated[str, StringConstraints(pattern=r"^\+?[0-9 ()\-]{6,20}$")]


class SmsLinkRequest(StrictBody):
    """Text the hosted page link to a phone (default: the customer's)."""

    phone: Phone | None = None


class CardAuthorizationRequest(StrictBody):
    """A terminal's charge of a card, as the card network receives it."""

    number: Annotated[str, StringConstraints(pattern=r"^[0-9]{12,19}$")]
    exp_month: Annotated[int, Field(strict=True, ge=1, le=12)]
    exp_year: Annotated[int, Field(strict=True, ge=2000, le=2199)]
    cvc: Annotated[str, StringConstraints(pattern=r"^[0-9]{3,4}$")]
    amount: PositiveAmount
    currency: CurrencyCode


SNAPSHOT_NAME = r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$"


class SandboxResetBody(StrictBody):
    """`confirm` must be the merchant's own id, so a reset never happens by accident."""

    confirm: str = Field(max_length=40, description="the merchant's id, e.g. mer_...")


class SandboxSnapshotBody(StrictBody):
    """A snapshot's name (a snapshot with the same name is replaced)."""

    name: str = Field(pattern=SNAPSHOT_NAME, description="letters, digits, _ . - (64 at most)")


class TestClockCreateBody(StrictBody):
    """`frozen_time` defaults to the merchant's sandbox time now."""

    __test__ = False
    name: str | None = Field(default=None, max_length=200, pattern=PRINTABLE)
    frozen_time: AwareDatetime | None = None


class ClockAdvance(StrictBody):
    """Move the sandbox clock: by `days`, or `to` a date (exactly one)."""

    days: Annotated[int, Field(strict=True, ge=1, le=3650)] | None = None
    to: date | None = None


class ReviewDecision(StrictBody):
    """An underwriter's optional note on a review decision."""

    note: Annotated[str, StringConstraints(max_length=500)] | None = None


class ReviewApproval(StrictBody):
    """An underwriter's approval: an optional note and an optional lower credit limit."""

    note: Annotated[str, StringConstraints(max_length=500)] | None = None
    credit_limit: PositiveAmount | None = None


class DisputeRequest(StrictBody):
    """The disputed loan and, optionally, what the consumer says is wrong."""

    loan: Annotated[str, StringConstraints(min_length=1, max_length=64)]
    reason: Annotated[str, StringConstraints(max_length=500)] | None = None


class DisputeResolution(StrictBody):
    """How the investigation ended."""

    resolution: Literal["verified", "corrected", "deleted"]
