"""Testing support for merchants: canned API objects, a respx-based mock API, and the sandbox.

`respx` is not a base dependency of the SDK; the mock API imports it only when used.
"""

from ._objects import (
    checkout_object,
    customer_object,
    decision_object,
    error_body,
    event_object,
    list_object,
    loan_object,
    offer_object,
    schedule,
)

__all__ = [
    "checkout_object",
    "customer_object",
    "decision_object",
    "error_body",
    "event_object",
    "list_object",
    "loan_object",
    "offer_object",
    "schedule",
]
