"""The loan workflow's steps as the storefront shows them, from a decided checkout."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

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


def _history(checkout: Any) -> list[dict[str, Any]]:
    extra = getattr(checkout, "model_extra", None) or {}
    for name in ("workflow_history", "workflow", "history", "steps"):
        value = extra.get(name)
        if isinstance(value, dict):
            value = value.get("history") or value.get("steps")
        if isinstance(value, list) and value and isinstance(value[0], dict):
            return value
    return []


def _elapsed_ms(entry: dict[str, Any]) -> float | None:
    if isinstance(entry.get("duration_ms"), int | float):
        return float(entry["duration_ms"])
    start, end = entry.get("started_at"), entry.get("finished_at") or entry.get("completed_at")
    if isinstance(start, str) and isinstance(end, str):
        try:
            delta = datetime.fromisoformat(end) - datetime.fromisoformat(start)
        except ValueError:
            return None
        return delta.total_seconds() * 1000
    return None


def _state_for(outcome: str) -> str:
    lowered = outcome.lower()
    if lowered in {"decline", "declined", "fail", "failed", "fraud", "mismatch", "frozen"}:
        return "fail"
    if lowered in {"review", "in_review", "waiting", "pending"}:
        return "warn"
    return "ok"


def _from_history(history: list[dict[str, Any]]) -> list[StepView]:
    seen: dict[str, StepView] = {}
    for entry in history:
        key = str(entry.get("type") or entry.get("step") or entry.get("step_id") or "")
        label = dict(STEP_NAMES).get(key, key.replace("_", " ").capitalize())
        outcome = str(entry.get("outcome") or entry.get("result") or "")
        seen[key] = StepView(key, label, _state_for(outcome), outcome, _elapsed_ms(entry))
    return [seen.get(key, StepView(key, label, "skip")) for key, label in STEP_NAMES] + [
        view for key, view in seen.items() if key not in dict(STEP_NAMES)
    ]


def steps_for(checkout: Any, latency_ms: float | None = None) -> list[StepView]:
    """The steps of a decided checkout: its recorded history, or what its decision implies."""
    history = _history(checkout)
    if history:
        return _from_history(history)
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
