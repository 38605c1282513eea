"""The read models the services answer: each object as the API shows it, typed (docs/api.md).

A use case answers the object once, as JSON-shaped data, and the same object is what its event
carries; the API validates it into its response schema once (`api/present.py`). They are
TypedDicts rather than dataclasses so that nothing is built twice on the write path: the event
and the answer share the one object, and the response schema reads it as it is.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Generic, Literal, NotRequired, TypedDict, TypeVar

import orjson

__all__ = [
    "AddressObject",
    "ApplicationSummary",
    "BalanceAmountObject",
    "BalanceObject",
    "BalanceTransactionObject",
    "CardAuthorizationObject",
    "CartItemObject",
    "CheckoutAnswer",
    "CheckoutObject",
    "CreditReportObject",
    "CreditSummary",
    "CustomerObject",
    "DecisionObject",
    "DeletedObject",
    "DeliveryAttemptObject",
    "EventObject",
    "Listing",
    "LoanObject",
    "MerchantObject",
    "NextActionObject",
    "OfferObject",
    "PayoutObject",
    "PersonaObject",
    "PrequalificationObject",
    "PromotionObject",
    "PromotionPlanObject",
    "RedirectUrlsObject",
    "RequestLogObject",
    "ReviewObject",
    "RuleFiredObject",
    "SandboxResetObject",
    "SandboxSnapshotObject",
    "SettlementReportObject",
    "SettlementSummaryObject",
    "SmsMessageObject",
    "TestClockObject",
    "VirtualCardObject",
    "WebhookDeliveryObject",
    "WebhookEndpointObject",
    "WorkflowObject",
    "WorkflowStepObject",
]

Outcome = Literal["approve", "review", "decline"]
ObjT = TypeVar("ObjT")


@dataclass(frozen=True, slots=True)
class Listing(Generic[ObjT]):
    """One page of a list, newest (or, for reviews, oldest) first."""

    data: Sequence[ObjT]
    has_more: bool


class AddressObject(TypedDict):
    """A postal address."""

    line1: str
    line2: str | None
    city: str
    region: str | None
    postal_code: str
    country: str


class CustomerObject(TypedDict):
    """A customer of the merchant."""

    id: str
    object: Literal["customer"]
    created: str
    livemode: bool
    email: str
    name: str
    phone: str
    date_of_birth: str
    address: AddressObject
    national_id_last4: str
    locale: str
    sandbox_tag: NotRequired[str | None]
    sandbox_tag_note: NotRequired[str | None]
    test_clock: str | None


class CreditReportObject(TypedDict):
    """A stored credit report (the bureau's fields beside these as the report has them)."""

    id: str
    object: Literal["credit_report"]
    created: str
    livemode: bool
    customer: str


class CartItemObject(TypedDict):
    """One line of a cart."""

    sku: str
    name: str
    unit_amount: int
    quantity: int


class ScheduleEntryObject(TypedDict):
    """One installment of an offer's schedule."""

    sequence: int
    due_date: str
    amount: int
    principal: int
    interest: int
    fees: int
    status: str
    paid_amount: int


class OfferObject(TypedDict):
    """One plan priced for a checkout, with its disclosure and schedule."""

    id: str
    plan: str
    term_count: int
    interval: str
    apr_bps: int
    plan_apr_bps: int | None
    currency: str
    amount_financed: int
    finance_charge: int
    total_of_payments: int
    installment_amount: int
    final_installment_amount: int
    first_due_date: str
    schedule: list[ScheduleEntryObject]


class RuleFiredObject(TypedDict):
    """A policy rule that fired."""

    rule_id: str
    outcome: Outcome
    reason_code: str


class DecisionObject(TypedDict):
    """The credit decision on a checkout."""

    outcome: Outcome
    reason_codes: list[str]
    score: int | None
    credit_limit: int | None
    apr_bps: NotRequired[int | None]
    policy_id: str
    policy_version: int
    rules_fired: list[RuleFiredObject]
    sandbox_tag: NotRequired[dict[str, object] | None]


class WorkflowStepObject(TypedDict):
    """One step of the loan process an application went through."""

    step: str
    type: str
    outcome: str | None
    started_at: str
    finished_at: str | None
    elapsed_us: int | None


class WorkflowObject(TypedDict):
    """The loan process run for a confirmed checkout."""

    id: str
    definition: str
    definition_version: int
    status: str
    outcome: str | None
    steps: list[WorkflowStepObject]


class RedirectUrlsObject(TypedDict):
    """Where the hosted page sends an online shopper back."""

    success_url: str
    cancel_url: str | None


class NextActionObject(TypedDict):
    """What the merchant does next with an open checkout."""

    type: Literal["redirect_to_url", "display_qr_code"]
    url: str
    short_code: str | None
    qr_png_url: str | None
    qr_svg_url: str | None


class CheckoutObject(TypedDict):
    """A checkout with its offers and (once decided) decision."""

    id: str
    created: str
    livemode: bool
    object: Literal["checkout"]
    status: str
    amount: int
    currency: str
    items: list[CartItemObject]
    shipping_amount: int
    tax_amount: int
    customer: str
    merchant_reference: str | None
    metadata: dict[str, str] | None
    offers: list[OfferObject]
    pricing: dict[str, object] | None
    selected_offer: str | None
    decision: DecisionObject | None
    workflow: WorkflowObject | None
    loan: str | None
    expires_at: str
    channel: str
    store_id: str | None
    terminal_id: str | None
    redirect_urls: RedirectUrlsObject | None
    short_code: str | None
    next_action: NextActionObject | None
    merchant_authorized: bool
    virtual_card: str | None


@dataclass(frozen=True, slots=True)
class CheckoutAnswer:
    """A checkout a write answers, with its JSON written once: the answer sends it and the
    event recording the change carries it (a checkout with six offers and their schedules is
    ~15 KB of JSON, written twice otherwise)."""

    obj: CheckoutObject
    json: bytes

    @classmethod
    def of(cls, obj: CheckoutObject) -> CheckoutAnswer:
        """The checkout and its JSON."""
        return cls(obj, orjson.dumps(obj))


class ApplicationSummary(TypedDict):
    """The application a review decides, as the underwriter sees it."""

    checkout: str
    customer: str
    amount: int
    currency: str
    plan: str | None
    item_count: int
    merchant_reference: str | None


class CreditSummary(TypedDict):
    """The customer's latest credit file, summarized for the underwriter."""

    bureau_score: int | None
    pull_type: str | None
    utilization_bps: int | None
    delinquencies: int | None
    public_records: int | None
    frozen: bool | None
    tradeline_count: int
    inquiry_count: int
    pulled_at: str


class ReviewObject(TypedDict):
    """A manual review; in the queue's answers, also what an underwriter needs to decide."""

    application: NotRequired[ApplicationSummary]
    credit_summary: NotRequired[CreditSummary | None]
    score: NotRequired[int | None]
    credit_limit: NotRequired[int | None]
    policy_id: NotRequired[str | None]
    policy_version: NotRequired[int | None]
    rules_fired: NotRequired[list[RuleFiredObject]]
    id: str
    object: Literal["review"]
    created: str
    livemode: bool
    status: str
    checkout: str
    merchant: str
    queue: str
    reason_codes: list[str]
    deadline: str | None
    decided_at: str | None


class LoanObject(TypedDict):
    """A loan with its schedule, balances and history."""

    id: str
    object: Literal["loan"]
    created: str
    livemode: bool
    status: str
    checkout: str
    customer: str
    currency: str
    plan: str
    term_count: int
    interval: str
    apr_bps: int
    authorized_amount: int
    captured_amount: int
    refunded_amount: int
    paid_amount: int
    principal_balance: int
    interest_outstanding: int
    fees_outstanding: int
    authorization_expires_at: str
    schedule: list[ScheduleEntryObject]
    history: list[dict[str, object]]  # date, kind, amount, detail and what the kind adds
    last_furnished: dict[str, object] | None


class RequirementsObject(TypedDict):
    """What a merchant still owes."""

    currently_due: list[str]
    eventually_due: list[str]
    pending_verification: list[str]
    errors: list[dict[str, str]]


class ScreeningObject(TypedDict):
    """The sanctions screen of the business and every person."""

    status: Literal["clear", "possible_match"]
    matches: list[dict[str, object]]


class MerchantObject(TypedDict):
    """A merchant: settings, application (masked), requirements and screening; the reviewer
    also sees `notes`; `secret_key` and `onboarding_key` only in the answers that issue them."""

    id: str
    object: Literal["merchant"]
    created: str
    livemode: bool
    status: str
    legal_name: str
    display_name: str
    mcc: str
    country: str
    currency: str
    plans: list[str]
    workflow: str
    mdr_bps: int
    review_reasons: list[str]
    requirements: RequirementsObject
    screening: ScreeningObject
    charges_enabled: bool
    payouts_enabled: bool
    application: dict[str, object]  # the application as submitted (free-form beyond its fields)
    secret_key: str | None
    notes: NotRequired[list[dict[str, object]]]
    onboarding_key: NotRequired[str]


class EventObject(TypedDict):
    """One state change: `data.object` is the object as it was after the change."""

    id: str
    object: Literal["event"]
    created: str
    livemode: bool
    type: str
    data: dict[str, object]
    request_id: str | None


class PrequalificationObject(TypedDict):
    """How much a customer could finance and at what APR range (a soft pull)."""

    id: str
    object: Literal["prequalification"]
    created: str
    livemode: bool
    customer: str
    currency: str
    outcome: Outcome
    reason_codes: list[str]
    max_amount: int
    apr_min_bps: int | None
    apr_max_bps: int | None


class DeletedObject(TypedDict):
    """The answer to a delete."""

    id: str
    object: str
    deleted: Literal[True]


class WebhookEndpointObject(TypedDict):
    """A webhook subscription; `secret` only in the answer that creates it."""

    id: str
    object: Literal["webhook_endpoint"]
    created: str
    livemode: bool
    url: str
    enabled_events: list[str]
    status: str
    disabled_reason: str | None
    secret: str | None


class DeliveryAttemptObject(TypedDict):
    """One try at delivering an event: when, the receiver's status (None when unreachable)."""

    at: str
    status_code: int | None
    error: str | None
    latency_ms: int | None


class WebhookDeliveryObject(TypedDict):
    """One event on its way to one endpoint, with every attempt so far."""

    id: str
    object: Literal["webhook_delivery"]
    endpoint: str
    event: str
    status: str
    attempt_count: int
    next_attempt_at: str | None
    attempts: list[DeliveryAttemptObject]


class TestClockObject(TypedDict):
    """A test clock: its own frozen sandbox time for the customers and loans attached to it."""

    id: str
    object: Literal["test_clock"]
    created: str
    livemode: bool
    name: str | None
    frozen_time: str
    status: Literal["ready"]


class SandboxResetObject(TypedDict):
    """What a reset removed, by kind."""

    object: Literal["sandbox_reset"]
    merchant: str
    deleted: dict[str, int]


class SandboxSnapshotObject(TypedDict):
    """A named copy of the merchant's sandbox data, restorable later."""

    object: Literal["sandbox_snapshot"]
    name: str
    created: str
    counts: dict[str, int]


class BalanceAmountObject(TypedDict):
    """An amount in one currency."""

    amount: int
    currency: str


class BalanceObject(TypedDict):
    """What the merchant is owed: available now (paid out daily) and pending."""

    object: Literal["balance"]
    livemode: bool
    available: list[BalanceAmountObject]
    pending: list[BalanceAmountObject]
    settlement_delay_days: int


class BalanceTransactionObject(TypedDict):
    """One movement of the balance, linked to its loan (captures, refunds) or payout."""

    id: str
    object: Literal["balance_transaction"]
    created: str
    livemode: bool
    type: str
    amount: int
    fee: int
    net: int
    currency: str
    status: Literal["pending", "available"]
    available_on: str
    source: str
    loan: str | None
    payout: str | None
    description: str


class PayoutObject(TypedDict):
    """A payout of the available balance to the merchant's bank account."""

    id: str
    object: Literal["payout"]
    created: str
    livemode: bool
    amount: int
    currency: str
    status: str
    arrival_date: str
    bank_account_last4: str | None
    failure_code: str | None
    failure_message: str | None


class SettlementSummaryObject(TypedDict):
    """A day's sums."""

    captures: int
    captured: int
    fees: int
    refunds: int
    refunded: int
    net_settled: int
    paid_out: int
    payouts_returned: int


class SettlementReportObject(TypedDict):
    """One sandbox day's balance transactions and their sums."""

    object: Literal["settlement_report"]
    livemode: bool
    date: str
    currency: str
    summary: SettlementSummaryObject
    transactions: list[BalanceTransactionObject]


class SmsMessageObject(TypedDict):
    """A text in the simulated SMS outbox."""

    id: str
    object: Literal["sms_message"]
    created: str
    livemode: bool
    checkout: str
    to: str
    body: str


class VirtualCardObject(TypedDict):
    """A single-use card an in-store approval issued: number and CVC only in the owning
    merchant's read, never in events."""

    id: str
    object: Literal["virtual_card"]
    created: str
    livemode: bool
    status: str
    checkout: str
    loan: str
    merchant: str
    brand: Literal["visa"]
    last4: str
    number: str | None
    cvc: str | None
    exp_month: int
    exp_year: int
    expires_at: str
    amount_limit: int
    currency: str
    single_use: bool
    used_at: str | None
    authorization: str | None


class CardAuthorizationObject(TypedDict):
    """The card network's answer to a terminal's charge."""

    id: str
    object: Literal["card_authorization"]
    created: str
    livemode: bool
    approved: bool
    response_code: str
    reason: str
    message: str
    amount: int
    currency: str
    last4: str
    virtual_card: str | None
    loan: str | None


class PromotionPlanObject(TypedDict):
    """A plan giving the lowest monthly payment, and that payment."""

    plan: str
    term_count: int
    apr_bps: int
    installment_amount: int


class PromotionObject(TypedDict):
    """'As low as': the lowest monthly payment for an amount and the plans that give it."""

    object: Literal["promotion"]
    amount: int
    currency: str
    lowest_installment_amount: int | None
    plans: list[PromotionPlanObject]


class PersonaObject(TypedDict):
    """A seeded sandbox person of a risk tier, with the autopay behaviour of their loans."""

    id: str
    object: Literal["persona"]
    tier: str
    ring_id: str | None
    email: str
    name: str
    phone: str
    date_of_birth: str
    address: AddressObject
    national_id_last4: str
    locale: str
    device_id: str | None
    behaviour: str


class RequestLogObject(TypedDict):
    """One API request the merchant made (its id is the request id)."""

    id: str
    object: Literal["request_log"]
    request_id: str
    method: str
    path: str
    status: int
    idempotency_key: str | None
    created: str
    duration_ms: int
