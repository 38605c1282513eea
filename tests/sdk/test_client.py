"""Client construction: environment, defaults, headers, with_options, key redaction."""

from __future__ import annotations

import httpx
import pytest
import respx
from installo import DEFAULT_BASE_URL, AsyncInstallo, Installo, InstalloError
from installo.testing import checkout_object, customer_object

from .conftest import ADMIN_KEY, API_KEY, BASE_URL


def test_key_and_url_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("INSTALLO_API_KEY", "sk_test_from_env_1234")
    monkeypatch.setenv("INSTALLO_BASE_URL", "http://env.test:9000/")
    with Installo() as client:
        assert client.base_url == "http://env.test:9000"
        assert client._options.api_key == "sk_test_from_env_1234"


def test_defaults_to_the_local_sandbox(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("INSTALLO_BASE_URL", raising=False)
    with Installo(api_key="sk_test_demo") as client:
        assert client.base_url == DEFAULT_BASE_URL == "http://127.0.0.1:8787"
        assert client.max_retries == 2


def test_explicit_arguments_beat_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("INSTALLO_API_KEY", "sk_test_env")
    with Installo(api_key="sk_test_arg", base_url="http://arg.test") as client:
        assert client._options.api_key == "sk_test_arg"
        assert client.base_url == "http://arg.test"


def test_requests_carry_bearer_key_user_agent_and_json(
    client: Installo, api: respx.MockRouter
) -> None:
    route = api.get("/v1/customers/cus_1").mock(
        return_value=httpx.Response(200, json=customer_object())
    )
    client.customers.retrieve("cus_1")
    request = route.calls.last.request
    assert request.headers["Authorization"] == f"Bearer {API_KEY}"
    assert request.headers["User-Agent"].startswith("installo-python/")
    assert request.headers["Accept"] == "application/json"


def test_admin_calls_use_the_admin_key(client: Installo, api: respx.MockRouter) -> None:
    route = api.get("/v1/admin/policies").mock(
        return_value=httpx.Response(200, json={"object": "list", "data": [], "has_more": False})
    )
    client.admin.policies.list()
    assert route.calls.last.request.headers["Authorization"] == f"Bearer {ADMIN_KEY}"


def test_merchant_application_sends_no_key(client: Installo, api: respx.MockRouter) -> None:
    merchant = {"id": "mer_1", "object": "merchant", "status": "pending_review", "legal_name": "A"}
    route = api.post("/v1/merchants").mock(return_value=httpx.Response(200, json=merchant))
    client.merchants.apply(
        legal_name="A", mcc="5732", country="US", currency="USD",
        years_in_business=3, expected_monthly_volume=1_000_000, contact_email="a@a.test",
    )  # fmt: skip
    assert "Authorization" not in route.calls.last.request.headers


def test_missing_key_is_a_clear_error_before_any_request(
    monkeypatch: pytest.MonkeyPatch, api: respx.MockRouter
) -> None:
    monkeypatch.delenv("INSTALLO_API_KEY", raising=False)
    with (
        Installo(base_url=BASE_URL) as client,
        pytest.raises(InstalloError, match="INSTALLO_API_KEY"),
    ):
        client.loans.retrieve("loan_1")
    assert len(api.calls) == 0


def test_missing_admin_key_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("INSTALLO_ADMIN_KEY", raising=False)
    client = Installo(api_key=API_KEY, base_url=BASE_URL)
    with client, pytest.raises(InstalloError, match="admin key"):
        client.admin.reviews.list()


def test_repr_never_shows_the_keys(client: Installo) -> None:
    text = repr(client) + repr(client._options)
    assert API_KEY not in text and ADMIN_KEY not in text
    assert "sk_test_" in text
    with Installo(api_key="sk_test_demo") as demo:
        assert "demo" not in repr(demo)


def test_with_options_changes_one_call_and_shares_connections(
    client: Installo, api: respx.MockRouter
) -> None:
    route = api.get("/v1/checkouts/chk_1").mock(
        return_value=httpx.Response(200, json=checkout_object())
    )
    other = client.with_options(api_key="sk_test_other_key", max_retries=5, timeout=3.0)
    other.checkouts.retrieve("chk_1")
    assert route.calls.last.request.headers["Authorization"] == "Bearer sk_test_other_key"
    assert route.calls.last.request.extensions["timeout"]["read"] == 3.0
    assert other.max_retries == 5 and client.max_retries == 2
    assert other._http is client._http
    assert other._sleep is client._sleep


def test_per_call_timeout_and_extra_headers(client: Installo, api: respx.MockRouter) -> None:
    route = api.get("/v1/checkouts/chk_1").mock(
        return_value=httpx.Response(200, json=checkout_object())
    )
    client.checkouts.retrieve(
        "chk_1", timeout=1.5, extra_headers={"Installo-Sandbox-Fault": "latency_ms=5"}
    )
    request = route.calls.last.request
    assert request.extensions["timeout"]["read"] == 1.5
    assert request.headers["Installo-Sandbox-Fault"] == "latency_ms=5"


def test_ids_are_quoted_into_the_path(client: Installo, api: respx.MockRouter) -> None:
    route = api.get(url__regex=r".*/v1/checkouts/.*").mock(
        return_value=httpx.Response(200, json=checkout_object())
    )
    client.checkouts.retrieve("../loans/loan_1")
    assert route.calls.last.request.url.raw_path == b"/v1/checkouts/..%2Floans%2Floan_1"


def test_a_passed_http_client_is_not_closed_by_the_sdk() -> None:
    http = httpx.Client()
    with Installo(api_key=API_KEY, http_client=http):
        pass
    assert not http.is_closed
    http.close()


def test_an_owned_http_client_is_closed_on_exit() -> None:
    with Installo(api_key=API_KEY) as client:
        pass
    assert client._http.is_closed


def test_transport_is_used_for_every_request() -> None:
    seen: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request.url.path)
        return httpx.Response(200, json=checkout_object())

    with Installo(api_key=API_KEY, transport=httpx.MockTransport(handler)) as client:
        client.checkouts.retrieve("chk_9")
    assert seen == ["/v1/checkouts/chk_9"]


async def test_async_client_is_an_async_context_manager() -> None:
    async with AsyncInstallo(api_key=API_KEY) as client:
        assert not client._http.is_closed
    assert client._http.is_closed


def test_negative_max_retries_is_rejected() -> None:
    with pytest.raises(ValueError, match="max_retries"):
        Installo(api_key=API_KEY, max_retries=-1)
