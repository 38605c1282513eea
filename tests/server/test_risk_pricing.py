"""Risk-based pricing keeps the disclosure exact: a known customer's offers are priced after a
soft pull at the policy's APR for their tier (never above the plan's, 0% stays 0%), the loan is
charged the APR disclosed, and a hard pull that prices the customer higher declines or reviews
with RISK_TIER_WORSENED instead of re-pricing silently."""

from __future__ import annotations

import copy
from typing import Any

import httpx
import pytest

ADMIN = {"Authorization": "Bearer admin_test_demo"}
Json = dict[str, Any]
TIER_APR = {"prime": 999, "near_prime": 1999, "subprime": 2999}
AMOUNT = 60_000


async def known(
    client: httpx.AsyncClient, kit: Any, persona: Json, email: str | None = None
) -> str:
    """Create the persona as the merchant's customer; answer its id."""
    created = await client.post("/v1/customers", json=kit.persona_identity(persona, email))
    assert created.status_code == 201, created.text
    customer_id: str = created.json()["id"]
    return customer_id


async def checkout(client: httpx.AsyncClient, kit: Any, customer: Json | str) -> Json:
    created = await client.post("/v1/checkouts", json=kit.cart(AMOUNT, customer=customer))
    assert created.status_code == 201, created.text
    found: Json = created.json()
    return found


async def confirm(client: httpx.AsyncClient, chk: Json, plan: str) -> Json:
    offer = next(o for o in chk["offers"] if o["plan"] == plan)
    body = {"offer": offer["id"], "consent": True}
    confirmed = await client.post(f"/v1/checkouts/{chk['id']}/confirm", json=body)
    assert confirmed.status_code == 200, confirmed.text
    found: Json = confirmed.json()
    return found


async def loan_of(client: httpx.AsyncClient, chk: Json) -> Json:
    """The checkout's loan, approving its review first when it waits for one."""
    if chk["status"] == "in_review":
        reviews = (await client.get("/v1/admin/reviews", headers=ADMIN)).json()["data"]
        review = next(r for r in reviews if r["checkout"] == chk["id"])
        await client.post(f"/v1/admin/reviews/{review['id']}/approve", headers=ADMIN)
        chk = (await client.get(f"/v1/checkouts/{chk['id']}")).json()
    found: Json = (await client.get(f"/v1/loans/{chk['loan']}")).json()
    return found


async def publish_prime_apr(client: httpx.AsyncClient, apr_bps: int) -> None:
    """The lender reprices the prime tier (a new version of the live credit policy)."""
    policy = (await client.get("/v1/admin/policies/pol_consumer_credit", headers=ADMIN)).json()
    body = {k: copy.deepcopy(policy[k]) for k in ("kind", "default_outcome", "rules")}
    next(r for r in body["rules"] if r["id"] == "prime_tier")["apr_bps"] = apr_bps
    put = await client.put("/v1/admin/policies/pol_consumer_credit", json=body, headers=ADMIN)
    assert put.status_code == 200, put.text


@pytest.mark.parametrize("tier", ["prime", "near_prime", "subprime"])
async def test_a_known_customer_is_offered_the_tier_apr_never_above_the_plan(
    client: httpx.AsyncClient, kit: Any, personas: list[Json], tier: str
) -> None:
    persona = next(p for p in personas if p["tier"] == tier)
    chk = await checkout(client, kit, await known(client, kit, persona))
    assert chk["pricing"]["basis"] == "soft_pull"
    assert chk["pricing"]["tier_apr_bps"] == TIER_APR[tier]
    assert chk["pricing"]["tier"] == f"{tier.upper()}_TIER"
    assert chk["pricing"]["bureau_score"] > 0
    # a soft pull is no credit report of the customer's: nothing was pulled hard yet
    report = await client.get(f"/v1/customers/{chk['customer']}/credit_report")
    assert report.status_code == 404
    for offer in chk["offers"]:
        assert offer["apr_bps"] == min(offer["plan_apr_bps"], TIER_APR[tier]), offer["plan"]
        if offer["plan_apr_bps"] == 0:
            assert offer["apr_bps"] == 0 and offer["finance_charge"] == 0


async def test_a_new_inline_customer_is_offered_the_plan_apr(
    client: httpx.AsyncClient, kit: Any, personas: list[Json]
) -> None:
    chk = await checkout(client, kit, kit.persona_identity(personas[0]))
    assert chk["pricing"] is None
    assert all(o["apr_bps"] == o["plan_apr_bps"] for o in chk["offers"])


async def use_policy_of_tiers_only(client: httpx.AsyncClient) -> None:
    """The merchant's loan process decides with a pilot policy that approves every tier at its
    price (the shipped tier rules alone), so every tier reaches a loan."""
    shipped = (await client.get("/v1/admin/policies/pol_consumer_credit", headers=ADMIN)).json()
    tiers = [r for r in shipped["rules"] if r["id"].endswith("_tier")]
    body = {"kind": "credit", "default_outcome": "approve", "rules": tiers}
    put = await client.put("/v1/admin/policies/pol_tiers_only", json=body, headers=ADMIN)
    assert put.status_code == 200, put.text
    await use_workflow(client, "wf_tiers_only", policy="pol_tiers_only")


async def use_workflow(client: httpx.AsyncClient, name: str, **decision_params: Any) -> None:
    """Upload the standard process with the decision step's params changed, and use it."""
    standard = (await client.get("/v1/admin/workflows/wf_standard", headers=ADMIN)).json()
    steps = copy.deepcopy(standard["steps"])
    decision = next(s for s in steps if s["type"] == "decision")
    decision["params"] = {**decision.get("params", {}), **decision_params}
    body = {"description": standard["description"], "start": standard["start"], "steps": steps}
    put = await client.put(f"/v1/admin/workflows/{name}", json=body, headers=ADMIN)
    assert put.status_code == 200, put.text
    used = await client.patch("/v1/merchants/me", json={"workflow": name})
    assert used.status_code == 200, used.text


async def test_the_loan_apr_is_the_apr_disclosed_for_every_tier(
    client: httpx.AsyncClient, kit: Any, personas: list[Json]
) -> None:
    await use_policy_of_tiers_only(client)
    loans: dict[str, int] = {}
    people = [p for p in personas if p["tier"] in TIER_APR]
    for index, persona in enumerate(people):
        plan = ("monthly_12", "monthly_24", "monthly_36", "monthly_6_0apr")[index % 4]
        chk = await checkout(client, kit, await known(client, kit, persona))
        pricing = chk["pricing"]
        assert pricing["policy_id"] == "pol_tiers_only"
        tier = pricing["tier"].removesuffix("_TIER").lower()
        assert pricing["tier_apr_bps"] == TIER_APR[tier]
        disclosed = next(o for o in chk["offers"] if o["plan"] == plan)
        assert disclosed["apr_bps"] == min(disclosed["plan_apr_bps"], TIER_APR[tier])
        decided = await confirm(client, chk, plan)
        assert decided["status"] == "approved", decided["decision"]
        loan = await loan_of(client, decided)
        assert loan["apr_bps"] == disclosed["apr_bps"], (tier, plan)
        captured = (await client.post(f"/v1/loans/{loan['id']}/capture", json={})).json()
        assert captured["apr_bps"] == disclosed["apr_bps"]
        assert sum(e["amount"] for e in captured["schedule"]) == disclosed["total_of_payments"]
        loans[tier] = loans.get(tier, 0) + 1
    assert set(loans) == set(TIER_APR), loans


async def test_a_review_approved_by_an_underwriter_charges_the_disclosed_apr(
    client: httpx.AsyncClient, kit: Any, personas: list[Json]
) -> None:
    persona = next(p for p in personas if p["tier"] == "prime")
    chk = await checkout(
        client, kit, await known(client, kit, persona, kit.tagged(persona, "review"))
    )
    disclosed = next(o for o in chk["offers"] if o["plan"] == "monthly_24")
    decided = await confirm(client, chk, "monthly_24")
    assert decided["status"] == "in_review"
    assert (await loan_of(client, decided))["apr_bps"] == disclosed["apr_bps"]


async def test_a_worse_tier_at_the_hard_pull_declines_with_the_reason(
    client: httpx.AsyncClient, kit: Any, personas: list[Json]
) -> None:
    prime = next(p for p in personas if p["tier"] == "prime")
    chk = await checkout(client, kit, await known(client, kit, prime, kit.tagged(prime, "approve")))
    assert next(o for o in chk["offers"] if o["plan"] == "monthly_12")["apr_bps"] == 999
    await publish_prime_apr(client, 1299)
    decided = await confirm(client, chk, "monthly_12")
    assert decided["status"] == "declined"
    assert decided["decision"]["reason_codes"][0] == "RISK_TIER_WORSENED"
    assert decided["decision"]["apr_bps"] == 1299
    assert decided["loan"] is None
    again = await checkout(client, kit, chk["customer"])
    assert next(o for o in again["offers"] if o["plan"] == "monthly_12")["apr_bps"] == 1299


async def test_on_worse_tier_review_lets_an_underwriter_approve_at_the_disclosed_apr(
    client: httpx.AsyncClient, kit: Any, personas: list[Json]
) -> None:
    await use_workflow(client, "wf_reprice_review", on_worse_tier="review")
    prime = next(p for p in personas if p["tier"] == "prime")
    chk = await checkout(client, kit, await known(client, kit, prime, kit.tagged(prime, "approve")))
    await publish_prime_apr(client, 1299)
    decided = await confirm(client, chk, "monthly_12")
    assert decided["status"] == "in_review"
    assert decided["decision"]["reason_codes"][0] == "RISK_TIER_WORSENED"
    assert (await loan_of(client, decided))["apr_bps"] == 999


async def test_a_better_tier_at_the_hard_pull_keeps_the_disclosed_apr(
    client: httpx.AsyncClient, kit: Any, personas: list[Json]
) -> None:
    prime = next(p for p in personas if p["tier"] == "prime")
    chk = await checkout(client, kit, await known(client, kit, prime, kit.tagged(prime, "approve")))
    await publish_prime_apr(client, 799)
    decided = await confirm(client, chk, "monthly_12")
    assert decided["status"] == "approved"
    assert (await loan_of(client, decided))["apr_bps"] == 999


async def test_an_unknown_on_worse_tier_is_refused_at_upload(client: httpx.AsyncClient) -> None:
    standard = (await client.get("/v1/admin/workflows/wf_standard", headers=ADMIN)).json()
    steps = copy.deepcopy(standard["steps"])
    next(s for s in steps if s["type"] == "decision")["params"]["on_worse_tier"] = "reprice"
    body = {"description": standard["description"], "start": standard["start"], "steps": steps}
    put = await client.put("/v1/admin/workflows/wf_bad", json=body, headers=ADMIN)
    assert put.status_code == 400
    assert "on_worse_tier" in put.json()["error"]["message"]
