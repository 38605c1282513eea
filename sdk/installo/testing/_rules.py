"""The sandbox's own request rules, loaded for the respx mock: one source of truth.

The mock checks each request body with the very pydantic models the sandbox's routes declare
(`mock_server.api.bodies` and friends) and words a failure with the sandbox's own
`mock_server.api.validation_errors`, so a body the sandbox refuses is refused by the mock with the
same status, code and `param`. Those modules import only pydantic: the SDK's base install (httpx +
pydantic) loads them from the `mock_server` package the distribution ships; running the sandbox
itself is what needs the `[server]` extra.
"""

from __future__ import annotations

import importlib
import json
import re
from dataclasses import dataclass
from functools import cache
from typing import Any, Final

from pydantic import TypeAdapter, ValidationError

__all__ = ["BODY_RULES", "BodyRule", "Problem", "body_problem", "body_rule"]

_BODIES: Final = "mock_server.api.bodies"
_MERCHANT: Final = "mock_server.api.merchant_bodies"
_ADMIN: Final = "mock_server.api.admin_schemas"
_DEVELOPER: Final = "mock_server.api.developer_schemas"
_ANY_OBJECT: Final = "object"


@dataclass(frozen=True, slots=True)
class BodyRule:
    """The body one operation takes: a model (`module:Name`, or `object` for any JSON object)
    and whether it may be left out."""

    method: str
    path: str  # a regex over the URL path
    model: str
    optional: bool = False

    @property
    def model_name(self) -> str:
        """The model's class name (`object` for any object)."""
        return self.model.rpartition(":")[2]


BODY_RULES: Final[tuple[BodyRule, ...]] = (
    BodyRule("POST", r"/v1/merchants", f"{_BODIES}:MerchantApplication"),
    BodyRule("PATCH", r"/v1/merchants/me", f"{_BODIES}:MerchantUpdate"),
    BodyRule("PATCH", r"/v1/merchants/me/application", f"{_MERCHANT}:MerchantApplicationUpdate"),
    BodyRule("POST", r"/v1/customers", f"{_BODIES}:CustomerCreate"),
    BodyRule("POST", r"/v1/prequalifications", f"{_BODIES}:PrequalificationCreate"),
    BodyRule("POST", r"/v1/checkouts", f"{_BODIES}:CheckoutCreate"),
    BodyRule("POST", r"/v1/checkouts/[^/]+/confirm", f"{_BODIES}:ConfirmRequest"),
    BodyRule("POST", r"/v1/loans/[^/]+/capture", f"{_BODIES}:CaptureRequest", optional=True),
    BodyRule("POST", r"/v1/loans/[^/]+/refunds", f"{_BODIES}:RefundRequest"),
    BodyRule("POST", r"/v1/loans/[^/]+/payments", f"{_BODIES}:PaymentRequest"),
    BodyRule("POST", r"/v1/sandbox/clock/advance", f"{_BODIES}:ClockAdvance"),
    BodyRule("POST", r"/v1/webhook_endpoints", f"{_BODIES}:WebhookEndpointCreate"),
    BodyRule(
        "POST", r"/v1/admin/reviews/[^/]+/approve", f"{_BODIES}:ReviewApproval", optional=True
    ),
    BodyRule(
        "POST", r"/v1/admin/reviews/[^/]+/decline", f"{_BODIES}:ReviewDecision", optional=True
    ),
    BodyRule(
        "POST",
        r"/v1/admin/merchants/[^/]+/(approve|reject|request_information|suspend|reinstate)",
        f"{_MERCHANT}:DeskAction",
        optional=True,
    ),
    BodyRule("PUT", r"/v1/admin/policies/[^/]+", _ANY_OBJECT),
    BodyRule("POST", r"/v1/admin/policies/[^/]+/dry_run", f"{_ADMIN}:DryRunRequest"),
    BodyRule("PUT", r"/v1/admin/workflows/[^/]+", _ANY_OBJECT),
    BodyRule("POST", r"/v1/test_clocks", f"{_DEVELOPER}:TestClockCreateBody"),
    BodyRule("POST", r"/v1/test_clocks/[^/]+/advance", f"{_BODIES}:ClockAdvance"),
    BodyRule("POST", r"/v1/sandbox/reset", f"{_DEVELOPER}:SandboxResetBody"),
    BodyRule("POST", r"/v1/sandbox/snapshots", f"{_DEVELOPER}:SandboxSnapshotBody"),
    BodyRule("POST", r"/v1/admin/merchants/[^/]+/sandbox/reset", f"{_DEVELOPER}:SandboxResetBody"),
    BodyRule("POST", r"/v1/admin/disputes", f"{_BODIES}:DisputeRequest"),
    BodyRule("POST", r"/v1/admin/disputes/[^/]+/resolve", f"{_BODIES}:DisputeResolution"),
)


@dataclass(frozen=True, slots=True)
class Problem:
    """Why the sandbox would refuse a body: status, code, message, `param` and every error."""

    status: int
    code: str
    message: str
    param: str
    errors: list[dict[str, str]]


def body_rule(method: str, path: str) -> BodyRule | None:
    """The rule for an operation's body, or None when it takes none."""
    return next((r for r in BODY_RULES if r.method == method and re.fullmatch(r.path, path)), None)


def _import(module: str) -> Any:
    try:
        return importlib.import_module(module)
    except ModuleNotFoundError as exc:
        raise ImportError(
            f"installo.testing's mock checks bodies with the sandbox's request models "
            f"({module}), which are not importable here ({exc.name} is missing): "
            "pip install 'installo[testing]'"
        ) from exc


@cache
def _adapter(model: str) -> TypeAdapter[Any]:
    if model == _ANY_OBJECT:
        return TypeAdapter(dict[str, Any])
    module, _, name = model.partition(":")
    return TypeAdapter(getattr(_import(module), name))


def _parse(content: bytes, rule: BodyRule) -> tuple[Any, list[dict[str, Any]]]:
    """The JSON body (None when empty), or the error the sandbox's framework reports."""
    if not content.strip():
        missing = [{"type": "missing", "loc": ("body",), "msg": "Field required"}]
        return None, [] if rule.optional else missing
    try:
        return json.loads(content), []
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        error = getattr(exc, "msg", str(exc))
        return None, [{"type": "json_invalid", "loc": ("body", 0), "ctx": {"error": error}}]


def body_problem(method: str, path: str, content: bytes) -> Problem | None:
    """What is wrong with a request's body by the sandbox's rules (None when it is fine)."""
    rule = body_rule(method, path)
    if rule is None:
        return None
    body, errors = _parse(content, rule)
    if not errors and not (body is None and rule.optional):
        try:
            _adapter(rule.model).validate_python(body)
        except ValidationError as exc:
            errors = [dict(e) for e in exc.errors()]
    if not errors:
        return None
    problem = _import("mock_server.api.validation_errors").validation_problem(errors, body)
    details = [d.to_dict() for d in problem.details]
    return Problem(422, problem.code, problem.message, problem.param, details)
