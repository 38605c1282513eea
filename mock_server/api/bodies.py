"""Request bodies: unknown fields are refused by name; money is a strict int in minor units.

They live in `mock_server.contract.requests` (the services take them too); this module names
them where the routes (and the SDK's mock, through `installo.testing`) look for them.
"""

from __future__ import annotations

from mock_server.contract.requests import (
    CaptureRequest,
    CheckoutCreate,
    ClockAdvance,
    ConfirmRequest,
    CustomerCreate,
    DisputeRequest,
    DisputeResolution,
    MerchantApplication,
    MerchantUpdate,
    PaymentRequest,
    PlanSpec,
    PrequalificationCreate,
    RefundRequest,
    ReviewApproval,
    ReviewDecision,
    TestClockCreateBody,
    WebhookEndpointCreate,
)

__all__ = [
    "CaptureRequest",
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
    "TestClockCreateBody",
    "WebhookEndpointCreate",
]
