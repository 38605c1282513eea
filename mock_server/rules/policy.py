"""Policies: rules as data, validated and compiled once, evaluated into explained decisions."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any, Final, Literal

import yaml

from mock_server.rules.compiler import Expression, Facts
from mock_server.rules.errors import EvaluationError, PolicyError, PolicyProblem
from mock_server.rules.validation import validate_policy

Outcome = Literal["approve", "review", "decline"]
PolicyKind = Literal["credit", "onboarding"]
SEVERITY: Final[dict[str, int]] = {"approve": 0, "review": 1, "decline": 2}


@dataclass(frozen=True, slots=True)
class FiredRule:
    """One rule that fired during an evaluation."""

    rule_id: str
    outcome: Outcome
    reason_code: str

    def to_dict(self) -> dict[str, str]:
        """The rule as the API shows it in `decision.rules_fired`."""
        return {"rule_id": self.rule_id, "outcome": self.outcome, "reason_code": self.reason_code}


@dataclass(frozen=True, slots=True)
class Decision:
    """The result of evaluating a policy: the outcome and everything that explains it."""

    outcome: Outcome
    reason_codes: tuple[str, ...]
    rules_fired: tuple[FiredRule, ...]
    policy_id: str
    policy_version: int
    credit_limit: int | None = None
    apr_bps: int | None = None

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict of the decision."""
        return {
            "outcome": self.outcome,
            "reason_codes": list(self.reason_codes),
            "rules_fired": [rule.to_dict() for rule in self.rules_fired],
            "policy_id": self.policy_id,
            "policy_version": self.policy_version,
            "credit_limit": self.credit_limit,
            "apr_bps": self.apr_bps,
        }


@dataclass(frozen=True, slots=True)
class Rule:
    """A condition over the facts with an outcome, a reason code and optionally a limit or price."""

    id: str
    when: Expression
    outcome: Outcome
    reason_code: str
    credit_limit: Expression | int | None = None
    apr_bps: Expression | int | None = None
    description: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """The rule as policy data, as it was loaded."""
        data: dict[str, Any] = {
            "id": self.id,
            "when": self.when.source,
            "outcome": self.outcome,
            "reason_code": self.reason_code,
        }
        for key, value in (("credit_limit", self.credit_limit), ("apr_bps", self.apr_bps)):
            if value is not None:
                data[key] = value.source if isinstance(value, Expression) else value
        if self.description is not None:
            data["description"] = self.description
        return data


@dataclass(frozen=True)
class Policy:
    """A versioned, compiled policy; `evaluate(facts)` answers a `Decision`."""

    id: str
    version: int
    kind: PolicyKind
    default_outcome: Outcome
    rules: tuple[Rule, ...]
    description: str | None = None
    fields: frozenset[str] = field(default=frozenset(), compare=False)

    def evaluate(self, facts: Facts) -> Decision:
        """Run every rule in order over the facts; the most severe fired outcome wins."""
        fired: list[Rule] = []
        for rule in self.rules:
            try:
                hit = rule.when.evaluate(facts)
            except EvaluationError as error:
                raise self._failure(rule, error) from None
            if hit is True:
                fired.append(rule)
            elif hit is not False:
                problem = f"condition gave {type(hit).__name__}, not a boolean"
                raise self._failure(rule, EvaluationError(problem))
        return self._decide(facts, fired)

    def _failure(self, rule: Rule, error: EvaluationError) -> EvaluationError:
        return EvaluationError(f"policy {self.id!r} v{self.version}, rule {rule.id!r}: {error}")

    def _amount(self, rule: Rule, name: str, facts: Facts) -> int | None:
        value: Expression | int | None = getattr(rule, name)
        if value is None or isinstance(value, int):
            return value
        try:
            result = value.evaluate(facts)
        except EvaluationError as error:
            raise self._failure(rule, error) from None
        if type(result) is not int:
            kind = "null" if result is None else type(result).__name__
            problem = f"{name} {value.source!r} gave {kind}, not an integer"
            raise self._failure(rule, EvaluationError(problem))
        if result < 0:
            problem = f"{name} {value.source!r} gave a negative amount {result}"
            raise self._failure(rule, EvaluationError(problem))
        return result

    def _decide(self, facts: Facts, fired: list[Rule]) -> Decision:
        if not fired:
            return Decision(self.default_outcome, (), (), self.id, self.version)
        outcome = most_severe([rule.outcome for rule in fired], self.default_outcome)
        reason_codes = tuple(
            dict.fromkeys(rule.reason_code for rule in fired if rule.outcome == outcome)
        )
        limits = [v for r in fired if (v := self._amount(r, "credit_limit", facts)) is not None]
        prices = [v for r in fired if (v := self._amount(r, "apr_bps", facts)) is not None]
        return Decision(
            outcome=outcome,
            reason_codes=reason_codes,
            rules_fired=tuple(FiredRule(r.id, r.outcome, r.reason_code) for r in fired),
            policy_id=self.id,
            policy_version=self.version,
            credit_limit=min(limits) if limits else None,
            apr_bps=max(prices) if prices else None,
        )

    def rule(self, rule_id: str) -> Rule:
        """The rule with this id."""
        for rule in self.rules:
            if rule.id == rule_id:
                return rule
        raise KeyError(rule_id)

    def to_dict(self) -> dict[str, Any]:
        """The policy as data; `load_policy(policy.to_dict())` gives an equal policy."""
        data: dict[str, Any] = {"id": self.id, "version": self.version, "kind": self.kind}
        if self.description is not None:
            data["description"] = self.description
        data["default_outcome"] = self.default_outcome
        data["rules"] = [rule.to_dict() for rule in self.rules]
        return data


def load_policy(
    source: str | Path | Mapping[str, Any], *, fields: frozenset[str] | None = None
) -> Policy:
    """Load, validate and compile a policy from YAML/JSON text, a file path or a dict.

    With `fields`, every field path an expression names must be one of them. Raises
    `PolicyError` listing every problem found.
    """
    data = _read(source)
    checked = validate_policy(data, fields=fields)
    rules = tuple(
        Rule(
            id=rule["id"],
            when=rule["when"],
            outcome=rule["outcome"],
            reason_code=rule["reason_code"],
            credit_limit=rule.get("credit_limit"),
            apr_bps=rule.get("apr_bps"),
            description=rule.get("description"),
        )
        for rule in checked["rules"]
    )
    used = frozenset().union(*(_rule_fields(rule) for rule in rules))
    return Policy(
        id=checked["id"],
        version=checked["version"],
        kind=checked["kind"],
        default_outcome=checked["default_outcome"],
        rules=rules,
        description=checked.get("description"),
        fields=used,
    )


def _rule_fields(rule: Rule) -> frozenset[str]:
    used = set(rule.when.fields)
    for value in (rule.credit_limit, rule.apr_bps):
        if isinstance(value, Expression):
            used |= value.fields
    return frozenset(used)


def _read(source: str | Path | Mapping[str, Any]) -> Any:
    if isinstance(source, Mapping):
        return source
    text = source.read_text(encoding="utf-8") if isinstance(source, Path) else source
    try:
        if text.lstrip().startswith("{"):
            return json.loads(text)
        return yaml.safe_load(text)
    except json.JSONDecodeError as error:
        problem = f"not valid JSON: {error.msg} (line {error.lineno})"
        raise PolicyError([PolicyProblem("", problem, error.colno)]) from None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = f" (line {mark.line + 1})" if mark is not None else ""
        column = mark.column + 1 if mark is not None else None
        problem = f"not valid YAML: {getattr(error, 'problem', None) or error}{line}"
        raise PolicyError([PolicyProblem("", problem, column)]) from None


SHIPPED_PACKAGE: Final = "mock_server"


def shipped_policy_names() -> list[str]:
    """The names of the policies shipped in mock_server/policies/."""
    folder = resources.files(SHIPPED_PACKAGE).joinpath("policies")
    if not folder.is_dir():
        return []
    return sorted(item.name[:-5] for item in folder.iterdir() if item.name.endswith(".yaml"))


def load_shipped_policy(name: str, *, fields: frozenset[str] | None = None) -> Policy:
    """Load mock_server/policies/<name>.yaml, validated against its kind's fact fields."""
    if not name.replace("_", "").isalnum():
        raise ValueError(f"invalid policy name {name!r}")
    resource = resources.files(SHIPPED_PACKAGE).joinpath("policies", f"{name}.yaml")
    if not resource.is_file():
        raise FileNotFoundError(f"no shipped policy {name!r} (have: {shipped_policy_names()})")
    text = resource.read_text(encoding="utf-8")
    if fields is None:
        data = yaml.safe_load(text)
        kind = data.get("kind") if isinstance(data, dict) else None
        fields = fields_for_kind(kind) if isinstance(kind, str) else None
    return load_policy(text, fields=fields)


def fields_for_kind(kind: str) -> frozenset[str] | None:
    """The fact paths a policy of this kind may name (None for an unknown kind)."""
    if kind == "onboarding":
        from mock_server.rules.onboarding import ONBOARDING_FACT_FIELDS

        return ONBOARDING_FACT_FIELDS
    if kind == "credit":
        from mock_server.risk.facts import CREDIT_FACT_FIELDS

        return CREDIT_FACT_FIELDS
    return None


def most_severe(outcomes: Sequence[Outcome], default: Outcome) -> Outcome:
    """The most severe of the outcomes, or `default` when there are none."""
    return max(outcomes, key=SEVERITY.__getitem__) if outcomes else default
