"""The respx mock and the sandbox agree: the same requests, valid and invalid, sent to both get the
same status and the same error code and `param`; the mock checks every body with the model the
sandbox's route declares; and every SDK method gets its model back from the mock.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest
from installo import Installo
from installo.pagination import SyncPage
from installo.testing import MockAPI, mock_api
from installo.testing._rules import BODY_RULES, body_rule
from installo.types import Balance, SandboxReset, SandboxSnapshot, SettlementReport, TestClock

from .test_resources import CASES

Json = dict[str, Any]
MOCK_URL = "http://contract.mock"
IDENTITY: Json = {
    "email": "ada+approve@example.com", "name": "Ada Lovelace", "phone": "+15555550100",
    "date_of_birth": "1990-12-10", "national_id_last4": "1234", "locale": "en_US",
    "address": {"line1": "1 Main St", "city": "Springfield", "region": "IL",
                "postal_code": "62701", "country": "US"},
}  # fmt: skip
CART: Json = {
    "amount": 60_000, "currency": "USD", "shipping_amount": 0, "tax_amount": 0,
    "items": [{"sku": "LAMP-1", "name": "Lamp", "unit_amount": 60_000, "quantity": 1}],
    "customer": "{customer}",
}  # fmt: skip


@dataclass(frozen=True)
class Step:
    """One request: `{name}` placeholders are filled per backend from what earlier steps saved."""

    method: str
    path: str
    body: Json | list[Any] | bytes | None = None
    save: str | None = None  # remember the answer's id under this name
    anonymous: bool = False
    extra: dict[str, str] = field(default_factory=dict)


STEPS: list[Step] = [
    Step("GET", "/v1/merchants/me", save="merchant"),
    Step("POST", "/v1/customers", {}),
    Step("POST", "/v1/customers", {"email": "ada@example.com", "name": "Ada"}),
    Step("POST", "/v1/customers", {**IDENTITY, "shoe_size": 9}),
    Step("POST", "/v1/customers", {**IDENTITY, "date_of_birth": "12/10/1990"}),
    Step("POST", "/v1/customers", {**IDENTITY, "national_id_last4": "12"}),
    Step("POST", "/v1/customers", b"{not json"),
    Step("POST", "/v1/customers", IDENTITY, save="customer"),
    Step("GET", "/v1/customers/{customer}"),
    Step("GET", "/v1/customers/cus_missing"),
    Step("POST", "/v1/checkouts", {**CART, "amount": -5}),
    Step("POST", "/v1/checkouts", {k: v for k, v in CART.items() if k != "items"}),
    Step("POST", "/v1/checkouts", {**CART, "amount": 60_001}),
    Step("POST", "/v1/checkouts", {**CART, "currency": "usd"}),
    Step("POST", "/v1/checkouts", {**CART, "customer": "cus_missing"}),
    Step("POST", "/v1/checkouts", {**CART, "customer": {"email": "a@example.com", "name": "A"}}),
    Step("POST", "/v1/checkouts", {**CART, "merchant_reference": 7}),
    Step("POST", "/v1/checkouts", CART, save="checkout"),
    Step("POST", "/v1/checkouts/{checkout}/confirm", {}),
    Step("POST", "/v1/checkouts/{checkout}/confirm", {"offer": "ofr_missing", "consent": False}),
    Step("POST", "/v1/checkouts/{checkout}/confirm", {"offer": "ofr_missing", "consent": True}),
    Step("POST", "/v1/checkouts/chk_missing/confirm", {"offer": "{offer}", "consent": True}),
    Step("POST", "/v1/checkouts/{checkout}/confirm", {"offer": "{offer}", "consent": True},
         save="loan"),
    Step("POST", "/v1/checkouts/{checkout}/confirm", {"offer": "{offer}", "consent": True}),
    Step("POST", "/v1/checkouts/{checkout}/cancel"),
    Step("POST", "/v1/loans/{loan}/capture", {"amount": 0}),
    Step("POST", "/v1/loans/{loan}/capture", {"amount": "ten"}),
    Step("POST", "/v1/loans/{loan}/capture", {"amount": 100, "when": "now"}),
    Step("POST", "/v1/loans/{loan}/capture", {"amount": 10**9}),
    Step("POST", "/v1/loans/loan_missing/capture", {}),
    Step("POST", "/v1/loans/{loan}/capture", {}),
    Step("POST", "/v1/loans/{loan}/capture", {}),
    Step("POST", "/v1/loans/{loan}/void"),
    Step("POST", "/v1/loans/{loan}/refunds", {}),
    Step("POST", "/v1/loans/{loan}/refunds", {"amount": -1}),
    Step("POST", "/v1/loans/{loan}/refunds", {"amount": 10**9}),
    Step("POST", "/v1/loans/{loan}/refunds", {"amount": 100}),
    Step("POST", "/v1/loans/{loan}/payments", {}),
    Step("POST", "/v1/loans/{loan}/payments", {"amount": 0}),
    Step("POST", "/v1/loans/{loan}/payments", {"amount": 10**9}),
    Step("POST", "/v1/loans/{loan}/payments", {"amount": 1_000}),
    Step("GET", "/v1/loans/loan_missing"),
    Step("PATCH", "/v1/merchants/me", {"mdr_bps": -1}),
    Step("PATCH", "/v1/merchants/me", {"shoe_size": 9}),
    Step("PATCH", "/v1/merchants/me", {"display_name": "Contract Store"}),
    Step("PATCH", "/v1/merchants/me/application", {"shoe_size": 9}),
    Step("POST", "/v1/merchants", {}, anonymous=True),
    Step("POST", "/v1/merchants", {"legal_name": "Acme"}, anonymous=True),
    Step("POST", "/v1/prequalifications", {}),
    Step("POST", "/v1/prequalifications", {"customer": "cus_missing"}),
    Step("POST", "/v1/prequalifications", {"customer": "{customer}"}),
    Step("POST", "/v1/webhook_endpoints", {}),
    Step("POST", "/v1/webhook_endpoints", {"url": "ftp://example.com"}),
    Step("POST", "/v1/sandbox/clock/advance", {}),
    Step("POST", "/v1/sandbox/clock/advance", {"days": 0}),
    Step("POST", "/v1/sandbox/clock/advance", {"days": 1}),
    Step("POST", "/v1/test_clocks", {"frozen_time": "not a time"}),
    Step("POST", "/v1/test_clocks", {"name": "contract"}, save="clock"),
    Step("POST", "/v1/test_clocks/{clock}/advance", {}),
    Step("POST", "/v1/test_clocks/{clock}/advance", {"days": 1}),
    Step("POST", "/v1/test_clocks/clock_missing/advance", {"days": 1}),
    Step("POST", "/v1/sandbox/snapshots", {}),
    Step("POST", "/v1/sandbox/snapshots", {"name": "no spaces allowed"}),
    Step("POST", "/v1/sandbox/snapshots", {"name": "contract"}),
    Step("POST", "/v1/admin/reviews/rev_missing/approve", {"credit_limit": -1}),
    Step("POST", "/v1/admin/reviews/rev_missing/approve", {}),
    Step("POST", "/v1/admin/reviews/rev_missing/decline", {"note": 5}),
    Step("POST", "/v1/admin/merchants/mer_missing/suspend", {"shoe_size": 9}),
    Step("POST", "/v1/admin/merchants/mer_missing/suspend", {"note": "chargebacks"}),
    Step("POST", "/v1/admin/merchants/mer_missing/request_information",
         {"requirements": ["Not A Requirement"]}),
    Step("POST", "/v1/admin/policies/pol_consumer_credit/dry_run", {"source": "bogus"}),
    Step("PUT", "/v1/admin/policies/pol_contract", []),
    Step("PUT", "/v1/admin/workflows/wf_contract", []),
    Step("POST", "/v1/sandbox/reset", {}),
    Step("POST", "/v1/sandbox/reset", {"confirm": "{merchant}"}),
]  # fmt: skip


def _fill(value: Any, saved: dict[str, str]) -> Any:
    if isinstance(value, str):
        return re.sub(r"\{(\w+)\}", lambda m: saved.get(m.group(1), m.group(0)), value)
    if isinstance(value, dict):
        return {k: _fill(v, saved) for k, v in value.items()}
    if isinstance(value, list):
        return [_fill(v, saved) for v in value]
    return value


def _remember(step: Step, answer: httpx.Response, saved: dict[str, str]) -> None:
    if step.save is None or answer.status_code >= 400:
        return
    data = answer.json()
    saved[step.save] = data["loan"] if step.save == "loan" else data["id"]
    if step.save == "checkout":
        saved["offer"] = next(o["id"] for o in data["offers"] if o["plan"] == "pay_in_4")


def _send(http: httpx.Client, step: Step, saved: dict[str, str]) -> tuple[int, Any]:
    headers = {} if step.anonymous else {"Authorization": f"Bearer {saved['key']}"}
    if step.path.startswith("/v1/admin"):
        headers["Authorization"] = f"Bearer {saved['admin_key']}"
    path = _fill(step.path, saved)
    if isinstance(step.body, bytes):
        headers["Content-Type"] = "application/json"
        answer = http.request(step.method, path, content=step.body, headers=headers)
    elif step.body is None:
        answer = http.request(step.method, path, headers=headers)
    else:
        answer = http.request(step.method, path, json=_fill(step.body, saved), headers=headers)
    _remember(step, answer, saved)
    error = answer.json().get("error") if answer.status_code >= 400 else None
    seen = (error["code"], error["param"]) if isinstance(error, dict) else None
    return answer.status_code, seen


@pytest.fixture
def sandbox_http() -> Iterator[httpx.Client]:
    from installo.testing.sandbox import sandbox_app

    with warnings.catch_warnings():  # Starlette prefers its httpx2 fork; httpx works the same
        warnings.filterwarnings("ignore", message=".*httpx2.*")
        from starlette.testclient import TestClient
    try:
        app = sandbox_app(webhook_worker=False)
    except ImportError as exc:
        pytest.skip(str(exc))
    with TestClient(app, base_url="http://sandbox.test") as http:
        yield http
    app.state.sandbox.close()


def test_the_mock_and_the_sandbox_answer_the_same_requests_alike(
    sandbox_http: httpx.Client,
) -> None:
    keys = {"key": "sk_test_demo", "admin_key": "admin_test_demo"}
    on_sandbox: dict[str, str] = dict(keys)
    on_mock: dict[str, str] = dict(keys)
    differences = []
    with mock_api(base_url=MOCK_URL), httpx.Client(base_url=MOCK_URL) as mock_http:
        for step in STEPS:
            expected = _send(sandbox_http, step, on_sandbox)
            got = _send(mock_http, step, on_mock)
            if got != expected:
                differences.append(f"{step.method} {step.path} {step.body!r}: "
                                   f"sandbox {expected}, mock {got}")  # fmt: skip
    assert differences == []
    assert {"customer", "checkout", "loan", "clock"} <= set(on_mock)


def _ref_name(schema: Json) -> str:
    ref = schema.get("$ref") or next(
        (s["$ref"] for s in schema.get("anyOf", []) if "$ref" in s), None
    )
    return ref.rsplit("/", 1)[-1] if ref else "object"


def test_the_mock_checks_each_body_with_the_model_the_sandbox_route_declares() -> None:
    from installo.testing.sandbox import sandbox_app

    try:
        app = sandbox_app(webhook_worker=False)
    except ImportError as exc:
        pytest.skip(str(exc))
    operations = app.openapi()["paths"]
    app.state.sandbox.close()
    used = set()
    mock = MockAPI()
    for path, methods in operations.items():
        concrete = re.sub(r"\{[^}]+\}", "x_1", path)
        for method, operation in methods.items():
            rule = body_rule(method.upper(), concrete)
            body = operation.get("requestBody")
            if rule is None:
                assert body is None or mock.route_for(method.upper(), concrete) is None, path
                continue
            assert body is not None, f"{method} {path} takes no body, the mock expects one"
            schema = body["content"]["application/json"]["schema"]
            assert rule.model_name == _ref_name(schema), f"{method} {path}"
            assert rule.optional == (not body.get("required", False)), f"{method} {path}"
            used.add(rule)
    assert used == set(BODY_RULES)


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.name)
def test_every_sdk_method_gets_its_model_from_the_mock(case: Any) -> None:
    with (
        mock_api(base_url=MOCK_URL) as api,
        Installo(api_key="sk_test_mock", admin_key="admin_test_mock", base_url=MOCK_URL) as client,
    ):
        assert api.route_for(case.method, case.path) is not None, case.path
        try:
            result = case.call(client)
        except Exception as exc:  # an error answer is fine: the route exists and validated
            assert getattr(exc, "code", None) not in {"route_not_found", "method_not_allowed"}
            return
        assert isinstance(result, case.model) or all(
            isinstance(item, case.model) for item in result.data
        )


MORE_CALLS: list[tuple[str, Any, type[Any]]] = [
    ("balance.retrieve", lambda c: c.balance.retrieve(), Balance),
    ("balance_transactions.list", lambda c: c.balance_transactions.list(limit=5), SyncPage),
    ("payouts.list", lambda c: c.payouts.list(), SyncPage),
    ("settlement_reports.retrieve", lambda c: c.settlement_reports.retrieve("2026-01-15"),
     SettlementReport),
    ("settlement_reports.retrieve_csv",
     lambda c: c.settlement_reports.retrieve_csv("2026-01-15"), str),
    ("test_clocks.create", lambda c: c.test_clocks.create(name="unit"), TestClock),
    ("test_clocks.list", lambda c: c.test_clocks.list(), SyncPage),
    ("request_logs.list", lambda c: c.request_logs.list(limit=5), SyncPage),
    ("sandbox.snapshot", lambda c: c.sandbox.snapshot("golden"), SandboxSnapshot),
    ("sandbox.reset", lambda c: c.sandbox.reset(confirm="mer_mock"), SandboxReset),
]  # fmt: skip


@pytest.mark.parametrize(("name", "call", "model"), MORE_CALLS, ids=[c[0] for c in MORE_CALLS])
def test_the_developer_and_money_methods_get_their_models_from_the_mock(
    name: str, call: Any, model: type[Any]
) -> None:
    with mock_api(base_url=MOCK_URL), Installo(api_key="sk_test_mock", base_url=MOCK_URL) as c:
        assert isinstance(call(c), model), name


def test_a_test_clock_advances_and_is_deleted_on_the_mock() -> None:
    with mock_api(base_url=MOCK_URL), Installo(api_key="sk_test_mock", base_url=MOCK_URL) as c:
        clock = c.test_clocks.create(name="unit")
        moved = c.test_clocks.advance(clock.id, days=10)
        assert (moved.frozen_time - clock.frozen_time).days == 10
        assert c.test_clocks.delete(clock.id).deleted is True
