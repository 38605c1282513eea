"""Finding 2: no secret is stored in plain text (stored answers included) or logged, an anonymous
application's replay never reaches another caller, and a 409 never reveals another's fields."""

from __future__ import annotations

import logging
import stat
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import select

from mock_server.app import create_app
from mock_server.services.context import Sandbox
from mock_server.settings import Settings
from mock_server.storage.models import WebhookEndpointRow
from tests.merchant_applications import complete_application

APPLICATION = complete_application(
    {
        "legal_name": "Tailspin Toys Co",
        "mcc": "5945",
        "country": "US",
        "currency": "USD",
        "website": "https://tailspin-toys.example.com",
        "years_in_business": 3,
        "expected_monthly_volume": 1_500_000,
        "contact_email": "hello@tailspin-toys.example.com",
    }
)


def caller_at(app: FastAPI, address: str) -> httpx.AsyncClient:
    """An anonymous client connecting from `address`."""
    transport = httpx.ASGITransport(app=app, client=(address, 40_000))
    return httpx.AsyncClient(transport=transport, base_url="http://sandbox.test")


def database_dump(sandbox: Sandbox) -> str:
    """Every row of the (in-memory SQLite) database as SQL text."""
    with sandbox.db.transaction() as session:
        connection = session.connection().connection.driver_connection
        assert connection is not None
        return "\n".join(connection.iterdump())


@pytest.fixture
async def alice(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    async with caller_at(app, "198.51.100.7") as c:
        yield c


@pytest.fixture
async def mallory(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    async with caller_at(app, "203.0.113.66") as c:
        yield c


async def test_secrets_are_nowhere_in_the_database_or_the_logs(
    alice: httpx.AsyncClient, client: httpx.AsyncClient, sandbox: Sandbox,
    caplog: pytest.LogCaptureFixture,
) -> None:  # fmt: skip
    caplog.set_level(logging.DEBUG)
    keyed = {"Idempotency-Key": "apply-1"}
    merchant = (await alice.post("/v1/merchants", json=APPLICATION, headers=keyed)).json()
    hook = await client.post(
        "/v1/webhook_endpoints", json={"url": "http://127.0.0.1:9/h"}, headers=keyed
    )
    await client.get("/v1/merchants/me")
    secrets = [merchant["secret_key"], hook.json()["secret"], "sk_test_demo", "admin_test_demo"]
    assert all(secrets), secrets
    dump = database_dump(sandbox)
    logged = "\n".join(r.getMessage() for r in caplog.records)
    for secret in secrets:
        assert secret not in dump
        assert secret not in logged
    assert "sk_test_" not in dump and "whsec_" not in dump


YOUNG = complete_application({
    "legal_name": "Proseware Startup Inc", "mcc": "5732", "country": "US", "currency": "USD",
    "website": "https://proseware.com", "years_in_business": 0,
    "expected_monthly_volume": 500_000, "contact_email": "founder@proseware.com",
})  # fmt: skip


async def test_onboarding_keys_and_desk_issued_keys_are_nowhere_in_the_database_or_the_logs(
    alice: httpx.AsyncClient, sandbox: Sandbox, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    applied = await alice.post("/v1/merchants", json=YOUNG, headers={"Idempotency-Key": "young"})
    onboarding_key = applied.json()["onboarding_key"]
    assert onboarding_key.startswith("rk_test_")
    patched = await alice.patch(
        "/v1/merchants/me/application", json={"website": "https://proseware.com/shop"},
        headers={"Authorization": f"Bearer {onboarding_key}"},
    )  # fmt: skip
    assert patched.status_code == 200, patched.text
    approved = await alice.post(
        f"/v1/admin/merchants/{applied.json()['id']}/approve", json={"note": "checked"},
        headers={"Authorization": "Bearer admin_test_demo", "Idempotency-Key": "desk-1"},
    )  # fmt: skip
    secret_key = approved.json()["secret_key"]
    assert secret_key.startswith("sk_test_")
    dump = database_dump(sandbox)
    logged = "\n".join(r.getMessage() for r in caplog.records)
    for secret in (onboarding_key, secret_key, "admin_test_demo"):
        assert secret not in dump
        assert secret not in logged
    assert "rk_test_" not in dump


async def test_an_anonymous_replay_never_reaches_another_caller(
    alice: httpx.AsyncClient, mallory: httpx.AsyncClient
) -> None:
    keyed = {"Idempotency-Key": "apply-1"}
    first = await alice.post("/v1/merchants", json=APPLICATION, headers=keyed)
    again = await alice.post("/v1/merchants", json=APPLICATION, headers=keyed)
    stranger = await mallory.post("/v1/merchants", json=APPLICATION, headers=keyed)
    assert first.status_code == again.status_code == stranger.status_code == 201
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.json()["secret_key"] == first.json()["secret_key"]  # the same caller
    assert "Idempotent-Replayed" not in stranger.headers
    assert stranger.json()["id"] != first.json()["id"]
    assert stranger.json()["secret_key"] != first.json()["secret_key"]


async def test_a_reused_anonymous_key_names_none_of_the_first_requests_fields(
    alice: httpx.AsyncClient,
) -> None:
    keyed = {"Idempotency-Key": "apply-1"}
    await alice.post("/v1/merchants", json=APPLICATION, headers=keyed)
    guess = {**APPLICATION, "legal_name": "Guessed Name Inc", "expected_monthly_volume": 1}
    response = await alice.post("/v1/merchants", json=guess, headers=keyed)
    assert response.status_code == 409
    error = response.json()["error"]
    assert (error["code"], error["param"]) == ("idempotency_key_reused", "body")
    for field in APPLICATION:
        assert field not in error["message"]


async def test_webhook_secrets_stay_usable_after_a_restart_on_a_file_database(
    tmp_path: Path,
) -> None:
    settings = Settings(db=f"sqlite:///{tmp_path / 'sandbox.db'}", webhook_worker=False)
    secrets = []
    for _ in range(2):
        app = create_app(settings)
        sandbox: Sandbox = app.state.sandbox
        try:
            transport = httpx.ASGITransport(app=app)
            headers = {"Authorization": "Bearer sk_test_demo"}
            async with httpx.AsyncClient(
                transport=transport, base_url="http://t", headers=headers
            ) as c:
                if not secrets:
                    hook = await c.post("/v1/webhook_endpoints", json={"url": "http://x.test/h"})
                    secrets.append(hook.json()["secret"])
            with sandbox.db.reader() as session:
                stored = session.scalars(select(WebhookEndpointRow.secret)).one()
            assert stored != secrets[0]
            secrets.append(sandbox.db.sealer.open(stored))
        finally:
            sandbox.close()
    assert secrets[0] == secrets[1] == secrets[2]
    key_file = tmp_path / "sandbox.db.key"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
