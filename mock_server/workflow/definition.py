"""Loan process definitions: steps, their outcomes and transitions, validated from data."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any, TypeAlias

from mock_server.workflow.errors import WorkflowError
from mock_server.workflow.params import STEP_PARAMS

__all__ = [
    "JSON",
    "SHIPPED_DEFINITIONS",
    "STEP_OUTCOMES",
    "TERMINAL_OUTCOMES",
    "StepDefinition",
    "WorkflowDefinition",
    "load_definition",
    "load_shipped_definition",
    "load_shipped_definitions",
]

JSON: TypeAlias = bool | int | str | list["JSON"] | dict[str, "JSON"] | None

TERMINAL_OUTCOMES: frozenset[str] = frozenset({"approved", "declined", "canceled"})

STEP_OUTCOMES: Mapping[str, tuple[str, ...]] = {
    "identity_check": ("pass", "fail"),
    "credit_report": ("pulled", "frozen", "no_file"),
    "fraud_screen": ("clear", "suspect", "fraud"),
    "decision": ("approve", "review", "decline"),
    "manual_review": ("approve", "decline", "timeout"),
    "agreement": ("accepted", "rejected"),
    "authorization": ("authorized", "failed"),
    "amount_gate": ("above", "at_or_below"),
}

SHIPPED_DEFINITIONS: tuple[str, ...] = ("standard", "strict")

DEFAULT_SLA_HOURS = 48

_ID_PATTERN = re.compile(r"^[a-z][a-z0-9_]{0,63}$")
_TOP_LEVEL_KEYS = frozenset({"id", "version", "description", "start", "steps"})
_STEP_KEYS = frozenset({"id", "type", "description", "params", "on"})


@dataclass(frozen=True)
class StepDefinition:
    """One step of a loan process: its type, params and where each outcome leads."""

    id: str
    type: str
    on: Mapping[str, str]
    params: Mapping[str, JSON] = field(default_factory=dict)
    description: str = ""

    @property
    def outcomes(self) -> tuple[str, ...]:
        """The outcomes this step's type can produce."""
        return STEP_OUTCOMES[self.type]

    @property
    def sla_hours(self) -> int:
        """Hours a waiting step may wait before its timer fires."""
        value = self.params.get("sla_hours", DEFAULT_SLA_HOURS)
        return value if isinstance(value, int) else DEFAULT_SLA_HOURS

    def next_for(self, outcome: str) -> str:
        """The step id or terminal outcome that `outcome` leads to."""
        if outcome not in self.on:
            raise WorkflowError(
                f"step {self.id!r} ({self.type}) has no transition for outcome {outcome!r}; "
                f"expected one of {', '.join(self.outcomes)}"
            )
        return self.on[outcome]

    def to_dict(self) -> dict[str, JSON]:
        """The step as plain data, in the shape `load_definition` accepts."""
        data: dict[str, JSON] = {"id": self.id, "type": self.type}
        if self.description:
            data["description"] = self.description
        if self.params:
            data["params"] = dict(self.params)
        data["on"] = dict(self.on)
        return data


@dataclass(frozen=True)
class WorkflowDefinition:
    """A validated loan process: an id, a version, a start step and the steps."""

    id: str
    version: int
    start: str
    steps: tuple[StepDefinition, ...]
    description: str = ""

    def step(self, step_id: str) -> StepDefinition:
        """The step with this id; a WorkflowError if there is none."""
        for step in self.steps:
            if step.id == step_id:
                return step
        raise WorkflowError(f"workflow {self.id!r} v{self.version} has no step {step_id!r}")

    @property
    def step_types(self) -> frozenset[str]:
        """Every step type the definition uses."""
        return frozenset(step.type for step in self.steps)

    def to_dict(self) -> dict[str, JSON]:
        """The definition as plain data; `load_definition(d.to_dict()) == d`."""
        return {
            "id": self.id,
            "version": self.version,
            "description": self.description,
            "start": self.start,
            "steps": [step.to_dict() for step in self.steps],
        }


@cache
def _strict_boolean_loader() -> Any:
    """A safe YAML loader (libyaml's parser when installed: 20x faster than the pure-Python one)
    for which only true/false are booleans: YAML 1.1 reads `on:`, `yes` and `no` as booleans.
    PyYAML loads with the first definition parsed (none is at start)."""
    import yaml

    base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    loader: Any = type("_Loader", (base,), {})
    loader.yaml_implicit_resolvers = {
        first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:bool"]
        for first, resolvers in base.yaml_implicit_resolvers.items()
    }
    loader.add_implicit_resolver(
        "tag:yaml.org,2002:bool",
        re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
        list("tTfF"),
    )
    return loader


def load_definition(source: str | Mapping[str, Any]) -> WorkflowDefinition:
    """Parse (YAML or JSON text, or a mapping) and validate a loan process definition."""
    if isinstance(source, str):
        import yaml

        try:
            data = yaml.load(source, Loader=_strict_boolean_loader())
        except yaml.YAMLError as exc:
            raise WorkflowError(f"workflow definition is not valid YAML: {exc}") from exc
    else:
        data = source
    if not isinstance(data, Mapping):
        raise WorkflowError(
            f"workflow definition must be a mapping, got {type(data).__name__}",
        )
    return _Validator(data).build()


def load_shipped_definition(name: str) -> WorkflowDefinition:
    """Load one of the definitions shipped in `mock_server/workflow/definitions/`."""
    if name not in SHIPPED_DEFINITIONS:
        raise WorkflowError(
            f"no shipped workflow definition {name!r}; available: {', '.join(SHIPPED_DEFINITIONS)}"
        )
    text = resources.files("mock_server.workflow").joinpath(f"definitions/{name}.yaml").read_text()
    return load_definition(text)


def load_shipped_definitions() -> dict[str, WorkflowDefinition]:
    """Every shipped definition, by name."""
    return {name: load_shipped_definition(name) for name in SHIPPED_DEFINITIONS}


class _Validator:
    """Collects every problem of a raw definition before building it."""

    def __init__(self, data: Mapping[str, Any]) -> None:
        self.data = data
        self.problems: list[str] = []
        self.declared_ids: set[str] = set()

    def build(self) -> WorkflowDefinition:
        data = self.data
        for key in sorted(set(map(str, data)) - _TOP_LEVEL_KEYS):
            self.problems.append(f"unknown field {key!r}")
        def_id = data.get("id")
        if not isinstance(def_id, str) or not _ID_PATTERN.match(def_id):
            self.problems.append(f"id must be lowercase letters, digits and _, got {def_id!r}")
        version = data.get("version")
        if isinstance(version, bool) or not isinstance(version, int) or version < 1:
            self.problems.append(f"version must be an integer >= 1, got {version!r}")
        description = data.get("description", "")
        if not isinstance(description, str):
            self.problems.append(f"description must be a string, got {description!r}")
        steps = self._steps(data.get("steps"))
        start = data.get("start")
        if not isinstance(start, str) or start not in self.declared_ids:
            self.problems.append(f"start must name a step, got {start!r}")
        self._check_transitions(steps, self.declared_ids)
        # The graph checks need every step built; a broken step was reported already.
        built_all = len(steps) == len(self.declared_ids)
        if isinstance(start, str) and start in self.declared_ids and built_all:
            self._check_graph(steps, start)
        if self.problems:
            name = def_id if isinstance(def_id, str) else "<no id>"
            count = len(self.problems)
            raise WorkflowError(
                f"workflow definition {name!r} is invalid ({count} problem{'s' * (count != 1)}):",
                problems=self.problems,
            )
        assert isinstance(def_id, str) and isinstance(version, int) and isinstance(start, str)
        return WorkflowDefinition(
            id=def_id, version=version, start=start, steps=tuple(steps), description=description
        )

    def _steps(self, raw: Any) -> list[StepDefinition]:
        if not isinstance(raw, list) or not raw:
            self.problems.append("steps must be a non-empty list")
            return []
        steps: list[StepDefinition] = []
        seen: set[str] = set()
        for index, raw_step in enumerate(raw):
            step = self._step(index, raw_step)
            if step is None:
                continue
            if step.id in seen:
                self.problems.append(f"steps[{index}]: duplicate step id {step.id!r}")
                continue
            seen.add(step.id)
            steps.append(step)
        return steps

    def _step(self, index: int, raw: Any) -> StepDefinition | None:
        where = f"steps[{index}]"
        if not isinstance(raw, Mapping):
            self.problems.append(f"{where}: a step must be a mapping, got {raw!r}")
            return None
        step_id = raw.get("id")
        if isinstance(step_id, str) and _ID_PATTERN.match(step_id):
            where = f"step {step_id!r}"
            self.declared_ids.add(step_id)
            if step_id in TERMINAL_OUTCOMES:
                self.problems.append(f"{where}: a step cannot be named like a terminal outcome")
        else:
            self.problems.append(f"{where}: id must be lowercase letters, digits and _")
        for key in sorted(set(map(str, raw)) - _STEP_KEYS):
            self.problems.append(f"{where}: unknown field {key!r}")
        step_type = raw.get("type")
        if not isinstance(step_type, str) or step_type not in STEP_OUTCOMES:
            self.problems.append(
                f"{where}: unknown step type {step_type!r}; "
                f"expected one of {', '.join(STEP_OUTCOMES)}"
            )
        description = raw.get("description", "")
        if not isinstance(description, str):
            self.problems.append(f"{where}: description must be a string")
        params = raw.get("params") or {}
        if not isinstance(params, Mapping):
            self.problems.append(f"{where}: params must be a mapping, got {params!r}")
            params = {}
        on = raw.get("on")
        if not isinstance(on, Mapping):
            self.problems.append(f"{where}: on must map each outcome to a step or terminal")
            on = {}
        if not isinstance(step_id, str) or not isinstance(step_type, str):
            return None
        if step_type not in STEP_OUTCOMES:
            return None
        on = {str(key): value for key, value in on.items()}
        self._check_params(where, step_type, params, on)
        return StepDefinition(
            id=step_id,
            type=step_type,
            on=on,
            params=dict(params),
            description=description if isinstance(description, str) else "",
        )

    def _check_params(
        self, where: str, step_type: str, params: Mapping[str, Any], on: dict[str, Any]
    ) -> None:
        spec = STEP_PARAMS[step_type]
        for key in sorted(set(map(str, params)) - set(spec)):
            allowed = ", ".join(spec) or "none"
            self.problems.append(
                f"{where}: unknown param {key!r} for {step_type} (allowed: {allowed})"
            )
        for name, (required, check) in spec.items():
            if name not in params:
                if required:
                    self.problems.append(f"{where}: {step_type} needs param {name!r}")
                continue
            wrong = check(params[name])
            if wrong is not None:
                self.problems.append(f"{where}: param {name!r} {wrong}")
        on_timeout = params.get("on_timeout")
        if isinstance(on_timeout, str) and on_timeout:
            # on_timeout is shorthand for the `timeout` transition; both given must agree.
            if "timeout" not in on:
                on["timeout"] = on_timeout
            elif on["timeout"] != on_timeout:
                self.problems.append(
                    f"{where}: param on_timeout {on_timeout!r} disagrees with "
                    f"on.timeout {on['timeout']!r}"
                )

    def _check_transitions(self, steps: list[StepDefinition], ids: set[str]) -> None:
        for step in steps:
            where = f"step {step.id!r}"
            for outcome in step.outcomes:
                if outcome not in step.on:
                    self.problems.append(
                        f"{where}: no transition for {step.type} outcome {outcome!r}"
                    )
            for outcome, target in step.on.items():
                if outcome not in step.outcomes:
                    self.problems.append(
                        f"{where}: {step.type} has no outcome {outcome!r}; "
                        f"expected one of {', '.join(step.outcomes)}"
                    )
                elif not isinstance(target, str) or (
                    target not in ids and target not in TERMINAL_OUTCOMES
                ):
                    self.problems.append(
                        f"{where}: outcome {outcome!r} goes to unknown step {target!r}"
                    )

    def _check_graph(self, steps: list[StepDefinition], start: str) -> None:
        by_id = {step.id: step for step in steps}
        reachable: set[str] = set()
        pending = [start]
        while pending:
            step_id = pending.pop()
            if step_id in reachable or step_id not in by_id:
                continue
            reachable.add(step_id)
            pending.extend(_targets(by_id[step_id]))
        for step in steps:
            if step.id not in reachable:
                self.problems.append(f"step {step.id!r} is unreachable from start {start!r}")
        # A step can finish when some transition reaches a terminal or a step that can finish.
        can_finish: set[str] = set()
        changed = True
        while changed:
            changed = False
            for step in steps:
                if step.id not in can_finish and any(
                    target in TERMINAL_OUTCOMES or target in can_finish for target in _targets(step)
                ):
                    can_finish.add(step.id)
                    changed = True
        for step in steps:
            if step.id in reachable and step.id not in can_finish:
                self.problems.append(
                    f"step {step.id!r} has no path to a terminal outcome (a cycle without exit)"
                )


def _targets(step: StepDefinition) -> list[str]:
    # Before validation passes a target may be anything; only text can name a step.
    targets: list[Any] = list(step.on.values())
    return [target for target in targets if isinstance(target, str)]
