"""schemathesis, stateful: sequences that follow the API's OpenAPI links (create a checkout,
confirm it, capture its loan, refund or pay it) never get a server error or an answer that
breaks the documented schema.

The state machine generates every call and follows the links; the bodies of create, capture
and refund are made valid (a new `+approve` shopper, capture all, refund 10.00), since a random
cart almost never adds up and the links past it would never be reached. Random bodies are the
job of the hypothesis fuzz in test_fuzz.py.
"""

from __future__ import annotations

import itertools
from collections import Counter
from typing import Any

import schemathesis
from hypothesis import HealthCheck, Phase, settings
from hypothesis.stateful import initialize
from schemathesis.checks import not_a_server_error
from schemathesis.generation.stateful.state_machine import StepInput, StepOutput
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from mock_server.app import create_app
from mock_server.contract.requests import SandboxResetBody
from mock_server.services import sandbox_data
from mock_server.services.context import Sandbox
from mock_server.services.merchants import merchant_id_for_key
from mock_server.services.sandbox_data import merchant_caller
from mock_server.settings import Settings
from tests.server.conftest import cart, identity

APP = create_app(Settings(db="sqlite://", seed=13, webhook_worker=False))
SCHEMA = schemathesis.openapi.from_asgi("/openapi.json", APP).include(
    operation_id=[
        "checkouts-create", "checkouts-retrieve", "checkouts-confirm",
        "loans-retrieve", "loans-capture", "loans-refund", "loans-pay",
    ]
)  # fmt: skip
AUTH = {"Authorization": "Bearer sk_test_demo"}
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
CALLS: Counter[str] = Counter()
AMOUNTS = (80_000, 120_000, 250_000, 450_000)
SANDBOX: Sandbox = APP.state.sandbox
with SANDBOX.db.reader() as _session:
    DEMO = merchant_caller(SANDBOX, str(merchant_id_for_key(_session, "sk_test_demo")))


Workflow = SCHEMA.as_state_machine()
CREATED = Workflow.bundles["POST /v1/checkouts -> 201"]


class CheckoutToRefund(Workflow):  # type: ignore[misc,valid-type]
    """The API's state machine, with the demo key and a cart that adds up.

    schemathesis starts sequences only from operations it trusts to succeed on random input;
    it reads `device_id` as a reference to a resource nothing produces, so it never starts at
    `POST /v1/checkouts`. Each sequence therefore opens with one real checkout, fed into the
    same bundle the `checkouts-create` links read from.

    Each sequence starts from an empty sandbox with the same shoppers and amounts: hypothesis
    replays a sequence's choices to explore around it, and an answer that depended on the
    sequences before (a shopper seen already, another amount) would change which links are
    open and fail the run as inconsistent data generation.
    """

    def __init__(self) -> None:
        super().__init__()
        sandbox_data.reset(SANDBOX, DEMO, SandboxResetBody(confirm=DEMO.merchant.id))
        self.amounts = itertools.cycle(AMOUNTS)
        self.shoppers = itertools.count(1)

    @initialize(target=CREATED)
    def open_a_checkout(self) -> StepOutput:
        case = SCHEMA.find_operation_by_id("checkouts-create").Case(body={})
        step = StepInput.initial(case)
        self.recorder.record_case(case=case)  # as schemathesis's own root steps do
        self.control.record_step(step, self.recorder)
        output: StepOutput = self._step(step)
        return output

    def before_call(self, case: Any) -> None:
        case.headers = {**(case.headers or {}), **AUTH}
        if case.operation.label == "POST /v1/checkouts":
            n = next(self.shoppers)  # a new person each time: no velocity check sends it to review
            shopper = identity(email=f"shopper{n}+approve@example.com", phone=f"+1 415 555 {n:04d}")
            shopper["address"] = {**shopper["address"], "line1": f"{n} Market St"}
            case.body = cart(next(self.amounts), customer=shopper)
        elif case.operation.label == "POST /v1/loans/{loan_id}/capture":
            case.body = None  # capture all; random amounts are the body fuzz's job
        elif case.operation.label == "POST /v1/loans/{loan_id}/refunds":
            case.body = {"amount": 1_000, "reason": "returned"}

    def get_call_kwargs(self, case: Any) -> dict[str, Any]:
        return {"headers": AUTH}

    def after_call(self, response: Any, case: Any) -> None:
        CALLS[f"{case.operation.label} {response.status_code}"] += 1
        if case.operation.label.endswith("confirm") and response.status_code == 200:
            CALLS["decided " + str(response.json().get("status"))] += 1

    def validate_response(self, response: Any, case: Any, **kwargs: Any) -> None:
        case.validate_response(response, checks=CHECKS)


def test_linked_sequences_have_no_server_errors_or_schema_violations() -> None:
    CheckoutToRefund.run(
        settings=settings(
            max_examples=30, stateful_step_count=8, deadline=None,
            database=None, suppress_health_check=list(HealthCheck),
            phases=[Phase.generate],  # the sandbox's state makes a replay differ: no shrinking
        )
    )  # fmt: skip
    print(f"\nstateful calls: {dict(sorted(CALLS.items()))}")
    # Which links were followed is up to the state machine; creating (every sequence starts
    # with one) and confirming (the first link, taken in nearly every sequence) always happen.
    assert CALLS["POST /v1/checkouts 201"] > 0
    assert CALLS["POST /v1/checkouts/{checkout_id}/confirm 200"] > 0
