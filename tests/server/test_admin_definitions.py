"""Admin policies and loan processes: upload new versions, dry-run, and decisions follow them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx

from mock_server.app import create_app
from mock_server.risk.assessment import assess_application
from mock_server.risk.fraud import InMemoryVelocityStore
from mock_server.risk.identity import Identity
from mock_server.services.clock import utc_now
from mock_server.settings import Settings

ADMIN = {"Authorization": "Bearer admin_test_demo"}
SMALL_TICKET_RULE = {
    "id": "small_tickets_only",
    "when": "amount_usd > 50000",
    "outcome": "decline",
    "reason_code": "AMOUNT_ABOVE_PILOT_LIMIT",
}


async def live_policy(client: httpx.AsyncClient, policy_id: str) -> dict[str, Any]:
    policies = (await client.get("/v1/admin/policies", headers=ADMIN)).json()["data"]
    found: dict[str, Any] = next(p for p in policies if p["id"] == policy_id)
    return found


async def test_policies_are_listed_with_their_versions(client: httpx.AsyncClient) -> None:
    policies = (await client.get("/v1/admin/policies", headers=ADMIN)).json()["data"]
    assert {(p["id"], p["kind"]) for p in policies} == {
        ("pol_consumer_credit", "credit"),
        ("pol_merchant_onboarding", "onboarding"),
    }
    assert all(p["version"] >= 1 and p["rules"] for p in policies)


async def test_a_new_policy_version_decides_from_then_on(
    client: httpx.AsyncClient,
    kit: Any,
    personas: list[dict[str, Any]],
    checkout_for: Any,
    confirm: Any,
) -> None:
    policy = await live_policy(client, "pol_consumer_credit")
    body = {**policy, "rules": [SMALL_TICKET_RULE, *policy["rules"]]}
    for key in ("id", "object", "version"):
        body.pop(key)
    updated = await client.put("/v1/admin/policies/pol_consumer_credit", json=body, headers=ADMIN)
    assert updated.status_code == 200, updated.text
    assert updated.json()["version"] == policy["version"] + 1
    customer = kit.persona_identity(personas[0], kit.tagged(personas[0], "approve"))
    decided = await confirm(await checkout_for(customer, 80_000))
    assert decided["status"] == "declined"
    assert decided["decision"]["policy_version"] == policy["version"] + 1
    assert decided["decision"]["reason_codes"] == ["AMOUNT_ABOVE_PILOT_LIMIT"]


async def test_an_invalid_policy_is_refused_with_its_problems(client: httpx.AsyncClient) -> None:
    body = {"kind": "credit", "default_outcome": "approve",
            "rules": [{"id": "r", "when": "applicant.shoe_size > 3", "outcome": "decline",
                       "reason_code": "X"}]}  # fmt: skip
    response = await client.put("/v1/admin/policies/pol_consumer_credit", json=body, headers=ADMIN)
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "policy_invalid"
    assert "shoe_size" in error["message"]
    assert (await live_policy(client, "pol_consumer_credit"))["version"] == 1


async def test_an_older_version_is_refused(client: httpx.AsyncClient) -> None:
    policy = await live_policy(client, "pol_consumer_credit")
    response = await client.put(
        "/v1/admin/policies/pol_consumer_credit", json={**policy, "id": "consumer_credit"},
        headers=ADMIN,
    )  # fmt: skip
    assert (response.status_code, response.json()["error"]["code"]) == (409, "version_not_newer")


def facts_for(persona: dict[str, Any], amount: int) -> dict[str, Any]:
    identity = Identity.from_dict(persona)
    assessment = assess_application(
        7, identity, amount=amount, currency="USD", cart=[], merchant={"mcc": "5732",
        "country": "US"}, store=InMemoryVelocityStore(), now=utc_now(),
    )  # fmt: skip
    return assessment.facts


async def test_dry_run_reports_each_decision_and_the_mix(
    client: httpx.AsyncClient, personas: list[dict[str, Any]]
) -> None:
    batch = [facts_for(p, 30_000) for p in personas[:6] if p["locale"] == "en_US"]
    response = await client.post(
        "/v1/admin/policies/pol_consumer_credit/dry_run", json={"applications": batch},
        headers=ADMIN,
    )  # fmt: skip
    report = response.json()
    assert response.status_code == 200, response.text
    assert (report["object"], report["count"]) == ("policy_dry_run", len(batch))
    assert [r["outcome"] for r in report["results"]][:1] == ["approve"]  # the prime persona
    assert all("rules_fired" in r for r in report["results"])


async def test_a_new_workflow_version_routes_new_applications(
    client: httpx.AsyncClient,
    kit: Any,
    personas: list[dict[str, Any]],
    checkout_for: Any,
    confirm: Any,
) -> None:
    workflows = (await client.get("/v1/admin/workflows", headers=ADMIN)).json()["data"]
    standard = next(w for w in workflows if w["id"] == "wf_standard")
    for step in standard["steps"]:
        if step["id"] == "decision":
            step["on"]["approve"] = "review"  # every approval is checked by a person
    body = {k: standard[k] for k in ("description", "start", "steps")}
    updated = await client.put("/v1/admin/workflows/wf_standard", json=body, headers=ADMIN)
    assert updated.json()["version"] == standard["version"] + 1
    customer = kit.persona_identity(personas[0], kit.tagged(personas[0], "approve"))
    decided = await confirm(await checkout_for(customer))
    assert decided["status"] == "in_review"
    assert decided["decision"]["outcome"] == "review"


async def test_uploaded_versions_survive_a_restart(tmp_path: Path, kit: Any) -> None:
    settings = Settings(db=f"sqlite:///{tmp_path / 'sandbox.db'}", webhook_worker=False)
    headers = {**ADMIN}
    for run in range(2):
        app = create_app(settings)
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as c:
            policies = (await c.get("/v1/admin/policies", headers=headers)).json()["data"]
            credit = next(p for p in policies if p["id"] == "pol_consumer_credit")
            if run == 0:
                body = {k: credit[k] for k in ("kind", "default_outcome", "rules")}
                await c.put("/v1/admin/policies/consumer_credit", json=body, headers=headers)
            else:
                assert credit["version"] == 2
        app.state.sandbox.close()
