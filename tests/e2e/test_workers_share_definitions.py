"""`--workers N`: a policy or loan process uploaded through one worker decides in the others.

Two apps on one PostgreSQL database stand for two worker processes (each builds its own sandbox,
as each uvicorn worker does). With one worker the sandbox reads stored versions only at start, so
the same upload stays unseen by a second app until it restarts: the setting alone makes the
difference.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import httpx

from mock_server.app import create_app
from mock_server.services.context import Sandbox
from mock_server.settings import Settings

ADMIN = {"Authorization": "Bearer admin_test_demo"}
PILOT_LIMIT = {
    "id": "small_tickets_only",
    "when": "amount_usd > 50000",
    "outcome": "decline",
    "reason_code": "AMOUNT_ABOVE_PILOT_LIMIT",
}


@asynccontextmanager
async def worker(settings: Settings) -> AsyncIterator[tuple[httpx.AsyncClient, Sandbox]]:
    """One worker process's app, driven in-process."""
    app = create_app(settings)
    sandbox: Sandbox = app.state.sandbox
    transport = httpx.ASGITransport(app=app)
    try:
        async with httpx.AsyncClient(transport=transport, base_url="http://sandbox") as client:
            yield client, sandbox
    finally:
        sandbox.close()


async def upload_pilot_limit(client: httpx.AsyncClient) -> int:
    """A new version of the credit policy, with a rule first; returns its version."""
    found = await client.get("/v1/admin/policies/pol_consumer_credit", headers=ADMIN)
    policy: dict[str, Any] = found.json()
    body = {key: value for key, value in policy.items() if key not in ("id", "object", "version")}
    body["rules"] = [PILOT_LIMIT, *policy["rules"]]
    put = await client.put("/v1/admin/policies/pol_consumer_credit", json=body, headers=ADMIN)
    assert put.status_code == 200, put.text
    version: int = put.json()["version"]
    return version


async def live_version(client: httpx.AsyncClient) -> int:
    found = await client.get("/v1/admin/policies/pol_consumer_credit", headers=ADMIN)
    version: int = found.json()["version"]
    return version


async def test_an_upload_through_one_worker_decides_in_the_other(postgres_database: str) -> None:
    settings = Settings(db=postgres_database, workers=2, webhook_worker=False)
    async with worker(settings) as (first, _), worker(settings) as (second, other):
        assert await live_version(second) == 1  # loaded before the upload
        version = await upload_pilot_limit(first)
        assert await live_version(second) == version == 2
        assert other.credit_policy.rules[0].id == "small_tickets_only"  # what confirm evaluates
        standard = (await first.get("/v1/admin/workflows/wf_standard", headers=ADMIN)).json()
        body = {key: standard[key] for key in ("description", "start", "steps")}
        flow = await first.put("/v1/admin/workflows/wf_store_pilot", json=body, headers=ADMIN)
        assert flow.status_code == 200, flow.text
        listed = (await second.get("/v1/admin/workflows", headers=ADMIN)).json()["data"]
        assert "wf_store_pilot" in {workflow["id"] for workflow in listed}


async def test_one_worker_reads_stored_versions_at_start_only(postgres_database: str) -> None:
    settings = Settings(db=postgres_database, workers=1, webhook_worker=False)
    async with worker(settings) as (first, _), worker(settings) as (second, _):
        assert await upload_pilot_limit(first) == 2
        assert await live_version(second) == 1
    async with worker(settings) as (restarted, _):
        assert await live_version(restarted) == 2
