"""The API's wording of schema errors inside union-typed fields, on models made for the purpose:
the branch matching the input's JSON type answers, at the path the user wrote (the pure function
the server's error handler and installo.testing's mock share)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

import pytest
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError

from mock_server.api.validation_errors import validation_problem


class Address(BaseModel):
    model_config = ConfigDict(extra="forbid")
    line1: str
    region: str


class Person(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str
    address: Address


class Pet(BaseModel):
    model_config = ConfigDict(extra="forbid")
    species: Literal["cat", "dog"]


def _upper(value: str) -> str:
    if value != value.upper():
        raise ValueError("should be upper case")
    return value


class Order(BaseModel):
    model_config = ConfigDict(extra="forbid")
    who: Annotated[str, Field(min_length=1)] | Person
    tag: Annotated[str, AfterValidator(_upper)] | int | None = None
    owners: list[str | Person | Pet] = []
    nested: dict[str, int | Person] = {}


def _problem(body: dict[str, Any]) -> list[tuple[str, str, str]]:
    with pytest.raises(ValidationError) as info:
        Order.model_validate(body)
    problem = validation_problem([dict(e) for e in info.value.errors()], body)
    return [(d.param, d.code, d.message) for d in problem.details]


PERSON = {"name": "Ada", "address": {"line1": "1 Main St", "region": "CA"}}


def test_an_input_no_branch_takes_is_named_as_written_with_what_each_branch_takes() -> None:
    assert _problem({"who": 5}) == [
        ("who", "parameter_invalid", "who: Input should be a string or an object")
    ]
    assert _problem({"who": "x", "tag": [1]}) == [
        ("tag", "parameter_invalid", "tag: Input should be a string or an integer")
    ]


def test_an_object_answers_with_the_object_branch_only() -> None:
    bad = {"name": "Ada", "address": {"line1": "1 Main St", "state": "CA"}}
    assert _problem({"who": bad}) == [
        ("who.address.region", "parameter_missing", "missing: who.address.region"),
        ("who.address.state", "parameter_unknown", "unknown: who.address.state"),
    ]


def test_a_string_answers_with_the_string_branch_only() -> None:
    assert _problem({"who": ""}) == [
        ("who", "parameter_invalid", "who: String should have at least 1 character")
    ]
    assert _problem({"who": "x", "tag": "lower"}) == [
        ("tag", "parameter_invalid", "tag: Value error, should be upper case")
    ]


def test_unions_in_lists_and_dicts_and_two_object_branches() -> None:
    body = {"who": "x", "owners": ["ok", 7, {"species": "fish"}], "nested": {"a": "b"}}
    assert _problem(body) == [
        ("owners.1", "parameter_invalid", "owners.1: Input should be a string or an object"),
        # both object branches took the object: both say what they missed
        ("owners.2.name", "parameter_missing", "missing: owners.2.name"),
        ("owners.2.address", "parameter_missing", "missing: owners.2.address"),
        ("owners.2.species", "parameter_unknown", "unknown: owners.2.species"),
        ("owners.2.species", "parameter_invalid",
         "owners.2.species: Input should be 'cat' or 'dog'"),
        ("nested.a", "parameter_invalid", "nested.a: Input should be an integer or an object"),
    ]  # fmt: skip


def test_without_a_body_or_a_union_the_wording_is_unchanged() -> None:
    errors = [{"type": "missing", "loc": ("body", "amount"), "msg": "Field required"}]
    assert validation_problem(errors).param == "amount"
    assert validation_problem(errors, {"currency": "USD"}).param == "amount"
    keyed = [{"type": "string_type", "loc": ("body", "m", 3, "[key]"), "msg": "Input should be"}]
    assert validation_problem(keyed, {"m": {3: 1}}).param == "m.3.[key]"
