"""The SDK's models and the server's OpenAPI schema agree on every field's name and JSON type.

Both sides are read as JSON Schema: the SDK's from `Model.model_json_schema()`, the server's from
`create_app(...).openapi()`. A field the server sends but the SDK does not model, a field the SDK
expects but the server does not send, or a type that differs (including null where the SDK does
not accept it) fails the test with the model and field named. Where the server's schema leaves a
nested object untyped (a credit report's tradelines and inquiries), the SDK's model is compared
with what the server really sends.
"""

from __future__ import annotations

import inspect
import warnings
from collections.abc import Iterator
from typing import Any, NotRequired, get_args, get_origin, get_type_hints

import pydantic
import pytest
from installo._models import BaseModel
from installo.resources.customers import AsyncCustomers, Customers
from installo.types import (
    Address,
    Balance,
    BalanceAmount,
    BalanceTransaction,
    CardAuthorization,
    CartItem,
    Checkout,
    CheckoutWorkflow,
    CreditReport,
    CreditSummary,
    Customer,
    CustomerParam,
    Decision,
    DeliveryAttempt,
    DeskNote,
    Dispute,
    DryRunResult,
    Event,
    FurnishedAccount,
    FurnishingFile,
    FurnishingFileDetail,
    Inquiry,
    LastFurnished,
    Loan,
    Merchant,
    NextAction,
    Offer,
    Payout,
    Persona,
    PlanParam,
    Policy,
    Prequalification,
    Promotion,
    PromotionPlan,
    RedirectUrls,
    RequirementError,
    Requirements,
    Review,
    ReviewApplication,
    RuleFired,
    SandboxTagTrace,
    ScheduleEntry,
    Screening,
    ScreeningMatch,
    SettlementReport,
    SettlementSummary,
    SmsMessage,
    Tradeline,
    VirtualCard,
    WebhookDelivery,
    WebhookEndpoint,
    Workflow,
    WorkflowStep,
)
from installo.types.loan import HistoryEntry
from installo.types.portfolio import (
    BucketTally,
    ChargeOffs,
    CurrencyPortfolio,
    Funnel,
    Income,
    MerchantVolume,
    MonthFigures,
    Portfolio,
    ReasonCount,
    RollRate,
    StatusTally,
    Vintage,
    VintagePoint,
)
from installo.types.sandbox import ClockAdvance
from installo.types.shared import DeletedObject
from pydantic import create_model

Schema = dict[str, Any]

# SDK model -> the server's component schema name.
MODELS: dict[type[BaseModel], str] = {
    Checkout: "Checkout",
    CheckoutWorkflow: "CheckoutWorkflow",
    WorkflowStep: "WorkflowStep",
    CartItem: "CartItem",
    Offer: "Offer",
    ScheduleEntry: "ScheduleEntry",
    Decision: "Decision",
    SandboxTagTrace: "SandboxTagTrace",
    RuleFired: "RuleFired",
    Loan: "Loan",
    LastFurnished: "LastFurnished",
    FurnishingFile: "FurnishingFile",
    FurnishingFileDetail: "FurnishingFileDetail",
    FurnishedAccount: "FurnishedAccount",
    Dispute: "Dispute",
    HistoryEntry: "HistoryEntry",
    Customer: "Customer",
    Address: "Address",
    CreditReport: "CreditReport",
    Event: "Event",
    Merchant: "Merchant",
    Prequalification: "Prequalification",
    Promotion: "Promotion",
    PromotionPlan: "PromotionPlan",
    Persona: "Persona",
    WebhookEndpoint: "WebhookEndpoint",
    DeletedObject: "DeletedObject",
    ClockAdvance: "SandboxClock",
    Policy: "Policy",
    Workflow: "Workflow",
    DryRunResult: "PolicyDryRun",
    Review: "Review",
    ReviewApplication: "ReviewApplication",
    CreditSummary: "CreditSummary",
    WebhookDelivery: "WebhookDelivery",
    DeliveryAttempt: "DeliveryAttempt",
    Requirements: "Requirements",
    RequirementError: "RequirementError",
    Screening: "Screening",
    ScreeningMatch: "ScreeningMatch",
    DeskNote: "DeskNote",
    Balance: "Balance",
    BalanceAmount: "BalanceAmount",
    BalanceTransaction: "BalanceTransaction",
    Payout: "Payout",
    SettlementReport: "SettlementReport",
    SettlementSummary: "SettlementSummary",
    Portfolio: "Portfolio",
    CurrencyPortfolio: "CurrencyPortfolio",
    StatusTally: "StatusTally",
    BucketTally: "BucketTally",
    ChargeOffs: "ChargeOffs",
    RollRate: "RollRate",
    Vintage: "Vintage",
    VintagePoint: "VintagePoint",
    MonthFigures: "MonthFigures",
    Funnel: "Funnel",
    ReasonCount: "ReasonCount",
    Income: "Income",
    MerchantVolume: "MerchantVolume",
    NextAction: "NextAction",
    RedirectUrls: "RedirectUrls",
    VirtualCard: "VirtualCard",
    CardAuthorization: "CardAuthorization",
    SmsMessage: "SmsMessage",
}

# SDK model -> the credit report field whose items it parses (untyped in the server's schema).
REPORT_ITEMS: dict[type[BaseModel], str] = {Tradeline: "tradelines", Inquiry: "inquiries"}


def server_component(components: dict[str, Schema], name: str) -> Schema | None:
    """The server's schema by name (FastAPI may split a model into -Output and -Input)."""
    return components.get(name) or components.get(f"{name}-Output")


def json_types(schema: Schema, defs: dict[str, Schema]) -> set[str]:
    """The JSON types a property schema admits ("any" when unconstrained)."""
    if "$ref" in schema:
        target = defs.get(schema["$ref"].rsplit("/", 1)[-1], {})
        return json_types(target, defs) if "$ref" not in target else {"object"}
    for key in ("anyOf", "oneOf"):
        if key in schema:
            return set().union(*(json_types(option, defs) for option in schema[key]))
    if "allOf" in schema:
        return set().union(*(json_types(option, defs) for option in schema["allOf"]))
    kind = schema.get("type")
    if isinstance(kind, list):
        return set(kind)
    if isinstance(kind, str):
        return {"number" if kind == "number" else kind}
    if "enum" in schema or "const" in schema:
        values = schema.get("enum", [schema.get("const")])
        return {_value_type(value) for value in values}
    if "properties" in schema:
        return {"object"}
    return {"any"}


def _value_type(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    return "string" if isinstance(value, str) else "object"


def item_types(schema: Schema, defs: dict[str, Schema]) -> set[str]:
    """For an array property, the JSON types of its items; empty otherwise."""
    if "$ref" in schema:
        return item_types(defs.get(schema["$ref"].rsplit("/", 1)[-1], {}), defs)
    for key in ("anyOf", "oneOf", "allOf"):
        if key in schema:
            return set().union(*(item_types(option, defs) for option in schema[key]))
    if schema.get("type") == "array" and isinstance(schema.get("items"), dict):
        return json_types(schema["items"], defs) - {"null"}
    return set()


def differences(
    model: type[BaseModel], server: Schema, server_defs: dict[str, Schema]
) -> list[str]:
    """Every way the SDK model and the server's schema disagree."""
    sdk_schema = model.model_json_schema(mode="validation", by_alias=True)
    return schema_differences(model.__name__, sdk_schema, server, server_defs)


def schema_differences(
    name: str, sdk_schema: Schema, server: Schema, server_defs: dict[str, Schema]
) -> list[str]:
    """Every way an SDK schema and the server's disagree, named `<name>.<field>`."""
    sdk_defs = sdk_schema.get("$defs", {})
    sdk_props: dict[str, Schema] = sdk_schema.get("properties", {})
    server_props: dict[str, Schema] = server.get("properties", {})
    problems = [f"{name}.{f}: the server sends it, the SDK does not model it"
                for f in sorted(set(server_props) - set(sdk_props))]  # fmt: skip
    problems += [f"{name}.{f}: the SDK expects it, the server's schema has no such field"
                 for f in sorted(set(sdk_props) - set(server_props))]  # fmt: skip
    for field in sorted(set(sdk_props) & set(server_props)):
        problem = field_problem(sdk_props[field], sdk_defs, server_props[field], server_defs)
        if problem:
            problems.append(f"{name}.{field}{problem}")
    return problems


def field_problem(
    ours: Schema, our_defs: dict[str, Schema], theirs: Schema, their_defs: dict[str, Schema]
) -> str | None:
    """How one field's SDK schema disagrees with the server's, or None."""  # fmt: skip
    our_types, their_types = json_types(ours, our_defs), json_types(theirs, their_defs)
    if "any" in our_types or "any" in their_types:
        return None
    if "null" in their_types and "null" not in our_types:
        return ": the server may send null, the SDK rejects it"
    accepted = our_types - {"null"}
    if "number" in accepted:
        accepted.add("integer")
    if not their_types - {"null"} <= accepted:
        return f": SDK type {sorted(our_types)} != server {sorted(their_types)}"
    our_items, their_items = item_types(ours, our_defs), item_types(theirs, their_defs)
    comparable = our_items and their_items and "any" not in our_items | their_items
    if comparable and not their_items <= our_items:
        return f"[]: SDK items {sorted(our_items)} != server {sorted(their_items)}"
    return None


def sample_schema(samples: list[dict[str, Any]]) -> Schema:
    """A schema of what the server really sent: each key with the JSON types of its values."""
    props: dict[str, Schema] = {}
    for sample in samples:
        for key, value in sample.items():
            kinds = props.setdefault(key, {"anyOf": []})["anyOf"]
            kind = {"type": "array" if isinstance(value, list) else _value_type(value)}
            if kind not in kinds:
                kinds.append(kind)
    return {"properties": props}


@pytest.fixture(scope="module")
def server_app() -> Iterator[Any]:
    """The sandbox's app, closed when the module is done (its background threads stop)."""
    from installo.testing.sandbox import sandbox_app

    try:
        app = sandbox_app()
    except ImportError as exc:
        pytest.skip(str(exc))
    yield app
    app.state.sandbox.close()


@pytest.fixture(scope="module")
def server_components(server_app: Any) -> dict[str, Schema]:
    components: dict[str, Schema] = server_app.openapi()["components"]["schemas"]
    return components


@pytest.fixture(scope="module")
def wire_credit_report(server_app: Any) -> dict[str, Any]:
    """A prime persona's credit report as the server sends it (raw JSON), after a soft pull."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=".*httpx2.*")
        from starlette.testclient import TestClient
    auth = {"Authorization": "Bearer sk_test_demo"}
    with TestClient(server_app) as http:
        persona = http.get("/v1/sandbox/personas?tier=prime&limit=1", headers=auth).json()["data"][
            0
        ]
        keys = ("email", "name", "phone", "date_of_birth", "national_id_last4", "locale", "address")
        body = {"customer": {key: persona[key] for key in keys}, "amount": 50000, "currency": "USD"}
        prequal = http.post("/v1/prequalifications", json=body, headers=auth)
        assert prequal.status_code == 201, prequal.text
        url = f"/v1/customers/{prequal.json()['customer']}/credit_report"
        report: dict[str, Any] = http.get(url, headers=auth).json()
    return report


@pytest.mark.parametrize("model", list(MODELS), ids=lambda model: model.__name__)
def test_sdk_model_matches_the_server_schema(
    model: type[BaseModel], server_components: dict[str, Schema]
) -> None:
    component = server_component(server_components, MODELS[model])
    assert component is not None, f"the server has no {MODELS[model]} schema"
    problems = differences(model, component, server_components)
    assert problems == []


@pytest.mark.parametrize("model", list(REPORT_ITEMS), ids=lambda model: model.__name__)
def test_sdk_model_matches_what_the_server_sends_in_a_credit_report(
    model: type[BaseModel], wire_credit_report: dict[str, Any]
) -> None:
    samples = wire_credit_report[REPORT_ITEMS[model]]
    assert samples, f"the report has no {REPORT_ITEMS[model]} to compare"
    assert differences(model, sample_schema(samples), {}) == []
    assert all(model.model_validate(sample).model_extra == {} for sample in samples)


def typed_dict_schema(params: Any) -> Schema:
    """A request TypedDict as JSON Schema (pydantic reads `typing.TypedDict` only from 3.12;
    `__required_keys__` misses `NotRequired` under postponed annotations before 3.12)."""
    fields: dict[str, Any] = {}
    for key, hint in get_type_hints(params, include_extras=True).items():
        optional = get_origin(hint) is NotRequired
        fields[key] = (get_args(hint)[0], None) if optional else (hint, ...)
    model: type[pydantic.BaseModel] = create_model(params.__name__, **fields)
    return model.model_json_schema()


def test_plan_param_matches_the_servers_plan_spec(server_components: dict[str, Schema]) -> None:
    # A request body: every value the SDK lets a caller send must be one the server accepts.
    ours = typed_dict_schema(PlanParam)
    theirs = server_components["PlanSpec"]
    assert set(ours["properties"]) == set(theirs["properties"])
    assert set(ours.get("required", [])) == set(theirs.get("required", []))
    problems = {
        name: field_problem(theirs["properties"][name], server_components, schema, {})
        for name, schema in ours["properties"].items()
    }
    assert {name: problem for name, problem in problems.items() if problem} == {}


def test_customer_param_requires_what_the_server_requires(
    server_components: dict[str, Schema],
) -> None:
    hints = get_type_hints(CustomerParam, include_extras=True)
    required = {key for key, hint in hints.items() if get_origin(hint) is not NotRequired}
    theirs = server_components["CustomerCreate"]
    assert set(hints) == set(theirs["properties"])
    assert required == set(theirs["required"])


def test_customers_create_requires_what_the_server_requires(
    server_components: dict[str, Schema],
) -> None:
    for method in (Customers.create, AsyncCustomers.create):
        parameters = inspect.signature(method).parameters.values()
        required = {p.name for p in parameters if p.kind is p.KEYWORD_ONLY and p.default is p.empty}
        optional = {p.name for p in parameters if p.kind is p.KEYWORD_ONLY} - required
        theirs = server_components["CustomerCreate"]
        assert required == set(theirs["required"])
        assert optional == set(theirs["properties"]) - required


def test_the_checker_catches_a_renamed_field_and_a_changed_type() -> None:
    class Widget(BaseModel):
        amount: int
        label: str

    server = {"properties": {"amount": {"type": "string"}, "name": {"type": "string"}}}
    assert differences(Widget, server, {}) == [
        "Widget.name: the server sends it, the SDK does not model it",
        "Widget.label: the SDK expects it, the server's schema has no such field",
        "Widget.amount: SDK type ['integer'] != server ['string']",
    ]


def test_the_checker_catches_null_the_sdk_would_reject() -> None:
    class Widget(BaseModel):
        amount: int

    server = {"properties": {"amount": {"anyOf": [{"type": "integer"}, {"type": "null"}]}}}
    assert differences(Widget, server, {}) == [
        "Widget.amount: the server may send null, the SDK rejects it"
    ]
