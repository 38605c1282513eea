"""Running workflow instances with fake step handlers: paths, waits, timers and failures."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from mock_server.workflow.definition import (
    JSON,
    WorkflowDefinition,
    load_definition,
    load_shipped_definition,
)
from mock_server.workflow.engine import (
    StepContext,
    StepHandler,
    StepResult,
    advance,
    cancel,
    fire_timers,
    resume,
    start,
)
from mock_server.workflow.errors import LoopLimitError, StepFailedError, WorkflowError
from mock_server.workflow.instance import WorkflowInstance

T0 = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
HAPPY = {
    "identity_check": "pass",
    "credit_report": "pulled",
    "fraud_screen": "clear",
    "decision": "approve",
    "agreement": "accepted",
    "authorization": "authorized",
}


def scripted(**overrides: str) -> dict[str, StepHandler]:
    """Handlers answering one fixed outcome per step type, each summary naming its step."""
    outcomes = {**HAPPY, **overrides}

    def handler_for(outcome: str) -> StepHandler:
        def handler(context: StepContext) -> StepResult:
            return StepResult(outcome, {"step": context.step.id, "answer": outcome})

        return handler

    return {step_type: handler_for(outcome) for step_type, outcome in outcomes.items()}


@pytest.fixture
def standard() -> WorkflowDefinition:
    return load_shipped_definition("standard")


@pytest.fixture
def strict() -> WorkflowDefinition:
    return load_shipped_definition("strict")


def run(definition: WorkflowDefinition, handlers: dict[str, StepHandler], **context: Any) -> Any:
    return start(definition, "chk_1", handlers, T0, context, instance_id="wf_test")


def steps_of(instance: WorkflowInstance) -> list[tuple[str, str | None]]:
    return [(record.step_id, record.outcome) for record in instance.history]


def test_approve_path_runs_every_step_to_approved(standard: WorkflowDefinition) -> None:
    instance = run(standard, scripted())
    assert (instance.status, instance.outcome, instance.current_step) == (
        "completed",
        "approved",
        None,
    )
    assert steps_of(instance) == [
        ("identity", "pass"),
        ("credit", "pulled"),
        ("fraud", "clear"),
        ("decision", "approve"),
        ("agreement", "accepted"),
        ("authorization", "authorized"),
    ]
    assert instance.completed_at == T0
    assert (instance.id, instance.application_id) == ("wf_test", "chk_1")
    assert (instance.definition_id, instance.definition_version) == ("standard", 1)


def test_decline_path_stops_at_the_decision(standard: WorkflowDefinition) -> None:
    instance = run(standard, scripted(decision="decline"))
    assert (instance.status, instance.outcome) == ("completed", "declined")
    assert steps_of(instance)[-1] == ("decision", "decline")
    assert len(instance.history) == 4


def test_frozen_credit_file_declines_before_the_fraud_screen(standard: WorkflowDefinition) -> None:
    instance = run(standard, scripted(credit_report="frozen"))
    assert instance.outcome == "declined"
    assert steps_of(instance) == [("identity", "pass"), ("credit", "frozen")]


def test_rejected_agreement_ends_canceled(standard: WorkflowDefinition) -> None:
    instance = run(standard, scripted(agreement="rejected"))
    assert instance.outcome == "canceled"


def test_review_path_waits_with_a_deadline_of_the_sla(standard: WorkflowDefinition) -> None:
    instance = run(standard, scripted(decision="review"))
    assert (instance.status, instance.current_step, instance.outcome) == ("waiting", "review", None)
    assert instance.waiting_since == T0
    assert instance.deadline == T0 + timedelta(hours=48)
    review = instance.history[-1]
    assert (review.step_id, review.finished_at, review.outcome) == ("review", None, None)
    assert review.summary == {"sla_hours": 48}
    assert review.duration_ms is None


def test_resume_with_approval_finishes_the_loan_process(standard: WorkflowDefinition) -> None:
    instance = run(standard, scripted(decision="review"))
    later = T0 + timedelta(hours=5)
    resume(instance, standard, "approve", scripted(), later, {"reviewer": "ops_1"})
    assert (instance.status, instance.outcome) == ("completed", "approved")
    review = next(record for record in instance.history if record.step_id == "review")
    assert (review.outcome, review.finished_at) == ("approve", later)
    assert review.summary == {"sla_hours": 48, "reviewer": "ops_1"}
    assert review.duration_ms == 5 * 3600 * 1000
    assert instance.history[-2].step_id == "agreement"
    assert instance.history[-2].started_at == later
    assert (instance.waiting_since, instance.deadline) == (None, None)


def test_resume_with_decline_ends_declined(standard: WorkflowDefinition) -> None:
    instance = run(standard, scripted(decision="review"))
    resume(instance, standard, "decline", scripted(), T0 + timedelta(hours=1))
    assert (instance.status, instance.outcome) == ("completed", "declined")
    assert steps_of(instance)[-1] == ("review", "decline")


def test_resume_rejects_an_instance_that_is_not_waiting(standard: WorkflowDefinition) -> None:
    instance = run(standard, scripted())
    with pytest.raises(WorkflowError, match="is completed, not waiting"):
        resume(instance, standard, "approve", scripted(), T0)


@pytest.mark.parametrize("outcome", ["timeout", "maybe", "accepted"])
def test_resume_rejects_outcomes_a_reviewer_cannot_give(
    standard: WorkflowDefinition, outcome: str
) -> None:
    instance = run(standard, scripted(decision="review"))
    before = instance.to_dict()
    with pytest.raises(WorkflowError, match="expected one of approve, decline"):
        resume(instance, standard, outcome, scripted(), T0 + timedelta(hours=1))
    assert instance.to_dict() == before


def test_resume_after_the_deadline_is_refused(standard: WorkflowDefinition) -> None:
    instance = run(standard, scripted(decision="review"))
    with pytest.raises(WorkflowError, match="passed its deadline"):
        resume(instance, standard, "approve", scripted(), T0 + timedelta(hours=48))
    assert instance.status == "waiting"


def test_timer_does_not_fire_before_the_deadline(standard: WorkflowDefinition) -> None:
    instance = run(standard, scripted(decision="review"))
    almost = T0 + timedelta(hours=48) - timedelta(seconds=1)
    assert fire_timers(instance, standard, scripted(), almost) is False
    assert (instance.status, instance.current_step) == ("waiting", "review")
    assert instance.history[-1].finished_at is None


def test_timer_declines_a_review_not_worked_within_its_sla(standard: WorkflowDefinition) -> None:
    instance = run(standard, scripted(decision="review"))
    deadline = T0 + timedelta(hours=48)
    assert fire_timers(instance, standard, scripted(), deadline + timedelta(days=3)) is True
    assert (instance.status, instance.outcome) == ("completed", "declined")
    review = instance.history[-1]
    assert review.outcome == "timeout"
    assert review.summary == {"sla_hours": 48, "timed_out": True, "deadline": deadline.isoformat()}
    assert fire_timers(instance, standard, scripted(), deadline + timedelta(days=4)) is False


def test_timer_does_nothing_for_a_completed_instance(standard: WorkflowDefinition) -> None:
    instance = run(standard, scripted())
    assert fire_timers(instance, standard, scripted(), T0 + timedelta(days=30)) is False
    assert instance.outcome == "approved"


def test_strict_flow_sends_a_large_approval_to_review(strict: WorkflowDefinition) -> None:
    instance = run(strict, scripted(), amount_usd=250000)
    assert (instance.status, instance.current_step) == ("waiting", "review")
    gate = next(record for record in instance.history if record.step_id == "large_amount")
    assert gate.outcome == "above"
    assert gate.summary == {"amount_usd": 250000, "threshold_usd": 100000}
    assert instance.deadline == T0 + timedelta(hours=24)


def test_strict_flow_approves_an_amount_at_the_threshold(strict: WorkflowDefinition) -> None:
    instance = run(strict, scripted(), amount_usd=100000)
    assert instance.outcome == "approved"
    assert ("large_amount", "at_or_below") in steps_of(instance)
    assert "review" not in [record.step_id for record in instance.history]


def test_strict_flow_reviews_a_suspect_fraud_screen(strict: WorkflowDefinition) -> None:
    instance = run(strict, scripted(fraud_screen="suspect"), amount_usd=1000)
    assert (instance.status, instance.current_step) == ("waiting", "review")
    assert steps_of(instance)[-2] == ("fraud", "suspect")


def test_history_is_timestamped_in_order_across_a_wait(standard: WorkflowDefinition) -> None:
    instance = run(standard, scripted(decision="review"))
    later = T0 + timedelta(hours=7, minutes=30)
    resume(instance, standard, "approve", scripted(), later)
    times = [(record.started_at, record.finished_at) for record in instance.history]
    assert times == [(T0, T0)] * 4 + [(T0, later), (later, later), (later, later)]
    assert [record.type for record in instance.history] == [
        "identity_check",
        "credit_report",
        "fraud_screen",
        "decision",
        "manual_review",
        "agreement",
        "authorization",
    ]
    assert instance.history[0].summary == {"step": "identity", "answer": "pass"}


def test_handlers_share_data_through_context_updates(standard: WorkflowDefinition) -> None:
    seen: list[JSON] = []

    def credit(context: StepContext) -> StepResult:
        return StepResult("pulled", {"score": 712}, updates={"score": 712})

    def decision(context: StepContext) -> StepResult:
        seen.append(context.data.get("score"))
        seen.append(context.data.get("amount_usd"))
        return StepResult("approve")

    handlers = {**scripted(), "credit_report": credit, "decision": decision}
    instance = run(standard, handlers, amount_usd=5000)
    assert seen == [712, 5000]
    assert instance.context == {"amount_usd": 5000, "score": 712}


def test_raising_handler_is_recorded_and_the_step_can_be_retried(
    standard: WorkflowDefinition,
) -> None:
    def bureau_down(context: StepContext) -> StepResult:
        raise ConnectionError("bureau unavailable")

    with pytest.raises(StepFailedError, match="step 'credit' \\(credit_report\\)") as caught:
        run(standard, {**scripted(), "credit_report": bureau_down})
    instance = caught.value.instance
    assert isinstance(caught.value.__cause__, ConnectionError)
    assert (instance.status, instance.current_step) == ("running", "credit")
    assert caught.value.step_id == "credit"
    assert instance.last_error == "ConnectionError: bureau unavailable"
    assert steps_of(instance)[-1] == ("credit", "error")
    assert instance.history[-1].summary == {"error": "ConnectionError: bureau unavailable"}
    advance(instance, standard, scripted(), T0 + timedelta(minutes=1))
    assert instance.outcome == "approved"
    assert instance.last_error is None
    assert steps_of(instance)[1:3] == [("credit", "error"), ("credit", "pulled")]


def test_handler_answering_an_unknown_outcome_fails_the_step(standard: WorkflowDefinition) -> None:
    with pytest.raises(StepFailedError, match="unknown outcome 'ok'") as caught:
        run(standard, scripted(identity_check="ok"))
    assert steps_of(caught.value.instance) == [("identity", "error")]


def test_amount_gate_without_an_amount_fails_clearly(strict: WorkflowDefinition) -> None:
    with pytest.raises(StepFailedError, match="needs an integer amount_usd"):
        run(strict, scripted())


def test_missing_handlers_are_named_before_anything_runs(standard: WorkflowDefinition) -> None:
    handlers = scripted()
    del handlers["fraud_screen"], handlers["agreement"]
    with pytest.raises(WorkflowError, match="step types: agreement, fraud_screen"):
        run(standard, handlers)


def test_loop_guard_stops_an_instance_that_keeps_looping() -> None:
    looping = load_definition(
        {
            "id": "retry_identity",
            "version": 1,
            "start": "identity",
            "steps": [
                {
                    "id": "identity",
                    "type": "identity_check",
                    "on": {"pass": "approved", "fail": "identity"},
                }
            ],
        }
    )
    with pytest.raises(LoopLimitError, match="ran 5 steps without finishing") as caught:
        start(looping, "chk_1", scripted(identity_check="fail"), T0, max_steps=5)
    instance = caught.value.instance
    assert len(instance.history) == 5
    assert (instance.status, instance.current_step) == ("running", "identity")


def test_cancel_closes_a_waiting_review(standard: WorkflowDefinition) -> None:
    instance = run(standard, scripted(decision="review"))
    cancel(instance, T0 + timedelta(hours=2), "customer canceled the checkout")
    assert (instance.status, instance.outcome, instance.deadline) == ("completed", "canceled", None)
    assert instance.history[-1].outcome == "canceled"
    with pytest.raises(WorkflowError, match="already canceled"):
        cancel(instance, T0 + timedelta(hours=3))


def test_naive_datetimes_are_refused(standard: WorkflowDefinition) -> None:
    with pytest.raises(WorkflowError, match="timezone-aware"):
        start(standard, "chk_1", scripted(), datetime(2026, 3, 1, 12, 0))


def test_time_cannot_run_backwards_for_an_instance(standard: WorkflowDefinition) -> None:
    instance = run(standard, scripted(decision="review"))
    with pytest.raises(WorkflowError, match="before the instance's last step"):
        resume(instance, standard, "approve", scripted(), T0 - timedelta(seconds=1))


def test_an_instance_only_runs_with_its_own_definition(
    standard: WorkflowDefinition, strict: WorkflowDefinition
) -> None:
    instance = run(standard, scripted(decision="review"))
    with pytest.raises(WorkflowError, match="follows 'standard' v1, not 'strict' v1"):
        resume(instance, strict, "approve", scripted(), T0 + timedelta(hours=1))


def test_generated_instance_ids_are_prefixed_and_distinct(standard: WorkflowDefinition) -> None:
    first = start(standard, "chk_1", scripted(), T0)
    second = start(standard, "chk_1", scripted(), T0)
    assert first.id.startswith("wf_") and second.id.startswith("wf_")
    assert first.id != second.id


def test_timer_fires_once_the_deadline_is_reached(standard: WorkflowDefinition) -> None:
    instance = run(standard, scripted(decision="review"))
    deadline = T0 + timedelta(hours=48)
    assert fire_timers(instance, standard, scripted(), deadline) is True
    assert instance.outcome == "declined"
    assert instance.history[-1].finished_at == deadline
