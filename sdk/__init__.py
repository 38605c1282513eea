"""Installo merchant SDK: `from sdk import Installo, AsyncInstallo`."""

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
