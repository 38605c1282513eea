"""Shopper identities, magic tags, and the workflow steps shown for a decision."""

from __future__ import annotations

from installo.types.checkout import Checkout
from installo.types.sandbox import Persona

from merchant_sim.identity import Identity
from merchant_sim.workflow_view import steps_for, steps_pending


def _persona() -> Persona:
    return Persona.model_validate(
        {
            "tier": "prime",
            "locale": "zh_CN",
            "email": "li.wei@example.cn",
            "name": "Li Wei",
            "date_of_birth": "1990-04-01",
            "address": {
                "line1": "1 Road",
                "city": "Shanghai",
                "postal_code": "200000",
                "country": "CN",
            },
        }
    )


def test_persona_becomes_a_customer_body() -> None:
    identity = Identity.from_persona(_persona())
    body = identity.customer_body()
    assert body["name"] == "Li Wei"
    assert body["locale"] == "zh_CN"
    assert body["address"]["country"] == "CN"
    assert "phone" not in body
    assert identity.tier == "prime"


def test_magic_tag_replaces_and_removes() -> None:
    identity = Identity.from_persona(_persona()).with_tag("review")
    assert identity.email == "li.wei+review@example.cn"
    assert identity.magic_tag == "review"
    swapped = identity.with_tag("decline")
    assert swapped.email == "li.wei+decline@example.cn"
    assert swapped.with_tag(None).email == "li.wei@example.cn"
    assert Identity("A", "a+holiday@x.com").magic_tag is None


def _checkout(status: str, outcome: str, codes: list[str], **extra: object) -> Checkout:
    return Checkout.model_validate(
        {
            "id": "chk_1",
            "object": "checkout",
            "status": status,
            "amount": 1000,
            "currency": "USD",
            "decision": {"outcome": outcome, "reason_codes": codes, "score": 712},
            **extra,
        }
    )


def test_steps_follow_a_fraud_decline() -> None:
    steps = steps_for(_checkout("declined", "decline", ["EMAIL_VELOCITY"]), 42.0)
    states = {s.key: (s.state, s.outcome) for s in steps}
    assert states["fraud_screen"] == ("fail", "EMAIL_VELOCITY")
    assert states["credit_report"] == ("ok", "score 712")
    assert states["decision"] == ("fail", "decline")
    assert states["manual_review"][0] == "skip"
    assert steps[3].ms == 42.0


def test_steps_for_review_wait_in_review() -> None:
    steps = steps_for(_checkout("in_review", "review", ["MANUAL_REVIEW"]))
    assert [s.state for s in steps][-2:] == ["warn", "warn"]


def test_steps_use_the_sandboxs_workflow_with_timings() -> None:
    workflow = {
        "id": "wf_1",
        "definition": "standard",
        "definition_version": 1,
        "status": "completed",
        "outcome": "approved",
        "steps": [
            {"step": "identity", "type": "identity_check", "outcome": "pass", "elapsed_us": 3000},
            {"step": "bureau", "type": "credit_report", "outcome": "pulled", "elapsed_us": 250},
            {"step": "decide", "type": "decision", "outcome": "approve", "elapsed_us": None},
        ],
    }
    steps = steps_for(_checkout("approved", "approve", [], workflow=workflow))
    by_key = {s.key: s for s in steps}
    assert by_key["identity_check"].ms == 3.0
    assert by_key["credit_report"].ms == 0.25
    assert by_key["fraud_screen"].state == "skip"
    assert (by_key["decision"].state, by_key["decision"].ms) == ("ok", None)


def test_a_waiting_review_step_shows_as_waiting() -> None:
    workflow = {
        "id": "wf_2",
        "definition": "standard",
        "definition_version": 1,
        "status": "waiting",
        "steps": [
            {"step": "decide", "type": "decision", "outcome": "review", "elapsed_us": 40},
            {"step": "review", "type": "manual_review", "outcome": None, "finished_at": None},
        ],
    }
    steps = steps_for(_checkout("in_review", "review", [], workflow=workflow))
    assert (steps[-1].key, steps[-1].state, steps[-1].outcome) == (
        "manual_review",
        "warn",
        "waiting",
    )


def test_pending_marks_only_the_running_step() -> None:
    assert [s.state for s in steps_pending(running=1)] == [
        "pending",
        "running",
        "pending",
        "pending",
        "pending",
    ]
