"""Installo merchant SDK: `from installo import Installo, AsyncInstallo`.

    from installo import Installo

    with Installo() as client:            # INSTALLO_API_KEY, INSTALLO_BASE_URL (default: sandbox)
        checkout = client.checkouts.create(
            items=[{"sku": "ESP-1", "name": "Espresso", "unit_amount": 129900, "quantity": 1}],
            amount=129900, currency="USD", customer="cus_123",
        )
        checkout = client.checkouts.confirm(checkout.id, offer=checkout.offers[0].id)
        if checkout.status == "approved" and checkout.loan:
            client.loans.capture(checkout.loan)
        for loan in client.loans.list(limit=100).auto_paging_iter():
            ...

Errors are in one tree (`InstalloError`, see `installo._exceptions`); POSTs carry an idempotency
key reused across retries; `installo.webhooks` verifies deliveries; `installo.checkout_flow` walks
the common path with typed outcomes; `installo.testing` mocks the API or runs the sandbox for
your tests.
"""

import importlib as _importlib
import typing as _typing

# `import installo` stays cheap: each name is imported on first use (PEP 562), so a program that
# only imports the package, or one name, never pays for the rest (httpx, pydantic, every model).
if _typing.TYPE_CHECKING:
    from . import types, webhooks
    from ._client import AsyncInstallo, Installo
    from ._constants import DEFAULT_BASE_URL, DEFAULT_MAX_RETRIES, DEFAULT_TIMEOUT
    from ._exceptions import (
        APIConnectionError,
        APIError,
        APIResponseValidationError,
        APIStatusError,
        APITimeoutError,
        AuthenticationError,
        BadRequestError,
        ConflictError,
        IdempotencyError,
        InstalloError,
        InternalServerError,
        NotFoundError,
        PermissionDeniedError,
        RateLimitError,
        SignatureVerificationError,
        UnprocessableEntityError,
    )
    from ._money import format_money
    from ._resource import RequestOptions
    from ._version import __version__
    from .pagination import AsyncPage, AsyncPaginator, SyncPage
    from .types import Checkout, Customer, Event, Loan, Merchant, Offer


__all__ = [
    "DEFAULT_BASE_URL",
    "DEFAULT_MAX_RETRIES",
    "DEFAULT_TIMEOUT",
    "APIConnectionError",
    "APIError",
    "APIResponseValidationError",
    "APIStatusError",
    "APITimeoutError",
    "AsyncInstallo",
    "AsyncPage",
    "AsyncPaginator",
    "AuthenticationError",
    "BadRequestError",
    "Checkout",
    "ConflictError",
    "Customer",
    "Event",
    "IdempotencyError",
    "Installo",
    "InstalloError",
    "InternalServerError",
    "Loan",
    "Merchant",
    "NotFoundError",
    "Offer",
    "PermissionDeniedError",
    "RateLimitError",
    "RequestOptions",
    "SignatureVerificationError",
    "SyncPage",
    "UnprocessableEntityError",
    "__version__",
    "format_money",
    "types",
    "webhooks",
]


def _lazy_names() -> dict[str, str]:
    """Where each public name lives, read from the TYPE_CHECKING imports above (one list)."""
    import ast

    with open(__file__, encoding="utf-8") as source:
        tree = ast.parse(source.read())
    found: dict[str, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.level == 1:
            for alias in node.names:
                found[alias.asname or alias.name] = f".{node.module}" if node.module else ""
    return found


_WHERE: dict[str, str] = {}


def __getattr__(name: str) -> _typing.Any:
    """Import a public name on first use."""
    if not _WHERE:
        _WHERE.update(_lazy_names())
    if name not in _WHERE:
        raise AttributeError(f"module 'installo' has no attribute {name!r}")
    where = _WHERE[name]
    module = _importlib.import_module(where or f".{name}", __name__)
    value = module if not where else getattr(module, name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
