"""`GET /v1/request_logs`: the merchant's own requests, newest first, never a key or a body."""

from __future__ import annotations

from typing import Any

import httpx

from mock_server.services.objects import Listing
from mock_server.services.request_log import RequestLog, RequestLogEntry
from tests.merchant_applications import complete_application


async def test_each_request_is_logged_with_its_request_id_and_idempotency_key(
    client: httpx.AsyncClient, kit: Any
) -> None:
    created = await client.post(
        "/v1/customers?expand=secret", json=kit.identity(), headers={"Idempotency-Key": "k-1"}
    )
    missing = await client.get("/v1/loans/loan_missing")
    logs = (await client.get("/v1/request_logs")).json()["data"]
    first, second = logs[1], logs[0]  # newest first
    assert (second["method"], second["path"], second["status"]) == (
        "GET",
        "/v1/loans/loan_missing",
        404,
    )
    assert second["request_id"] == missing.headers["request-id"] == second["id"]
    assert (first["method"], first["path"], first["status"]) == ("POST", "/v1/customers", 201)
    assert first["request_id"] == created.headers["request-id"]
    assert first["idempotency_key"] == "k-1"
    assert first["created"].endswith("Z") and first["duration_ms"] >= 0


async def test_the_log_holds_no_key_query_string_or_body(
    client: httpx.AsyncClient, kit: Any
) -> None:
    await client.post("/v1/customers?token=sk_test_demo", json=kit.identity())
    text = (await client.get("/v1/request_logs")).text
    assert "sk_test_demo" not in text and "token" not in text
    assert kit.identity()["email"] not in text


async def test_a_replayed_post_is_logged_too(client: httpx.AsyncClient, kit: Any) -> None:
    for _ in range(2):
        await client.post("/v1/customers", json=kit.identity(), headers={"Idempotency-Key": "r"})
    logs = (await client.get("/v1/request_logs")).json()["data"]
    assert [e["idempotency_key"] for e in logs] == ["r", "r"]


async def test_another_merchant_sees_none_of_my_requests(
    client: httpx.AsyncClient, anonymous: httpx.AsyncClient
) -> None:
    await client.get("/v1/customers")
    application = {
        "legal_name": "Litware Books", "mcc": "5942", "country": "US", "currency": "USD",
        "website": "https://litware-books.example.com", "years_in_business": 8,
        "expected_monthly_volume": 700_000, "contact_email": "desk@litware-books.example.com",
    }  # fmt: skip
    key = (await anonymous.post("/v1/merchants", json=complete_application(application))).json()[
        "secret_key"
    ]
    theirs = await anonymous.get("/v1/request_logs", headers={"Authorization": f"Bearer {key}"})
    assert theirs.json()["data"] == []


async def test_unauthenticated_requests_are_logged_for_no_one(
    client: httpx.AsyncClient, anonymous: httpx.AsyncClient
) -> None:
    await anonymous.get("/v1/customers")
    assert (await client.get("/v1/request_logs")).json()["data"] == []


def entry(n: int) -> RequestLogEntry:
    return RequestLogEntry(f"req_{n}", "GET", "/v1/x", 200, None, "2026-01-01T00:00:00Z", 1)


def test_the_log_keeps_the_newest_requests_of_the_most_recent_merchants() -> None:
    log = RequestLog(per_merchant=3, merchants=2)
    for n in range(5):
        log.record("mer_a", entry(n))
    log.record("mer_b", entry(10))
    log.record("mer_c", entry(20))  # mer_a is the least recently active: forgotten
    assert log.page("mer_a", 10, None) == Listing([], has_more=False)
    assert [e["id"] for e in log.page("mer_c", 10, None).data] == ["req_20"]
    log.record("mer_b", entry(11))
    listing = log.page("mer_b", 1, None)
    page, more = listing.data, listing.has_more
    assert ([e["id"] for e in page], more) == (["req_11"], True)
    assert [e["id"] for e in log.page("mer_b", 5, "req_11").data] == ["req_10"]
