"""Every workflow step setting does what it says: each test changes only that setting."""

from __future__ import annotations

import copy
from datetime import date, timedelta
from typing import Any

import httpx
import pytest

from mock_server.services.clock import advance_clock
from mock_server.services.context import Sandbox
from tests.merchant_applications import complete_application

ADMIN = {"Authorization": "Bearer admin_test_demo"}
Json = dict[str, Any]
DECLINE_ALL = {
    "kind": "credit",
    "description": "Declines every application (a pilot that is closed)",
    "default_outcome": "decline",
    "rules": [
        {"id": "closed", "when": "amount > 0", "outcome": "decline", "reason_code": "PILOT_CLOSED"}
    ],
}
APPLICATION = {
    "legal_name": "Second Store LLC",
    "mcc": "5732",
    "country": "US",
    "currency": "USD",
    "website": "https://second-store.example.com",
    "years_in_business": 9,
    "expected_monthly_volume": 9_000_000,
    "contact_email": "ap@second-store.example.com",
}


async def _standard_with(client: httpx.AsyncClient, name: str, step_id: str, **params: Any) -> str:
    """Upload workflow `name`: the standard process with one step's params changed."""
    standard = (await client.get("/v1/admin/workflows/wf_standard", headers=ADMIN)).json()
    steps = copy.deepcopy(standard["steps"])
    step = next(s for s in steps if s["id"] == step_id)
    step["params"] = {**step.get("params", {}), **params}
    body = {"description": standard["description"], "start": standard["start"], "steps": steps}
    response = await client.put(f"/v1/admin/workflows/wf_{name}", json=body, headers=ADMIN)
    assert response.status_code == 200, response.text
    return f"wf_{name}"


async def _use(client: httpx.AsyncClient, workflow: str, headers: Json | None = None) -> None:
    response = await client.patch("/v1/merchants/me", json={"workflow": workflow}, headers=headers)
    assert response.status_code == 200, response.text


async def _buy(
    client: httpx.AsyncClient, kit: Any, customer: Json, device: str | None = None, **kw: Any
) -> Json:
    created = await client.post("/v1/checkouts", json=kit.cart(120_000, customer=customer), **kw)
    assert created.status_code == 201, created.text
    checkout = created.json()
    offer = next(o for o in checkout["offers"] if o["plan"] == "monthly_12")
    body: Json = {"offer": offer["id"], "consent": True}
    if device is not None:
        body["device_id"] = device
    confirmed = await client.post(f"/v1/checkouts/{checkout['id']}/confirm", json=body, **kw)
    assert confirmed.status_code == 200, confirmed.text
    result: Json = confirmed.json()
    return result


def _prime(personas: list[Json], kit: Any, index: int = 0) -> Json:
    return kit.persona_identity([p for p in personas if p["tier"] == "prime"][index])


async def test_decision_policy_decides_with_the_policy_it_names(
    client: httpx.AsyncClient, kit: Any, personas: list[Json]
) -> None:
    assert (await _buy(client, kit, _prime(personas, kit, 0)))["status"] == "approved"
    await client.put("/v1/admin/policies/pol_decline_all", json=DECLINE_ALL, headers=ADMIN)
    await _use(client, await _standard_with(client, "closed", "decision", policy="decline_all"))
    decided = await _buy(client, kit, _prime(personas, kit, 1))
    assert decided["status"] == "declined"
    assert decided["decision"]["policy_id"] == "pol_decline_all"
    assert decided["decision"]["reason_codes"] == ["PILOT_CLOSED"]


async def test_two_merchants_on_two_policies_side_by_side(
    client: httpx.AsyncClient, anonymous: httpx.AsyncClient, kit: Any, personas: list[Json]
) -> None:
    await client.put("/v1/admin/policies/pol_decline_all", json=DECLINE_ALL, headers=ADMIN)
    workflow = await _standard_with(client, "closed", "decision", policy="pol_decline_all")
    second = (await anonymous.post("/v1/merchants", json=complete_application(APPLICATION))).json()
    theirs = {"headers": {"Authorization": f"Bearer {second['secret_key']}"}}
    await _use(anonymous, workflow, theirs["headers"])
    policies = (await client.get("/v1/admin/policies", headers=ADMIN)).json()["data"]
    assert {"pol_consumer_credit", "pol_decline_all"} <= {p["id"] for p in policies}
    ours = await _buy(client, kit, _prime(personas, kit, 0))
    other = await _buy(anonymous, kit, _prime(personas, kit, 1), **theirs)
    assert (ours["status"], ours["decision"]["policy_id"]) == ("approved", "pol_consumer_credit")
    assert (other["status"], other["decision"]["policy_id"]) == ("declined", "pol_decline_all")


async def test_credit_report_pull_type_soft_leaves_no_hard_pull(
    client: httpx.AsyncClient, kit: Any, personas: list[Json]
) -> None:
    hard = await _buy(client, kit, _prime(personas, kit, 0))
    await _use(client, await _standard_with(client, "soft", "credit", pull_type="soft"))
    soft = await _buy(client, kit, _prime(personas, kit, 1))
    pulls = []
    for checkout in (hard, soft):
        report = await client.get(f"/v1/customers/{checkout['customer']}/credit_report")
        pulls.append(report.json()["pull_type"])
    assert pulls == ["hard", "soft"]


@pytest.mark.parametrize(("window_hours", "second"), [(None, "in_review"), (1, "approved")])
async def test_fraud_screen_window_hours_bounds_the_velocity_window(
    client: httpx.AsyncClient,
    sandbox: Sandbox,
    kit: Any,
    personas: list[Json],
    window_hours: int | None,
    second: str,
) -> None:
    if window_hours is not None:
        workflow = await _standard_with(client, "window", "fraud", window_hours=window_hours)
        await _use(client, workflow)
    first = await _buy(client, kit, _prime(personas, kit, 0), device="dev_shared")
    me = (await client.get("/v1/merchants/me")).json()
    with sandbox.db.transaction() as session:
        advance_clock(session, me["id"], timedelta(hours=3))
    later = await _buy(client, kit, _prime(personas, kit, 1), device="dev_shared")
    assert (first["status"], later["status"]) == ("approved", second)


async def test_authorization_expires_days_sets_the_loans_expiry(
    client: httpx.AsyncClient, kit: Any, personas: list[Json]
) -> None:
    await _use(client, await _standard_with(client, "short", "authorization", expires_days=7))
    approved = await _buy(client, kit, _prime(personas, kit, 0))
    loan = (await client.get(f"/v1/loans/{approved['loan']}")).json()
    authorized = next(h for h in loan["history"] if h["kind"] == "authorized")["date"]
    expires = date.fromisoformat(loan["authorization_expires_at"][:10])
    assert expires - date.fromisoformat(authorized) == timedelta(days=7)


async def test_an_unknown_step_setting_is_refused_naming_step_and_key(
    client: httpx.AsyncClient,
) -> None:
    standard = (await client.get("/v1/admin/workflows/wf_standard", headers=ADMIN)).json()
    steps = copy.deepcopy(standard["steps"])
    next(s for s in steps if s["id"] == "fraud")["params"] = {"window_hour": 1}
    body = {"start": standard["start"], "steps": steps}
    response = await client.put("/v1/admin/workflows/wf_typo", json=body, headers=ADMIN)
    assert response.status_code in (400, 422)
    message = response.json()["error"]["message"]
    assert "fraud" in message and "'window_hour'" in message
    assert (await client.get("/v1/admin/workflows/wf_typo", headers=ADMIN)).status_code == 404


async def test_a_workflow_naming_a_missing_policy_is_refused(client: httpx.AsyncClient) -> None:
    standard = (await client.get("/v1/admin/workflows/wf_standard", headers=ADMIN)).json()
    steps = copy.deepcopy(standard["steps"])
    next(s for s in steps if s["id"] == "decision")["params"] = {"policy": "no_such_policy"}
    body = {"start": standard["start"], "steps": steps}
    response = await client.put("/v1/admin/workflows/wf_missing", json=body, headers=ADMIN)
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["param"] == "steps.decision.params.policy"
    assert "no_such_policy" in error["message"]


async def test_manual_review_queue_files_the_review_in_that_queue(
    client: httpx.AsyncClient, kit: Any, personas: list[Json]
) -> None:
    thin = [p for p in personas if p["tier"] == "thin_file"]
    first = await _buy(client, kit, kit.persona_identity(thin[0]))
    await _use(client, await _standard_with(client, "queued", "review", queue="high_value"))
    second = await _buy(client, kit, kit.persona_identity(thin[1]))
    assert (first["status"], second["status"]) == ("in_review", "in_review")
    queued = await client.get("/v1/admin/reviews", params={"queue": "high_value"}, headers=ADMIN)
    assert [r["checkout"] for r in queued.json()["data"]] == [second["id"]]
    everything = (await client.get("/v1/admin/reviews", headers=ADMIN)).json()["data"]
    assert {r["checkout"]: r["queue"] for r in everything} == {
        first["id"]: "default",
        second["id"]: "high_value",
    }
