"""The same code on PostgreSQL by URL: a whole flow and a race on the suite's local cluster.

These run on PostgreSQL whatever `--db` says (the cluster is the `local_postgres` fixture).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from mock_server.app import create_app
from mock_server.settings import Settings


@pytest.fixture
async def pg_client(postgres_database: str) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(Settings(db=postgres_database, seed=7, webhook_worker=False))
    try:
        transport = httpx.ASGITransport(app=app)
        headers = {"Authorization": "Bearer sk_test_demo"}
        async with httpx.AsyncClient(
            transport=transport, base_url="http://pg.test", headers=headers
        ) as client:
            yield client
    finally:
        app.state.sandbox.close()


async def test_whole_flow_on_postgres(pg_client: httpx.AsyncClient, kit: Any) -> None:
    people = (await pg_client.get("/v1/sandbox/personas", params={"tier": "prime"})).json()
    customer = kit.persona_identity(people["data"][0], kit.tagged(people["data"][0], "approve"))
    checkout = (await pg_client.post("/v1/checkouts", json=kit.cart(customer=customer))).json()
    offer = next(o["id"] for o in checkout["offers"] if o["plan"] == "monthly_12")
    confirmed = await pg_client.post(
        f"/v1/checkouts/{checkout['id']}/confirm", json={"offer": offer, "consent": True}
    )
    assert confirmed.json()["status"] == "approved"
    loan_path = f"/v1/loans/{confirmed.json()['loan']}"
    assert (await pg_client.post(f"{loan_path}/capture", json={})).json()["status"] == "active"
    refunded = (await pg_client.post(f"{loan_path}/refunds", json={"amount": 120_000})).json()
    assert refunded["status"] == "refunded"
    events = (await pg_client.get("/v1/events", params={"limit": 3})).json()["data"]
    assert events[0]["type"] == "loan.refunded"


async def test_idempotency_race_on_postgres(pg_client: httpx.AsyncClient, kit: Any) -> None:
    body = kit.cart(customer=kit.identity("race@example.com"))
    responses = await asyncio.gather(
        *(
            pg_client.post("/v1/checkouts", json=body, headers={"Idempotency-Key": "pg-race"})
            for _ in range(30)
        )
    )
    created = {r.json()["id"] for r in responses if r.status_code == 201}
    assert len(created) == 1
    assert all(r.status_code in (201, 409) for r in responses)
