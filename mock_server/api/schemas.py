"""Request bodies and response models, field names exactly as docs/api.md describes them.

Request bodies forbid unknown fields (a 4xx naming them); money is a strict int in minor units.
"""

from datetime import date, datetime
from typing import Any, Generic, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field

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
    Url,
)

_Date = date

__all__ = [
    "PRINTABLE",
    "Address",
    "Amount",
    "ApiModel",
    "CartItem",
    "Checkout",
    "CheckoutList",
    "CountryCode",
    "CreditReport",
    "CurrencyCode",
    "Customer",
    "CustomerList",
    "Decision",
    "DeletedObject",
    "DeliveryAttempt",
    "Email",
    "Event",
    "EventList",
    "Health",
    "HistoryEntry",
    "ListObject",
    "Loan",
    "LoanList",
    "Locale",
    "Merchant",
    "MerchantList",
    "Metadata",
    "NextAction",
    "ObjectBase",
    "Offer",
    "Persona",
    "PersonaList",
    "PositiveAmount",
    "Prequalification",
    "Promotion",
    "PromotionPlan",
    "RedirectUrls",
    "Requirements",
    "RuleFired",
    "SandboxClock",
    "ScheduleEntry",
    "ShortText",
    "StrictBody",
    "Text",
    "Url",
    "WebhookDelivery",
    "WebhookDeliveryList",
    "WebhookEndpoint",
    "WebhookEndpointList",
]


class ApiModel(BaseModel):
    """The base of the models here: pydantic builds a model's validator and serializer at its
    first use instead of at import (`defer_build`). Most are only used inside another (an
    `Offer` in a `Checkout`, a `Checkout` in a `CheckoutList`), whose validators include theirs,
    so most are never built on their own, and the sandbox starts sooner. Request bodies
    (`StrictBody`) stay eager: FastAPI builds a body's field with an alias, which warns when its
    build is deferred."""

    model_config = ConfigDict(defer_build=True)


class ObjectBase(ApiModel):
    id: str
    created: datetime
    livemode: bool = False


class ScheduleEntry(ApiModel):
    """One installment."""

    sequence: int
    due_date: date
    amount: int
    principal: int
    interest: int
    fees: int
    status: Literal["upcoming", "due", "paid", "late"]
    paid_amount: int


class Offer(ApiModel):
    """One plan priced for the checkout, with the full disclosure and schedule preview."""

    id: str
    plan: str
    term_count: int
    interval: Literal["month", "two_weeks"]
    apr_bps: int = Field(description="the APR this customer is offered (basis points)")
    plan_apr_bps: int | None = Field(
        default=None, description="the plan's own APR; apr_bps is never above it"
    )
    currency: str
    amount_financed: int
    finance_charge: int
    total_of_payments: int
    installment_amount: int
    final_installment_amount: int
    first_due_date: date
    schedule: list[ScheduleEntry]


class RuleFired(ApiModel):
    """A policy rule that fired."""

    rule_id: str
    outcome: Literal["approve", "review", "decline"]
    reason_code: str


class SandboxTagTrace(ApiModel):
    """(sandbox) The magic email tag behind a decision, and what it set for the engines."""

    tag: Literal["approve", "decline", "review", "fraud", "frozen"]
    effects: list[str]


class Decision(ApiModel):
    """The credit decision on a checkout, explaining itself."""

    outcome: Literal["approve", "review", "decline"]
    reason_codes: list[str]
    score: int | None
    credit_limit: int | None
    apr_bps: int | None = Field(
        default=None, description="the APR the policy prices this customer's tier at"
    )
    policy_id: str
    policy_version: int
    rules_fired: list[RuleFired]
    sandbox_tag: SandboxTagTrace | None = None


# Customers ------------------------------------------------------------------------------------


class Customer(ObjectBase):
    """A customer of the merchant."""

    object: Literal["customer"] = "customer"
    email: str
    name: str
    phone: str
    date_of_birth: date
    address: Address
    national_id_last4: str
    locale: str
    sandbox_tag: Literal["approve", "decline", "review", "fraud", "frozen"] | None = Field(
        default=None, description="(sandbox) the magic email tag recognized, or null"
    )
    sandbox_tag_note: str | None = Field(
        default=None, description="(sandbox) why a `+suffix` in the email is not a tag"
    )
    test_clock: str | None = Field(description="the test clock it is attached to, if any")


class CreditReport(ApiModel):
    """The latest bureau report pulled for a customer."""

    model_config = ConfigDict(extra="allow")

    id: str
    object: Literal["credit_report"] = "credit_report"
    created: datetime
    livemode: bool = False
    customer: str
    bureau_score: int
    pulled_at: datetime
    pull_type: Literal["hard", "soft"]
    tradelines: list[dict[str, Any]]
    utilization_bps: int
    inquiries: list[dict[str, Any]]
    delinquencies: int
    public_records: int
    frozen: bool


# Checkouts ------------------------------------------------------------------------------------


class WorkflowStep(ApiModel):
    """One step of the loan process an application went through."""

    step: str
    type: str
    outcome: str | None
    started_at: datetime
    finished_at: datetime | None
    elapsed_us: int | None = Field(description="real time the step's work took, microseconds")


class CheckoutWorkflow(ApiModel):
    """The loan process run for a confirmed checkout (sandbox): steps in order with outcomes."""

    id: str
    definition: str
    definition_version: int
    status: Literal["running", "waiting", "completed"]
    outcome: str | None
    steps: list[WorkflowStep]


class NextAction(ApiModel):
    """What the merchant does next with an open checkout: redirect the shopper to the hosted
    page (online), or show its QR code and short code (in store)."""

    type: Literal["redirect_to_url", "display_qr_code"]
    url: str
    short_code: str | None = None
    qr_png_url: str | None = None
    qr_svg_url: str | None = None


class CheckoutPricing(ApiModel):
    """How a known customer's offers were priced: a soft pull read by the credit policy of the
    merchant's loan process (the tier's APR, never above a plan's)."""

    basis: Literal["soft_pull"]
    tier: str | None = Field(description="reason code of the policy rule that set the APR")
    tier_apr_bps: int | None
    bureau_score: int = Field(description="the score the soft pull found")
    policy_id: str
    policy_version: int


class Checkout(ObjectBase):
    """A checkout and, once confirmed, its decision and loan."""

    object: Literal["checkout"] = "checkout"
    status: Literal["open", "approved", "declined", "in_review", "expired", "canceled"]
    amount: int
    currency: str
    items: list[CartItem]
    shipping_amount: int
    tax_amount: int
    customer: str
    merchant_reference: str | None
    metadata: dict[str, str] | None
    offers: list[Offer]
    pricing: CheckoutPricing | None = None
    selected_offer: str | None
    decision: Decision | None
    workflow: CheckoutWorkflow | None = None
    loan: str | None
    expires_at: datetime
    channel: Literal["online", "in_store"] = "online"
    store_id: str | None = None
    terminal_id: str | None = None
    redirect_urls: RedirectUrls | None = None
    short_code: str | None = None
    next_action: NextAction | None = None
    merchant_authorized: bool = False
    virtual_card: str | None = None


# Loans ----------------------------------------------------------------------------------------


class HistoryEntry(ApiModel):
    """One dated entry of a loan's history."""

    model_config = ConfigDict(extra="allow")

    date: _Date
    kind: str
    amount: int
    detail: str


class LastFurnished(ApiModel):
    """When and how a loan was last reported to the bureau (Metro 2), and the change in the
    customer's bureau score that file caused. Balances are the reported whole dollars, in cents
    of `currency` (USD: Metro 2 is the US format)."""

    file: str
    period: str
    reported_at: datetime
    account_number: str
    account_status: str
    payment_rating: str
    compliance_condition_code: str
    current_balance: int
    amount_past_due: int
    currency: str
    score_before: int
    score_after: int


class Loan(ObjectBase):
    """A loan with schedule, balances and history."""

    object: Literal["loan"] = "loan"
    status: Literal[
        "authorized",
        "active",
        "late",
        "delinquent",
        "charged_off",
        "paid_off",
        "voided",
        "expired",
        "refunded",
    ]
    checkout: str
    customer: str
    currency: str
    plan: str
    term_count: int
    interval: Literal["month", "two_weeks"]
    apr_bps: int
    authorized_amount: int
    captured_amount: int
    refunded_amount: int
    paid_amount: int
    principal_balance: int
    interest_outstanding: int
    fees_outstanding: int
    authorization_expires_at: datetime
    schedule: list[ScheduleEntry]
    history: list[HistoryEntry]
    last_furnished: LastFurnished | None = None


# Merchants ------------------------------------------------------------------------------------


class RequirementError(ApiModel):
    """A failed check: which requirement, a machine code and the reason."""

    requirement: str
    code: str
    reason: str


class Requirements(ApiModel):
    """What a merchant still owes: missing or failed fields (`currently_due`), that plus what is
    being verified (`eventually_due`), checks still running, and errors with reasons."""

    currently_due: list[str]
    eventually_due: list[str]
    pending_verification: list[str]
    errors: list[RequirementError]


class ScreeningMatch(ApiModel):
    """A name that scored at least the threshold against a screening list entry."""

    role: str
    name_screened: str
    matched_name: str
    score: int
    entry: dict[str, Any]


class Screening(ApiModel):
    """The sanctions screen of the business and every person."""

    status: Literal["clear", "possible_match"]
    matches: list[ScreeningMatch]


class DeskNote(ApiModel):
    """A reviewer's action on a merchant and its note."""

    action: str
    note: str | None
    at: str


class Merchant(ObjectBase):
    """A merchant: settings, application (tax id and account number masked), requirements and
    screening; `secret_key` only in the answer that activated it, `onboarding_key` only in the
    answer to an application still pending or in review."""

    object: Literal["merchant"] = "merchant"
    status: Literal["pending", "pending_review", "active", "restricted", "suspended", "rejected"]
    legal_name: str
    display_name: str
    mcc: str
    country: str
    currency: str
    plans: list[str]
    workflow: str
    mdr_bps: int
    review_reasons: list[str]
    requirements: Requirements
    screening: Screening
    charges_enabled: bool
    payouts_enabled: bool
    # A title of its own: client generators name this inline object after it, and
    # "MerchantApplication" is already the request body's name.
    application: dict[str, Any] = Field(title="Submitted Application")
    notes: list[DeskNote] | None = None
    secret_key: str | None = None
    onboarding_key: str | None = None


class MerchantList(ApiModel):
    """A page of merchants (the reviewer's desk)."""

    object: Literal["list"] = "list"
    data: list[Merchant]
    has_more: bool


# Events, prequalifications, promotions, personas ----------------------------------------------


class Event(ObjectBase):
    """One state change."""

    object: Literal["event"] = "event"
    type: str
    data: dict[str, Any]
    request_id: str | None


class Prequalification(ObjectBase):
    """How much a customer could finance and at what APR range (soft pull)."""

    object: Literal["prequalification"] = "prequalification"
    customer: str
    currency: str
    outcome: Literal["approve", "review", "decline"]
    max_amount: int
    apr_min_bps: int | None
    apr_max_bps: int | None
    reason_codes: list[str]


class PromotionPlan(ApiModel):
    """A plan that gives the promoted payment."""

    plan: str
    term_count: int
    apr_bps: int
    installment_amount: int


class Promotion(ApiModel):
    """'As low as' messaging for an amount."""

    object: Literal["promotion"] = "promotion"
    amount: int
    currency: str
    lowest_installment_amount: int | None
    plans: list[PromotionPlan]


class Persona(ApiModel):
    """A seeded sandbox person in a risk tier, usable as a checkout's inline customer."""

    id: str
    object: Literal["persona"] = "persona"
    tier: str
    ring_id: str | None
    email: str
    name: str
    phone: str
    date_of_birth: date
    address: Address
    national_id_last4: str
    locale: str
    device_id: str | None
    behaviour: str = Field(
        description="how autopay treats this person's loans: on_time, late, partial or default"
    )


class WebhookEndpoint(ObjectBase):
    """A webhook subscription; `secret` only in the answer that creates it."""

    object: Literal["webhook_endpoint"] = "webhook_endpoint"
    url: str
    enabled_events: list[str]
    status: Literal["enabled", "disabled"]
    disabled_reason: str | None = None
    secret: str | None = None


class DeliveryAttempt(ApiModel):
    """One try at delivering an event: when, the receiver's status (None when unreachable)."""

    at: datetime
    status_code: int | None
    error: str | None
    latency_ms: int | None


class WebhookDelivery(ApiModel):
    """One event on its way to one endpoint, with every attempt so far."""

    id: str
    object: Literal["webhook_delivery"] = "webhook_delivery"
    endpoint: str
    event: str
    status: Literal["pending", "succeeded", "failed", "canceled"]
    attempt_count: int
    next_attempt_at: datetime | None
    attempts: list[DeliveryAttempt]


class DeletedObject(ApiModel):
    """The answer to a delete."""

    id: str
    object: str
    deleted: Literal[True] = True


class SandboxClock(ApiModel):
    """The merchant's sandbox time after an advance, and how many events each kind it caused."""

    object: Literal["sandbox_clock"] = "sandbox_clock"
    now: datetime
    events: dict[str, int]


class Health(ApiModel):
    """Liveness."""

    status: Literal["ok"] = "ok"


T = TypeVar("T")


class ListObject(ApiModel, Generic[T]):
    object: Literal["list"] = "list"
    data: list[T]
    has_more: bool


class CustomerList(ListObject[Customer]):
    """A page of customers, newest first."""


class CheckoutList(ListObject[Checkout]):
    """A page of checkouts, newest first."""


class LoanList(ListObject[Loan]):
    """A page of loans, newest first."""


class EventList(ListObject[Event]):
    """A page of events, newest first."""


class PersonaList(ListObject[Persona]):
    """A page of personas."""


class WebhookEndpointList(ListObject[WebhookEndpoint]):
    """A page of webhook endpoints, newest first."""


class WebhookDeliveryList(ListObject[WebhookDelivery]):
    """A page of an endpoint's deliveries, newest first."""
