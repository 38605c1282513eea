"""Finding 1: sizes are bounded (body, metadata, strings, headers) and a refused request stores
nothing, including an anonymous merchant application sent with an Idempotency-Key."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
from fastapi import FastAPI
from sqlalchemy import func, select

from mock_server.__main__ import settings_from_args
from mock_server.services.context import Sandbox
from mock_server.storage.models import CheckoutRow, IdempotencyRow, MerchantRow
from tests.security.conftest import serving

AUTH = {"Authorization": "Bearer sk_test_demo"}


def count(sandbox: Sandbox, table: Any) -> int:
    with sandbox.db.reader() as session:
        return int(session.scalar(select(func.count()).select_from(table)) or 0)


def assert_shape(response: httpx.Response, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.text[:300]
    error: dict[str, Any] = response.json()["error"]
    assert error["code"] == code
    assert error["request_id"] == response.headers["Request-Id"]
    return error


async def test_a_fifty_megabyte_checkout_is_refused_with_413_and_not_stored(
    client: httpx.AsyncClient, kit: Any, sandbox: Sandbox
) -> None:
    body = {**kit.cart(), "metadata": {"note": "x" * 50_000_000}}
    error = assert_shape(await client.post("/v1/checkouts", json=body), 413, "body_too_large")
    assert error["param"] == "body"
    assert count(sandbox, CheckoutRow) == 0


async def test_a_chunked_body_over_the_limit_is_refused_too(client: httpx.AsyncClient) -> None:
    async def chunks() -> AsyncIterator[bytes]:
        for _ in range(40):
            yield b" " * 64 * 1024  # 2.5 MB without a Content-Length

    response = await client.post(
        "/v1/checkouts", content=chunks(), headers={"Content-Type": "application/json"}
    )
    assert_shape(response, 413, "body_too_large")


async def test_max_body_flag_sets_the_limit(make_app: Any, kit: Any) -> None:
    body = {**kit.cart(), "metadata": {f"k{i}": "v" * 100 for i in range(30)}}  # ~4 KB
    answers = []
    for argv in ([], ["--max-body", "2048"]):
        app: FastAPI = make_app(settings_from_args([*argv, "--seed", "7"]))
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://t", headers=AUTH) as c:
            answers.append((await c.post("/v1/checkouts", json=body)).status_code)
    assert answers == [201, 413]


async def test_metadata_is_bounded_like_the_payment_apis(
    client: httpx.AsyncClient, kit: Any, sandbox: Sandbox
) -> None:
    cases = {
        "metadata.note": {"note": "x" * 501},
        "metadata": {f"k{i}": "v" for i in range(51)},
        "metadata." + "k" * 41 + ".[key]": {"k" * 41: "v"},
    }
    for param, metadata in cases.items():
        response = await client.post("/v1/checkouts", json={**kit.cart(), "metadata": metadata})
        error = assert_shape(response, 422, "parameter_invalid")
        assert error["param"] == param
    assert count(sandbox, CheckoutRow) == 0
    limit = {f"k{i:02d}" + "k" * 37: "v" * 500 for i in range(50)}
    accepted = await client.post("/v1/checkouts", json={**kit.cart(), "metadata": limit})
    assert accepted.status_code == 201, accepted.text[:300]


async def test_string_fields_are_bounded(client: httpx.AsyncClient, kit: Any) -> None:
    body = {**kit.cart(), "merchant_reference": "r" * 201}
    error = assert_shape(await client.post("/v1/checkouts", json=body), 422, "parameter_invalid")
    assert error["param"] == "merchant_reference"


async def test_an_invalid_anonymous_application_with_a_key_stores_nothing(
    anonymous: httpx.AsyncClient, sandbox: Sandbox
) -> None:
    merchants_before = count(sandbox, MerchantRow)
    for i in range(5):
        body = {"legal_name": "x" * 300_000, "mcc": "nope", "country": "ZZ"}
        response = await anonymous.post(
            "/v1/merchants", json=body, headers={"Idempotency-Key": f"apply-{i}"}
        )
        assert response.status_code == 422
    assert count(sandbox, IdempotencyRow) == 0
    assert count(sandbox, MerchantRow) == merchants_before


def test_an_oversized_header_is_answered_in_the_error_shape(app: FastAPI) -> None:
    with serving(app) as base, httpx.Client(base_url=base) as c:
        response = c.get("/v1/merchants/me", headers={**AUTH, "X-Padding": "p" * 1_000_000})
        error = assert_shape(response, 431, "request_header_too_large")
        assert error["type"] == "invalid_request_error"
        assert (c.get("/healthz")).status_code == 200  # the server carries on
