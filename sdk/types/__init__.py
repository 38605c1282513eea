"""Typed models of every API object, and the TypedDicts of request bodies."""

from .admin import DryRunResult, Policy, Review, Workflow
from .checkout import (
    Checkout,
    CheckoutStatus,
    CheckoutWorkflow,
    Decision,
    DecisionOutcome,
    RuleFired,
    WorkflowStep,
)
from .credit_report import CreditReport, PullType, Tradeline
from .customer import Customer
from .event import Event, EventData, EventType
from .loan import Loan, LoanStatus
from .merchant import Merchant, MerchantStatus
from .offer import Offer, OfferInterval
from .params import AddressParam, CartItemParam, CustomerParam
from .prequalification import Prequalification
from .promotion import Promotion, PromotionPlan
from .sandbox import ClockAdvance, Persona
from .shared import Address, CartItem, DeletedObject, InstallmentStatus, ScheduleEntry
from .webhook_endpoint import WebhookEndpoint

__all__ = [
    "Address",
    "AddressParam",
    "CartItem",
    "CartItemParam",
    "Checkout",
    "CheckoutStatus",
    "CheckoutWorkflow",
    "ClockAdvance",
    "CreditReport",
    "Customer",
    "CustomerParam",
    "Decision",
    "DecisionOutcome",
    "DeletedObject",
    "DryRunResult",
    "Event",
    "EventData",
    "EventType",
    "InstallmentStatus",
    "Loan",
    "LoanStatus",
    "Merchant",
    "MerchantStatus",
    "Offer",
    "OfferInterval",
    "Persona",
    "Policy",
    "Prequalification",
    "Promotion",
    "PromotionPlan",
    "PullType",
    "Review",
    "RuleFired",
    "ScheduleEntry",
    "Tradeline",
    "WebhookEndpoint",
    "Workflow",
    "WorkflowStep",
]
