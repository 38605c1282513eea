"""Check a policy document and compile its expressions, collecting every problem at once."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, Final

from mock_server.rules.compiler import Expression, compile_expression
from mock_server.rules.errors import ExpressionError, PolicyError, PolicyProblem

OUTCOMES: Final = ("approve", "review", "decline")
KINDS: Final = ("credit", "onboarding")
POLICY_KEYS: Final = frozenset({"id", "version", "kind", "description", "default_outcome", "rules"})
REQUIRED_POLICY_KEYS: Final = ("id", "version", "kind", "default_outcome", "rules")
RULE_KEYS: Final = frozenset(
    {"id", "when", "outcome", "reason_code", "credit_limit", "apr_bps", "description"}
)
REQUIRED_RULE_KEYS: Final = ("id", "when", "outcome", "reason_code")
_IDENTIFIER: Final = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")


class _Checker:
    def __init__(self, fields: frozenset[str] | None) -> None:
        self.fields = fields
        self.problems: list[PolicyProblem] = []

    def problem(self, location: str, message: str, column: int | None = None) -> None:
        self.problems.append(PolicyProblem(location, message, column))

    def keys(self, data: Mapping[str, Any], where: str, allowed: frozenset[str]) -> None:
        for key in data:
            if key not in allowed:
                self.problem(where, f"unknown key {key!r} (allowed: {', '.join(sorted(allowed))})")

    def identifier(self, data: Mapping[str, Any], key: str, where: str) -> str | None:
        value = data.get(key)
        if not isinstance(value, str) or not _IDENTIFIER.match(value):
            self.problem(where, f"{key} must be a non-empty identifier string, got {value!r}")
            return None
        return value

    def choice(
        self, data: Mapping[str, Any], key: str, where: str, allowed: tuple[str, ...]
    ) -> None:
        value = data.get(key)
        if value not in allowed:
            self.problem(where, f"{key} must be one of {', '.join(allowed)}, got {value!r}")

    def text(self, data: Mapping[str, Any], key: str, where: str) -> None:
        if key in data and not isinstance(data[key], str):
            self.problem(where, f"{key} must be a string, got {type(data[key]).__name__}")

    def expression(self, source: object, where: str, key: str) -> Expression | None:
        if not isinstance(source, str):
            self.problem(where, f"{key} must be an expression string, got {type(source).__name__}")
            return None
        try:
            return compile_expression(source, fields=self.fields)
        except ExpressionError as error:
            self.problem(where, f"{key}: {error.message}", error.column)
            return None

    def amount(self, value: object, where: str, key: str) -> Expression | int | None:
        if isinstance(value, bool) or (isinstance(value, int) and value < 0):
            self.problem(where, f"{key} must be a non-negative integer or an expression")
            return None
        if isinstance(value, int):
            return value
        return self.expression(value, where, key)

    def rule(self, index: int, raw: object, seen: set[str]) -> dict[str, Any] | None:
        if not isinstance(raw, Mapping):
            self.problem(f"rules[{index}]", f"a rule must be a mapping, got {type(raw).__name__}")
            return None
        rule_id = raw.get("id")
        where = f"rules[{index}] ({rule_id})" if isinstance(rule_id, str) else f"rules[{index}]"
        before = len(self.problems)
        missing = [key for key in REQUIRED_RULE_KEYS if key not in raw]
        if missing:
            self.problem(where, f"missing key(s): {', '.join(missing)}")
        self.keys(raw, where, RULE_KEYS)
        if "id" in raw and self.identifier(raw, "id", where) is not None:
            if rule_id in seen:
                self.problem(where, "duplicate rule id")
            seen.add(str(rule_id))
        if "outcome" in raw:
            self.choice(raw, "outcome", where, OUTCOMES)
        if "reason_code" in raw:
            self.identifier(raw, "reason_code", where)
        self.text(raw, "description", where)
        checked = dict(raw)
        if "when" in raw:
            checked["when"] = self.expression(raw["when"], where, "when")
        for key in ("credit_limit", "apr_bps"):
            if raw.get(key) is not None:
                checked[key] = self.amount(raw[key], where, key)
        return checked if len(self.problems) == before else None


def validate_policy(data: object, *, fields: frozenset[str] | None = None) -> dict[str, Any]:
    """Check a policy document and compile its expressions; raises `PolicyError` listing all."""
    checker = _Checker(fields)
    if not isinstance(data, Mapping):
        raise PolicyError(
            [PolicyProblem("", f"a policy must be a mapping, got {type(data).__name__}")]
        )
    missing = [key for key in REQUIRED_POLICY_KEYS if key not in data]
    if missing:
        checker.problem("policy", f"missing key(s): {', '.join(missing)}")
    checker.keys(data, "policy", POLICY_KEYS)
    if "id" in data:
        checker.identifier(data, "id", "policy")
    version = data.get("version")
    if "version" in data and (
        not isinstance(version, int) or isinstance(version, bool) or version < 1
    ):
        checker.problem("policy", f"version must be a positive integer, got {version!r}")
    if "kind" in data:
        checker.choice(data, "kind", "policy", KINDS)
    if "default_outcome" in data:
        checker.choice(data, "default_outcome", "policy", OUTCOMES)
    checker.text(data, "description", "policy")
    raw_rules = data.get("rules", [])
    rules: list[dict[str, Any] | None] = []
    if not isinstance(raw_rules, list):
        checker.problem("policy", f"rules must be a list, got {type(raw_rules).__name__}")
    else:
        seen: set[str] = set()
        rules = [checker.rule(index, raw, seen) for index, raw in enumerate(raw_rules)]
    if checker.problems:
        raise PolicyError(checker.problems)
    return {**data, "rules": rules}
