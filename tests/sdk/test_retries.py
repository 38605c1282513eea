"""Retries: which outcomes are retried, how long we wait, and one idempotency key per call."""

from __future__ import annotations

import email.utils
import time

import httpx
import pytest
import respx
from installo import (
    APIConnectionError,
    APITimeoutError,
    AsyncInstallo,
    AuthenticationError,
    BadRequestError,
    ConflictError,
    IdempotencyError,
    Installo,
    InternalServerError,
    NotFoundError,
    RateLimitError,
)
from installo._constants import MAX_RETRY_DELAY
from installo._retries import retry_after_seconds, retry_delay, should_retry
from installo.testing import checkout_object, error_body, loan_object

from .conftest import SleepRecorder


def _keys(router: respx.MockRouter) -> list[str | None]:
    return [call.request.headers.get("Idempotency-Key") for call in router.calls]


@pytest.mark.parametrize("status", [408, 429, 500, 502, 503, 504])
def test_retryable_status_is_retried_then_succeeds(
    client: Installo, api: respx.MockRouter, sleeps: SleepRecorder, status: int
) -> None:
    body = checkout_object()
    api.get(f"/v1/checkouts/{body['id']}").mock(
        side_effect=[
            httpx.Response(status, json=error_body(status)),
            httpx.Response(200, json=body),
        ]
    )
    checkout = client.checkouts.retrieve(body["id"])
    assert checkout.id == body["id"]
    assert len(api.calls) == 2
    assert len(sleeps.delays) == 1


def test_same_idempotency_key_is_sent_on_every_attempt(
    client: Installo, api: respx.MockRouter
) -> None:
    api.post("/v1/checkouts").mock(
        side_effect=[
            httpx.Response(503, json=error_body(503)),
            httpx.ConnectError("connection reset"),
            httpx.Response(200, json=checkout_object()),
        ]
    )
    client.checkouts.create(items=[], amount=100, currency="USD", customer="cus_1")
    keys = _keys(api)
    assert len(keys) == 3
    assert keys[0] is not None and keys[0].startswith("installo-py-")
    assert keys == [keys[0]] * 3


def test_each_logical_call_gets_its_own_idempotency_key(
    client: Installo, api: respx.MockRouter
) -> None:
    api.post("/v1/checkouts").mock(return_value=httpx.Response(200, json=checkout_object()))
    client.checkouts.create(items=[], amount=100, currency="USD", customer="cus_1")
    client.checkouts.create(items=[], amount=100, currency="USD", customer="cus_1")
    first, second = _keys(api)
    assert first != second


def test_caller_idempotency_key_is_used_across_retries(
    client: Installo, api: respx.MockRouter
) -> None:
    api.post("/v1/loans/loan_1/capture").mock(
        side_effect=[
            httpx.Response(500, json=error_body(500)),
            httpx.Response(200, json=loan_object(status="active")),
        ]
    )
    loan = client.loans.capture("loan_1", idempotency_key="ship-order-42")
    assert loan.status == "active"
    assert _keys(api) == ["ship-order-42", "ship-order-42"]


def test_get_requests_carry_no_idempotency_key(client: Installo, api: respx.MockRouter) -> None:
    api.get("/v1/checkouts/chk_1").mock(return_value=httpx.Response(200, json=checkout_object()))
    client.checkouts.retrieve("chk_1")
    assert _keys(api) == [None]


def test_retry_after_seconds_is_honoured(
    client: Installo, api: respx.MockRouter, sleeps: SleepRecorder
) -> None:
    api.get("/v1/checkouts/chk_1").mock(
        side_effect=[
            httpx.Response(429, json=error_body(429), headers={"Retry-After": "3"}),
            httpx.Response(200, json=checkout_object()),
        ]
    )
    client.checkouts.retrieve("chk_1")
    assert sleeps.delays == [3.0]


def test_retry_after_http_date_is_honoured() -> None:
    when = email.utils.formatdate(time.time() + 5, usegmt=True)
    asked = retry_after_seconds(httpx.Headers({"Retry-After": when}))
    assert asked is not None and 3.0 < asked <= 5.0


def test_retry_after_ms_takes_precedence() -> None:
    headers = httpx.Headers({"Retry-After": "9", "retry-after-ms": "250"})
    assert retry_after_seconds(headers) == 0.25


def test_excessive_retry_after_falls_back_to_capped_backoff() -> None:
    delay = retry_delay(0, httpx.Headers({"Retry-After": "3600"}))
    assert 0 < delay <= 0.5


def test_backoff_grows_exponentially_with_jitter_and_is_capped() -> None:
    for retries_taken, base in [(0, 0.5), (1, 1.0), (2, 2.0), (3, 4.0)]:
        delay = retry_delay(retries_taken)
        assert base * 0.75 <= delay <= base
    assert all(retry_delay(20) <= MAX_RETRY_DELAY for _ in range(50))
    assert len({retry_delay(1) for _ in range(20)}) > 1


def test_gives_up_after_max_retries_with_the_last_error(
    client: Installo, api: respx.MockRouter, sleeps: SleepRecorder
) -> None:
    api.get("/v1/loans/loan_1").mock(return_value=httpx.Response(503, json=error_body(503)))
    with pytest.raises(InternalServerError) as info:
        client.loans.retrieve("loan_1")
    assert info.value.status_code == 503
    assert len(api.calls) == 3
    assert len(sleeps.delays) == 2


def test_max_retries_zero_makes_one_attempt(client: Installo, api: respx.MockRouter) -> None:
    api.get("/v1/loans/loan_1").mock(return_value=httpx.Response(503, json=error_body(503)))
    with pytest.raises(InternalServerError):
        client.with_options(max_retries=0).loans.retrieve("loan_1")
    assert len(api.calls) == 1


def test_per_call_max_retries_overrides_the_client(client: Installo, api: respx.MockRouter) -> None:
    api.get("/v1/loans/loan_1").mock(return_value=httpx.Response(429, json=error_body(429)))
    with pytest.raises(RateLimitError):
        client.loans.retrieve("loan_1", max_retries=4)
    assert len(api.calls) == 5


@pytest.mark.parametrize(
    ("status", "error"),
    [(400, BadRequestError), (401, AuthenticationError), (404, NotFoundError)],
)
def test_client_errors_are_not_retried(
    client: Installo, api: respx.MockRouter, sleeps: SleepRecorder, status: int, error: type
) -> None:
    api.post("/v1/checkouts").mock(return_value=httpx.Response(status, json=error_body(status)))
    with pytest.raises(error):
        client.checkouts.create(items=[], amount=1, currency="USD", customer="cus_1")
    assert len(api.calls) == 1
    assert sleeps.delays == []


def test_idempotency_in_progress_is_retried(client: Installo, api: respx.MockRouter) -> None:
    in_progress = error_body(409, "idempotency_in_progress", type="idempotency_error")
    api.post("/v1/checkouts").mock(
        side_effect=[
            httpx.Response(409, json=in_progress),
            httpx.Response(200, json=checkout_object()),
        ]
    )
    client.checkouts.create(items=[], amount=1, currency="USD", customer="cus_1")
    assert len(api.calls) == 2


def test_idempotency_key_reused_is_not_retried(client: Installo, api: respx.MockRouter) -> None:
    reused = error_body(409, "idempotency_key_reused", type="idempotency_error", param="amount")
    api.post("/v1/checkouts").mock(return_value=httpx.Response(409, json=reused))
    with pytest.raises(IdempotencyError) as info:
        client.checkouts.create(items=[], amount=1, currency="USD", customer="cus_1")
    assert info.value.code == "idempotency_key_reused"
    assert info.value.param == "amount"
    assert len(api.calls) == 1


def test_state_conflict_is_not_retried(client: Installo, api: respx.MockRouter) -> None:
    conflict = error_body(409, "invalid_state", "loan is voided")
    api.post("/v1/loans/loan_1/capture").mock(return_value=httpx.Response(409, json=conflict))
    with pytest.raises(ConflictError) as info:
        client.loans.capture("loan_1")
    assert not isinstance(info.value, IdempotencyError)
    assert len(api.calls) == 1


def test_connection_errors_are_retried_then_raised(client: Installo, api: respx.MockRouter) -> None:
    api.get("/v1/loans/loan_1").mock(side_effect=httpx.ConnectError("refused"))
    with pytest.raises(APIConnectionError) as info:
        client.loans.retrieve("loan_1")
    assert not isinstance(info.value, APITimeoutError)
    assert len(api.calls) == 3


def test_timeouts_are_retried_then_raised_as_timeout_error(
    client: Installo, api: respx.MockRouter
) -> None:
    api.get("/v1/loans/loan_1").mock(side_effect=httpx.ReadTimeout("slow"))
    with pytest.raises(APITimeoutError):
        client.loans.retrieve("loan_1")
    assert len(api.calls) == 3


def test_should_retry_reads_only_the_status_and_error_code() -> None:
    assert should_retry(httpx.Response(503))
    assert not should_retry(httpx.Response(409, json=error_body(409, "invalid_state")))
    assert not should_retry(httpx.Response(422, json=error_body(422)))


async def test_async_client_retries_with_one_key_and_honours_retry_after(
    aclient: AsyncInstallo, api: respx.MockRouter, sleeps: SleepRecorder
) -> None:
    api.post("/v1/checkouts").mock(
        side_effect=[
            httpx.Response(429, json=error_body(429), headers={"Retry-After": "2"}),
            httpx.ReadTimeout("slow"),
            httpx.Response(200, json=checkout_object()),
        ]
    )
    await aclient.checkouts.create(items=[], amount=1, currency="USD", customer="cus_1")
    keys = _keys(api)
    assert len(set(keys)) == 1 and keys[0] is not None
    assert sleeps.delays[0] == 2.0
    assert len(sleeps.delays) == 2


async def test_async_client_does_not_retry_not_found(
    aclient: AsyncInstallo, api: respx.MockRouter
) -> None:
    api.get("/v1/loans/loan_x").mock(return_value=httpx.Response(404, json=error_body(404)))
    with pytest.raises(NotFoundError):
        await aclient.loans.retrieve("loan_x")
    assert len(api.calls) == 1
