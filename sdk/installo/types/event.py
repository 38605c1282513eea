"""An event: one state change, as stored in the event log and sent to webhooks."""

from __future__ import annotations

from typing import Any

from .._models import BaseModel, InstalloObject
from .checkout import Checkout
from .customer import Customer
from .furnishing import FurnishingFile
from .loan import Loan
from .merchant import Merchant
from .webhook_endpoint import WebhookEndpoint

__all__ = ["Event", "EventData", "EventType"]


class EventType:
    """The event types the API emits (others may appear; `Event.type` is a plain string)."""

    CHECKOUT_CREATED = "checkout.created"
    CHECKOUT_APPROVED = "checkout.approved"
    CHECKOUT_DECLINED = "checkout.declined"
    CHECKOUT_IN_REVIEW = "checkout.in_review"
    CHECKOUT_CANCELED = "checkout.canceled"
    CHECKOUT_EXPIRED = "checkout.expired"
    CUSTOMER_CREATED = "customer.created"
    CREDIT_REPORT_FURNISHED = "credit_report.furnished"
    LOAN_AUTHORIZED = "loan.authorized"
    LOAN_EXPIRED = "loan.expired"
    LOAN_CAPTURED = "loan.captured"
    LOAN_VOIDED = "loan.voided"
    LOAN_REFUNDED = "loan.refunded"
    LOAN_PAYMENT_SUCCEEDED = "loan.payment_succeeded"
    LOAN_PAYMENT_FAILED = "loan.payment_failed"
    LOAN_LATE = "loan.late"
    LOAN_DELINQUENT = "loan.delinquent"
    LOAN_CHARGED_OFF = "loan.charged_off"
    LOAN_PAID_OFF = "loan.paid_off"
    MERCHANT_ACTIVATED = "merchant.activated"
    MERCHANT_REJECTED = "merchant.rejected"
    MERCHANT_UPDATED = "merchant.updated"
    WEBHOOK_ENDPOINT_DISABLED = "webhook_endpoint.disabled"


class EventData(BaseModel):
    """The object as it was after the change."""

    object: dict[str, Any]


_OBJECT_TYPES: dict[str, type[BaseModel]] = {
    "checkout": Checkout,
    "loan": Loan,
    "customer": Customer,
    "merchant": Merchant,
    "webhook_endpoint": WebhookEndpoint,
    "furnishing_file": FurnishingFile,
}


class Event(InstalloObject):
    """A state change of one object."""

    type: str
    data: EventData
    request_id: str | None = None

    def data_object(self) -> BaseModel:
        """Answer `data.object` parsed as its model (a `Checkout`, `Loan`, ...), when known."""
        raw = self.data.object
        model = _OBJECT_TYPES.get(str(raw.get("object", "")), BaseModel)
        return model.model_validate(raw)
