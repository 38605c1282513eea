"""Property-based fuzz over every merchant endpoint's body, query and path: whatever arrives,
the sandbox never answers 5xx, every error is in the one shape with its request id, and a
request answered 4xx leaves every table as it was.

Inputs mix arbitrary JSON (deep, huge numbers, control characters, wrong types), near-valid
bodies with one field broken, unknown fields, raw non-JSON bytes, and real or made-up ids.
Derandomized, so CI runs the same inputs every time; the number tried is printed.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote

import httpx
import pytest
from anyio.from_thread import BlockingPortal, start_blocking_portal
from fastapi import FastAPI
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from mock_server.app import create_app
from mock_server.settings import Settings
from mock_server.storage.models import Base
from tests.merchant_applications import complete_application
from tests.server.conftest import cart, identity

AUTH = {"Authorization": "Bearer sk_test_demo"}
EXAMPLES = 600
TRIED: list[str] = []

APPLICATION = complete_application({
    "legal_name": "Tailspin Toys Co", "mcc": "5945", "country": "US", "currency": "USD",
    "years_in_business": 3, "expected_monthly_volume": 1_500_000,
    "contact_email": "hello@tailspin-toys.example.com",
})  # fmt: skip


def _operations(app: FastAPI) -> list[tuple[str, str, list[str], list[str], bool]]:
    """(method, path, path params, query params, has body) of every merchant operation."""
    document = app.openapi()
    shared = document["components"].get("parameters", {})
    found = []
    for path, methods in document["paths"].items():
        if not path.startswith("/v1/") or path.startswith("/v1/admin") or "stream" in path:
            continue
        for method, op in methods.items():
            params = [
                shared[p["$ref"].rsplit("/", 1)[-1]] if "$ref" in p else p
                for p in op.get("parameters", [])
            ]
            found.append((
                method.upper(), path,
                [p["name"] for p in params if p["in"] == "path"],
                [p["name"] for p in params if p["in"] == "query"],
                "requestBody" in op,
            ))  # fmt: skip
    return found


class Client:
    """A synchronous face on an in-process async client (hypothesis drives sync tests)."""

    def __init__(self, portal: BlockingPortal, app: FastAPI) -> None:
        self.portal = portal
        transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
        self.http = httpx.AsyncClient(transport=transport, base_url="http://fuzz.test")

    def request(self, method: str, url: str, **kwargs: Any) -> httpx.Response:
        return self.portal.call(lambda: self.http.request(method, url, **kwargs))

    def post(self, url: str, **kwargs: Any) -> httpx.Response:
        return self.request("POST", url, **kwargs)

    def get(self, url: str, **kwargs: Any) -> httpx.Response:
        return self.request("GET", url, **kwargs)


@pytest.fixture(scope="module")
def sandbox_client() -> Iterator[tuple[Client, dict[str, str], FastAPI]]:
    """One sandbox with a customer, checkouts, a loan and an endpoint to aim ids at."""
    app = create_app(Settings(seed=5, webhook_worker=False))
    with start_blocking_portal() as portal:
        client = Client(portal, app)
        yield from _seeded(client, app)
        portal.call(client.http.aclose)
    app.state.sandbox.close()


def _seeded(client: Client, app: FastAPI) -> Iterator[tuple[Client, dict[str, str], FastAPI]]:
    checkout = client.post("/v1/checkouts", json=cart(), headers=AUTH).json()
    approved = client.post(
        "/v1/checkouts/" + checkout["id"] + "/confirm",
        json={"offer": checkout["offers"][0]["id"], "consent": True}, headers=AUTH,
    ).json()  # fmt: skip
    endpoint = client.post(
        "/v1/webhook_endpoints", json={"url": "https://hooks.shop.test/h"}, headers=AUTH
    ).json()
    clock = client.post("/v1/test_clocks", json={"name": "fuzz"}, headers=AUTH).json()
    event = client.get("/v1/events", headers=AUTH).json()["data"][0]
    ids = {
        "checkout_id": checkout["id"], "customer_id": checkout["customer"],
        "loan_id": approved.get("loan") or "loan_missing", "endpoint_id": endpoint["id"],
        "event_id": event["id"], "offer": checkout["offers"][0]["id"], "clock_id": clock["id"],
    }  # fmt: skip
    yield client, ids, app
    print(f"\nfuzz: {len(TRIED)} requests tried over {len(set(TRIED))} operations")


def _templates(ids: dict[str, str]) -> dict[str, dict[str, Any]]:
    return {
        "/v1/merchants": APPLICATION,
        "/v1/merchants/me": {"display_name": "Contoso", "mdr_bps": 500},
        "/v1/customers": identity(),
        "/v1/prequalifications": {"customer": ids["customer_id"], "amount": 50_000,
                                  "currency": "USD"},
        "/v1/checkouts": {**cart(), "metadata": {"order": "1"}},
        "/v1/checkouts/{checkout_id}/confirm": {"offer": ids["offer"], "consent": True},
        "/v1/loans/{loan_id}/capture": {"amount": 1_000},
        "/v1/loans/{loan_id}/refunds": {"amount": 1_000, "reason": "returned"},
        "/v1/loans/{loan_id}/payments": {"amount": 1_000},
        "/v1/sandbox/clock/advance": {"days": 1},
        "/v1/webhook_endpoints": {"url": "https://hooks.shop.test/h",
                                  "enabled_events": ["loan.captured"]},
        "/v1/merchants/me/application": {"website": "https://tailspin-toys.example.com"},
        "/v1/test_clocks": {"name": "fuzz", "frozen_time": "2026-01-01T00:00:00Z"},
        "/v1/test_clocks/{clock_id}/advance": {"to": "2026-02-01T00:00:00Z"},
        "/v1/sandbox/reset": {"confirm": "mer_demo"},
        "/v1/sandbox/snapshots": {"name": "fuzz-1"},
    }  # fmt: skip


_scalars = (
    st.none() | st.booleans() | st.integers(min_value=-(10**30), max_value=10**30)
    | st.floats(allow_nan=False, allow_infinity=False) | st.text(max_size=40)
    | st.sampled_from(["", "yes", "1", "\x00", "9" * 400, "a\nb", "0001-01-01", "ZZ", "XXX",
                       "chk_" + "x" * 80, "https://169.254.169.254/", "true", "{"])
)  # fmt: skip
json_values = st.recursive(
    _scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner,
                                                                 max_size=4),
    max_leaves=12,
)  # fmt: skip


@st.composite
def bodies(draw: st.DrawFn, template: dict[str, Any] | None) -> bytes | None:
    """A request body: broken near-valid JSON, arbitrary JSON, or raw bytes."""
    kind = draw(st.sampled_from(["near", "near", "any", "raw", "none"]))
    if kind == "none":
        return None
    if kind == "raw":
        return draw(st.binary(max_size=60))
    if kind == "any" or not template:
        return json.dumps(draw(json_values)).encode()
    body = dict(template)
    key = draw(st.sampled_from([*body, "unknown_field"]))
    if draw(st.booleans()) and key in body:
        del body[key]
    else:
        body[key] = draw(json_values)
    return json.dumps(body).encode()


def _table_counts(app: FastAPI) -> dict[str, int]:
    with app.state.sandbox.db.reader() as session:
        return {
            t.name: int(session.scalar(select(func.count()).select_from(t)) or 0)
            for t in Base.metadata.sorted_tables
        }


def _assert_error_shape(response: httpx.Response) -> None:
    error = response.json()["error"]
    assert {"type", "code", "message", "param", "request_id"} <= set(error)
    assert error["request_id"] == response.headers["Request-Id"]
    for detail in error.get("errors") or []:
        assert set(detail) == {"param", "code", "message"}


@given(data=st.data())
@settings(
    max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)  # fmt: skip
def test_no_input_gets_a_5xx_breaks_the_error_shape_or_stores_on_a_4xx(
    sandbox_client: tuple[Client, dict[str, str], FastAPI], data: st.DataObject
) -> None:
    client, ids, app = sandbox_client
    method, path, path_params, query_params, has_body = data.draw(
        st.sampled_from(_operations(app)), label="operation"
    )
    url = path
    for name in path_params:
        value = data.draw(st.sampled_from([ids.get(name, "x")]) | st.text(max_size=90))
        url = url.replace("{" + name + "}", quote(value, safe="") or "x")
    query = {
        name: data.draw(st.text(max_size=30) | st.integers().map(str))
        for name in data.draw(st.lists(st.sampled_from([*query_params, "junk"]), max_size=3))
    }
    body = data.draw(bodies(_templates(ids).get(path))) if has_body else None
    before = _table_counts(app)
    response = client.request(
        method, url, params=query, content=body,
        headers={**AUTH, "Content-Type": "application/json"},
    )  # fmt: skip
    TRIED.append(f"{method} {path}")
    assert response.status_code < 500, (method, url, body, response.text[:500])
    if response.status_code >= 400:
        _assert_error_shape(response)
        assert _table_counts(app) == before, (method, url, body, response.status_code)
