"""A confirmed checkout shows the loan process it went through, step by step, with timings."""

from __future__ import annotations

from typing import Any

import httpx


async def test_approved_checkout_lists_every_step_in_order_with_real_timings(
    kit: Any, personas: list[dict[str, Any]], checkout_for: Any, confirm: Any
) -> None:
    customer = kit.persona_identity(personas[0], kit.tagged(personas[0], "approve"))
    checkout = await confirm(await checkout_for(customer, 120_000), "monthly_12")
    workflow = checkout["workflow"]
    assert (workflow["definition"], workflow["status"], workflow["outcome"]) == (
        "standard",
        "completed",
        "approved",
    )
    steps = [(s["type"], s["outcome"]) for s in workflow["steps"]]
    assert steps == [
        ("identity_check", "pass"),
        ("credit_report", "pulled"),
        ("fraud_screen", "clear"),
        ("decision", "approve"),
        ("agreement", "accepted"),
        ("authorization", "authorized"),
    ]
    assert all(isinstance(s["elapsed_us"], int) and s["elapsed_us"] >= 0 for s in workflow["steps"])


async def test_review_shows_the_waiting_step_then_the_reviewers_outcome(
    client: httpx.AsyncClient,
    kit: Any,
    personas: list[dict[str, Any]],
    checkout_for: Any,
    confirm: Any,
) -> None:
    customer = kit.persona_identity(personas[0], kit.tagged(personas[0], "review"))
    checkout = await confirm(await checkout_for(customer, 120_000), "monthly_12")
    assert checkout["status"] == "in_review"
    waiting = checkout["workflow"]
    assert waiting["status"] == "waiting"
    assert waiting["steps"][-1]["type"] == "manual_review"
    assert waiting["steps"][-1]["finished_at"] is None

    admin = {"Authorization": "Bearer admin_test_demo"}
    queue = (await client.get("/v1/admin/reviews", headers=admin)).json()["data"]
    review = next(r for r in queue if r["checkout"] == checkout["id"])
    approved = await client.post(
        f"/v1/admin/reviews/{review['id']}/approve", headers=admin, json={}
    )
    assert approved.status_code == 200, approved.text
    after = (await client.get(f"/v1/checkouts/{checkout['id']}")).json()
    types = [(s["type"], s["outcome"]) for s in after["workflow"]["steps"]]
    assert ("manual_review", "approve") in types
    assert types[-1] == ("authorization", "authorized")
    assert after["workflow"]["outcome"] == "approved"
