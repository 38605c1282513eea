"""Runs workflow instances: steps through injected handlers, waits, resumes and timers.

The engine knows nothing of credit: the caller passes one handler per step type (the server wires
them to risk and rules; tests pass fakes). Time is always passed in, never read from a clock.
Every call mutates the instance it is given and leaves it consistent, even when it raises.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from types import MappingProxyType
from typing import NoReturn

from mock_server.workflow.definition import (
    JSON,
    TERMINAL_OUTCOMES,
    StepDefinition,
    WorkflowDefinition,
)
from mock_server.workflow.errors import LoopLimitError, StepFailedError, WorkflowError
from mock_server.workflow.instance import ERROR_OUTCOME, StepRecord, WorkflowInstance

__all__ = [
    "BUILTIN_HANDLERS",
    "MAX_STEPS",
    "StepContext",
    "StepHandler",
    "StepResult",
    "advance",
    "amount_gate_handler",
    "cancel",
    "fire_timers",
    "manual_review_handler",
    "resume",
    "start",
]

# Most steps one call may run; a definition may loop (e.g. back to identity) but must not spin.
MAX_STEPS = 100

TIMEOUT_OUTCOME = "timeout"


@dataclass(frozen=True)
class StepContext:
    """What a step handler sees: the instance, the step, the time and the application data."""

    instance: WorkflowInstance
    step: StepDefinition
    now: datetime
    data: Mapping[str, JSON]


@dataclass(frozen=True)
class StepResult:
    """A handler's answer: the outcome (or wait=True to pause) and a summary for the history.

    `updates` are merged into the instance's context, for later steps to read.
    """

    outcome: str
    summary: dict[str, JSON] = field(default_factory=dict)
    wait: bool = False
    updates: dict[str, JSON] = field(default_factory=dict)

    @classmethod
    def waiting(cls, summary: dict[str, JSON] | None = None) -> StepResult:
        """Pause the instance at this step until `resume` or its timer."""
        return cls(outcome="waiting", summary=dict(summary or {}), wait=True)


StepHandler = Callable[[StepContext], StepResult]


def amount_gate_handler(context: StepContext) -> StepResult:
    """Compare the application's `amount_usd` (USD cents) with the step's `threshold_usd`."""
    amount = context.data.get("amount_usd")
    threshold = context.step.params.get("threshold_usd")
    if isinstance(amount, bool) or not isinstance(amount, int):
        raise WorkflowError(
            f"amount_gate needs an integer amount_usd in the context, got {amount!r}"
        )
    if isinstance(threshold, bool) or not isinstance(threshold, int):
        raise WorkflowError(f"amount_gate needs an integer threshold_usd, got {threshold!r}")
    outcome = "above" if amount > threshold else "at_or_below"
    return StepResult(outcome, {"amount_usd": amount, "threshold_usd": threshold})


def manual_review_handler(context: StepContext) -> StepResult:
    """Wait for a reviewer's decision, within the step's SLA."""
    return StepResult.waiting({"sla_hours": context.step.sla_hours})


# Used for a step type the caller gives no handler for; the caller's handlers take precedence.
BUILTIN_HANDLERS: Mapping[str, StepHandler] = MappingProxyType(
    {"amount_gate": amount_gate_handler, "manual_review": manual_review_handler}
)


def start(
    definition: WorkflowDefinition,
    application_id: str,
    handlers: Mapping[str, StepHandler],
    now: datetime,
    context: Mapping[str, JSON] | None = None,
    *,
    instance_id: str | None = None,
    max_steps: int = MAX_STEPS,
) -> WorkflowInstance:
    """Create an instance and run it until it completes or waits.

    Raises StepFailedError or LoopLimitError carrying the instance, which stays at the failed step.
    """
    _require_aware(now)
    resolved = _resolve_handlers(definition, handlers)
    instance = WorkflowInstance(
        id=instance_id or f"wf_{secrets.token_hex(12)}",
        definition_id=definition.id,
        definition_version=definition.version,
        application_id=application_id,
        status="running",
        current_step=definition.start,
        started_at=now,
        context=dict(context or {}),
    )
    _run(instance, definition, resolved, now, max_steps)
    return instance


def advance(
    instance: WorkflowInstance,
    definition: WorkflowDefinition,
    handlers: Mapping[str, StepHandler],
    now: datetime,
    *,
    max_steps: int = MAX_STEPS,
) -> WorkflowInstance:
    """Run a running instance on from its current step, e.g. to retry a step that failed."""
    _check_call(instance, definition, now)
    if instance.status != "running":
        raise WorkflowError(f"workflow instance {instance.id} is {instance.status}, not running")
    _run(instance, definition, _resolve_handlers(definition, handlers), now, max_steps)
    return instance


def resume(
    instance: WorkflowInstance,
    definition: WorkflowDefinition,
    outcome: str,
    handlers: Mapping[str, StepHandler],
    now: datetime,
    summary: Mapping[str, JSON] | None = None,
    *,
    max_steps: int = MAX_STEPS,
) -> WorkflowInstance:
    """Finish the step an instance waits on with `outcome` (a reviewer's decision) and run on."""
    _check_call(instance, definition, now)
    if instance.status != "waiting" or instance.current_step is None:
        raise WorkflowError(
            f"workflow instance {instance.id} is {instance.status}, not waiting; "
            "only a waiting instance can be resumed"
        )
    step = definition.step(instance.current_step)
    allowed = [name for name in step.outcomes if name != TIMEOUT_OUTCOME]
    if outcome not in allowed:
        raise WorkflowError(
            f"step {step.id!r} ({step.type}) cannot be resumed with {outcome!r}; "
            f"expected one of {', '.join(allowed)}"
        )
    if instance.deadline is not None and now >= instance.deadline:
        raise WorkflowError(
            f"workflow instance {instance.id} passed its deadline {instance.deadline.isoformat()}; "
            "fire its timers instead of resuming it"
        )
    resolved = _resolve_handlers(definition, handlers)
    _finish_wait(instance, step, outcome, now, dict(summary or {}))
    _run(instance, definition, resolved, now, max_steps)
    return instance


def fire_timers(
    instance: WorkflowInstance,
    definition: WorkflowDefinition,
    handlers: Mapping[str, StepHandler],
    now: datetime,
    *,
    max_steps: int = MAX_STEPS,
) -> bool:
    """Take the waiting step's `timeout` transition once its deadline is reached; True if it did."""
    _check_call(instance, definition, now)
    if instance.status != "waiting" or instance.deadline is None or now < instance.deadline:
        return False
    assert instance.current_step is not None
    step = definition.step(instance.current_step)
    resolved = _resolve_handlers(definition, handlers)
    summary: dict[str, JSON] = {"timed_out": True, "deadline": instance.deadline.isoformat()}
    _finish_wait(instance, step, TIMEOUT_OUTCOME, now, summary)
    _run(instance, definition, resolved, now, max_steps)
    return True


def cancel(
    instance: WorkflowInstance, now: datetime, reason: str | None = None
) -> WorkflowInstance:
    """End a running or waiting instance as `canceled`."""
    _require_aware(now)
    if instance.status == "completed":
        raise WorkflowError(f"workflow instance {instance.id} is already {instance.outcome}")
    record = instance.open_record
    if record is not None:
        record.finished_at = now
        record.outcome = "canceled"
        record.summary["canceled_reason"] = reason
    _clear_wait(instance)
    _complete(instance, "canceled", now)
    return instance


def _run(
    instance: WorkflowInstance,
    definition: WorkflowDefinition,
    handlers: Mapping[str, StepHandler],
    now: datetime,
    max_steps: int,
) -> None:
    taken = 0
    while instance.status == "running" and instance.current_step is not None:
        if taken >= max_steps:
            message = (
                f"workflow instance {instance.id} ran {taken} steps without finishing "
                f"(limit {max_steps}); stopped at step {instance.current_step!r}"
            )
            instance.last_error = message
            raise LoopLimitError(message, instance=instance)
        step = definition.step(instance.current_step)
        result = _run_step(instance, step, handlers[step.type], now)
        taken += 1
        if result.wait:
            instance.status = "waiting"
            instance.waiting_since = now
            has_timer = TIMEOUT_OUTCOME in step.outcomes
            instance.deadline = now + timedelta(hours=step.sla_hours) if has_timer else None
            return
        _transition(instance, step, result.outcome, now)


def _run_step(
    instance: WorkflowInstance, step: StepDefinition, handler: StepHandler, now: datetime
) -> StepResult:
    record = StepRecord(step_id=step.id, type=step.type, started_at=now)
    instance.history.append(record)
    context = StepContext(instance, step, now, MappingProxyType(instance.context))
    try:
        result = handler(context)
    except Exception as exc:
        _fail(instance, step, record, now, f"{type(exc).__name__}: {exc}", exc)
    if not isinstance(result, StepResult):
        _fail(instance, step, record, now, f"handler returned {type(result).__name__}", None)
    if not result.wait and result.outcome not in step.outcomes:
        problem = (
            f"handler answered unknown outcome {result.outcome!r}; "
            f"expected one of {', '.join(step.outcomes)}"
        )
        _fail(instance, step, record, now, problem, None)
    record.summary = dict(result.summary)
    instance.context.update(result.updates)
    instance.last_error = None
    if not result.wait:
        record.finished_at = now
        record.outcome = result.outcome
    return result


def _fail(
    instance: WorkflowInstance,
    step: StepDefinition,
    record: StepRecord,
    now: datetime,
    problem: str,
    cause: BaseException | None,
) -> NoReturn:
    record.finished_at = now
    record.outcome = ERROR_OUTCOME
    record.summary = {"error": problem}
    instance.last_error = problem
    message = f"step {step.id!r} ({step.type}) of workflow instance {instance.id} failed: {problem}"
    raise StepFailedError(message, instance=instance, step_id=step.id) from cause


def _finish_wait(
    instance: WorkflowInstance,
    step: StepDefinition,
    outcome: str,
    now: datetime,
    summary: dict[str, JSON],
) -> None:
    record = instance.open_record
    if record is not None and record.step_id == step.id:
        record.finished_at = now
        record.outcome = outcome
        record.summary.update(summary)
    _clear_wait(instance)
    instance.status = "running"
    _transition(instance, step, outcome, now)


def _transition(
    instance: WorkflowInstance, step: StepDefinition, outcome: str, now: datetime
) -> None:
    target = step.next_for(outcome)
    if target in TERMINAL_OUTCOMES:
        _complete(instance, target, now)
    else:
        instance.current_step = target


def _complete(instance: WorkflowInstance, outcome: str, now: datetime) -> None:
    instance.status = "completed"
    instance.outcome = outcome
    instance.current_step = None
    instance.completed_at = now


def _clear_wait(instance: WorkflowInstance) -> None:
    instance.waiting_since = None
    instance.deadline = None


def _resolve_handlers(
    definition: WorkflowDefinition, handlers: Mapping[str, StepHandler]
) -> dict[str, StepHandler]:
    resolved = {**BUILTIN_HANDLERS, **handlers}
    missing = sorted(definition.step_types - set(resolved))
    if missing:
        raise WorkflowError(
            f"workflow {definition.id!r} needs handlers for step types: {', '.join(missing)}"
        )
    return resolved


def _check_call(instance: WorkflowInstance, definition: WorkflowDefinition, now: datetime) -> None:
    _require_aware(now)
    if (instance.definition_id, instance.definition_version) != (definition.id, definition.version):
        raise WorkflowError(
            f"workflow instance {instance.id} follows {instance.definition_id!r} "
            f"v{instance.definition_version}, not {definition.id!r} v{definition.version}"
        )
    last = instance.history[-1] if instance.history else None
    latest = (last.finished_at or last.started_at) if last is not None else instance.started_at
    if now < latest:
        raise WorkflowError(
            f"now {now.isoformat()} is before the instance's last step at {latest.isoformat()}"
        )


def _require_aware(now: datetime) -> None:
    if now.tzinfo is None or now.utcoffset() is None:
        raise WorkflowError(f"now must be a timezone-aware datetime, got {now.isoformat()}")
