"""The one error shape for everything: ours, FastAPI's validation errors, 404/405 and 500s."""

import json
import logging
from typing import Any, Final, Literal

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from mock_server.api.schemas import ApiModel
from mock_server.api.validation_errors import validation_problem
from mock_server.domain import InvalidTransition
from mock_server.services.errors import (
    Conflict,
    InvalidRequest,
    NotFound,
    PermissionDenied,
    ServiceError,
    Unauthenticated,
)
from mock_server.services.idempotency import IdempotencyError

__all__ = [
    "ERROR_RESPONSES",
    "ErrorBody",
    "ErrorDetail",
    "ErrorEnvelope",
    "ErrorType",
    "error_bytes",
    "error_response",
    "install_error_handlers",
    "request_id_of",
]

log = logging.getLogger("mock_server.errors")

ErrorType = Literal[
    "invalid_request_error",
    "authentication_error",
    "permission_error",
    "not_found_error",
    "idempotency_error",
    "rate_limit_error",
    "api_error",
]


class ErrorDetail(ApiModel):
    """One bad parameter of a request that has several."""

    param: str
    code: str
    message: str


class ErrorBody(ApiModel):
    """What went wrong, for a program (`type`, `code`, `param`) and for a person (`message`);
    a validation error lists every bad parameter in `errors` (`param` is the first)."""

    type: ErrorType
    code: str
    message: str
    param: str | None = None
    request_id: str | None = None
    errors: list[ErrorDetail] | None = None


class ErrorEnvelope(ApiModel):
    """Every 4xx and 5xx answer."""

    error: ErrorBody


ERROR_RESPONSES: Final[dict[int | str, dict[str, Any]]] = {
    422: {"model": ErrorEnvelope, "description": "A parameter is missing or invalid"},
    "default": {"model": ErrorEnvelope, "description": "Error"},
}

# (status, type) per service error class; the most specific class wins.
_SERVICE_ERRORS: Final[dict[type[ServiceError], tuple[int, ErrorType]]] = {
    NotFound: (404, "not_found_error"),
    InvalidRequest: (400, "invalid_request_error"),
    Conflict: (409, "invalid_request_error"),
    Unauthenticated: (401, "authentication_error"),
    PermissionDenied: (403, "permission_error"),
    IdempotencyError: (409, "idempotency_error"),
}

_HTTP_ERRORS: Final[dict[int, tuple[ErrorType, str]]] = {
    404: ("not_found_error", "route_not_found"),
    405: ("invalid_request_error", "method_not_allowed"),
}


def request_id_of(request: Request) -> str | None:
    """The id the request-context middleware gave this request."""
    value = request.scope.get("state", {}).get("request_id")
    return value if isinstance(value, str) else None


def error_bytes(
    status: int,
    type_: ErrorType,
    code: str,
    message: str,
    param: str | None,
    request_id: str | None,
    errors: list[ErrorDetail] | None = None,
) -> bytes:
    """The JSON body of an error answer."""
    body = ErrorEnvelope(
        error=ErrorBody(
            type=type_,
            code=code,
            message=message,
            param=param,
            request_id=request_id,
            errors=errors,
        )
    )
    skip = {"error": {"errors"}} if errors is None else None  # a list only when there is one
    return body.model_dump_json(exclude=skip).encode()


def error_response(
    request: Request,
    status: int,
    type_: ErrorType,
    code: str,
    message: str,
    param: str | None = None,
    headers: dict[str, str] | None = None,
    errors: list[ErrorDetail] | None = None,
) -> JSONResponse:
    """An error answer in the one shape."""
    raw = error_bytes(status, type_, code, message, param, request_id_of(request), errors)
    content = json.loads(raw)
    return JSONResponse(content, status_code=status, headers=headers)


def _service_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, ServiceError)
    status, type_ = next(value for cls, value in _SERVICE_ERRORS.items() if isinstance(exc, cls))
    headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
    return error_response(request, status, type_, exc.code, exc.message, exc.param, headers)


def _transition_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, InvalidTransition)
    return error_response(request, 409, "invalid_request_error", exc.code, exc.message)


def _validation_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    problem = validation_problem(exc.errors(), exc.body)  # the wording installo.testing shares
    details = [ErrorDetail(**detail.to_dict()) for detail in problem.details]
    return error_response(
        request,
        422,
        "invalid_request_error",
        problem.code,
        problem.message,
        problem.param,
        None,
        details,
    )


def _http_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    type_, code = _HTTP_ERRORS.get(exc.status_code, ("invalid_request_error", "http_error"))
    message = exc.detail if isinstance(exc.detail, str) else "request failed"
    if exc.status_code == 404:
        message = f"Unrecognized request URL ({request.method} {request.url.path})"
    elif exc.status_code == 405:
        message = f"Method {request.method} is not allowed on {request.url.path}"
    headers = dict(exc.headers) if exc.headers else None
    return error_response(request, exc.status_code, type_, code, message, None, headers)


def install_error_handlers(app: FastAPI) -> None:
    """Route every error through the one shape."""
    app.add_exception_handler(ServiceError, _service_error)
    app.add_exception_handler(InvalidTransition, _transition_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
