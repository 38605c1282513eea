"""The OpenAPI document: operation summaries and the headers every integrator meets.

FastAPI derives an operation's summary from the handler's name ("Create"); here it is the first
sentence of the handler's docstring (the operation's description), so the document says what
each operation does. The conventions that live in middleware rather than in handlers are added
to the document: `Idempotency-Key` on every POST, the sandbox's `Installo-Sandbox-Fault`
header, the `Request-Id` and `Idempotent-Replayed` answer headers, and the signed webhook
delivery (`Installo-Signature`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Final

from fastapi import APIRouter, FastAPI
from fastapi.openapi.utils import get_openapi

from mock_server.services.idempotency import MAX_KEY_LENGTH

__all__ = ["API_DESCRIPTION", "document_api", "first_sentence"]

API_DESCRIPTION: Final = (
    "The lending API: merchants, customers, checkouts with Truth-in-Lending offers, loans, "
    "events and webhooks, with the lender's admin operations under /v1/admin. Amounts are "
    "integers in the currency's minor unit. Errors are `{error: {type, code, message, param, "
    "request_id}}`. Every POST accepts `Idempotency-Key`; the sandbox also honours "
    "`Installo-Sandbox-Fault`. The repository's docs/api.md and docs/sandbox.md are the guide."
)
PARAMETERS: Final[dict[str, dict[str, Any]]] = {
    "IdempotencyKey": {
        "name": "Idempotency-Key",
        "in": "header",
        "required": False,
        "description": (
            "Makes a POST safe to retry: the same key with the same body within 24 hours replays "
            "the stored answer (header `Idempotent-Replayed: true`); the same key with another "
            "body is 409 `idempotency_key_reused`, naming the parameters that differ; a duplicate "
            "while the first runs is 409 `idempotency_in_progress`. Scoped per merchant."
        ),
        "schema": {"type": "string", "minLength": 1, "maxLength": MAX_KEY_LENGTH},
    },
    "InstalloSandboxFault": {
        "name": "Installo-Sandbox-Fault",
        "in": "header",
        "required": False,
        "description": (
            "(sandbox) Inject a fault to test retry logic: `latency_ms=N` (at most 10000), "
            "`status=503`, `status=500`, `status=429` (with Retry-After), `reset` (drop the "
            "connection), or `after_commit=reset` (apply the request fully, then drop the "
            "connection: a retry with the same Idempotency-Key gets the stored answer). Several "
            "combine with `;`. A fault never half-applies a side effect."
        ),
        "schema": {"type": "string", "example": "latency_ms=200;status=503"},
    },
}
HEADERS: Final[dict[str, dict[str, Any]]] = {
    "RequestId": {
        "description": "The request's id (`req_…`), also in every error body",
        "schema": {"type": "string"},
    },
    "IdempotentReplayed": {
        "description": "`true` when the answer is the stored answer of an earlier request",
        "schema": {"type": "string", "enum": ["true"]},
    },
}
SIGNATURE: Final[dict[str, Any]] = {
    "name": "Installo-Signature",
    "in": "header",
    "required": True,
    "description": (
        '`t=<unix seconds>,v1=<hex HMAC-SHA256(endpoint secret, "<t>.<raw body>")>`. Verify '
        "on the raw bytes and reject a timestamp older than 5 minutes "
        "(`installo.webhooks.construct_event`)."
    ),
    "schema": {"type": "string", "example": "t=1767225600,v1=5257a869e7ecebeda32affa62cdca3fa"},
}


def first_sentence(text: str) -> str:
    """The first sentence of a docstring, on one line, without its final period."""
    flat = " ".join(text.split())
    for end in (". ",):
        if end in flat:
            flat = flat.split(end, 1)[0]
    return flat.rstrip(".")


def _webhook(event_schema: str | None) -> dict[str, Any]:
    body: dict[str, Any] = {"type": "object"}
    if event_schema is not None:
        body = {"$ref": f"#/components/schemas/{event_schema}"}
    return {
        "post": {
            "summary": "An event delivered to a webhook endpoint, signed with its secret",
            "operationId": "webhook-event",
            "parameters": [SIGNATURE],
            "requestBody": {"required": True, "content": {"application/json": {"schema": body}}},
            "responses": {"200": {"description": "Any 2xx acknowledges the delivery"}},
        }
    }


def _add_conventions(schema: dict[str, Any]) -> None:
    components = schema.setdefault("components", {})
    components.setdefault("parameters", {}).update(PARAMETERS)
    components.setdefault("headers", {}).update(HEADERS)
    for path, operations in schema.get("paths", {}).items():
        for method, operation in operations.items():
            if operation.get("description"):
                operation["summary"] = first_sentence(operation["description"])
            if method == "post" and path.startswith("/v1/"):
                ref = {"$ref": "#/components/parameters/IdempotencyKey"}
                operation.setdefault("parameters", []).append(ref)
            for response in operation.get("responses", {}).values():
                response.setdefault("headers", {})["Request-Id"] = {
                    "$ref": "#/components/headers/RequestId"
                }
    event = "Event" if "Event" in components.get("schemas", {}) else None
    schema["webhooks"] = {"event": _webhook(event)}


def document_api(app: FastAPI, reading_order: Sequence[APIRouter] = ()) -> None:
    """Summaries from docstrings, and the conventions' headers, in `app.openapi()`; the paths
    of the routers in `reading_order` listed in that order (whatever order they were included
    in), after the paths of none of them."""

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            schema = get_openapi(
                title=app.title,
                version=app.version,
                description=app.description,
                routes=app.routes,
            )
            _add_conventions(schema)
            place: dict[str, int] = {}
            for index, router in enumerate(reading_order):
                for route in router.routes:
                    place.setdefault(getattr(route, "path", ""), index)
            paths = schema["paths"]
            schema["paths"] = dict(sorted(paths.items(), key=lambda item: place.get(item[0], -1)))
            app.openapi_schema = schema
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
