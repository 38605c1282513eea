"""The services' read models turned into the API's response schemas, in one place.

Each object is validated once, here, from the object the use case answered (the same object
its event carries); FastAPI then serializes the schema without validating it again.
"""

from __future__ import annotations

from mock_server.api.admin_schemas import Review, ReviewList
from mock_server.api.developer_schemas import TestClock, TestClockList
from mock_server.api.schemas import (
    Checkout,
    CheckoutList,
    CreditReport,
    Customer,
    CustomerList,
    DeletedObject,
    Event,
    EventList,
    Loan,
    LoanList,
    Merchant,
    MerchantList,
    Prequalification,
    WebhookDeliveryList,
    WebhookEndpoint,
    WebhookEndpointList,
)
from mock_server.services import objects
from mock_server.services.objects import (
    CheckoutObject,
    CreditReportObject,
    CustomerObject,
    EventObject,
    Listing,
    LoanObject,
    MerchantObject,
    PrequalificationObject,
    ReviewObject,
    TestClockObject,
    WebhookDeliveryObject,
    WebhookEndpointObject,
)

__all__ = [
    "checkout",
    "checkout_list",
    "credit_report",
    "customer",
    "customer_list",
    "deleted",
    "event",
    "event_list",
    "loan",
    "loan_list",
    "merchant",
    "merchant_list",
    "prequalification",
    "review",
    "review_list",
    "test_clock",
    "test_clock_list",
    "webhook_delivery_list",
    "webhook_endpoint",
    "webhook_endpoint_list",
]


def checkout(obj: CheckoutObject) -> Checkout:
    """A checkout answer."""
    return Checkout.model_validate(obj)


def checkout_list(listing: Listing[CheckoutObject]) -> CheckoutList:
    """A page of checkouts."""
    return CheckoutList.model_validate({"data": listing.data, "has_more": listing.has_more})


def customer(obj: CustomerObject) -> Customer:
    """A customer answer."""
    return Customer.model_validate(obj)


def customer_list(listing: Listing[CustomerObject]) -> CustomerList:
    """A page of customers."""
    return CustomerList.model_validate({"data": listing.data, "has_more": listing.has_more})


def credit_report(obj: CreditReportObject) -> CreditReport:
    """A credit report answer."""
    return CreditReport.model_validate(obj)


def event(obj: EventObject) -> Event:
    """An event answer."""
    return Event.model_validate(obj)


def event_list(listing: Listing[EventObject]) -> EventList:
    """A page of events."""
    return EventList.model_validate({"data": listing.data, "has_more": listing.has_more})


def loan(obj: LoanObject) -> Loan:
    """A loan answer."""
    return Loan.model_validate(obj)


def loan_list(listing: Listing[LoanObject]) -> LoanList:
    """A page of loans."""
    return LoanList.model_validate({"data": listing.data, "has_more": listing.has_more})


def merchant(obj: MerchantObject) -> Merchant:
    """A merchant answer."""
    return Merchant.model_validate(obj)


def merchant_list(listing: Listing[MerchantObject]) -> MerchantList:
    """A page of merchants (the reviewer's desk)."""
    return MerchantList.model_validate({"data": listing.data, "has_more": listing.has_more})


def prequalification(obj: PrequalificationObject) -> Prequalification:
    """A prequalification answer."""
    return Prequalification.model_validate(obj)


def review(obj: ReviewObject) -> Review:
    """A review answer."""
    return Review.model_validate(obj)


def review_list(listing: Listing[ReviewObject]) -> ReviewList:
    """A page of the review queue."""
    return ReviewList.model_validate({"data": listing.data, "has_more": listing.has_more})


def deleted(obj: objects.DeletedObject) -> DeletedObject:
    """The answer to a delete."""
    return DeletedObject.model_validate(obj)


def webhook_endpoint(obj: WebhookEndpointObject) -> WebhookEndpoint:
    """A webhook endpoint answer (its secret only when just created)."""
    return WebhookEndpoint.model_validate(obj)


def webhook_endpoint_list(listing: Listing[WebhookEndpointObject]) -> WebhookEndpointList:
    """A page of webhook endpoints."""
    return WebhookEndpointList.model_validate({"data": listing.data, "has_more": listing.has_more})


def webhook_delivery_list(listing: Listing[WebhookDeliveryObject]) -> WebhookDeliveryList:
    """A page of an endpoint's deliveries."""
    return WebhookDeliveryList.model_validate({"data": listing.data, "has_more": listing.has_more})


def test_clock(obj: TestClockObject) -> TestClock:
    """A test clock answer."""
    return TestClock.model_validate(obj)


def test_clock_list(listing: Listing[TestClockObject]) -> TestClockList:
    """A page of test clocks."""
    return TestClockList.model_validate({"data": listing.data, "has_more": listing.has_more})
