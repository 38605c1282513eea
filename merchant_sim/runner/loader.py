"""Load scenario files, turning every problem into an error that names its line."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from merchant_sim.runner.schema import OFFER_CHOICES, Scenario
from mock_server.domain import DEFAULT_PLANS

__all__ = ["ScenarioError", "ScenarioIssue", "load_scenario", "parse_scenario"]


@dataclass(frozen=True)
class ScenarioIssue:
    """One problem in a scenario file, at a 1-based line (0: the file as a whole)."""

    line: int
    path: str
    message: str


class ScenarioError(ValueError):
    """A scenario file that cannot be run; ``issues`` lists each problem with its line."""

    def __init__(self, source: str, issues: Sequence[ScenarioIssue]) -> None:
        self.source = source
        self.issues = list(issues)
        super().__init__("\n".join(self.lines()))

    def lines(self) -> list[str]:
        """One ``source:line: path: message`` string per issue."""
        out = []
        for issue in self.issues:
            where = f"{issue.path}: " if issue.path else ""
            at = f"{self.source}:{issue.line}:" if issue.line > 0 else f"{self.source}:"
            out.append(f"{at} {where}{issue.message}")
        return out


def _node_line(root: yaml.Node, loc: Sequence[int | str]) -> int:
    """The line of the deepest node along ``loc`` (a pydantic error location)."""
    node = root
    for part in loc:
        child: yaml.Node | None = None
        if isinstance(node, yaml.MappingNode):
            for key_node, value_node in node.value:
                if str(key_node.value) == str(part):
                    child = value_node
                    break
        elif (
            isinstance(node, yaml.SequenceNode)
            and isinstance(part, int)
            and 0 <= part < len(node.value)
        ):
            child = node.value[part]
        if child is None:
            break
        node = child
    return int(node.start_mark.line) + 1


def _dotted(loc: Sequence[int | str]) -> str:
    text = ""
    for part in loc:
        if isinstance(part, int):
            text += f"[{part}]"
        elif part != "[key]":
            text += f".{part}" if text else str(part)
    return text


def _compose(text: str, source: str) -> tuple[yaml.Node, Any]:
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else 1
        raise ScenarioError(source, [ScenarioIssue(line, "", str(exc.problem or exc))]) from exc
    if root is None or not isinstance(root, yaml.MappingNode) or not isinstance(data, dict):
        line = int(root.start_mark.line) + 1 if root is not None else 1
        raise ScenarioError(source, [ScenarioIssue(line, "", "a scenario is a YAML mapping")])
    return root, data


def parse_scenario(text: str, source: str = "<scenario>") -> Scenario:
    """Parse and validate scenario YAML text; raises ``ScenarioError`` naming each bad line."""
    root, data = _compose(text, source)
    try:
        scenario = Scenario.model_validate(data)
    except ValidationError as exc:
        issues = []
        for err in exc.errors(include_url=False):
            loc = [p for p in err["loc"] if isinstance(p, int | str)]
            message = str(err["msg"]).removeprefix("Value error, ")
            issues.append(ScenarioIssue(_node_line(root, loc), _dotted(loc), message))
        issues.sort(key=lambda issue: issue.line)
        raise ScenarioError(source, issues) from None
    problems = cross_checks(scenario)
    if problems:
        issues = [ScenarioIssue(_node_line(root, loc), _dotted(loc), msg) for loc, msg in problems]
        raise ScenarioError(source, issues)
    return scenario


def cross_checks(scenario: Scenario) -> list[tuple[list[int | str], str]]:
    """What each field alone cannot tell: plans the sandbox really offers, and expectations on
    tiers the traffic never sends (which could only fail with "got 0")."""
    known = [plan.id for plan in DEFAULT_PLANS]
    offered = scenario.store.plans or known
    problems: list[tuple[list[int | str], str]] = []
    for index, plan in enumerate(scenario.store.plans or []):
        if plan not in known:
            problems.append(
                (["store", "plans", index], f"no plan {plan!r}; plans are {', '.join(known)}")
            )
    choice = scenario.traffic.offer_choice
    if choice not in OFFER_CHOICES and choice not in offered:
        problems.append(
            (
                ["traffic", "offer_choice"],
                f"no offered plan {choice!r}; offered: {', '.join(offered)}",
            )
        )
    sent = {tier for tier, weight in scenario.traffic.tiers.items() if weight > 0}
    for index, expectation in enumerate(scenario.expect):
        if expectation.tier is not None and expectation.tier not in sent:
            problems.append(
                (
                    ["expect", index, "tier"],
                    f"the traffic sends no {expectation.tier} shoppers "
                    f"(traffic.tiers: {', '.join(sorted(sent))})",
                )
            )
    return problems


def load_scenario(path: str | Path) -> Scenario:
    """Read and validate a scenario file."""
    file = Path(path)
    try:
        text = file.read_text(encoding="utf-8")
    except OSError as exc:
        raise ScenarioError(str(file), [ScenarioIssue(0, "", f"cannot read: {exc}")]) from exc
    return parse_scenario(text, str(file))
