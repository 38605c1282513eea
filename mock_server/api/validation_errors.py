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


_SOURCES: Final = ("body", "query", "path", "header")
_NOTHING: Final = object()  # no input to walk (a query, path or header parameter; no body given)
_ABSENT: Final = object()  # a location's element that names no key or index of the input
# Errors that say a union's branch refused the input's JSON type (not its value), and the word for
# what that branch takes; any other error means the branch took the type and found a bad value.
_KINDS: Final = {
    "string_type": "a string",
    "int_type": "an integer",
    "int_parsing": "an integer",  # a string given to a (lax) number: the string branch answers
    "float_type": "a number",
    "float_parsing": "a number",
    "decimal_type": "a number",
    "decimal_parsing": "a number",
    "bool_type": "a boolean",
    "bool_parsing": "a boolean",
    "model_type": "an object",
    "model_attributes_type": "an object",
    "dict_type": "an object",
    "dataclass_type": "an object",
    "list_type": "an array",
    "tuple_type": "an array",
    "set_type": "an array",
    "none_required": "null",
}


def _child(value: object, part: object) -> object:
    """The input at `part` (a key or an index) inside `value`; _ABSENT when it names nothing."""
    if isinstance(value, dict) and part in value:
        return value[part]
    if isinstance(value, list) and isinstance(part, int) and 0 <= part < len(value):
        return value[part]
    return _ABSENT


def _tags(error: Mapping[str, Any], body: object) -> list[int]:
    """Where the error's location names a union's branch rather than what the user wrote.

    The location is walked through the request's input: an element that names no key or index of
    the input there is the tag pydantic puts on a union's branch (`constrained-str`,
    `CustomerCreate`, `str`, `function-after[...]`), unless it is the field a `missing` error names
    or pydantic's `[key]` (a dict's key)."""
    loc = tuple(error.get("loc", ()))
    kind = str(error.get("type", ""))
    current: object = body if isinstance(body, (dict, list)) else _NOTHING  # JSON bodies only
    first = 0
    if loc and loc[0] in _SOURCES:
        current = current if loc[0] == "body" else _NOTHING
        first = 1
    tags: list[int] = []
    for index in range(first, len(loc)):
        part = loc[index]
        child = _child(current, part)
        if child is not _ABSENT:
            current = child
        elif (
            current is not _NOTHING
            and isinstance(part, str)
            and part != "[key]"
            and not (index == len(loc) - 1 and kind == "missing")
        ):
            tags.append(index)  # the input stays where it was: the branch validates it whole
        else:
            current = _NOTHING
    return tags


def _refused(error: Mapping[str, Any], at: int) -> str | None:
    """What the branch tagged at `at` takes, when this error is it refusing the input's JSON type
    (an error on the branch itself, of a type error); None when the branch took the type."""
    if len(error.get("loc", ())) != at + 1:
        return None
    return _KINDS.get(str(error.get("type", "")))


def _as_written(errors: Sequence[Mapping[str, Any]], body: object) -> list[Mapping[str, Any]]:
    """Pydantic's errors with union branches resolved to what the user wrote.

    For each union, the branches that took the input's JSON type (the string branch of
    `str | Model` given a string, the model given an object) are the ones that report; the other
    branches' errors (`Input should be a valid string` for an object) go. When no branch took the
    type, one error names the field as written: `customer: Input should be a string or an
    object`. Locations lose their branch tags: `customer.CustomerCreate.address.state` is
    `customer.address.state`. A "union" seen with one branch only is left as pydantic said it.
    """
    tagged = [(error, _tags(error, body)) for error in errors]
    # union (the location up to its tag) -> branch tag -> per error: the kind it refused, or None
    unions: dict[tuple[Any, ...], dict[str, list[str | None]]] = {}
    for error, at in tagged:
        loc = tuple(error.get("loc", ()))
        for index in at:
            branch = unions.setdefault(loc[:index], {}).setdefault(str(loc[index]), [])
            branch.append(_refused(error, index))
    unions = {key: branches for key, branches in unions.items() if len(branches) > 1}
    took = {
        key: {tag for tag, refusals in branches.items() if not all(refusals)}
        for key, branches in unions.items()
    }
    answer: list[Mapping[str, Any]] = []
    said: set[tuple[Any, ...]] = set()
    for error, at in tagged:
        loc = tuple(error.get("loc", ()))
        drop = {index for index in at if loc[:index] in unions}
        keep = True
        for index in sorted(drop):
            key = loc[:index]
            if loc[index] in took[key]:
                continue
            keep = False
            if not took[key] and key not in said:  # no branch took the input's type
                said.add(key)
                kinds = [k for refusals in unions[key].values() for k in refusals if k]
                written = tuple(part for i, part in enumerate(key) if i not in drop)
                answer.append(
                    {
                        "type": "union_type",
                        "loc": written,
                        "msg": f"Input should be {' or '.join(dict.fromkeys(kinds))}",
                    }
                )
            break
        if keep:
            written = tuple(part for i, part in enumerate(loc) if i not in drop)
            answer.append({**error, "loc": written})
    return answer


def _field_name(loc: Sequence[Any], kind: str = "") -> str:
    parts = [str(p) for p in loc]
    if kind == "json_invalid":
        return "body"  # the position inside the text is in the message
    if parts and parts[0] in _SOURCES:
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


def validation_problem(
    errors: Sequence[Mapping[str, Any]], body: object = _NOTHING
) -> ValidationProblem:
    """The API's answer to these pydantic errors (locations may start with `body`/`query`).

    `body` is the request's parsed JSON body: with it, errors inside a union-typed field name the
    field as the user wrote it, from the branch matching the input's JSON type (`_as_written`).
    """
    errors = _as_written(errors, body)
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
