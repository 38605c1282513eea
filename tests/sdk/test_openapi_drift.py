"""The SDK's models and the server's OpenAPI schema agree on every field's name and JSON type.

Both sides are read as JSON Schema: the SDK's from `Model.model_json_schema()`, the server's from
`create_app(...).openapi()`. A field the server sends but the SDK does not model, a field the SDK
expects but the server does not send, or a type that differs (including null where the SDK does
not accept it) fails the test with the model and field named.
"""

from __future__ import annotations

from typing import Any

import pytest

from sdk._models import BaseModel
from sdk.types import (
    Address,
    CartItem,
    Checkout,
    CheckoutWorkflow,
    CreditReport,
    Customer,
    Decision,
    Event,
    Loan,
    Merchant,
    Offer,
    Persona,
    Prequalification,
    Promotion,
    PromotionPlan,
    RuleFired,
    ScheduleEntry,
    WorkflowStep,
)
from sdk.types.loan import HistoryEntry

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
    RuleFired: "RuleFired",
    Loan: "Loan",
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
}


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
    sdk_defs = sdk_schema.get("$defs", {})
    sdk_props: dict[str, Schema] = sdk_schema.get("properties", {})
    server_props: dict[str, Schema] = server.get("properties", {})
    name = model.__name__
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


@pytest.fixture(scope="module")
def server_components() -> dict[str, Schema]:
    from sdk.testing.sandbox import sandbox_app

    try:
        app = sandbox_app()
    except ImportError as exc:
        pytest.skip(str(exc))
    components: dict[str, Schema] = app.openapi()["components"]["schemas"]
    return components


@pytest.mark.parametrize("model", list(MODELS), ids=lambda model: model.__name__)
def test_sdk_model_matches_the_server_schema(
    model: type[BaseModel], server_components: dict[str, Schema]
) -> None:
    component = server_component(server_components, MODELS[model])
    assert component is not None, f"the server has no {MODELS[model]} schema"
    problems = differences(model, component, server_components)
    assert problems == []


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
