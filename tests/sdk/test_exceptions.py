"""The exception tree, the status mapping, and what an error shows (never a key)."""

from __future__ import annotations

import logging
import pickle

import httpx
import installo
import pytest
import respx
from installo import (
    APIConnectionError,
    APIError,
    APIResponseValidationError,
    APIStatusError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    ConflictError,
    IdempotencyError,
    Installo,
    InstalloError,
    InternalServerError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    SignatureVerificationError,
    UnprocessableEntityError,
)
from installo._exceptions import error_class_for
from installo.testing import customer_object, error_body

from .conftest import API_KEY


@pytest.mark.parametrize(
    ("status", "error"),
    [
        (400, BadRequestError),
        (401, AuthenticationError),
        (403, PermissionDeniedError),
        (404, NotFoundError),
        (409, ConflictError),
        (422, UnprocessableEntityError),
        (429, RateLimitError),
        (500, InternalServerError),
        (503, InternalServerError),
        (418, APIStatusError),
    ],
)
def test_status_maps_to_its_exception_class(status: int, error: type[APIStatusError]) -> None:
    assert error_class_for(status, error_body(status)) is error


def test_idempotency_errors_are_conflicts_of_their_own_class() -> None:
    body = error_body(409, "idempotency_key_reused", type="idempotency_error")
    assert error_class_for(409, body) is IdempotencyError
    assert issubclass(IdempotencyError, ConflictError)


def test_the_tree_is_rooted_in_installo_error() -> None:
    assert issubclass(APIStatusError, APIError)
    assert issubclass(APITimeoutError, APIConnectionError)
    assert issubclass(APIConnectionError, APIError)
    assert issubclass(APIResponseValidationError, APIError)
    assert issubclass(APIError, InstalloError)
    assert issubclass(SignatureVerificationError, InstalloError)
    assert NotFoundError.status_code == 404


def test_status_error_carries_code_param_request_id_and_body(
    client: Installo, api: respx.MockRouter
) -> None:
    body = error_body(
        400, "amount_mismatch", "amount 129900 does not equal the items' total 119900",
        param="amount", request_id="req_abc123",
    )  # fmt: skip
    api.post("/v1/checkouts").mock(return_value=httpx.Response(400, json=body))
    with pytest.raises(BadRequestError) as info:
        client.checkouts.create(items=[], amount=129900, currency="USD", customer="cus_1")
    err = info.value
    assert str(err) == "Request req_abc123: amount 129900 does not equal the items' total 119900"
    assert (err.status_code, err.code, err.param, err.type) == (
        400,
        "amount_mismatch",
        "amount",
        "invalid_request_error",
    )
    assert err.request_id == "req_abc123"
    assert err.body == body


def test_request_id_falls_back_to_the_header(client: Installo, api: respx.MockRouter) -> None:
    api.get("/v1/loans/loan_1").mock(
        return_value=httpx.Response(404, text="gone", headers={"Request-Id": "req_hdr"})
    )
    with pytest.raises(NotFoundError) as info:
        client.loans.retrieve("loan_1")
    assert info.value.request_id == "req_hdr"
    assert str(info.value).startswith("Request req_hdr: ")
    assert info.value.body == "gone"


def test_errors_never_show_the_key(client: Installo, api: respx.MockRouter) -> None:
    body = error_body(401, "invalid_api_key", f"invalid key {API_KEY}")
    api.get("/v1/merchants/me").mock(return_value=httpx.Response(401, json=body))
    with pytest.raises(AuthenticationError) as info:
        client.merchants.me()
    err = info.value
    assert API_KEY not in str(err)
    assert API_KEY not in repr(err)
    assert API_KEY not in str(err.request.headers)
    assert API_KEY not in str(err.response.request.headers)
    assert err.request.headers["Authorization"] == "[redacted]"
    assert API_KEY.encode() not in pickle.dumps(err.request.headers.raw)


def test_connection_error_does_not_show_the_key(client: Installo, api: respx.MockRouter) -> None:
    api.get("/v1/merchants/me").mock(side_effect=httpx.ConnectError(f"boom {API_KEY}"))
    with pytest.raises(APIConnectionError) as info:
        client.merchants.me()
    assert API_KEY not in str(info.value)
    assert info.value.request.headers["Authorization"] == "[redacted]"


def test_log_lines_show_method_path_status_request_id_attempt_but_no_key(
    client: Installo, api: respx.MockRouter, caplog: pytest.LogCaptureFixture
) -> None:
    api.get("/v1/merchants/me").mock(
        side_effect=[
            httpx.Response(503, json=error_body(503)),
            httpx.Response(404, json=error_body(404), headers={"Request-Id": "req_log1"}),
        ]
    )
    with caplog.at_level(logging.DEBUG, logger="installo"), pytest.raises(NotFoundError):
        client.merchants.me()
    messages = [record.getMessage() for record in caplog.records]
    assert "GET /v1/merchants/me -> 404 (request_id=req_log1, attempt=2)" in messages
    assert any(m.startswith("retrying GET /v1/merchants/me in ") for m in messages)
    assert all(API_KEY not in m for m in messages)
    assert {record.name for record in caplog.records} == {"installo"}


def test_unparseable_answer_is_a_validation_error(client: Installo, api: respx.MockRouter) -> None:
    api.get("/v1/loans/loan_1").mock(return_value=httpx.Response(200, json={"id": "loan_1"}))
    with pytest.raises(APIResponseValidationError) as info:
        client.loans.retrieve("loan_1")
    assert "Loan" in str(info.value)


def test_an_answer_that_is_not_json_is_a_validation_error_with_no_body(
    client: Installo, api: respx.MockRouter
) -> None:
    api.get("/v1/loans/loan_1").mock(return_value=httpx.Response(200, text="<html>oops"))
    with pytest.raises(APIResponseValidationError) as info:
        client.loans.retrieve("loan_1")
    assert "Loan" in str(info.value)
    assert info.value.body is None


@pytest.mark.parametrize(
    ("page", "message"),
    [
        ({"object": "list", "has_more": False}, "the answer is not a list"),
        ({"object": "list", "data": None, "has_more": False}, "the answer is not a list"),
        ({"object": "list", "data": [{"id": "cus_1"}], "has_more": False}, "not a valid Customer"),
    ],
)
def test_a_page_that_does_not_parse_is_a_validation_error_naming_why(
    client: Installo, api: respx.MockRouter, page: dict[str, object], message: str
) -> None:
    api.get("/v1/customers").mock(return_value=httpx.Response(200, json=page))
    with pytest.raises(APIResponseValidationError) as info:
        client.customers.list()
    assert message in str(info.value)
    assert info.value.body == page


def test_a_page_keeps_its_items_and_has_more(client: Installo, api: respx.MockRouter) -> None:
    page = {"object": "list", "data": [customer_object(id="cus_1")], "has_more": True}
    api.get("/v1/customers").mock(return_value=httpx.Response(200, json=page))
    listed = client.customers.list()
    assert [c.id for c in listed.data] == ["cus_1"]
    assert listed.has_more is True


def test_every_exception_is_exported() -> None:
    names = {name for name in installo.__all__ if name.endswith("Error")}
    assert "SignatureVerificationError" in names
    assert all(issubclass(getattr(installo, name), InstalloError) for name in names)
