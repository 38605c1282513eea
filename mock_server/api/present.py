"""The services' read models turned into the API's response schemas, in one place.

Each object is validated once, here, from the object the use case answered (the same object
its event carries); FastAPI then serializes the schema without validating it again.

A checkout, the one answer of the hot path (create, confirm), is the exception: its read model
is built field for field in the `Checkout` schema's shape and order, so its JSON is the answer
as the schema would write it, and `checkout_answer` sends that JSON without the schema's
validation and serialization (~0.2 ms of a 2.3 ms create: six offers and their schedules).
The test suites check every checkout answered this way against the schema, byte for byte
(`verify_checkout_answers`).
"""

from __future__ import annotations

import orjson
from fastapi import Response

from mock_server.api.admin_schemas import Review, ReviewList
from mock_server.api.balance_schemas import (
    Balance,
    BalanceTransaction,
    BalanceTransactionList,
    Payout,
    PayoutList,
    SettlementReport,
)
from mock_server.api.developer_schemas import (
    RequestLogList,
    SandboxReset,
    SandboxSnapshot,
    SandboxSnapshotList,
    TestClock,
    TestClockList,
)
from mock_server.api.pos_schemas import (
    CardAuthorization,
    SmsMessage,
    SmsMessageList,
    VirtualCard,
)
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
    PersonaList,
    Prequalification,
    Promotion,
    WebhookDeliveryList,
    WebhookEndpoint,
    WebhookEndpointList,
)
from mock_server.services import objects
from mock_server.services.objects import (
    BalanceObject,
    BalanceTransactionObject,
    CardAuthorizationObject,
    CheckoutAnswer,
    CheckoutObject,
    CreditReportObject,
    CustomerObject,
    EventObject,
    Listing,
    LoanObject,
    MerchantObject,
    PayoutObject,
    PersonaObject,
    PrequalificationObject,
    PromotionObject,
    RequestLogObject,
    ReviewObject,
    SandboxResetObject,
    SandboxSnapshotObject,
    SettlementReportObject,
    SmsMessageObject,
    TestClockObject,
    VirtualCardObject,
    WebhookDeliveryObject,
    WebhookEndpointObject,
)

__all__ = [
    "balance",
    "balance_transaction",
    "balance_transaction_list",
    "card_authorization",
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
    "payout",
    "payout_list",
    "persona_list",
    "prequalification",
    "promotion",
    "request_log_list",
    "review",
    "review_list",
    "sandbox_reset",
    "sandbox_snapshot",
    "sandbox_snapshot_list",
    "settlement_report",
    "sms_message",
    "sms_message_list",
    "test_clock",
    "test_clock_list",
    "virtual_card",
    "webhook_delivery_list",
    "webhook_endpoint",
    "webhook_endpoint_list",
]


def checkout(obj: CheckoutObject) -> Checkout:
    """A checkout answer."""
    return Checkout.model_validate(obj)


_verify_checkouts = False


def verify_checkout_answers(on: bool) -> None:
    """Check each checkout `checkout_answer` sends against the `Checkout` schema's JSON of it
    (the test suites turn this on): a read model that drifts from the schema fails there."""
    global _verify_checkouts
    _verify_checkouts = on


def checkout_answer(answer: CheckoutAnswer | CheckoutObject, status_code: int = 200) -> Response:
    """A checkout answer: the JSON a write wrote once for its answer and its event, or a read
    model's JSON as is (the module's docstring says why)."""
    if isinstance(answer, CheckoutAnswer):
        obj, content = answer.obj, answer.json
    else:
        obj, content = answer, orjson.dumps(answer)
    if _verify_checkouts:
        expected = Checkout.model_validate(obj).model_dump_json().encode()
        if content != expected:
            at = next(
                (i for i, (a, b) in enumerate(zip(content, expected, strict=False)) if a != b), 0
            )
            raise AssertionError(
                "a checkout's read model is not its answer: "
                f"{content[at - 60 : at + 60]!r} where the schema writes "
                f"{expected[at - 60 : at + 60]!r}"
            )
    return Response(content, status_code=status_code, media_type="application/json")


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


def sandbox_reset(obj: SandboxResetObject) -> SandboxReset:
    """What a sandbox reset removed."""
    return SandboxReset.model_validate(obj)


def sandbox_snapshot(obj: SandboxSnapshotObject) -> SandboxSnapshot:
    """A sandbox snapshot answer."""
    return SandboxSnapshot.model_validate(obj)


def sandbox_snapshot_list(listing: Listing[SandboxSnapshotObject]) -> SandboxSnapshotList:
    """The merchant's snapshots."""
    return SandboxSnapshotList.model_validate({"data": listing.data, "has_more": listing.has_more})


def balance(obj: BalanceObject) -> Balance:
    """The merchant's balance."""
    return Balance.model_validate(obj)


def balance_transaction(obj: BalanceTransactionObject) -> BalanceTransaction:
    """A balance transaction answer."""
    return BalanceTransaction.model_validate(obj)


def balance_transaction_list(
    listing: Listing[BalanceTransactionObject],
) -> BalanceTransactionList:
    """A page of balance transactions."""
    return BalanceTransactionList.model_validate(
        {"data": listing.data, "has_more": listing.has_more}
    )


def payout(obj: PayoutObject) -> Payout:
    """A payout answer."""
    return Payout.model_validate(obj)


def payout_list(listing: Listing[PayoutObject]) -> PayoutList:
    """A page of payouts."""
    return PayoutList.model_validate({"data": listing.data, "has_more": listing.has_more})


def settlement_report(obj: SettlementReportObject) -> SettlementReport:
    """A day's settlement report (JSON)."""
    return SettlementReport.model_validate(obj)


def sms_message(obj: SmsMessageObject) -> SmsMessage:
    """A text of the simulated outbox."""
    return SmsMessage.model_validate(obj)


def sms_message_list(listing: Listing[SmsMessageObject]) -> SmsMessageList:
    """A page of the simulated outbox."""
    return SmsMessageList.model_validate({"data": listing.data, "has_more": listing.has_more})


def virtual_card(obj: VirtualCardObject) -> VirtualCard:
    """A virtual card answer (its number and CVC only in the owning merchant's read)."""
    return VirtualCard.model_validate(obj)


def card_authorization(obj: CardAuthorizationObject) -> CardAuthorization:
    """The card network's answer to a charge."""
    return CardAuthorization.model_validate(obj)


def promotion(obj: PromotionObject) -> Promotion:
    """An 'as low as' answer."""
    return Promotion.model_validate(obj)


def persona_list(listing: Listing[PersonaObject]) -> PersonaList:
    """A page of sandbox personas."""
    return PersonaList.model_validate({"data": listing.data, "has_more": listing.has_more})


def request_log_list(listing: Listing[RequestLogObject]) -> RequestLogList:
    """A page of the merchant's recent requests."""
    return RequestLogList.model_validate({"data": listing.data, "has_more": listing.has_more})
