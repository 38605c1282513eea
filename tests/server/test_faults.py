"""Fault injection (`Installo-Sandbox-Fault`): errors before anything happens, resets after."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from mock_server.api.faults import FaultSpec, SimulatedConnectionReset, parse_faults
from mock_server.storage.models import CheckoutRow


def fault(value: str, key: str | None = None) -> dict[str, str]:
    headers = {"Installo-Sandbox-Fault": value}
    if key is not None:
        headers["Idempotency-Key"] = key
    return headers


async def checkout_count(client: httpx.AsyncClient) -> int:
    return len((await client.get("/v1/checkouts", params={"limit": 100})).json()["data"])


@pytest.mark.parametrize(
    ("value", "spec"),
    [
        ("latency_ms=250", FaultSpec(latency_ms=250)),
        ("status=503", FaultSpec(status=503)),
        ("Status=429", FaultSpec(status=429)),
        ("status=500", FaultSpec(status=500)),
        ("reset", FaultSpec(reset=True)),
        ("after_commit=reset", FaultSpec(reset_after_commit=True)),
        ("latency_ms=5; status=503", FaultSpec(latency_ms=5, status=503)),
    ],
)
def test_fault_header_parses(value: str, spec: FaultSpec) -> None:
    assert parse_faults(value) == spec


@pytest.mark.parametrize("value", ["status=502", "latency_ms=-1", "latency_ms=99999", "explode"])
async def test_unknown_faults_are_a_400_naming_the_header(
    client: httpx.AsyncClient, value: str
) -> None:
    response = await client.get("/v1/merchants/me", headers=fault(value))
    assert response.status_code == 400
    assert response.json()["error"]["param"] == "Installo-Sandbox-Fault"


async def test_injected_503_applies_nothing(client: httpx.AsyncClient, kit: Any) -> None:
    response = await client.post("/v1/checkouts", json=kit.cart(), headers=fault("status=503"))
    assert response.status_code == 503
    assert response.json()["error"]["type"] == "api_error"
    assert response.headers["Request-Id"].startswith("req_")
    assert await checkout_count(client) == 0


async def test_injected_429_says_when_to_retry(client: httpx.AsyncClient) -> None:
    response = await client.get("/v1/loans", headers=fault("status=429"))
    assert (response.status_code, response.headers["Retry-After"]) == (429, "1")
    assert response.json()["error"]["type"] == "rate_limit_error"


async def test_latency_then_serves_normally(client: httpx.AsyncClient) -> None:
    response = await client.get("/v1/merchants/me", headers=fault("latency_ms=20"))
    assert response.json()["object"] == "merchant"


async def test_reset_drops_the_request_before_it_runs(
    app: FastAPI, client: httpx.AsyncClient, kit: Any
) -> None:
    with pytest.raises(SimulatedConnectionReset):
        await client.post("/v1/checkouts", json=kit.cart(), headers=fault("reset"))
    assert await checkout_count(client) == 0


async def test_reset_after_commit_is_recovered_by_retrying_with_the_same_key(
    client: httpx.AsyncClient, kit: Any
) -> None:
    body = kit.cart()
    with pytest.raises(SimulatedConnectionReset):
        await client.post("/v1/checkouts", json=body, headers=fault("after_commit=reset", "k1"))
    assert await checkout_count(client) == 1  # it was applied
    retry = await client.post("/v1/checkouts", json=body, headers={"Idempotency-Key": "k1"})
    assert retry.status_code == 201
    assert retry.headers["Idempotent-Replayed"] == "true"
    assert await checkout_count(client) == 1


async def test_chaos_rate_one_answers_every_v1_request_503_but_not_healthz(
    kit: Any, make_app: Any
) -> None:
    app = make_app(chaos_rate=1.0, webhook_worker=False)
    transport = httpx.ASGITransport(app=app)
    headers = {"Authorization": "Bearer sk_test_demo"}
    async with httpx.AsyncClient(transport=transport, base_url="http://t", headers=headers) as c:
        assert (await c.get("/healthz")).status_code == 200
        response = await c.post("/v1/checkouts", json=kit.cart())
        assert (response.status_code, response.json()["error"]["code"]) == (
            503,
            "service_unavailable",
        )
    with app.state.sandbox.db.reader() as session:
        assert session.query(CheckoutRow).count() == 0


async def test_chaos_rate_zero_never_strikes(client: httpx.AsyncClient) -> None:
    statuses = {(await client.get("/v1/loans")).status_code for _ in range(20)}
    assert statuses == {200}


async def state_counts(client: httpx.AsyncClient) -> tuple[int, int, int]:
    """Checkouts, loans and events the merchant can see."""
    sizes = []
    for path in ("/v1/checkouts", "/v1/loans", "/v1/events"):
        sizes.append(len((await client.get(path, params={"limit": 100})).json()["data"]))
    return sizes[0], sizes[1], sizes[2]


@pytest.mark.parametrize(
    "value", ["status=503", "status=500", "status=429", "reset", "latency_ms=5;status=503"]
)
async def test_no_injected_fault_half_applies_a_confirm(
    client: httpx.AsyncClient, checkout_for: Any, kit: Any, personas: list[Any], value: str
) -> None:
    customer = kit.persona_identity(personas[0], kit.tagged(personas[0], "approve"))
    checkout = await checkout_for(customer)
    offer = next(o["id"] for o in checkout["offers"] if o["plan"] == "monthly_12")
    before = await state_counts(client)
    path, body = f"/v1/checkouts/{checkout['id']}/confirm", {"offer": offer, "consent": True}
    try:
        response = await client.post(path, json=body, headers=fault(value, "confirm-1"))
        assert response.status_code in (429, 500, 503)
    except SimulatedConnectionReset:
        pass
    assert await state_counts(client) == before
    assert (await client.get(f"/v1/checkouts/{checkout['id']}")).json()["status"] == "open"
    retried = await client.post(path, json=body, headers={"Idempotency-Key": "confirm-1"})
    assert retried.json()["status"] == "approved"
    assert "Idempotent-Replayed" not in retried.headers  # the faulted attempt stored nothing
    checkouts, loans, _ = await state_counts(client)
    assert (checkouts, loans) == (before[0], before[1] + 1)


async def test_retrying_through_chaos_with_one_key_applies_each_request_once(
    make_app: Any, kit: Any
) -> None:
    app = make_app(chaos_rate=0.5, webhook_worker=False)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(
        transport=transport, base_url="http://t", headers=kit.auth
    ) as chaotic:
        unavailable = 0
        for n in range(12):
            body = kit.cart(customer=kit.identity(f"buyer{n}@example.com"))
            while True:
                response = await chaotic.post(
                    "/v1/checkouts", json=body, headers={"Idempotency-Key": f"order-{n}"}
                )
                if response.status_code != 503:
                    break
                unavailable += 1
            assert response.status_code == 201, response.text
    assert unavailable > 0  # chaos is seeded (seed 0 here) and strikes in these requests
    with app.state.sandbox.db.reader() as session:
        assert session.query(CheckoutRow).count() == 12
