"""Month-end furnishing through the API: files kept, listed, parsed and downloaded; the bureau
that remembers; disputes; the credit step's bureau settings and the bureau outage fault."""

from __future__ import annotations

import copy
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import event, select

from mock_server.furnishing import account_number as reference_number
from mock_server.risk.identity import Identity
from mock_server.risk.personas import person_for_identity
from mock_server.storage.models import BureauAccountRow, LoanRow
from tests import metro2_reference as reference

ADMIN = {"Authorization": "Bearer admin_test_demo"}
SEED = 7  # the server tests' settings
KEYS = ("name", "email", "phone", "date_of_birth", "address", "national_id_last4", "locale")
Json = dict[str, Any]


def behaviour(persona: Json) -> str:
    return person_for_identity(SEED, Identity.from_dict(persona)).behaviour


@pytest.fixture
async def people(client: httpx.AsyncClient) -> list[Json]:
    page = (await client.get("/v1/sandbox/personas", params={"limit": 100})).json()["data"]
    return [{**p, "behaviour": behaviour(p)} for p in page]


def first(people: list[Json], tier: str, pays: str) -> Json:
    return next(p for p in people if p["tier"] == tier and p["behaviour"] == pays)


async def apply(client: httpx.AsyncClient, customer: Json | str, **headers: str) -> Json:
    """Apply for 600.00 over 12 months (an underwriter approves a review); the checkout."""
    body = {
        "items": [{"sku": "desk", "name": "Desk", "unit_amount": 60_000, "quantity": 1}],
        "amount": 60_000,
        "currency": "USD",
        "customer": customer if isinstance(customer, str) else {k: customer[k] for k in KEYS},
    }
    checkout = (await client.post("/v1/checkouts", json=body)).json()
    offer = next(o["id"] for o in checkout["offers"] if o["plan"] == "monthly_12")
    confirmed = await client.post(
        f"/v1/checkouts/{checkout['id']}/confirm",
        json={"offer": offer, "consent": True},
        headers=headers,
    )
    assert confirmed.status_code == 200, confirmed.text
    decided: Json = confirmed.json()
    return decided


async def approve_review(client: httpx.AsyncClient, checkout: Json) -> Json:
    queue = await client.get("/v1/admin/reviews", params={"status": "pending"}, headers=ADMIN)
    review = next(r for r in queue.json()["data"] if r["checkout"] == checkout["id"])
    await client.post(f"/v1/admin/reviews/{review['id']}/approve", headers=ADMIN)
    decided: Json = (await client.get(f"/v1/checkouts/{checkout['id']}")).json()
    return decided


async def open_loan(client: httpx.AsyncClient, customer: Json | str) -> Json:
    """An approved and captured loan for the customer."""
    decided = await apply(client, customer)
    if decided["status"] == "in_review":
        decided = await approve_review(client, decided)
    assert decided["status"] == "approved", decided["decision"]
    loan: Json = (await client.post(f"/v1/loans/{decided['loan']}/capture", json={})).json()
    return loan


async def advance_months(client: httpx.AsyncClient, months: int) -> None:
    for _ in range(months):
        advanced = await client.post("/v1/sandbox/clock/advance", json={"days": 31})
        assert advanced.status_code == 200, advanced.text


async def files(client: httpx.AsyncClient) -> list[Json]:
    """Every furnishing file, oldest first."""
    listed = await client.get("/v1/admin/furnishing_files", params={"limit": 100}, headers=ADMIN)
    data: list[Json] = listed.json()["data"]
    return data[::-1]


async def account_in(client: httpx.AsyncClient, file: Json, loan_id: str) -> Json | None:
    detail = (await client.get(f"/v1/admin/furnishing_files/{file['id']}", headers=ADMIN)).json()
    return next((a for a in detail["accounts"] if a["loan"] == loan_id), None)


async def report_of(client: httpx.AsyncClient, customer_id: str) -> Json:
    report: Json = (await client.get(f"/v1/customers/{customer_id}/credit_report")).json()
    return report


def installo_lines(report: Json) -> list[Json]:
    return [t for t in report["tradelines"] if t["creditor"] == "Installo"]


# Files --------------------------------------------------------------------------------------


async def test_a_month_end_writes_a_file_listed_parsed_and_downloadable(
    client: httpx.AsyncClient, approved_loan: Callable[..., Awaitable[Json]]
) -> None:
    loan = await approved_loan()
    await client.post(f"/v1/loans/{loan['id']}/capture", json={})
    await advance_months(client, 2)
    written = await files(client)
    assert len(written) == 2
    assert [f["account_count"] for f in written] == [1, 1]
    raw = await client.get(f"/v1/admin/furnishing_files/{written[-1]['id']}/raw", headers=ADMIN)
    assert raw.headers["content-type"].startswith("text/plain")
    parsed = reference.read(raw.text)
    assert parsed.bases[0]["account_status"] == "11"
    assert parsed.bases[0]["highest_credit"] == "000001200"
    account = await account_in(client, written[-1], loan["id"])
    assert account is not None
    assert account["consumer_account_number"] == parsed.bases[0]["consumer_account_number"]
    assert account["payment_history_profile"] == parsed.bases[0]["payment_history_profile"]
    after = (await client.get(f"/v1/loans/{loan['id']}")).json()
    assert after["last_furnished"]["file"] == written[-1]["id"]
    assert after["last_furnished"]["account_status"] == "11"
    assert after["last_furnished"]["period"] == written[-1]["period"]
    events = await client.get("/v1/events", params={"type": "credit_report.furnished"})
    assert [e["data"]["object"]["id"] for e in events.json()["data"]][::-1] == [
        f["id"] for f in written
    ]


async def test_a_loan_the_advance_holds_is_written_reported_once_however_many_month_ends(
    app: FastAPI, client: httpx.AsyncClient, approved_loan: Callable[..., Awaitable[Json]]
) -> None:
    loan = await approved_loan()
    await client.post(f"/v1/loans/{loan['id']}/capture", json={})
    written_rows: list[Any] = []

    def watch(*args: Any) -> None:
        statement, parameters, many = args[2], args[3], args[5]
        if statement.startswith("UPDATE loans") and "furnished" in statement:
            written_rows.extend(parameters if many else [parameters])

    engine = app.state.sandbox.db.engine
    event.listen(engine, "before_cursor_execute", watch)
    try:
        advanced = await client.post("/v1/sandbox/clock/advance", json={"days": 95})
    finally:
        event.remove(engine, "before_cursor_execute", watch)
    assert advanced.status_code == 200, advanced.text
    written = await files(client)
    assert len(written) == 3
    assert len(written_rows) == 1  # with the loan's data, at the advance's end
    after = (await client.get(f"/v1/loans/{loan['id']}")).json()
    assert after["last_furnished"]["file"] == written[-1]["id"]
    assert after["last_furnished"]["period"] == written[-1]["period"]
    events = await client.get("/v1/events", params={"limit": 100})
    shown = [
        e["data"]["object"]["last_furnished"]
        for e in events.json()["data"]
        if e["type"].startswith("loan.") and e["data"]["object"]["id"] == loan["id"]
    ]
    periods = {f["period"] for f in shown if f is not None}
    assert {written[0]["period"], written[1]["period"]} <= periods  # events show it meanwhile


async def test_each_month_end_is_furnished_once_however_the_clock_moves(
    client: httpx.AsyncClient, approved_loan: Callable[..., Awaitable[Json]]
) -> None:
    loan = await approved_loan()
    await client.post(f"/v1/loans/{loan['id']}/capture", json={})
    await client.post("/v1/sandbox/clock/advance", json={"days": 10})
    await client.post("/v1/sandbox/clock/advance", json={"days": 52})
    now = (await client.post("/v1/sandbox/clock/advance", json={"days": 1})).json()["now"]
    again = await client.post("/v1/sandbox/clock/advance", json={"to": now[:10]})
    assert again.json()["events"] == {}
    periods = [f["period"] for f in await files(client)]
    assert len(periods) == len(set(periods)) == 2


async def test_a_loan_on_a_test_clock_stays_out_of_the_merchants_files(
    client: httpx.AsyncClient,
    kit: Any,
    personas: list[Json],
    approved_loan: Callable[..., Awaitable[Json]],
) -> None:
    loan = await approved_loan()
    await client.post(f"/v1/loans/{loan['id']}/capture", json={})
    clock = (await client.post("/v1/test_clocks", json={"name": "furnishing"})).json()
    identity = kit.persona_identity(personas[1], kit.tagged(personas[1], "approve"))
    customer = await client.post("/v1/customers", json={**identity, "test_clock": clock["id"]})
    on_clock = await open_loan(client, customer.json()["id"])
    await advance_months(client, 1)
    written = await files(client)
    assert [f["account_count"] for f in written] == [1]
    assert await account_in(client, written[0], loan["id"]) is not None
    assert (await client.get(f"/v1/loans/{on_clock['id']}")).json()["last_furnished"] is None


_FIXED_WALL = datetime(2030, 1, 15, 12, 0, tzinfo=UTC)


async def test_an_advance_over_many_month_ends_stores_what_one_a_month_would(
    make_app: Callable[..., FastAPI], settings: Any
) -> None:
    """The bureau's accounts an advance folds over several month-ends (and writes once, at its
    end) are stored as advancing a month-end at a time stores them, their places (`seq`)
    included, and each loan keeps the same reports and scores; a tradeline deleted by a
    dispute in the advance's first file too. Both sandboxes read the same fixed wall clock, so
    their dates and times of day are the same however far apart they start."""
    seen = []
    for steps in ([200], [31] * 6 + [14]):
        app = make_app(settings)
        app.state.sandbox.wall = lambda: _FIXED_WALL
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(
            transport=transport,
            base_url="http://sandbox.test",
            headers={"Authorization": "Bearer sk_test_demo"},
        ) as client:
            page = (await client.get("/v1/sandbox/personas", params={"limit": 30})).json()
            loans = []
            for persona in page["data"]:
                decided = await apply(client, persona)
                if decided["status"] == "in_review":
                    decided = await approve_review(client, decided)
                if decided["status"] == "approved":
                    captured = await client.post(f"/v1/loans/{decided['loan']}/capture", json={})
                    loans.append(captured.json()["id"])
            await advance_months(client, 1)
            for loan_id, resolution in zip(loans[:2], ("deleted", "verified"), strict=True):
                body = {"loan": loan_id, "reason": "not mine"}
                made = await client.post("/v1/admin/disputes", json=body, headers=ADMIN)
                path = f"/v1/admin/disputes/{made.json()['id']}/resolve"
                await client.post(path, json={"resolution": resolution}, headers=ADMIN)
            for days in steps:
                advanced = await client.post("/v1/sandbox/clock/advance", json={"days": days})
                assert advanced.status_code == 200, advanced.text
            numbers = {reference_number(loan_id): n for n, loan_id in enumerate(loans)}
            with app.state.sandbox.db.reader() as session:
                accounts = [
                    (seq, numbers[number], reported_on, {**data, "account_number": ""})
                    for seq, number, reported_on, data in session.execute(
                        select(
                            BureauAccountRow.seq,
                            BureauAccountRow.account_number,
                            BureauAccountRow.reported_on,
                            BureauAccountRow.data,
                        ).order_by(BureauAccountRow.seq)
                    )
                ]
                reports = [
                    {
                        k: v
                        for k, v in (row.furnished or {}).items()
                        if k not in ("file", "account_number")  # ids: random
                    }
                    for row in session.scalars(select(LoanRow).order_by(LoanRow.seq))
                ]
        assert len(loans) > 5 and len(accounts) == len(loans) - 1  # one deleted
        seen.append((accounts, reports))
    assert seen[0] == seen[1]


async def test_a_merchant_with_nothing_to_report_gets_no_file(
    client: httpx.AsyncClient, approved_loan: Callable[..., Awaitable[Json]]
) -> None:
    await approved_loan()  # authorized, never captured: not a credit account yet
    await advance_months(client, 2)
    assert await files(client) == []


async def test_the_furnishing_endpoints_need_the_admin_key_and_name_a_missing_file(
    client: httpx.AsyncClient,
) -> None:
    assert (await client.get("/v1/admin/furnishing_files")).status_code == 401
    missing = await client.get("/v1/admin/furnishing_files/ff_nope", headers=ADMIN)
    assert missing.status_code == 404
    assert missing.json()["error"]["param"] == "id"
    page = await client.get(
        "/v1/admin/furnishing_files", params={"starting_after": "ff_nope"}, headers=ADMIN
    )
    assert (page.status_code, page.json()["error"]["param"]) == (404, "starting_after")


# The bureau remembers ---------------------------------------------------------------------


async def test_a_charged_off_customer_next_application_declines_for_delinquency(
    client: httpx.AsyncClient, people: list[Json]
) -> None:
    defaulter = first(people, "thin_file", "default")
    loan = await open_loan(client, defaulter)
    before = (await report_of(client, loan["customer"]))["bureau_score"]
    await advance_months(client, 6)
    after = (await client.get(f"/v1/loans/{loan['id']}")).json()
    assert after["status"] == "charged_off"
    assert after["last_furnished"]["account_status"] == "97"
    again = await apply(client, defaulter)
    assert again["status"] == "declined"
    assert "SERIOUS_DELINQUENCY" in again["decision"]["reason_codes"]
    report = await report_of(client, again["customer"])
    assert report["bureau_score"] < before
    (line,) = installo_lines(report)
    assert line["account_status"] == "97"
    assert set(line["payment_history"][-4:]) <= {"1", "2", "3"}
    assert any(q["by"] == "Installo" and q["kind"] == "hard" for q in report["inquiries"])


async def test_a_thin_file_paid_on_time_for_six_months_scores_higher(
    client: httpx.AsyncClient, people: list[Json]
) -> None:
    payer = first(people, "thin_file", "on_time")
    loan = await open_loan(client, payer)
    before = (await report_of(client, loan["customer"]))["bureau_score"]
    await advance_months(client, 6)
    again = await apply(client, loan["customer"])
    report = await report_of(client, loan["customer"])
    assert report["bureau_score"] > before
    assert again["decision"]["score"] == report["bureau_score"]
    (line,) = installo_lines(report)
    assert line["account_status"] == "11"
    assert "1" not in line["payment_history"]


async def test_a_tagged_identity_keeps_its_forced_file(
    client: httpx.AsyncClient, approved_loan: Callable[..., Awaitable[Json]]
) -> None:
    loan = await approved_loan()
    await client.post(f"/v1/loans/{loan['id']}/capture", json={})
    before = (await report_of(client, loan["customer"]))["bureau_score"]
    await advance_months(client, 2)
    after = (await client.get(f"/v1/loans/{loan['id']}")).json()["last_furnished"]
    assert after["score_before"] == after["score_after"] == before


# Disputes ---------------------------------------------------------------------------------


async def dispute_flow(client: httpx.AsyncClient, people: list[Json], resolution: str) -> Json:
    """Furnish a prime loan, dispute it, furnish, resolve, furnish twice; answer what was seen."""
    loan = await open_loan(client, first(people, "prime", "on_time"))
    await advance_months(client, 1)
    created = await client.post(
        "/v1/admin/disputes", json={"loan": loan["id"], "reason": "not mine"}, headers=ADMIN
    )
    assert created.status_code == 201, created.text
    dispute = created.json()
    await advance_months(client, 1)
    during = await account_in(client, (await files(client))[-1], loan["id"])
    resolved = await client.post(
        f"/v1/admin/disputes/{dispute['id']}/resolve",
        json={"resolution": resolution},
        headers=ADMIN,
    )
    assert resolved.status_code == 200, resolved.text
    await advance_months(client, 1)
    after_file = (await files(client))[-1]
    after = await account_in(client, after_file, loan["id"])
    await advance_months(client, 1)
    later_file = (await files(client))[-1]  # none is written when nothing is left to report
    later = None if later_file == after_file else await account_in(client, later_file, loan["id"])
    again = await apply(client, loan["customer"])
    return {
        "during": during,
        "after": after,
        "later": later,
        "dispute": (await client.post(
            f"/v1/admin/disputes/{dispute['id']}/resolve",
            json={"resolution": resolution},
            headers=ADMIN,
        )).json(),
        "bureau": installo_lines(await report_of(client, again["customer"])),
        "loan": (await client.get(f"/v1/loans/{loan['id']}")).json(),
    }  # fmt: skip


async def test_a_verified_dispute_is_xb_while_open_then_xh_once_then_cleared(
    client: httpx.AsyncClient, people: list[Json]
) -> None:
    seen = await dispute_flow(client, people, "verified")
    assert seen["during"]["compliance_condition_code"] == "XB"
    assert seen["after"]["compliance_condition_code"] == "XH"
    assert seen["later"]["compliance_condition_code"] == ""
    assert seen["dispute"]["error"]["code"] == "dispute_already_resolved"
    (line,) = seen["bureau"]
    assert line["compliance_condition_code"] is None


async def test_a_deleted_dispute_deletes_the_tradeline_at_the_bureau_and_from_later_files(
    client: httpx.AsyncClient, people: list[Json]
) -> None:
    seen = await dispute_flow(client, people, "deleted")
    assert seen["during"]["compliance_condition_code"] == "XB"
    assert seen["after"]["account_status"] == "DA"
    assert seen["later"] is None
    assert seen["bureau"] == []
    assert seen["loan"]["last_furnished"]["account_status"] == "DA"


async def test_a_corrected_dispute_reports_the_history_current(
    client: httpx.AsyncClient, people: list[Json]
) -> None:
    loan = await open_loan(client, first(people, "thin_file", "default"))
    await advance_months(client, 4)
    late = await account_in(client, (await files(client))[-1], loan["id"])
    assert late is not None and set(late["payment_history_profile"][:3]) & {"1", "2"}
    dispute = (
        await client.post("/v1/admin/disputes", json={"loan": loan["id"]}, headers=ADMIN)
    ).json()
    await client.post(
        f"/v1/admin/disputes/{dispute['id']}/resolve",
        json={"resolution": "corrected"},
        headers=ADMIN,
    )
    await advance_months(client, 1)
    after = await account_in(client, (await files(client))[-1], loan["id"])
    assert after is not None
    assert after["compliance_condition_code"] == "XH"
    assert after["account_status"] in ("80", "97")  # the ledger still says what it says
    assert set(after["payment_history_profile"][:4]) == {"0"}


async def test_a_dispute_needs_a_furnished_loan_and_one_open_at_a_time(
    client: httpx.AsyncClient, people: list[Json]
) -> None:
    loan = await open_loan(client, first(people, "prime", "on_time"))
    early = await client.post("/v1/admin/disputes", json={"loan": loan["id"]}, headers=ADMIN)
    assert (early.status_code, early.json()["error"]["code"]) == (409, "loan_not_furnished")
    await advance_months(client, 1)
    opened = await client.post("/v1/admin/disputes", json={"loan": loan["id"]}, headers=ADMIN)
    twice = await client.post("/v1/admin/disputes", json={"loan": loan["id"]}, headers=ADMIN)
    assert opened.status_code == 201
    assert (twice.status_code, twice.json()["error"]["code"]) == (409, "dispute_already_open")
    bad = await client.post(
        f"/v1/admin/disputes/{opened.json()['id']}/resolve",
        json={"resolution": "ignored"},
        headers=ADMIN,
    )
    assert bad.status_code in (400, 422)
    assert bad.json()["error"]["param"] == "resolution"
    missing = await client.post("/v1/admin/disputes", json={"loan": "loan_nope"}, headers=ADMIN)
    assert missing.status_code == 404


# The credit step's bureau settings ----------------------------------------------------------


async def set_credit_step(client: httpx.AsyncClient, **params: Any) -> None:
    standard = (await client.get("/v1/admin/workflows/wf_standard", headers=ADMIN)).json()
    for step in standard["steps"]:
        if step["type"] == "credit_report":
            step["params"] = {**step.get("params", {}), **params}
    body = {k: standard[k] for k in ("description", "start", "steps")}
    updated = await client.put("/v1/admin/workflows/wf_standard", json=body, headers=ADMIN)
    assert updated.status_code == 200, updated.text


@pytest.mark.parametrize(
    ("setting", "status", "reasons"),
    [
        ("decline", "declined", ["BUREAU_UNAVAILABLE"]),
        ("review", "in_review", ["BUREAU_UNAVAILABLE"]),
        ("decide_without_file", "in_review", ["INSUFFICIENT_CREDIT_FILE"]),
    ],
)
async def test_a_bureau_outage_does_what_the_credit_step_says(
    client: httpx.AsyncClient,
    kit: Any,
    personas: list[Json],
    setting: str,
    status: str,
    reasons: list[str],
) -> None:
    await set_credit_step(client, on_bureau_down=setting)
    customer = kit.persona_identity(personas[0], kit.tagged(personas[0], "approve"))
    decided = await apply(client, customer, **{"Installo-Sandbox-Fault": "bureau=down"})
    assert decided["status"] == status
    assert decided["decision"]["reason_codes"] == reasons
    assert decided["decision"]["score"] is None
    fired = [r["rule_id"] for r in decided["decision"]["rules_fired"]]
    assert ("thin_file" in fired) == (setting == "decide_without_file")
    assert (
        await client.get(f"/v1/customers/{decided['customer']}/credit_report")
    ).status_code == 404


async def test_without_the_fault_the_bureau_answers_whatever_the_outage_setting(
    client: httpx.AsyncClient, kit: Any, personas: list[Json]
) -> None:
    await set_credit_step(client, on_bureau_down="review")
    customer = kit.persona_identity(personas[0], kit.tagged(personas[0], "approve"))
    assert (await apply(client, customer))["status"] == "approved"


@pytest.mark.parametrize(("reuse_days", "pulls"), [(30, 1), (0, 2)])
async def test_the_reuse_window_decides_whether_a_second_application_pulls_again(
    client: httpx.AsyncClient, kit: Any, personas: list[Json], reuse_days: int, pulls: int
) -> None:
    await set_credit_step(client, reuse_days=reuse_days)
    customer = kit.persona_identity(personas[0], kit.tagged(personas[0], "approve"))
    created = (await client.post("/v1/customers", json=customer)).json()
    first_report = None
    for _ in range(2):
        decided = await apply(client, created["id"])
        assert decided["status"] == "approved"
        report = await report_of(client, created["id"])
        first_report = first_report or report["id"]
    assert (report["id"] == first_report) == (pulls == 1)


async def test_a_credit_step_refuses_a_reuse_window_out_of_range(client: httpx.AsyncClient) -> None:
    standard = (await client.get("/v1/admin/workflows/wf_standard", headers=ADMIN)).json()
    standard_steps = copy.deepcopy(standard["steps"])
    for step in standard["steps"]:
        if step["type"] == "credit_report":
            step["params"] = {"reuse_days": -1, "on_bureau_down": "shrug"}
    body = {k: standard[k] for k in ("description", "start", "steps")}
    refused = await client.put("/v1/admin/workflows/wf_standard", json=body, headers=ADMIN)
    assert refused.status_code == 400, refused.text
    assert "reuse_days" in refused.text and "on_bureau_down" in refused.text
    kept = (await client.get("/v1/admin/workflows/wf_standard", headers=ADMIN)).json()
    assert kept["steps"] == standard_steps  # nothing stored
