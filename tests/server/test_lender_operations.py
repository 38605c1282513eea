"""Merchant settings priced through the discount rate, the review queue an underwriter reads,
policy dry runs against the live policy, readable old versions, and the clock's ladder days."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from mock_server.domain import Loan
from mock_server.services.merchants import DEFAULT_MDR_BPS, PROMOTION_MONTH_BPS
from mock_server.services.servicing import service_loan
from mock_server.storage.models import LoanRow, WorkflowInstanceRow
from tests.merchant_applications import complete_application

ADMIN = {"Authorization": "Bearer admin_test_demo"}
PILOT_RULE = {
    "id": "small_tickets_only",
    "when": "amount_usd > 100000",
    "outcome": "decline",
    "reason_code": "AMOUNT_ABOVE_PILOT_LIMIT",
}


async def test_a_longer_zero_percent_promotion_raises_the_discount_rate(
    client: httpx.AsyncClient,
) -> None:
    promo = {"id": "monthly_12_promo", "term_count": 12, "apr_bps": 0}
    response = await client.patch(
        "/v1/merchants/me", json={"plans": ["monthly_24", promo], "display_name": "Demo Bikes"}
    )
    merchant = response.json()
    assert response.status_code == 200, response.text
    assert merchant["mdr_bps"] == DEFAULT_MDR_BPS + 6 * PROMOTION_MONTH_BPS
    assert merchant["display_name"] == "Demo Bikes"
    assert merchant["legal_name"] == "Installo Demo Store"
    back = await client.patch("/v1/merchants/me", json={"plans": ["monthly_24"]})
    assert back.json()["mdr_bps"] == DEFAULT_MDR_BPS


async def test_a_discount_rate_below_what_the_promotions_cost_is_refused_by_field(
    client: httpx.AsyncClient,
) -> None:
    promo = {"id": "monthly_18_promo", "term_count": 18, "apr_bps": 0}
    response = await client.patch("/v1/merchants/me", json={"plans": [promo], "mdr_bps": 500})
    assert (response.status_code, response.json()["error"]["param"]) == (400, "mdr_bps")
    assert "879" in response.json()["error"]["message"]
    unchanged = (await client.get("/v1/merchants/me")).json()
    assert unchanged["plans"] != ["monthly_18_promo"]  # nothing half-applied
    higher = await client.patch("/v1/merchants/me", json={"plans": [promo], "mdr_bps": 900})
    assert higher.json()["mdr_bps"] == 900


@pytest.mark.parametrize(
    ("body", "param"),
    [
        ({"display_name": ""}, "display_name"),
        ({"mdr_bps": -1}, "mdr_bps"),
        ({"plans": [{"id": "m", "term_count": 12, "apr_bps": "0"}]}, "plans"),
        ({"colour": "red"}, "colour"),
    ],
)
async def test_bad_settings_are_a_4xx_naming_the_field(
    client: httpx.AsyncClient, body: dict[str, Any], param: str
) -> None:
    response = await client.patch("/v1/merchants/me", json=body)
    assert 400 <= response.status_code < 500
    assert response.json()["error"]["param"].startswith(param)


async def test_settings_changes_emit_merchant_updated(client: httpx.AsyncClient) -> None:
    await client.patch("/v1/merchants/me", json={"display_name": "Renamed"})
    events = (await client.get("/v1/events", params={"type": "merchant.updated"})).json()["data"]
    assert events[0]["data"]["object"]["display_name"] == "Renamed"


async def review_checkout(client: httpx.AsyncClient, kit: Any, persona: dict[str, Any]) -> str:
    customer = kit.persona_identity(persona, kit.tagged(persona, "review"))
    checkout = (await client.post("/v1/checkouts", json=kit.cart(customer=customer))).json()
    offer = next(o["id"] for o in checkout["offers"] if o["plan"] == "monthly_12")
    confirmed = await client.post(
        f"/v1/checkouts/{checkout['id']}/confirm", json={"offer": offer, "consent": True}
    )
    assert confirmed.json()["status"] == "in_review"
    checkout_id: str = checkout["id"]
    return checkout_id


async def test_the_queue_is_oldest_first_with_what_an_underwriter_needs(
    client: httpx.AsyncClient, kit: Any, personas: list[dict[str, Any]]
) -> None:
    first = await review_checkout(client, kit, personas[0])
    second = await review_checkout(client, kit, personas[6])
    queue = (await client.get("/v1/admin/reviews", headers=ADMIN)).json()["data"]
    assert [r["checkout"] for r in queue] == [first, second]
    review = queue[0]
    assert review["application"]["amount"] == 120_000
    assert review["application"]["plan"] == "monthly_12"
    assert 300 <= review["credit_summary"]["bureau_score"] <= 850
    assert review["credit_summary"]["pull_type"] == "hard"
    assert review["score"] == review["credit_summary"]["bureau_score"]
    assert any(r["outcome"] == "review" for r in review["rules_fired"])
    assert review["policy_id"] == "pol_consumer_credit"
    page = (
        await client.get(
            "/v1/admin/reviews", params={"starting_after": review["id"]}, headers=ADMIN
        )
    ).json()
    assert [r["checkout"] for r in page["data"]] == [second]


async def test_approving_with_a_lower_limit_records_it_on_the_decision(
    client: httpx.AsyncClient, kit: Any, personas: list[dict[str, Any]]
) -> None:
    checkout_id = await review_checkout(client, kit, personas[0])
    [review] = (await client.get("/v1/admin/reviews", headers=ADMIN)).json()["data"]
    too_low = await client.post(
        f"/v1/admin/reviews/{review['id']}/approve", json={"credit_limit": 1_000}, headers=ADMIN
    )
    assert (too_low.status_code, too_low.json()["error"]["param"]) == (400, "credit_limit")
    worked = await client.post(
        f"/v1/admin/reviews/{review['id']}/approve",
        json={"credit_limit": 150_000, "note": "verified income"},
        headers=ADMIN,
    )
    assert worked.status_code == 200, worked.text
    checkout = (await client.get(f"/v1/checkouts/{checkout_id}")).json()
    assert (checkout["status"], checkout["decision"]["credit_limit"]) == ("approved", 150_000)
    assert checkout["loan"] is not None


async def test_declining_with_a_reason_keeps_it_in_the_history(
    client: httpx.AsyncClient, kit: Any, personas: list[dict[str, Any]]
) -> None:
    checkout_id = await review_checkout(client, kit, personas[0])
    [review] = (await client.get("/v1/admin/reviews", headers=ADMIN)).json()["data"]
    declined = await client.post(
        f"/v1/admin/reviews/{review['id']}/decline", json={"note": "income unverifiable"},
        headers=ADMIN,
    )  # fmt: skip
    assert declined.json()["status"] == "declined"
    checkout = (await client.get(f"/v1/checkouts/{checkout_id}")).json()
    assert checkout["status"] == "declined"
    assert checkout["decision"]["reason_codes"][0] == "MANUAL_REVIEW_DECLINED"
    types = [e["type"] for e in (await client.get("/v1/events")).json()["data"]]
    assert types[0] == "checkout.declined"


async def test_dry_run_of_a_proposed_policy_over_a_generated_batch_reports_what_changes(
    client: httpx.AsyncClient,
) -> None:
    live = (await client.get("/v1/admin/policies/pol_consumer_credit", headers=ADMIN)).json()
    proposed = {"default_outcome": live["default_outcome"], "rules": [PILOT_RULE, *live["rules"]]}
    response = await client.post(
        "/v1/admin/policies/pol_consumer_credit/dry_run",
        json={"policy": proposed, "source": "generated", "count": 60},
        headers=ADMIN,
    )
    assert response.status_code == 200, response.text
    report = response.json()
    assert (report["source"], report["count"], report["proposed"]) == ("generated", 60, True)
    assert report["policy_version"] == live["version"] + 1
    assert report["baseline"]["policy_version"] == live["version"]
    assert report["rule_hits"]["small_tickets_only"] > 0
    assert report["approval_rate_bps"] < report["baseline"]["approval_rate_bps"]
    assert report["changed_count"] == len(report["changes"]) > 0
    assert {c["to"] for c in report["changes"]} == {"decline"}
    still_live = (await client.get("/v1/admin/policies/pol_consumer_credit", headers=ADMIN)).json()
    assert still_live["version"] == live["version"]  # a dry run goes live with nothing


async def test_dry_run_over_stored_applications_reads_what_decisions_saw(
    client: httpx.AsyncClient, kit: Any, personas: list[dict[str, Any]], confirm: Any
) -> None:
    for persona in personas[:3]:
        customer = kit.persona_identity(persona)
        await confirm((await client.post("/v1/checkouts", json=kit.cart(customer=customer))).json())
    report = (
        await client.post("/v1/admin/policies/pol_consumer_credit/dry_run", json={}, headers=ADMIN)
    ).json()
    assert (report["source"], report["count"], report["changed_count"]) == ("stored", 3, 0)
    assert sum(report["outcomes"]["counts"].values()) == 3


async def test_a_proposed_policy_with_an_error_is_refused_naming_it(
    client: httpx.AsyncClient,
) -> None:
    bad = {"default_outcome": "approve", "rules": [{**PILOT_RULE, "when": "amount_usd >"}]}
    response = await client.post(
        "/v1/admin/policies/pol_consumer_credit/dry_run",
        json={"policy": bad, "source": "generated", "count": 5},
        headers=ADMIN,
    )
    assert response.status_code == 400
    assert response.json()["error"]["param"].startswith("policy.")


async def test_old_versions_stay_readable_and_decisions_record_theirs(
    client: httpx.AsyncClient, kit: Any, personas: list[dict[str, Any]], confirm: Any
) -> None:
    live = (await client.get("/v1/admin/policies/pol_consumer_credit", headers=ADMIN)).json()
    body = {"default_outcome": live["default_outcome"], "rules": [PILOT_RULE, *live["rules"]]}
    put = await client.put("/v1/admin/policies/pol_consumer_credit", json=body, headers=ADMIN)
    assert put.json()["version"] == live["version"] + 1
    versions = (
        await client.get("/v1/admin/policies/pol_consumer_credit/versions", headers=ADMIN)
    ).json()["data"]
    assert [v["version"] for v in versions] == [live["version"], live["version"] + 1]
    assert versions[0]["rules"] == live["rules"]
    customer = kit.persona_identity(personas[0], kit.tagged(personas[0], "approve"))
    decided = await confirm(
        (await client.post("/v1/checkouts", json=kit.cart(customer=customer))).json()
    )
    assert decided["decision"]["policy_version"] == live["version"] + 1


async def test_workflows_are_readable_one_by_one_with_their_versions(
    client: httpx.AsyncClient,
) -> None:
    standard = (await client.get("/v1/admin/workflows/wf_standard", headers=ADMIN)).json()
    body = {k: standard[k] for k in ("description", "start", "steps")}
    await client.put("/v1/admin/workflows/wf_standard", json=body, headers=ADMIN)
    versions = (await client.get("/v1/admin/workflows/wf_standard/versions", headers=ADMIN)).json()
    assert [v["version"] for v in versions["data"]] == [
        standard["version"],
        standard["version"] + 1,
    ]
    missing = await client.get("/v1/admin/workflows/wf_nope", headers=ADMIN)
    assert missing.status_code == 404


async def test_advancing_to_the_current_date_changes_nothing(
    client: httpx.AsyncClient, approved_loan: Any
) -> None:
    loan = await approved_loan()
    await client.post(f"/v1/loans/{loan['id']}/capture", json={})
    first = (await client.post("/v1/sandbox/clock/advance", json={"days": 40})).json()
    again = await client.post("/v1/sandbox/clock/advance", json={"to": first["now"][:10]})
    assert again.status_code == 200, again.text
    assert (again.json()["now"][:10], again.json()["events"]) == (first["now"][:10], {})


async def test_a_defaulter_moves_down_the_ladder_on_the_documented_days(
    client: httpx.AsyncClient, sandbox: Any, approved_loan: Any
) -> None:

    loan_obj = await approved_loan()
    captured = (await client.post(f"/v1/loans/{loan_obj['id']}/capture", json={})).json()
    loan = Loan.from_dict(_stored_loan(sandbox, captured["id"]))
    first_due = loan.installments[0].due_date
    start = loan.today
    events = service_loan(loan, "default", start, first_due + timedelta(days=130))
    days = {type_: (on - first_due).days for on, type_, _ in reversed(events)}
    assert (days["loan.late"], days["loan.delinquent"], days["loan.charged_off"]) == (11, 30, 120)
    assert loan.status.value == "charged_off"
    assert date.fromisoformat(str(first_due)) > start


def _stored_loan(sandbox: Any, loan_id: str) -> dict[str, Any]:
    with sandbox.db.reader() as session:
        row = session.scalars(select(LoanRow).where(LoanRow.id == loan_id)).one()
        return dict(row.data)


@pytest.mark.parametrize("behaviour", ["on_time", "late", "partial", "default"])
async def test_advancing_in_steps_ends_where_one_advance_does(
    client: httpx.AsyncClient, sandbox: Any, approved_loan: Any, behaviour: str
) -> None:
    loan_obj = await approved_loan()
    await client.post(f"/v1/loans/{loan_obj['id']}/capture", json={})
    data = _stored_loan(sandbox, loan_obj["id"])
    once, stepped = Loan.from_dict(data), Loan.from_dict(data)
    start = once.today
    end = start + timedelta(days=300)
    once_events = service_loan(once, behaviour, start, end)
    stepped_events = []
    for day in range(0, 300, 7):
        step_start = start + timedelta(days=day)
        step_end = min(step_start + timedelta(days=7), end)
        stepped_events += service_loan(stepped, behaviour, step_start, step_end)
    assert stepped.to_dict() == once.to_dict()
    assert [(d, t) for d, t, _ in stepped_events] == [(d, t) for d, t, _ in once_events]


THIN_APPLICATION = {
    "legal_name": "Northwind Popup", "mcc": "5999", "country": "US", "currency": "USD",
    "website": None, "years_in_business": 0, "expected_monthly_volume": 400_000,
    "contact_email": "owner@gmail.example.com",
}  # fmt: skip


async def test_activation_by_an_underwriter_emits_merchant_activated_once_with_the_key_once(
    anonymous: httpx.AsyncClient,
) -> None:
    applied = (
        await anonymous.post("/v1/merchants", json=complete_application(THIN_APPLICATION))
    ).json()
    assert applied["status"] == "pending_review"
    assert applied["review_reasons"] and applied["secret_key"] is None
    approved = (
        await anonymous.post(f"/v1/admin/merchants/{applied['id']}/approve", headers=ADMIN)
    ).json()
    own = {"Authorization": f"Bearer {approved['secret_key']}"}
    events = (await anonymous.get("/v1/events", headers=own)).json()["data"]
    # newest first: in review on application, then activated by the underwriter
    assert [e["type"] for e in events] == ["merchant.activated", "merchant.in_review"]
    assert events[0]["data"]["object"]["status"] == "active"
    assert "sk_test" not in str(events[0])  # the key is in no event
    me = (await anonymous.get("/v1/merchants/me", headers=own)).json()
    assert (me["status"], me["secret_key"]) == ("active", None)


async def test_a_merchant_active_at_once_has_its_activation_in_its_log(
    anonymous: httpx.AsyncClient,
) -> None:
    application = {
        **THIN_APPLICATION, "website": "https://northwind-outfitters.example.com",
        "legal_name": "Northwind Outfitters", "years_in_business": 7,
        "contact_email": "ops@northwind-outfitters.example.com", "mcc": "5941",
    }  # fmt: skip
    applied = (await anonymous.post("/v1/merchants", json=complete_application(application))).json()
    assert applied["status"] == "active", applied["review_reasons"]
    own = {"Authorization": f"Bearer {applied['secret_key']}"}
    events = (await anonymous.get("/v1/events", headers=own)).json()["data"]
    assert [e["type"] for e in events] == ["merchant.activated"]


async def test_a_waiting_application_resumes_on_the_version_it_started_with(
    client: httpx.AsyncClient, kit: Any, personas: list[dict[str, Any]], sandbox: Any
) -> None:
    checkout_id = await review_checkout(client, kit, personas[0])
    standard = (await client.get("/v1/admin/workflows/wf_standard", headers=ADMIN)).json()
    steps = [s for s in standard["steps"] if s["type"] != "agreement"]  # a shorter process
    for step in steps:
        step["on"] = {
            k: ("authorization" if v == "agreement" else v) for k, v in step["on"].items()
        }
    body = {"description": "no agreement step", "start": standard["start"], "steps": steps}
    put = await client.put("/v1/admin/workflows/wf_standard", json=body, headers=ADMIN)
    assert put.status_code == 200, put.text
    [review] = (await client.get("/v1/admin/reviews", headers=ADMIN)).json()["data"]
    await client.post(f"/v1/admin/reviews/{review['id']}/approve", headers=ADMIN)
    assert (await client.get(f"/v1/checkouts/{checkout_id}")).json()["status"] == "approved"
    with sandbox.db.reader() as session:
        row = session.scalars(
            select(WorkflowInstanceRow).where(WorkflowInstanceRow.checkout_id == checkout_id)
        ).one()
        assert row.data["definition_version"] == standard["version"]
        assert "agreement" in [step["step_id"] for step in row.data["history"]]


async def test_dry_run_of_the_onboarding_policy_over_generated_applications(
    client: httpx.AsyncClient,
) -> None:
    response = await client.post(
        "/v1/admin/policies/pol_merchant_onboarding/dry_run",
        json={"source": "generated", "count": 40},
        headers=ADMIN,
    )
    report = response.json()
    assert response.status_code == 200, response.text
    assert (report["count"], report["changed_count"], report["errors"]) == (40, 0, [])
    counts = report["outcomes"]["counts"]
    assert counts["decline"] > 0 and counts["approve"] > 0  # restricted MCCs and clean shops
