"""API conventions: request ids, the one error shape, auth, cross-merchant 404s, pagination."""

from __future__ import annotations

import logging
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from tests.merchant_applications import complete_application

ERROR_KEYS = {"type", "code", "message", "param", "request_id"}


def assert_error(response: httpx.Response, status: int, type_: str, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    error: dict[str, Any] = response.json()["error"]
    # A validation error also lists every bad parameter as `errors: [{param, code, message}]`.
    expected = ERROR_KEYS | {"errors"} if status == 422 else ERROR_KEYS
    assert set(error) == expected
    if status == 422:
        assert error["errors"][0]["param"] == error["param"]
    assert (error["type"], error["code"]) == (type_, code)
    assert error["request_id"] == response.headers["Request-Id"]
    return error


async def test_every_response_carries_a_request_id(
    client: httpx.AsyncClient, anonymous: httpx.AsyncClient
) -> None:
    ok = await client.get("/healthz")
    missing = await anonymous.get("/v1/checkouts")
    ids = {ok.headers["Request-Id"], missing.headers["Request-Id"]}
    assert len(ids) == 2
    assert all(i.startswith("req_") for i in ids)


async def test_unknown_route_is_404_in_the_error_shape(client: httpx.AsyncClient) -> None:
    error = assert_error(await client.get("/v1/nope"), 404, "not_found_error", "route_not_found")
    assert "/v1/nope" in error["message"]


async def test_wrong_method_is_405_in_the_error_shape(client: httpx.AsyncClient) -> None:
    assert_error(
        await client.delete("/v1/checkouts"), 405, "invalid_request_error", "method_not_allowed"
    )


async def test_validation_error_names_the_field(client: httpx.AsyncClient, kit: Any) -> None:
    body = kit.cart()
    body["items"][0]["quantity"] = 0
    error = assert_error(
        await client.post("/v1/checkouts", json=body),
        422,
        "invalid_request_error",
        "parameter_invalid",
    )
    assert error["param"] == "items.0.quantity"


async def test_unknown_body_fields_are_refused_by_name(client: httpx.AsyncClient, kit: Any) -> None:
    body = {**kit.cart(), "colour": "red"}
    error = assert_error(
        await client.post("/v1/checkouts", json=body),
        422,
        "invalid_request_error",
        "parameter_unknown",
    )
    assert error["param"] == "colour"
    assert "colour" in error["message"]


async def test_a_customer_neither_id_nor_object_is_refused_as_written(
    client: httpx.AsyncClient, kit: Any
) -> None:
    """`customer` is a customer id (string) or an identity (object): a number is neither, and the
    error names the field as the user wrote it, not pydantic's union branches."""
    for bad in (5, [kit.identity()], None):
        error = assert_error(
            await client.post("/v1/checkouts", json={**kit.cart(), "customer": bad}),
            422,
            "invalid_request_error",
            "parameter_invalid",
        )
        assert error["param"] == "customer"
        assert error["message"] == "Invalid customer: Input should be a string or an object"
        assert [e["param"] for e in error["errors"]] == ["customer"]


async def test_a_customer_object_reports_its_own_fields_only(
    client: httpx.AsyncClient, kit: Any
) -> None:
    """Given an object, only the object branch's errors answer, at the path the user wrote."""
    identity = kit.identity()
    identity["address"]["state"] = "CA"  # the field is `region`
    error = assert_error(
        await client.post("/v1/checkouts", json=kit.cart(customer=identity)),
        422,
        "invalid_request_error",
        "parameter_unknown",
    )
    assert error["param"] == "customer.address.state"
    assert error["message"] == "Received unknown parameter(s): customer.address.state"
    assert [e["param"] for e in error["errors"]] == ["customer.address.state"]
    partial = {"email": "ada@example.com", "name": "Ada"}
    error = assert_error(
        await client.post("/v1/prequalifications", json={**_prequalify(), "customer": partial}),
        422,
        "invalid_request_error",
        "parameter_missing",
    )
    assert [e["param"] for e in error["errors"]] == [
        "customer.phone", "customer.date_of_birth", "customer.national_id_last4", "customer.address"
    ]  # fmt: skip


async def test_a_customer_id_string_reports_the_string_rules_only(
    client: httpx.AsyncClient, kit: Any
) -> None:
    """Given a string, only the id branch answers (its length), not "should be an object"."""
    for bad, rule in (("", "at least 1 character"), ("c" * 65, "at most 64 characters")):
        error = assert_error(
            await client.post("/v1/prequalifications", json={**_prequalify(), "customer": bad}),
            422,
            "invalid_request_error",
            "parameter_invalid",
        )
        assert error["param"] == "customer"
        assert error["message"] == f"Invalid customer: String should have {rule}"
        assert len(error["errors"]) == 1


async def test_every_union_field_of_the_contract_answers_as_written(
    client: httpx.AsyncClient,
) -> None:
    """The merchant's plans are plan ids or plan definitions: the same rules as `customer`."""
    cases = (
        (5, "parameter_invalid", "plans.0",
         "Invalid plans.0: Input should be a string or an object"),
        ({"id": "p", "term_count": 3, "apr_bps": 0, "bogus": 1}, "parameter_unknown",
         "plans.0.bogus", "Received unknown parameter(s): plans.0.bogus"),
        ({"id": "p", "term_count": "3", "apr_bps": 0}, "parameter_invalid",
         "plans.0.term_count", "Invalid plans.0.term_count: Input should be a valid integer"),
    )  # fmt: skip
    for plan, code, param, message in cases:
        error = assert_error(
            await client.patch("/v1/merchants/me", json={"plans": [plan]}),
            422,
            "invalid_request_error",
            code,
        )
        assert (error["param"], error["message"]) == (param, message)
        assert len(error["errors"]) == 1


def _prequalify() -> dict[str, Any]:
    return {"amount": 50_000, "currency": "USD"}


async def test_float_money_is_refused(client: httpx.AsyncClient, kit: Any) -> None:
    body = {**kit.cart(), "amount": 1200.0}
    error = assert_error(
        await client.post("/v1/checkouts", json=body),
        422,
        "invalid_request_error",
        "parameter_invalid",
    )
    assert error["param"] == "amount"


async def test_missing_key_is_401(anonymous: httpx.AsyncClient) -> None:
    response = await anonymous.get("/v1/merchants/me")
    assert_error(response, 401, "authentication_error", "missing_api_key")


async def test_wrong_key_is_401_and_not_echoed_whole(anonymous: httpx.AsyncClient) -> None:
    key = "sk_test_not_a_real_key_123456"
    response = await anonymous.get("/v1/loans", headers={"Authorization": f"Bearer {key}"})
    error = assert_error(response, 401, "authentication_error", "invalid_api_key")
    assert key not in error["message"]


@pytest.mark.parametrize(
    "path",
    [
        "/v1/customers",
        "/v1/checkouts",
        "/v1/loans",
        "/v1/events",
        "/v1/sandbox/personas",
        "/v1/merchants/me",
        "/v1/promotions?amount=10000&currency=USD",
    ],
)
async def test_every_v1_route_needs_a_key(anonymous: httpx.AsyncClient, path: str) -> None:
    assert (await anonymous.get(path)).status_code == 401


async def test_unexpected_exception_is_500_with_request_id_and_no_trace(
    app: FastAPI, caplog: pytest.LogCaptureFixture
) -> None:
    def explode() -> None:
        raise RuntimeError("secret internals")

    app.add_api_route("/boom", explode)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as c:
        with caplog.at_level(logging.ERROR, logger="mock_server.errors"):
            response = await c.get("/boom")
    error = assert_error(response, 500, "api_error", "internal_error")
    assert "secret internals" not in response.text
    assert "Traceback" not in response.text
    assert f"request_id={error['request_id']}" in caplog.text


async def test_access_log_has_request_id_and_never_the_key(
    client: httpx.AsyncClient, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO, logger="mock_server.access"):
        response = await client.get("/v1/merchants/me")
    assert response.headers["Request-Id"] in caplog.text
    assert "GET /v1/merchants/me 200" in caplog.text
    assert "sk_test_demo" not in caplog.text


async def _second_merchant(anonymous: httpx.AsyncClient) -> str:
    application = {
        "legal_name": "Northwind Bikes LLC",
        "mcc": "5940",
        "country": "US",
        "currency": "USD",
        "website": "https://northwind-bikes.example.com",
        "years_in_business": 6,
        "expected_monthly_volume": 4_000_000,
        "contact_email": "owner@northwind-bikes.example.com",
    }
    response = await anonymous.post("/v1/merchants", json=complete_application(application))
    assert response.status_code == 201, response.text
    merchant = response.json()
    assert merchant["status"] == "active"
    key: str = merchant["secret_key"]
    assert key.startswith("sk_test_")
    return key


async def test_another_merchants_objects_answer_404(
    client: httpx.AsyncClient,
    anonymous: httpx.AsyncClient,
    approved_loan: Any,
) -> None:
    loan = await approved_loan()
    other = {"Authorization": f"Bearer {await _second_merchant(anonymous)}"}
    paths = [
        f"/v1/loans/{loan['id']}",
        f"/v1/checkouts/{loan['checkout']}",
        f"/v1/customers/{loan['customer']}",
        f"/v1/customers/{loan['customer']}/credit_report",
    ]
    for path in paths:
        response = await anonymous.get(path, headers=other)
        assert_error(response, 404, "not_found_error", "resource_missing")
        assert (await client.get(path)).status_code == 200
    capture = await anonymous.post(f"/v1/loans/{loan['id']}/capture", headers=other, json={})
    assert capture.status_code == 404
    listed = await anonymous.get("/v1/loans", headers=other)
    assert listed.json()["data"] == []
    events = await anonymous.get("/v1/events", headers=other)
    assert {e["type"] for e in events.json()["data"]} == {"merchant.activated"}


async def test_lists_paginate_newest_first(client: httpx.AsyncClient, kit: Any) -> None:
    created = []
    for n in range(5):
        response = await client.post("/v1/customers", json=kit.identity(f"p{n}@example.com"))
        created.append(response.json()["id"])
    first = (await client.get("/v1/customers", params={"limit": 2})).json()
    assert first["object"] == "list"
    assert [c["id"] for c in first["data"]] == created[::-1][:2]
    assert first["has_more"] is True
    # A customer created between pages does not shift the next page.
    await client.post("/v1/customers", json=kit.identity("late@example.com"))
    after = first["data"][-1]["id"]
    second = await client.get("/v1/customers", params={"limit": 2, "starting_after": after})
    assert [c["id"] for c in second.json()["data"]] == created[::-1][2:4]
    last = await client.get("/v1/customers", params={"limit": 2, "starting_after": created[1]})
    assert [c["id"] for c in last.json()["data"]] == [created[0]]
    assert last.json()["has_more"] is False


async def test_default_page_size_is_ten(client: httpx.AsyncClient, kit: Any) -> None:
    for n in range(11):
        await client.post("/v1/customers", json=kit.identity(f"d{n}@example.com"))
    page = (await client.get("/v1/customers")).json()
    assert len(page["data"]) == 10
    assert page["has_more"] is True


@pytest.mark.parametrize("limit", [0, 101, -1])
async def test_limit_out_of_range_is_refused(client: httpx.AsyncClient, limit: int) -> None:
    response = await client.get("/v1/customers", params={"limit": limit})
    error = assert_error(response, 422, "invalid_request_error", "parameter_invalid")
    assert error["param"] == "limit"


async def test_starting_after_unknown_id_is_404(client: httpx.AsyncClient) -> None:
    response = await client.get("/v1/loans", params={"starting_after": "loan_missing"})
    error = assert_error(response, 404, "not_found_error", "resource_missing")
    assert error["param"] == "starting_after"


async def test_openapi_and_docs_are_served(client: httpx.AsyncClient) -> None:
    spec = (await client.get("/openapi.json")).json()
    operation_ids = {op["operationId"] for path in spec["paths"].values() for op in path.values()}
    assert {"checkouts-create", "checkouts-confirm", "loans-capture", "events-list"} <= (
        operation_ids
    )
    assert (await client.get("/docs")).status_code == 200
