"""Compile expression syntax trees into nested Python closures, once.

Evaluation semantics (what a policy author can rely on):

- Values are JSON-like: int, str, bool, null, lists. `/` gives an exact fraction (never a float);
  when it divides evenly the result is an int again.
- A field path that is absent from the facts raises `EvaluationError` naming the path. A field that
  is present with the value null evaluates to null.
- Ordering comparisons (`< <= > >=`) with null on either side are false; `==` / `!=` compare null
  like any value. Every other operator given null raises `EvaluationError`, so
  `credit.months_since_delinquency < 12` is simply false for a clean file.
- `and`, `or` and `not` take booleans only and short-circuit; anything else is an `EvaluationError`.
- Mixing types (str with int, bool with int) raises `EvaluationError` naming the sub-expression,
  never a bare `TypeError`. Booleans are not numbers: `true == 1` is false.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Mapping, Set
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any, Final

from mock_server.rules.errors import EvaluationError
from mock_server.rules.expr import (
    Binary,
    Call,
    Field,
    ListNode,
    Literal,
    Node,
    Unary,
    field_paths,
    parse,
)

Facts = Mapping[str, Any]
Evaluator = Callable[[Facts], Any]


@dataclass(frozen=True)
class Expression:
    """A compiled expression: call `evaluate(facts)`; `source` and `fields` describe it."""

    source: str
    tree: Node
    fields: frozenset[str]
    evaluate: Evaluator = field(compare=False, repr=False)


def compile_expression(source: str, *, fields: Set[str] | None = None) -> Expression:
    """Parse and compile an expression once; raises `ExpressionError` with the column."""
    tree = parse(source, fields=fields)
    return Expression(source, tree, field_paths(tree), _Compiler(source).compile(tree))


def _constant_strings(node: Node) -> frozenset[str] | None:
    """The members of a list display made only of string literals, else None."""
    if not isinstance(node, ListNode):
        return None
    values = [item.value for item in node.items if isinstance(item, Literal)]
    if len(values) != len(node.items) or not all(type(v) is str for v in values):
        return None
    return frozenset(v for v in values if isinstance(v, str))


def _is_number(value: object) -> bool:
    return type(value) is int or type(value) is Fraction


def _type_name(value: object) -> str:
    if value is None:
        return "null"
    return {bool: "bool", int: "int", str: "str", list: "list", Fraction: "fraction"}.get(
        type(value), type(value).__name__
    )


_ORDERING: Final[dict[str, Callable[[Any, Any], bool]]] = {
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
}


class _Compiler:
    def __init__(self, source: str) -> None:
        self.source = source

    def fail(self, node: Node, message: str) -> EvaluationError:
        text = self.source[node.start : node.end]
        return EvaluationError(f"{message} in {text!r} (column {node.start + 1})")

    def compile(self, node: Node) -> Evaluator:
        if isinstance(node, Literal):
            value = node.value
            return lambda facts: value
        if isinstance(node, ListNode):
            items = tuple(self.compile(item) for item in node.items)
            return lambda facts: [item(facts) for item in items]
        if isinstance(node, Field):
            return self.field(node)
        if isinstance(node, Unary):
            return self.unary(node)
        if isinstance(node, Binary):
            return self.binary(node)
        if isinstance(node, Call):
            return self.call(node)
        raise TypeError(f"unknown node {node!r}")  # pragma: no cover - the parser builds no other

    def field(self, node: Field) -> Evaluator:
        parts = tuple(node.path.split("."))
        path = node.path

        def lookup(facts: Facts) -> Any:
            value: Any = facts
            for part in parts:
                if not isinstance(value, Mapping):
                    raise EvaluationError(f"field {path!r}: {part!r} is inside a non-object value")
                try:
                    value = value[part]
                except KeyError:
                    raise EvaluationError(f"missing field {path!r} in the facts") from None
            return value

        if len(parts) == 2:
            first, second = parts

            def lookup_two(facts: Facts) -> Any:
                try:
                    return facts[first][second]
                except (KeyError, TypeError):
                    return lookup(facts)

            return lookup_two
        return lookup

    def unary(self, node: Unary) -> Evaluator:
        operand = self.compile(node.operand)
        if node.op == "not":

            def negate(facts: Facts) -> bool:
                value = operand(facts)
                if value is True:
                    return False
                if value is False:
                    return True
                raise self.fail(node, f"'not' needs a boolean, got {_type_name(value)}")

            return negate

        def minus(facts: Facts) -> Any:
            value = operand(facts)
            if not _is_number(value):
                raise self.fail(node, f"'-' needs a number, got {_type_name(value)}")
            return -value

        return minus

    def binary(self, node: Binary) -> Evaluator:
        left, right = self.compile(node.left), self.compile(node.right)
        if node.op in ("and", "or"):
            return self.logical(node, left, right)
        if node.op in _ORDERING:
            return self.ordering(node, left, right)
        if node.op in ("==", "!="):
            return self.equality(node, left, right)
        if node.op in ("in", "not in"):
            return self.membership(node, left, right)
        return self.arithmetic(node, left, right)

    def equality(self, node: Binary, left: Evaluator, right: Evaluator) -> Evaluator:
        negated = node.op == "!="
        constant = node.right.value if isinstance(node.right, Literal) else None
        if type(constant) is str:
            text: str = constant

            def equals_text(facts: Facts) -> bool:
                return (left(facts) == text) is not negated

            return equals_text

        def equality(facts: Facts) -> bool:
            a, b = left(facts), right(facts)
            same = a == b and (type(a) is bool) == (type(b) is bool)
            return same is not negated

        return equality

    def logical(self, node: Binary, left: Evaluator, right: Evaluator) -> Evaluator:
        stop = node.op == "or"  # the left value that decides the answer on its own
        go_on = not stop
        answer: bool = stop  # returned when the left side decides; kept apart so typing stays bool

        def wrong(value: Any, side: Node) -> EvaluationError:
            return self.fail(side, f"'{node.op}' needs booleans, got {_type_name(value)}")

        def logical(facts: Facts) -> bool:
            a = left(facts)
            if a is stop:
                return answer
            if a is not go_on:
                raise wrong(a, node.left)
            b = right(facts)
            if b is True:
                return True
            if b is False:
                return False
            raise wrong(b, node.right)

        return logical

    def ordering(self, node: Binary, left: Evaluator, right: Evaluator) -> Evaluator:
        compare = _ORDERING[node.op]

        def general(a: Any, b: Any) -> bool:
            if a is None or b is None:
                return False
            if (_is_number(a) and _is_number(b)) or (type(a) is str and type(b) is str):
                return compare(a, b)
            raise self.fail(node, f"cannot compare {_type_name(a)} with {_type_name(b)}")

        constant = node.right.value if isinstance(node.right, Literal) else None
        if type(constant) is int:
            # The common shape `field < 600`: skip the literal's closure and the type dispatch.
            bound: int = constant

            def against_constant(facts: Facts) -> bool:
                a = left(facts)
                if type(a) is int:
                    return compare(a, bound)
                return general(a, bound)

            return against_constant

        def ordering(facts: Facts) -> bool:
            a, b = left(facts), right(facts)
            if type(a) is int and type(b) is int:
                return compare(a, b)
            return general(a, b)

        return ordering

    def membership(self, node: Binary, left: Evaluator, right: Evaluator) -> Evaluator:
        negated = node.op == "not in"

        def general(item: Any, container: Any) -> bool:
            if type(container) is list:
                return (item in container) is not negated
            if type(container) is str and type(item) is str:
                return (item in container) is not negated
            raise self.fail(
                node, f"cannot test {_type_name(item)} '{node.op}' {_type_name(container)}"
            )

        constants = _constant_strings(node.right)
        if constants is not None:
            # `field in ['a', 'b']`: one set lookup when the item is a string.
            members = constants

            def in_constant_strings(facts: Facts) -> bool:
                item = left(facts)
                if type(item) is str:
                    return (item in members) is not negated
                return general(item, list(members))

            return in_constant_strings

        def membership(facts: Facts) -> bool:
            return general(left(facts), right(facts))

        return membership

    def arithmetic(self, node: Binary, left: Evaluator, right: Evaluator) -> Evaluator:
        op = node.op

        def arithmetic(facts: Facts) -> Any:
            a, b = left(facts), right(facts)
            if _is_number(a) and _is_number(b):
                return self.number_op(node, op, a, b)
            if op == "+" and type(a) is type(b) and type(a) in (str, list):
                return a + b
            raise self.fail(node, f"cannot apply '{op}' to {_type_name(a)} and {_type_name(b)}")

        return arithmetic

    def number_op(self, node: Binary, op: str, a: Any, b: Any) -> Any:
        if op == "+":
            return a + b
        if op == "-":
            return a - b
        if op == "*":
            return a * b
        if b == 0:
            raise self.fail(node, "division by zero")
        if op == "//":
            return a // b
        if op == "%":
            return a % b
        quotient = Fraction(a) / b
        return quotient.numerator if quotient.denominator == 1 else quotient

    def call(self, node: Call) -> Evaluator:
        args = tuple(self.compile(arg) for arg in node.args)
        name = node.name
        if name in ("min", "max"):
            pick = min if name == "min" else max

            def extreme(facts: Facts) -> Any:
                values = [arg(facts) for arg in args]
                if len(values) == 1 and type(values[0]) is list:
                    values = values[0]
                if not values:
                    raise self.fail(node, f"{name}() of an empty list")
                if all(_is_number(v) for v in values) or all(type(v) is str for v in values):
                    return pick(values)
                kinds = ", ".join(sorted({_type_name(v) for v in values}))
                raise self.fail(node, f"{name}() needs all numbers or all strings, got {kinds}")

            return extreme
        if name == "abs":
            (arg,) = args

            def absolute(facts: Facts) -> Any:
                value = arg(facts)
                if not _is_number(value):
                    raise self.fail(node, f"abs() needs a number, got {_type_name(value)}")
                return abs(value)

            return absolute
        if name == "len":
            (arg,) = args

            def length(facts: Facts) -> int:
                value = arg(facts)
                if type(value) not in (list, str):
                    raise self.fail(node, f"len() needs a list or string, got {_type_name(value)}")
                return len(value)

            return length
        container_arg, item_arg = args
        membership = Binary(node.start, node.end, "in", node.args[1], node.args[0])
        test = self.membership(membership, item_arg, container_arg)
        return test
