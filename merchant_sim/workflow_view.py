"""The loan workflow's steps as the storefront shows them, from a decided checkout."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from installo.types import WorkflowStep

__all__ = ["STEP_NAMES", "StepView", "steps_for", "steps_pending"]

STEP_NAMES: tuple[tuple[str, str], ...] = (
    ("identity_check", "Identity"),
    ("credit_report", "Credit report"),
    ("fraud_screen", "Fraud screen"),
    ("decision", "Decision"),
    ("manual_review", "Review"),
)
_FRAUD_WORDS = ("FRAUD", "VELOCITY", "IDENTITY", "DEVICE")


@dataclass(frozen=True)
class StepView:
    """One workflow step: its state (pending, running, ok, warn, fail, skip) and outcome."""

    key: str
    label: str
    state: str = "pending"
    outcome: str = ""
    ms: float | None = None


def steps_pending(running: int = -1) -> list[StepView]:
    """All steps waiting, with the one at index ``running`` marked running."""
    return [
        StepView(key, label, "running" if i == running else "pending")
        for i, (key, label) in enumerate(STEP_NAMES)
    ]


def _step_ms(step: WorkflowStep) -> float | None:
    """The real time a step's work took, in milliseconds (the sandbox measures microseconds)."""
    return None if step.elapsed_us is None else step.elapsed_us / 1000


def _state_for(outcome: str) -> str:
    lowered = outcome.lower()
    if lowered in {"decline", "declined", "fail", "failed", "fraud", "mismatch", "frozen"}:
        return "fail"
    if lowered in {"review", "in_review", "waiting", "pending"}:
        return "warn"
    return "ok"


def _from_workflow(steps: list[WorkflowStep]) -> list[StepView]:
    names = dict(STEP_NAMES)
    seen: dict[str, StepView] = {}
    for step in steps:
        label = names.get(step.type, step.type.replace("_", " ").capitalize())
        outcome = step.outcome or ("waiting" if step.finished_at is None else "")
        seen[step.type] = StepView(step.type, label, _state_for(outcome), outcome, _step_ms(step))
    return [seen.get(key, StepView(key, label, "skip")) for key, label in STEP_NAMES] + [
        view for key, view in seen.items() if key not in names
    ]


def steps_for(checkout: Any, latency_ms: float | None = None) -> list[StepView]:
    """The steps of a decided checkout: the process the sandbox ran, or what its decision implies.

    A sandbox that does not report its workflow still gets a faithful picture from the decision.
    """
    workflow = getattr(checkout, "workflow", None)
    if workflow is not None and workflow.steps:
        return _from_workflow(workflow.steps)
    decision = getattr(checkout, "decision", None)
    if decision is None:
        return steps_pending()
    outcome = str(decision.outcome)
    codes = [str(c) for c in decision.reason_codes]
    fraud = [c for c in codes if any(w in c for w in _FRAUD_WORDS)]
    frozen = any("FROZEN" in c for c in codes)
    score = f"score {decision.score}" if decision.score is not None else "pulled"
    review_state = {"review": ("warn", "waiting")}.get(outcome, ("skip", ""))
    if str(checkout.status) in {"approved", "declined"} and outcome == "review":
        review_state = ("ok" if checkout.status == "approved" else "fail", str(checkout.status))
    return [
        StepView("identity_check", "Identity", "ok", "verified"),
        StepView("credit_report", "Credit report", "fail" if frozen else "ok", score),
        StepView(
            "fraud_screen",
            "Fraud screen",
            "fail" if fraud else "ok",
            fraud[0] if fraud else "clear",
        ),
        StepView("decision", "Decision", _state_for(outcome), outcome, latency_ms),
        StepView("manual_review", "Review", review_state[0], review_state[1]),
    ]
