"""How the API words a request that fails its schema: one pure function over pydantic's errors.

The server's error handler (mock_server.api.errors) and the SDK's respx mock
(installo.testing) both answer with it, so a bad body gets the same status, code, `param` and
message from either. Only pydantic is imported here: the SDK's base install can load it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Final

__all__ = ["VALIDATION_STATUS", "ValidationDetail", "ValidationProblem", "validation_problem"]

VALIDATION_STATUS: Final = 422


@dataclass(frozen=True, slots=True)
class ValidationDetail:
    """One bad parameter: its dotted name, a code and a message naming it."""

    param: str
    code: str
    message: str

    def to_dict(self) -> dict[str, str]:
        """The detail in the error body's `errors` list."""
        return {"param": self.param, "code": self.code, "message": self.message}


@dataclass(frozen=True, slots=True)
class ValidationProblem:
    """A request's schema errors: the first names `code` and `param`, the message all of them."""

    code: str
    message: str
    param: str
    details: list[ValidationDetail] = field(default_factory=list)


def _field_name(loc: Sequence[Any], kind: str = "") -> str:
    parts = [str(p) for p in loc]
    if kind == "json_invalid":
        return "body"  # the position inside the text is in the message
    if parts and parts[0] in ("body", "query", "path", "header"):
        parts = parts[1:]
    return ".".join(parts) or "body"


def _detail(error: Mapping[str, Any]) -> ValidationDetail:
    """One pydantic error as `{param, code, message}`."""
    kind = str(error.get("type", ""))
    param = _field_name(tuple(error.get("loc", ())), kind)
    if kind == "extra_forbidden":
        return ValidationDetail(param, "parameter_unknown", f"unknown: {param}")
    if kind == "missing":
        return ValidationDetail(param, "parameter_missing", f"missing: {param}")
    if kind == "json_invalid":
        where = error.get("ctx", {}).get("error", "")
        message = f"body is not valid JSON{f' ({where})' if where else ''}"
        return ValidationDetail("body", "body_invalid", message)
    msg = str(error.get("msg", "invalid value"))
    return ValidationDetail(param, "parameter_invalid", f"{param}: {msg}")


def _single_message(detail: ValidationDetail) -> str:
    if detail.code == "parameter_unknown":
        return f"Received unknown parameter(s): {detail.param}"
    if detail.code == "parameter_missing":
        return f"Missing required parameter: {detail.param}"
    if detail.code == "body_invalid":
        return detail.message[0].upper() + detail.message[1:]
    return f"Invalid {detail.message}"


def validation_problem(errors: Sequence[Mapping[str, Any]]) -> ValidationProblem:
    """The API's answer to these pydantic errors (locations may start with `body`/`query`)."""
    details = [_detail(e) for e in errors] or [
        ValidationDetail("body", "parameter_invalid", "invalid request")
    ]
    first = details[0]
    if len(details) == 1:
        message = _single_message(first)
    elif all(d.code == "parameter_unknown" for d in details):
        message = f"Received unknown parameter(s): {', '.join(d.param for d in details)}"
    else:
        message = f"{len(details)} invalid parameters: " + "; ".join(d.message for d in details)
    return ValidationProblem(first.code, message, first.param, details)
