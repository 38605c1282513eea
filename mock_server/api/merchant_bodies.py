"""Request bodies of merchant onboarding (they live in `mock_server.contract.merchant_requests`;
this module names them where the routes and the SDK's mock look for them)."""

from __future__ import annotations

from mock_server.contract.merchant_requests import (
    ApplicationFields,
    BankAccountBody,
    DeskAction,
    MerchantApplicationUpdate,
    Owner,
    Representative,
)

__all__ = [
    "ApplicationFields",
    "BankAccountBody",
    "DeskAction",
    "MerchantApplicationUpdate",
    "Owner",
    "Representative",
]
