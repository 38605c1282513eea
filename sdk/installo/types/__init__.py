"""Typed models of every API object, and the TypedDicts of request bodies."""

from .admin import (
    CreditSummary,
    DryRunChange,
    DryRunResult,
    Policy,
    Review,
    ReviewApplication,
    ReviewStatus,
    Workflow,
)
from .balance import (
    Balance,
    BalanceAmount,
    BalanceTransaction,
    BalanceTransactionType,
    Payout,
    PayoutStatus,
    SettlementReport,
    SettlementSummary,
)
from .checkout import (
    Checkout,
    CheckoutStatus,
    CheckoutWorkflow,
    Decision,
    DecisionOutcome,
    RuleFired,
    SandboxTagTrace,
    WorkflowStep,
)
from .credit_report import CreditReport, Inquiry, PullType, Tradeline, TradelineType
from .customer import Customer
from .event import Event, EventData, EventType
from .loan import Loan, LoanStatus
from .merchant import (
    DeskNote,
    Merchant,
    MerchantStatus,
    RequirementError,
    Requirements,
    Screening,
    ScreeningMatch,
)
from .merchant_params import (
    ApplicationParams,
    BankAccountParam,
    OwnerParam,
    RepresentativeParam,
)
from .offer import Offer, OfferInterval
from .params import AddressParam, CartItemParam, CustomerParam, PlanParam
from .prequalification import Prequalification
from .promotion import Promotion, PromotionPlan
from .sandbox import ClockAdvance, Persona
from .shared import Address, CartItem, DeletedObject, InstallmentStatus, ScheduleEntry
from .webhook_endpoint import (
    DeliveryAttempt,
    WebhookDelivery,
    WebhookDeliveryStatus,
    WebhookEndpoint,
    WebhookEndpointStatus,
)

__all__ = [
    "Address",
    "AddressParam",
    "ApplicationParams",
    "Balance",
    "BalanceAmount",
    "BalanceTransaction",
    "BalanceTransactionType",
    "BankAccountParam",
    "CartItem",
    "CartItemParam",
    "Checkout",
    "CheckoutStatus",
    "CheckoutWorkflow",
    "ClockAdvance",
    "CreditReport",
    "CreditSummary",
    "Customer",
    "CustomerParam",
    "Decision",
    "DecisionOutcome",
    "DeletedObject",
    "DeliveryAttempt",
    "DeskNote",
    "DryRunChange",
    "DryRunResult",
    "Event",
    "EventData",
    "EventType",
    "Inquiry",
    "InstallmentStatus",
    "Loan",
    "LoanStatus",
    "Merchant",
    "MerchantStatus",
    "Offer",
    "OfferInterval",
    "OwnerParam",
    "Payout",
    "PayoutStatus",
    "Persona",
    "PlanParam",
    "Policy",
    "Prequalification",
    "Promotion",
    "PromotionPlan",
    "PullType",
    "RepresentativeParam",
    "RequirementError",
    "Requirements",
    "Review",
    "ReviewApplication",
    "ReviewStatus",
    "RuleFired",
    "SandboxTagTrace",
    "ScheduleEntry",
    "Screening",
    "ScreeningMatch",
    "SettlementReport",
    "SettlementSummary",
    "Tradeline",
    "TradelineType",
    "WebhookDelivery",
    "WebhookDeliveryStatus",
    "WebhookEndpoint",
    "WebhookEndpointStatus",
    "Workflow",
    "WorkflowStep",
]
