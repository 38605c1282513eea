"""Testing support for merchants: canned API objects, a respx-based mock API, and the sandbox.

`respx` is not a base dependency of the SDK; the mock API imports it only when used.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal

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

if TYPE_CHECKING:
    from ._mock import MockAPI

__all__ = [
    "MockAPI",
    "checkout_object",
    "customer_object",
    "decision_object",
    "error_body",
    "event_object",
    "list_object",
    "loan_object",
    "mock_api",
    "offer_object",
    "schedule",
]


def mock_api(
    *,
    base_url: str | None = None,
    outcome: Literal["approve", "decline", "review"] = "approve",
    review_resolves_to: Literal["approve", "decline"] = "approve",
    review_polls: int = 1,
) -> MockAPI:
    """Answer a `MockAPI` at the SDK's base URL (use it as a context manager); needs `respx`.

    Confirming a checkout answers `outcome`; a review is decided as `review_resolves_to` after
    `review_polls` reads of the checkout.
    """
    try:
        import respx  # noqa: F401
    except ImportError as exc:
        raise ImportError(
            "installo.testing.mock_api needs respx, which the SDK does not install: "
            "pip install 'installo[testing]'"
        ) from exc
    from ._mock import MockAPI

    return MockAPI(
        base_url=base_url,
        outcome=outcome,
        review_resolves_to=review_resolves_to,
        review_polls=review_polls,
    )


def __getattr__(name: str) -> Any:
    if name == "MockAPI":
        from ._mock import MockAPI

        return MockAPI
    raise AttributeError(name)
