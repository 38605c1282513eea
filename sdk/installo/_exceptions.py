"""Every error the SDK raises.

```
InstalloError
├── SignatureVerificationError            webhook signature missing, wrong or stale
└── APIError                              anything about a call to the API
    ├── APIConnectionError                the request never got an answer
    │   └── APITimeoutError               ... because it timed out
    ├── APIResponseValidationError        the answer did not parse as the expected object
    └── APIStatusError                    the API answered 4xx or 5xx
        ├── BadRequestError               400
        ├── AuthenticationError           401
        ├── PermissionDeniedError         403
        ├── NotFoundError                 404
        ├── ConflictError                 409
        │   └── IdempotencyError          409 idempotency_key_reused / idempotency_in_progress
        ├── UnprocessableEntityError      422
        ├── RateLimitError                429
        └── InternalServerError           5xx
```
"""

from __future__ import annotations

from typing import Any, Literal

import httpx

__all__ = [
    "APIConnectionError",
    "APIError",
    "APIResponseValidationError",
    "APIStatusError",
    "APITimeoutError",
    "AuthenticationError",
    "BadRequestError",
    "ConflictError",
    "IdempotencyError",
    "InstalloError",
    "InternalServerError",
    "NotFoundError",
    "PermissionDeniedError",
    "RateLimitError",
    "SignatureVerificationError",
    "UnprocessableEntityError",
]


class InstalloError(Exception):
    """Base class of every error the SDK raises."""


class SignatureVerificationError(InstalloError):
    """A webhook payload's `Installo-Signature` header did not verify."""

    def __init__(self, message: str, *, sig_header: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.sig_header = sig_header


class APIError(InstalloError):
    """An error about one call to the lending API."""

    message: str
    request: httpx.Request
    body: object | None

    def __init__(self, message: str, *, request: httpx.Request, body: object | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.request = request
        self.body = body


class APIConnectionError(APIError):
    """The request could not be sent or no answer came back."""

    def __init__(self, message: str = "Connection error.", *, request: httpx.Request) -> None:
        super().__init__(message, request=request)


class APITimeoutError(APIConnectionError):
    """The request timed out."""

    def __init__(self, *, request: httpx.Request) -> None:
        super().__init__("Request timed out.", request=request)


class APIResponseValidationError(APIError):
    """The API's answer did not match the shape the SDK expected."""

    def __init__(self, message: str, *, response: httpx.Response, body: object | None) -> None:
        super().__init__(message, request=response.request, body=body)
        self.response = response
        self.status_code = response.status_code


class APIStatusError(APIError):
    """The API answered with a 4xx or 5xx status."""

    status_code: int
    code: str | None
    type: str | None
    param: str | None
    request_id: str | None
    response: httpx.Response

    def __init__(self, message: str, *, response: httpx.Response, body: object | None) -> None:
        error = _error_object(body)
        self.request_id = _str_or_none(error.get("request_id")) or response.headers.get(
            "request-id"
        )
        prefix = f"Request {self.request_id}: " if self.request_id else ""
        super().__init__(prefix + message, request=response.request, body=body)
        self.response = response
        self.status_code = response.status_code
        self.code = _str_or_none(error.get("code"))
        self.type = _str_or_none(error.get("type"))
        self.param = _str_or_none(error.get("param"))

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(status_code={self.status_code}, code={self.code!r}, "
            f"request_id={self.request_id!r}, message={self.message!r})"
        )


class BadRequestError(APIStatusError):
    """400: the request was malformed or named a bad field."""

    status_code: Literal[400] = 400


class AuthenticationError(APIStatusError):
    """401: the key was missing or wrong."""

    status_code: Literal[401] = 401


class PermissionDeniedError(APIStatusError):
    """403: the key may not do this."""

    status_code: Literal[403] = 403


class NotFoundError(APIStatusError):
    """404: no such object for this merchant."""

    status_code: Literal[404] = 404


class ConflictError(APIStatusError):
    """409: the object's state forbids this change."""

    status_code: Literal[409] = 409


class IdempotencyError(ConflictError):
    """409: an idempotency key was reused with another body or is still in flight."""


class UnprocessableEntityError(APIStatusError):
    """422: the body parsed but a value is invalid."""

    status_code: Literal[422] = 422


class RateLimitError(APIStatusError):
    """429: too many requests; retried automatically, honouring `Retry-After`."""

    status_code: Literal[429] = 429


class InternalServerError(APIStatusError):
    """5xx: the server failed; retried automatically."""


STATUS_ERRORS: dict[int, type[APIStatusError]] = {
    400: BadRequestError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    409: ConflictError,
    422: UnprocessableEntityError,
    429: RateLimitError,
}


def error_class_for(status_code: int, body: object | None) -> type[APIStatusError]:
    """Answer the exception class for a status code (and the error type, for 409s)."""
    if status_code >= 500:
        return InternalServerError
    cls = STATUS_ERRORS.get(status_code, APIStatusError)
    error = _error_object(body)
    code = error.get("code")
    is_idempotency = error.get("type") == "idempotency_error" or (
        isinstance(code, str) and code.startswith("idempotency_")
    )
    if cls is ConflictError and is_idempotency:
        return IdempotencyError
    return cls


def _error_object(body: object | None) -> dict[str, Any]:
    if isinstance(body, dict):
        error = body.get("error")
        if isinstance(error, dict):
            return error
    return {}


def _str_or_none(value: object) -> str | None:
    return value if isinstance(value, str) else None
