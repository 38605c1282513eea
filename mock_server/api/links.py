"""OpenAPI links: how one answer's ids feed the next call (create -> confirm -> capture ->
refund), so readers of /docs and stateful API testers can follow a checkout to its loan."""

from __future__ import annotations

from typing import Any, Final

__all__ = ["CHECKOUT_CREATED", "CHECKOUT_DECIDED", "LOAN_CAPTURED"]


def _link(operation_id: str, description: str, **parameters: str) -> dict[str, Any]:
    return {"operationId": operation_id, "parameters": parameters, "description": description}


CHECKOUT_CREATED: Final[dict[str, Any]] = {
    "ConfirmCheckout": {
        **_link("checkouts-confirm", "Confirm its first offer", checkout_id="$response.body#/id"),
        "requestBody": {"offer": "$response.body#/offers/0/id", "consent": True},
    },
    "RetrieveCheckout": _link("checkouts-retrieve", "Read it", checkout_id="$response.body#/id"),
    "CancelCheckout": _link("checkouts-cancel", "Cancel it", checkout_id="$response.body#/id"),
}
CHECKOUT_DECIDED: Final[dict[str, Any]] = {
    "CaptureLoan": _link("loans-capture", "Capture its loan", loan_id="$response.body#/loan"),
    "VoidLoan": _link("loans-void", "Void its loan", loan_id="$response.body#/loan"),
    "RetrieveLoan": _link("loans-retrieve", "Read its loan", loan_id="$response.body#/loan"),
}
LOAN_CAPTURED: Final[dict[str, Any]] = {
    "RefundLoan": _link("loans-refund", "Refund part of it", loan_id="$response.body#/id"),
    "PayLoan": _link("loans-pay", "The customer pays", loan_id="$response.body#/id"),
    "RetrieveLoan": _link("loans-retrieve", "Read it", loan_id="$response.body#/id"),
}
