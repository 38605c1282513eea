"""installo.testing: the mock API behaves like the sandbox for a merchant's unit tests."""

from __future__ import annotations

import httpx
import pytest
from installo import (
    AuthenticationError,
    BadRequestError,
    ConflictError,
    IdempotencyError,
    Installo,
    InternalServerError,
    NotFoundError,
    UnprocessableEntityError,
)
from installo.testing import mock_api

from .conftest import API_KEY, BASE_URL, SleepRecorder

ITEMS = [{"sku": "S", "name": "Mug", "unit_amount": 1500, "quantity": 2}]
ADDRESS = {"line1": "1 Main St", "city": "Springfield", "region": "IL", "postal_code": "62701",
           "country": "US"}  # fmt: skip


def customer(client: Installo) -> str:
    """A customer with everything the sandbox requires; answers its id."""
    created = client.customers.create(
        email="ada@example.com", name="Ada Lovelace", phone="+15555550100",
        date_of_birth="1990-12-10", address=ADDRESS, national_id_last4="1234",
    )  # fmt: skip
    return created.id


@pytest.fixture
def client(sleeps: SleepRecorder) -> Installo:
    sync_client = Installo(api_key=API_KEY, base_url=BASE_URL)
    sync_client._sleep = sleeps
    return sync_client


def test_mock_defaults_to_the_sdk_base_url(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("INSTALLO_BASE_URL", "http://from-env.test")
    assert mock_api().base_url == "http://from-env.test"


def test_checkout_then_capture_and_refund(client: Installo) -> None:
    with mock_api(base_url=BASE_URL), client:
        buyer = customer(client)
        checkout = client.checkouts.create(items=ITEMS, amount=3000, currency="USD", customer=buyer)
        decided = client.checkouts.confirm(checkout.id, offer=checkout.offers[0].id)
        assert decided.status == "approved" and decided.loan is not None
        loan = client.loans.capture(decided.loan, amount=2000)
        assert (loan.captured_amount, loan.principal_balance) == (2000, 2000)
        loan = client.loans.refund(loan.id, amount=2000)
        assert (loan.status, loan.refunded_amount, loan.principal_balance) == ("refunded", 2000, 0)
        types = [event.type for event in client.events.list().data]
        assert types == [
            "loan.refunded", "loan.captured", "loan.authorized", "checkout.approved",
            "checkout.created", "customer.created",
        ]  # fmt: skip


def test_amount_mismatch_is_a_bad_request_naming_the_field(client: Installo) -> None:
    with mock_api(base_url=BASE_URL), client:
        buyer = customer(client)
        with pytest.raises(BadRequestError) as info:
            client.checkouts.create(items=ITEMS, amount=2999, currency="USD", customer=buyer)
    assert info.value.param == "amount"


def test_capturing_a_voided_loan_is_a_conflict(client: Installo) -> None:
    with mock_api(base_url=BASE_URL), client:
        buyer = customer(client)
        checkout = client.checkouts.create(items=ITEMS, amount=3000, currency="USD", customer=buyer)
        loan_id = client.checkouts.confirm(checkout.id, offer=checkout.offers[0].id).loan
        assert loan_id is not None
        client.loans.void(loan_id)
        with pytest.raises(ConflictError):
            client.loans.capture(loan_id)


def test_unknown_ids_are_not_found(client: Installo) -> None:
    with mock_api(base_url=BASE_URL), client, pytest.raises(NotFoundError):
        client.loans.retrieve("loan_nope")


def test_missing_key_is_unauthorized(client: Installo) -> None:
    with mock_api(base_url=BASE_URL), client, pytest.raises(AuthenticationError):
        client.loans.retrieve("loan_1", extra_headers={"Authorization": ""})


def test_queued_faults_exercise_retries_and_replay(client: Installo, sleeps: SleepRecorder) -> None:
    with mock_api(base_url=BASE_URL) as api, client:
        buyer = customer(client)
        api.fail("POST", "/v1/checkouts", 503, times=1, retry_after=0.5)
        api.drop_connection("POST", "/v1/checkouts", times=1)
        checkout = client.checkouts.create(items=ITEMS, amount=3000, currency="USD", customer=buyer)
        assert len([c for c in api.calls if c.url.path == "/v1/checkouts"]) == 3
        assert sleeps.delays[0] == 0.5
        assert len(api.checkouts) == 1 and checkout.id in api.checkouts


def test_faults_beyond_max_retries_surface(client: Installo) -> None:
    with mock_api(base_url=BASE_URL) as api, client:
        api.fail("GET", "/v1/loans/.*", 500, times=5)
        with pytest.raises(InternalServerError):
            client.loans.retrieve("loan_1")
        assert len(api.calls) == 3


def test_same_idempotency_key_replays_and_other_body_conflicts(client: Installo) -> None:
    with mock_api(base_url=BASE_URL) as api, client:
        buyer = customer(client)
        first = client.checkouts.create(
            items=ITEMS, amount=3000, currency="USD", customer=buyer, idempotency_key="order-1"
        )
        again = client.checkouts.create(
            items=ITEMS, amount=3000, currency="USD", customer=buyer, idempotency_key="order-1"
        )
        assert again.id == first.id and len(api.checkouts) == 1
        with pytest.raises(IdempotencyError):
            client.checkouts.create(
                items=ITEMS, amount=3000, currency="EUR", customer=buyer, idempotency_key="order-1"
            )


def test_a_customer_missing_what_the_sandbox_requires_is_refused_naming_every_field() -> None:
    with mock_api(base_url=BASE_URL) as api:
        answer = httpx.post(
            f"{BASE_URL}/v1/customers",
            json={"email": "ada@example.com", "name": "Ada"},
            headers={"Authorization": f"Bearer {API_KEY}"},
        )
    error = answer.json()["error"]
    assert (answer.status_code, error["code"], error["param"]) == (
        422,
        "parameter_missing",
        "phone",
    )
    assert [e["param"] for e in error["errors"]] == [
        "phone", "date_of_birth", "national_id_last4", "address"
    ]  # fmt: skip
    assert api.customers == {}


def test_a_bad_customer_is_named_as_written_like_the_sandbox_does() -> None:
    """`customer` is an id or an identity: the mock words the union's errors as the server does,
    at the path the user wrote (tests/server/test_conventions.py asks the server the same)."""
    identity = {
        "email": "ada@example.com", "name": "Ada", "phone": "+1 415 555 0100",
        "date_of_birth": "1985-12-10", "national_id_last4": "1234",
        "address": {"line1": "1 Market St", "city": "SF", "state": "CA", "postal_code": "94105",
                    "country": "US"},
    }  # fmt: skip
    params = []
    with mock_api(base_url=BASE_URL):
        for customer in (5, identity):
            answer = httpx.post(
                f"{BASE_URL}/v1/prequalifications",
                json={"amount": 50_000, "currency": "USD", "customer": customer},
                headers={"Authorization": f"Bearer {API_KEY}"},
            )
            assert answer.status_code == 422
            params.append([e["param"] for e in answer.json()["error"]["errors"]])
    assert params == [["customer"], ["customer.address.state"]]


def test_a_negative_amount_is_refused_before_anything_is_created(client: Installo) -> None:
    with mock_api(base_url=BASE_URL) as api, client:
        buyer = customer(client)
        with pytest.raises(UnprocessableEntityError) as info:
            client.checkouts.create(items=ITEMS, amount=-5, currency="USD", customer=buyer)
        assert (info.value.code, info.value.param) == ("parameter_invalid", "amount")
        assert api.checkouts == {}
