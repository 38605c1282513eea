"""Reset and snapshot/restore of a merchant's sandbox data, on SQLite and on PostgreSQL."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from mock_server.app import create_app
from mock_server.settings import Settings

Json = dict[str, Any]
AUTH = {"Authorization": "Bearer sk_test_demo"}
ADMIN = {"Authorization": "Bearer admin_test_demo"}


@pytest.fixture(params=["sqlite", "postgresql"])
def backend_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A file SQLite database, then a new database in the suite's PostgreSQL cluster."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'sandbox.db'}"
    url: str = request.getfixturevalue("postgres_database")
    return url


@pytest.fixture
async def db_client(backend_url: str) -> AsyncIterator[httpx.AsyncClient]:
    app: FastAPI = create_app(Settings(db=backend_url, seed=7, webhook_worker=False))
    try:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(
            transport=transport, base_url="http://sandbox.test", headers=AUTH
        ) as client:
            yield client
    finally:
        app.state.sandbox.close()


async def make_loan(client: httpx.AsyncClient, kit: Any, n: int) -> Json:
    """A captured loan of a new `+approve` customer."""
    identity = kit.identity(f"golden.{n}+approve@example.com", phone=f"+1 415 555 0{n:03d}")
    identity["address"]["line1"] = f"{n} Market St"  # no velocity flag between the loans
    checkout = (await client.post("/v1/checkouts", json=kit.cart(customer=identity))).json()
    offer = next(o["id"] for o in checkout["offers"] if o["plan"] == "monthly_12")
    path = f"/v1/checkouts/{checkout['id']}/confirm"
    confirmed = (await client.post(path, json={"offer": offer, "consent": True})).json()
    assert confirmed["status"] == "approved", confirmed["decision"]
    loan: Json = (await client.post(f"/v1/loans/{confirmed['loan']}/capture", json={})).json()
    return loan


async def state(client: httpx.AsyncClient) -> Json:
    """What the merchant sees: ids of its customers, checkouts, loans and events, and its time."""
    seen: Json = {}
    for kind in ("customers", "checkouts", "loans", "events", "test_clocks"):
        page = (await client.get(f"/v1/{kind}", params={"limit": 100})).json()
        seen[kind] = [o["id"] for o in page["data"]]
    seen["loan_states"] = [
        (o["status"], o["principal_balance"])
        for o in (await client.get("/v1/loans", params={"limit": 100})).json()["data"]
    ]
    return seen


async def merchant_id(client: httpx.AsyncClient) -> str:
    found: str = (await client.get("/v1/merchants/me")).json()["id"]
    return found


async def test_reset_and_snapshot_restore_round_trip(
    db_client: httpx.AsyncClient, kit: Any
) -> None:
    me = await merchant_id(db_client)
    await make_loan(db_client, kit, 1)
    await db_client.post("/v1/test_clocks", json={"name": "golden"})
    golden = await state(db_client)
    saved = await db_client.post("/v1/sandbox/snapshots", json={"name": "golden"})
    assert saved.status_code == 201, saved.text
    assert saved.json()["counts"]["loans"] == 1

    later = await make_loan(db_client, kit, 2)
    await db_client.post(f"/v1/loans/{later['id']}/refunds", json={"amount": 10_000})
    await db_client.post("/v1/sandbox/clock/advance", json={"days": 40})
    assert await state(db_client) != golden

    restored = await db_client.post("/v1/sandbox/snapshots/golden/restore")
    assert restored.status_code == 200, restored.text
    assert await state(db_client) == golden
    assert (await db_client.get(f"/v1/loans/{later['id']}")).status_code == 404

    reset = await db_client.post("/v1/sandbox/reset", json={"confirm": me})
    assert reset.status_code == 200, reset.text
    assert reset.json()["deleted"]["loans"] == 1
    emptied = await state(db_client)
    assert all(ids == [] for ids in emptied.values()), emptied
    assert (await db_client.post("/v1/sandbox/snapshots/golden/restore")).status_code == 200
    assert await state(db_client) == golden  # the snapshot outlives a reset


async def test_reset_needs_the_merchant_id_as_confirmation(
    client: httpx.AsyncClient, kit: Any
) -> None:
    await client.post("/v1/customers", json=kit.identity())
    for body in ({}, {"confirm": "yes"}, {"confirm": "mer_someone_else"}):
        response = await client.post("/v1/sandbox/reset", json=body)
        assert response.status_code in (400, 422), response.text
        assert response.json()["error"]["param"] == "confirm"
    assert len((await client.get("/v1/customers")).json()["data"]) == 1


async def test_reset_keeps_the_merchant_keys_settings_and_webhook_endpoints(
    client: httpx.AsyncClient, kit: Any
) -> None:
    endpoint = await client.post(
        "/v1/webhook_endpoints", json={"url": "https://shop.example.com/h"}
    )
    await client.post("/v1/customers", json=kit.identity())
    me = await merchant_id(client)
    assert (await client.post("/v1/sandbox/reset", json={"confirm": me})).status_code == 200
    listed = (await client.get("/v1/webhook_endpoints")).json()["data"]
    assert [e["id"] for e in listed] == [endpoint.json()["id"]]
    assert (await client.get("/v1/customers")).json()["data"] == []


async def test_the_admin_key_resets_any_merchant(
    client: httpx.AsyncClient, anonymous: httpx.AsyncClient, kit: Any
) -> None:
    await client.post("/v1/customers", json=kit.identity())
    me = await merchant_id(client)
    path = f"/v1/admin/merchants/{me}/sandbox/reset"
    refused = await anonymous.post(path, json={"confirm": me}, headers=AUTH)
    assert refused.status_code == 401
    done = await anonymous.post(path, json={"confirm": me}, headers=ADMIN)
    assert done.status_code == 200, done.text
    assert (await client.get("/v1/customers")).json()["data"] == []


async def test_restoring_an_unknown_snapshot_is_not_found(client: httpx.AsyncClient) -> None:
    response = await client.post("/v1/sandbox/snapshots/nothing/restore")
    assert (response.status_code, response.json()["error"]["param"]) == (404, "name")


async def test_snapshot_names_are_checked(client: httpx.AsyncClient) -> None:
    response = await client.post("/v1/sandbox/snapshots", json={"name": "../etc"})
    assert (response.status_code, response.json()["error"]["param"]) == (422, "name")


async def test_a_reset_forgets_the_fraud_velocity_of_the_applications_it_deletes(
    client: httpx.AsyncClient, kit: Any
) -> None:
    me = await merchant_id(client)
    decisions: list[list[str]] = []
    for n in range(2):  # two people (no magic tag) sharing a phone: a velocity signal
        identity = kit.identity(f"velocity.{n}@example.com")
        checkout = (await client.post("/v1/checkouts", json=kit.cart(customer=identity))).json()
        offer = checkout["offers"][0]["id"]
        path = f"/v1/checkouts/{checkout['id']}/confirm"
        decided = (await client.post(path, json={"offer": offer, "consent": True})).json()
        decisions.append(decided["decision"]["reason_codes"])
        assert (await client.post("/v1/sandbox/reset", json={"confirm": me})).status_code == 200
    assert "PHONE_VELOCITY" not in decisions[1], decisions  # the first one was deleted


async def installo_tradelines(client: httpx.AsyncClient, identity: Json) -> list[Json]:
    """The Installo tradelines on a soft pull of this identity, as a new customer, now."""
    customer = (await client.post("/v1/customers", json=identity)).json()
    pulled = await client.post("/v1/prequalifications", json={"customer": customer["id"]})
    assert pulled.status_code in (200, 201), pulled.text
    report = (await client.get(f"/v1/customers/{customer['id']}/credit_report")).json()
    return [t for t in report["tradelines"] if t["creditor"] == "Installo"]


async def test_a_reset_makes_the_bureau_forget_the_accounts_the_merchant_furnished(
    client: httpx.AsyncClient, kit: Any, personas: list[Json]
) -> None:
    me = await merchant_id(client)
    identity = kit.persona_identity(next(p for p in personas if p["tier"] == "prime"))
    checkout = (await client.post("/v1/checkouts", json=kit.cart(customer=identity))).json()
    offer = next(o["id"] for o in checkout["offers"] if o["plan"] == "monthly_12")
    path = f"/v1/checkouts/{checkout['id']}/confirm"
    confirmed = (await client.post(path, json={"offer": offer, "consent": True})).json()
    assert confirmed["status"] == "approved", confirmed["decision"]
    await client.post(f"/v1/loans/{confirmed['loan']}/capture", json={})
    await client.post("/v1/sandbox/clock/advance", json={"days": 62})  # two month-ends
    assert len(await installo_tradelines(client, identity)) == 1  # the bureau remembers

    assert (await client.post("/v1/sandbox/reset", json={"confirm": me})).status_code == 200
    await client.post("/v1/sandbox/clock/advance", json={"days": 100})  # past those month-ends
    assert await installo_tradelines(client, identity) == []
