"""Persisting workflow instances as plain JSON data and resuming them after a restart."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

import mock_server.workflow as workflow
from mock_server.workflow.definition import load_shipped_definition
from mock_server.workflow.engine import StepContext, StepResult, resume, start
from mock_server.workflow.errors import WorkflowError
from mock_server.workflow.instance import WorkflowInstance
from tests.public_names import public_names

T0 = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


def answer(outcome: str) -> workflow.StepHandler:
    def handler(context: StepContext) -> StepResult:
        return StepResult(outcome, {"step": context.step.id})

    return handler


HANDLERS = {
    "identity_check": answer("pass"),
    "credit_report": answer("pulled"),
    "fraud_screen": answer("clear"),
    "decision": answer("review"),
    "agreement": answer("accepted"),
    "authorization": answer("authorized"),
}


def test_waiting_instance_survives_a_json_round_trip_and_resumes() -> None:
    definition = load_shipped_definition("standard")
    instance = start(definition, "chk_9", HANDLERS, T0, {"amount_usd": 1200}, instance_id="wf_a")
    stored = json.dumps(instance.to_dict())

    restored = WorkflowInstance.from_dict(json.loads(stored))
    assert restored == instance
    assert restored.deadline == T0 + timedelta(hours=48)

    reloaded = load_shipped_definition("standard")
    resume(restored, reloaded, "approve", HANDLERS, T0 + timedelta(hours=3), {"reviewer": "ana"})
    assert (restored.status, restored.outcome) == ("completed", "approved")
    assert restored.history[4].summary == {"sla_hours": 48, "reviewer": "ana"}
    assert WorkflowInstance.from_dict(json.loads(json.dumps(restored.to_dict()))) == restored


def test_to_dict_writes_datetimes_as_iso_strings() -> None:
    definition = load_shipped_definition("standard")
    instance = start(definition, "chk_9", HANDLERS, T0, instance_id="wf_a")
    data = instance.to_dict()
    assert data["started_at"] == "2026-03-01T12:00:00+00:00"
    assert data["deadline"] == "2026-03-03T12:00:00+00:00"
    assert data["status"] == "waiting"
    history = data["history"]
    assert isinstance(history, list) and isinstance(history[0], dict)
    assert history[0] == {
        "step_id": "identity",
        "type": "identity_check",
        "started_at": "2026-03-01T12:00:00+00:00",
        "finished_at": "2026-03-01T12:00:00+00:00",
        "duration_ms": 0,
        "outcome": "pass",
        "summary": {"step": "identity"},
    }


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("status", "paused", "status must be one of"),
        ("started_at", "yesterday", "'started_at' is not ISO 8601"),
        ("started_at", "2026-03-01T12:00:00", "'started_at' has no UTC offset"),
        ("definition_version", "1", "definition_version must be an int"),
        ("id", None, "'id' must be a string"),
        ("history", {"a": 1}, "history must be a list"),
    ],
)
def test_malformed_stored_instance_is_a_workflow_error(
    field: str, value: object, message: str
) -> None:
    definition = load_shipped_definition("standard")
    data = start(definition, "chk_9", HANDLERS, T0, instance_id="wf_a").to_dict()
    data[field] = value  # type: ignore[assignment]
    with pytest.raises(WorkflowError, match=message):
        WorkflowInstance.from_dict(data)


def test_package_exports_exactly_its_public_names() -> None:
    public = public_names(workflow)
    modules = {"definition", "engine", "errors", "instance", "params"}
    assert set(workflow.__all__) == public - modules
    assert {"start", "resume", "fire_timers", "load_definition", "WorkflowInstance"} <= public


def test_the_stored_data_shares_nothing_with_the_instance() -> None:
    """`to_dict` copies summaries and the context deeply: changing the stored data (or the
    instance) afterwards never reaches the other."""
    definition = load_shipped_definition("standard")
    context = {"amount_usd": 1200, "cart": [{"sku": "A", "tags": ["x"]}], "pair": (1, [2])}
    instance = start(definition, "chk_9", HANDLERS, T0, context, instance_id="wf_c")
    stored = instance.to_dict()
    assert stored["context"] == instance.context and stored["context"] is not instance.context
    stored_context = stored["context"]
    assert isinstance(stored_context, dict) and isinstance(stored_context["cart"], list)
    cart = stored_context["cart"][0]
    assert isinstance(cart, dict) and isinstance(cart["tags"], list)
    cart["tags"].append("changed")
    assert instance.context["cart"] == [{"sku": "A", "tags": ["x"]}]
    history = stored["history"]
    assert isinstance(history, list) and isinstance(history[0], dict)
    summary = history[0]["summary"]
    assert isinstance(summary, dict)
    summary["step"] = "changed"
    assert instance.history[0].summary["step"] != "changed"
    pair = stored_context["pair"]
    assert pair == (1, [2]) and pair[1] is not context["pair"][1]  # type: ignore[index]
