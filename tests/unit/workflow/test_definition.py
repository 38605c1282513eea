"""Loading and validating loan process definitions."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mock_server.workflow.definition import (
    SHIPPED_DEFINITIONS,
    STEP_OUTCOMES,
    load_definition,
    load_shipped_definition,
)
from mock_server.workflow.errors import WorkflowError


def minimal() -> dict[str, Any]:
    """A small valid definition: identity check, then a gate, then done."""
    return {
        "id": "mini",
        "version": 2,
        "description": "tiny",
        "start": "identity",
        "steps": [
            {
                "id": "identity",
                "type": "identity_check",
                "on": {"pass": "gate", "fail": "declined"},
            },
            {
                "id": "gate",
                "type": "amount_gate",
                "params": {"threshold_usd": 5000},
                "on": {"above": "declined", "at_or_below": "approved"},
            },
        ],
    }


def problems_of(data: dict[str, Any]) -> tuple[str, ...]:
    with pytest.raises(WorkflowError) as caught:
        load_definition(data)
    return caught.value.problems


@pytest.mark.parametrize("name", SHIPPED_DEFINITIONS)
def test_shipped_definition_is_valid_and_round_trips(name: str) -> None:
    definition = load_shipped_definition(name)
    assert definition.id == name
    assert load_definition(definition.to_dict()) == definition
    assert load_definition(json.dumps(definition.to_dict())) == definition


def test_standard_definition_follows_the_documented_path() -> None:
    standard = load_shipped_definition("standard")
    order = [step.id for step in standard.steps]
    assert order == [
        "identity",
        "credit",
        "fraud",
        "decision",
        "review",
        "agreement",
        "authorization",
    ]
    decision = standard.step("decision")
    assert dict(decision.on) == {"approve": "agreement", "review": "review", "decline": "declined"}
    assert standard.step("authorization").on["authorized"] == "approved"
    assert standard.step("review").sla_hours == 48


def test_strict_definition_gates_large_approvals_and_reviews_suspect_fraud() -> None:
    strict = load_shipped_definition("strict")
    assert strict.step("decision").on["approve"] == "large_amount"
    gate = strict.step("large_amount")
    assert gate.type == "amount_gate"
    assert gate.params["threshold_usd"] == 100000
    assert dict(gate.on) == {"above": "review", "at_or_below": "agreement"}
    assert strict.step("fraud").on["suspect"] == "review"


def test_unknown_shipped_definition_names_the_available_ones() -> None:
    with pytest.raises(WorkflowError, match="available: standard, strict"):
        load_shipped_definition("lenient")


def test_yaml_on_key_is_read_as_text_not_a_boolean() -> None:
    text = """
id: mini
version: 1
start: gate
steps:
  - id: gate
    type: amount_gate
    params: {threshold_usd: 100}
    on:
      above: declined
      at_or_below: approved
"""
    definition = load_definition(text)
    assert dict(definition.step("gate").on) == {"above": "declined", "at_or_below": "approved"}


def test_minimal_definition_round_trips_through_to_dict() -> None:
    definition = load_definition(minimal())
    assert definition.to_dict() == minimal()
    assert definition.version == 2


def test_unknown_step_type_is_reported() -> None:
    data = minimal()
    data["steps"][1]["type"] = "coin_flip"
    problems = problems_of(data)
    assert any("unknown step type 'coin_flip'" in problem for problem in problems)


def test_step_type_that_is_not_text_is_reported() -> None:
    data = minimal()
    data["steps"][1]["type"] = ["amount_gate"]
    problems = problems_of(data)
    assert any("unknown step type ['amount_gate']" in problem for problem in problems)


def test_transition_to_unknown_step_is_reported() -> None:
    data = minimal()
    data["steps"][0]["on"]["pass"] = "nowhere"
    assert "step 'identity': outcome 'pass' goes to unknown step 'nowhere'" in problems_of(data)


def test_transition_to_a_non_text_target_is_reported() -> None:
    data = minimal()
    data["steps"][0]["on"]["pass"] = ["gate"]
    assert "step 'identity': outcome 'pass' goes to unknown step ['gate']" in problems_of(data)


def test_unreachable_step_is_reported() -> None:
    data = minimal()
    data["steps"].append(
        {
            "id": "orphan",
            "type": "agreement",
            "on": {"accepted": "approved", "rejected": "canceled"},
        }
    )
    assert "step 'orphan' is unreachable from start 'identity'" in problems_of(data)


def test_missing_transition_for_an_outcome_is_reported() -> None:
    data = minimal()
    del data["steps"][1]["on"]["above"]
    assert "step 'gate': no transition for amount_gate outcome 'above'" in problems_of(data)


def test_outcome_the_step_type_cannot_produce_is_reported() -> None:
    data = minimal()
    data["steps"][0]["on"]["maybe"] = "approved"
    problems = problems_of(data)
    assert any("identity_check has no outcome 'maybe'" in problem for problem in problems)


def test_cycle_without_exit_is_reported() -> None:
    data = minimal()
    data["steps"][1]["on"] = {"above": "identity", "at_or_below": "identity"}
    data["steps"][0]["on"] = {"pass": "gate", "fail": "gate"}
    problems = problems_of(data)
    assert "step 'identity' has no path to a terminal outcome (a cycle without exit)" in problems
    assert "step 'gate' has no path to a terminal outcome (a cycle without exit)" in problems


def test_cycle_with_an_exit_is_allowed() -> None:
    data = minimal()
    data["steps"][1]["on"] = {"above": "identity", "at_or_below": "approved"}
    assert load_definition(data).step("gate").on["above"] == "identity"


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, "step 'gate': amount_gate needs param 'threshold_usd'"),
        ({"threshold_usd": -1}, "step 'gate': param 'threshold_usd' must be an integer >= 0"),
        ({"threshold_usd": 10.5}, "step 'gate': param 'threshold_usd' must be an integer >= 0"),
        ({"threshold_usd": True}, "step 'gate': param 'threshold_usd' must be an integer >= 0"),
        ({"threshold_usd": 1, "limit": 2}, "step 'gate': unknown param 'limit' for amount_gate"),
    ],
)
def test_bad_amount_gate_params_are_reported(params: dict[str, Any], expected: str) -> None:
    data = minimal()
    data["steps"][1]["params"] = params
    problems = problems_of(data)
    assert any(problem.startswith(expected) for problem in problems), problems


def test_bad_manual_review_params_are_reported() -> None:
    data = minimal()
    data["steps"][1]["on"]["above"] = "review"
    data["steps"].append(
        {
            "id": "review",
            "type": "manual_review",
            "params": {"sla_hours": 0, "on_timeout": "approved"},
            "on": {"approve": "approved", "decline": "declined", "timeout": "declined"},
        }
    )
    problems = problems_of(data)
    assert "step 'review': param 'sla_hours' must be a positive integer, got 0" in problems
    assert (
        "step 'review': param on_timeout 'approved' disagrees with on.timeout 'declined'"
        in problems
    )


def test_on_timeout_param_supplies_the_timeout_transition() -> None:
    data = minimal()
    data["steps"][1]["on"]["above"] = "review"
    data["steps"].append(
        {
            "id": "review",
            "type": "manual_review",
            "params": {"sla_hours": 12, "on_timeout": "declined"},
            "on": {"approve": "approved", "decline": "declined"},
        }
    )
    review = load_definition(data).step("review")
    assert review.on["timeout"] == "declined"
    assert review.sla_hours == 12


def test_every_problem_is_listed_at_once() -> None:
    data = minimal()
    data["version"] = 0
    data["extra"] = 1
    data["steps"][0]["on"]["pass"] = "nowhere"
    data["steps"][1]["params"] = {}
    with pytest.raises(WorkflowError) as caught:
        load_definition(data)
    problems = caught.value.problems
    assert "version must be an integer >= 1, got 0" in problems
    assert "unknown field 'extra'" in problems
    assert "step 'identity': outcome 'pass' goes to unknown step 'nowhere'" in problems
    assert "step 'gate': amount_gate needs param 'threshold_usd'" in problems
    assert "step 'gate' is unreachable from start 'identity'" in problems
    assert str(caught.value).startswith("workflow definition 'mini' is invalid (5 problems):")


def test_duplicate_step_ids_and_bad_start_are_reported() -> None:
    data = minimal()
    data["start"] = "missing"
    data["steps"].append(copy.deepcopy(data["steps"][0]))
    problems = problems_of(data)
    assert "steps[2]: duplicate step id 'identity'" in problems
    assert "start must name a step, got 'missing'" in problems


def test_step_named_like_a_terminal_is_reported() -> None:
    data = minimal()
    data["steps"][1]["id"] = "approved"
    data["steps"][0]["on"]["pass"] = "approved"
    problems = problems_of(data)
    assert "step 'approved': a step cannot be named like a terminal outcome" in problems


def test_malformed_yaml_is_a_workflow_error() -> None:
    with pytest.raises(WorkflowError, match="not valid YAML"):
        load_definition("id: [unclosed")


def test_non_mapping_source_is_rejected() -> None:
    with pytest.raises(WorkflowError, match="must be a mapping, got list"):
        load_definition("- 1\n- 2\n")


def test_every_step_type_declares_its_outcomes() -> None:
    assert STEP_OUTCOMES["manual_review"] == ("approve", "decline", "timeout")
    assert STEP_OUTCOMES["amount_gate"] == ("above", "at_or_below")
    assert len(STEP_OUTCOMES) == 8


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=8) | st.floats(allow_nan=False),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=8,
)


@settings(max_examples=300, deadline=None)
@given(
    path=st.sampled_from(
        [
            ("id",),
            ("version",),
            ("start",),
            ("steps",),
            ("steps", 0),
            ("steps", 0, "id"),
            ("steps", 0, "on"),
            ("steps", 0, "on", "pass"),
            ("steps", 1, "type"),
            ("steps", 1, "params"),
            ("steps", 1, "params", "threshold_usd"),
        ]
    ),
    value=json_values,
)
def test_any_malformed_field_is_a_workflow_error_or_loads(
    path: tuple[Any, ...], value: Any
) -> None:
    data = minimal()
    target: Any = data
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    try:
        definition = load_definition(data)
    except WorkflowError as exc:
        assert str(exc).startswith("workflow definition")
    else:
        assert load_definition(definition.to_dict()) == definition
