"""Dry runs: what a policy would decide over a batch of applications, before it goes live."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Any

from mock_server.rules.compiler import Facts
from mock_server.rules.errors import EvaluationError
from mock_server.rules.policy import Decision, Policy
from mock_server.rules.validation import OUTCOMES

TOP_REASON_CODES = 10


@dataclass(frozen=True)
class OutcomeMix:
    """How many decisions had each outcome, with rates in basis points of the decided count."""

    counts: dict[str, int]

    @property
    def total(self) -> int:
        """The number of decisions counted."""
        return sum(self.counts.values())

    def rate_bps(self, outcome: str) -> int:
        """The share of decisions with this outcome, in basis points (rounded half up)."""
        total = self.total
        return (self.counts.get(outcome, 0) * 20000 + total) // (2 * total) if total else 0

    def to_dict(self) -> dict[str, Any]:
        """Counts and rates (bps) per outcome."""
        return {
            "counts": dict(self.counts),
            "rates_bps": {outcome: self.rate_bps(outcome) for outcome in self.counts},
        }


@dataclass(frozen=True)
class DecisionChange:
    """An application whose outcome differs between the baseline and the candidate policy."""

    index: int
    from_outcome: str
    to_outcome: str

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: `{index, from, to}`."""
        return {"index": self.index, "from": self.from_outcome, "to": self.to_outcome}


@dataclass(frozen=True)
class DryRunReport:
    """The result of a dry run; `to_dict()` is what the admin API answers."""

    policy_id: str
    policy_version: int
    count: int
    mix: OutcomeMix
    rule_hits: dict[str, int]
    top_reason_codes: list[tuple[str, int]]
    errors: list[tuple[int, str]]
    baseline_id: str | None = None
    baseline_version: int | None = None
    baseline_mix: OutcomeMix | None = None
    changes: list[DecisionChange] | None = None

    @property
    def approval_rate_bps(self) -> int:
        """The share of decided applications approved, in basis points."""
        return self.mix.rate_bps("approve")

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict of the report."""
        data: dict[str, Any] = {
            "policy_id": self.policy_id,
            "policy_version": self.policy_version,
            "count": self.count,
            "outcomes": self.mix.to_dict(),
            "approval_rate_bps": self.approval_rate_bps,
            "rule_hits": dict(self.rule_hits),
            "top_reason_codes": [{"code": c, "count": n} for c, n in self.top_reason_codes],
            "errors": [{"index": i, "message": m} for i, m in self.errors],
        }
        if self.baseline_mix is not None and self.changes is not None:
            data["baseline"] = {
                "policy_id": self.baseline_id,
                "policy_version": self.baseline_version,
                "outcomes": self.baseline_mix.to_dict(),
                "approval_rate_bps": self.baseline_mix.rate_bps("approve"),
            }
            data["changed_count"] = len(self.changes)
            data["changes"] = [change.to_dict() for change in self.changes]
        return data


def _decide_all(
    policy: Policy, batch: list[Facts]
) -> tuple[list[Decision | None], list[tuple[int, str]]]:
    decisions: list[Decision | None] = []
    errors: list[tuple[int, str]] = []
    for index, facts in enumerate(batch):
        try:
            decisions.append(policy.evaluate(facts))
        except EvaluationError as error:
            decisions.append(None)
            errors.append((index, str(error)))
    return decisions, errors


def _mix(decisions: list[Decision | None]) -> OutcomeMix:
    counts = dict.fromkeys(OUTCOMES, 0)
    for decision in decisions:
        if decision is not None:
            counts[decision.outcome] += 1
    return OutcomeMix(counts)


def dry_run(
    policy: Policy, facts_batch: Iterable[Facts], *, baseline: Policy | None = None
) -> DryRunReport:
    """Evaluate `policy` over every application (and `baseline`, to list what would change).

    An application the policy cannot evaluate is listed under `errors` and left out of the mix.
    """
    batch = list(facts_batch)
    decisions, errors = _decide_all(policy, batch)
    hits = dict.fromkeys((rule.id for rule in policy.rules), 0)
    reasons: Counter[str] = Counter()
    for decision in decisions:
        if decision is None:
            continue
        for fired in decision.rules_fired:
            hits[fired.rule_id] += 1
        reasons.update(decision.reason_codes)
    top = sorted(reasons.items(), key=lambda item: (-item[1], item[0]))[:TOP_REASON_CODES]
    report = DryRunReport(
        policy_id=policy.id,
        policy_version=policy.version,
        count=len(batch),
        mix=_mix(decisions),
        rule_hits=hits,
        top_reason_codes=top,
        errors=errors,
    )
    if baseline is None:
        return report
    before, baseline_errors = _decide_all(baseline, batch)
    changes = [
        DecisionChange(index, old.outcome, new.outcome)
        for index, (old, new) in enumerate(zip(before, decisions, strict=True))
        if old is not None and new is not None and old.outcome != new.outcome
    ]
    return replace(
        report,
        errors=report.errors + [(i, f"baseline: {message}") for i, message in baseline_errors],
        baseline_id=baseline.id,
        baseline_version=baseline.version,
        baseline_mix=_mix(before),
        changes=changes,
    )
