"""The OpenAPI document says what each operation does and documents the conventions' headers."""

from __future__ import annotations

from typing import Any

import httpx
from fastapi import FastAPI

from mock_server.api.openapi import first_sentence


def _operations(spec: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (method, path, operation)
        for path, operations in spec["paths"].items()
        for method, operation in operations.items()
    ]


def test_every_operation_summary_says_what_it_does(app: FastAPI) -> None:
    spec = app.openapi()
    for method, path, operation in _operations(spec):
        summary = operation["summary"]
        assert len(summary.split()) >= 2, (method, path, summary)
        assert summary == first_sentence(operation["description"])
    summaries = {(m, p): op["summary"] for m, p, op in _operations(spec)}
    assert summaries[("post", "/v1/customers")] == "Create a customer"


def test_every_post_documents_the_idempotency_key(app: FastAPI) -> None:
    spec = app.openapi()
    ref = {"$ref": "#/components/parameters/IdempotencyKey"}
    for method, path, operation in _operations(spec):
        if method == "post" and path.startswith("/v1/"):
            assert ref in operation["parameters"], path
    parameter = spec["components"]["parameters"]["IdempotencyKey"]
    assert (parameter["name"], parameter["in"]) == ("Idempotency-Key", "header")
    assert "idempotency_key_reused" in parameter["description"]


def test_fault_header_request_id_and_signature_are_documented(app: FastAPI) -> None:
    spec = app.openapi()
    fault = spec["components"]["parameters"]["InstalloSandboxFault"]
    assert fault["name"] == "Installo-Sandbox-Fault"
    for mode in ("latency_ms=N", "status=503", "status=429", "reset", "after_commit=reset"):
        assert mode in fault["description"]
    assert "RequestId" in spec["components"]["headers"]
    webhook = spec["webhooks"]["event"]["post"]
    signature = webhook["parameters"][0]
    assert (signature["name"], signature["in"]) == ("Installo-Signature", "header")
    assert "HMAC-SHA256" in signature["description"]
    assert webhook["requestBody"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/Event"
    }


def test_the_paths_read_in_the_documents_order_whatever_order_routes_are_tried_in(
    app: FastAPI,
) -> None:
    # The checkout and loan routers are included first (FastAPI tries routers in that order);
    # the document still reads health, merchants, customers, ..., checkouts, loans, ...
    paths = list(app.openapi()["paths"])
    assert paths[:3] == ["/healthz", "/v1/merchants", "/v1/merchants/me"]
    assert paths.index("/v1/promotions") < paths.index("/v1/checkouts") < paths.index("/v1/loans")
    assert paths.index("/v1/loans") < paths.index("/v1/events") < paths.index("/v1/portfolio")
    assert paths[-1].startswith("/v1/admin/")  # the lender's routers last, as included


async def test_the_apps_routes_are_tried_before_fastapis_own_which_still_answer(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    # Every request is matched against the routes in order: the schema and the docs pages,
    # which FastAPI adds first, go last; they answer as before.
    paths = [getattr(route, "path", None) for route in app.router.routes]
    assert paths[-5:] == [
        "/openapi.json", "/static-offline-docs", "/docs", "/docs/oauth2-redirect", "/redoc",
    ]  # fmt: skip
    assert (await client.get("/openapi.json")).json()["info"]["title"]
    assert (await client.get("/healthz")).json() == {"status": "ok"}
