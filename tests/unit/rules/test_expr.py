"""The expression language: parsing, precedence, every operator, errors with columns, safety."""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import pytest

from mock_server.rules.compiler import compile_expression
from mock_server.rules.errors import EvaluationError, ExpressionError
from mock_server.rules.expr import Binary, Call, Field, Literal, Unary, parse, tokenize

FACTS: dict[str, Any] = {
    "amount": 120000,
    "credit": {"score": 700, "frozen": False, "months_since_delinquency": None},
    "applicant": {"income_annual_usd": 6_000_000, "email_tag": None, "locale": "en_US"},
    "fraud": {"flags": ["EMAIL_VELOCITY"]},
}


def evaluate(source: str, facts: dict[str, Any] | None = None) -> Any:
    return compile_expression(source).evaluate(FACTS if facts is None else facts)


def test_tokens_carry_their_positions() -> None:
    tokens = tokenize("credit.score >= 620")
    assert [(t.kind, t.text, t.start) for t in tokens] == [
        ("name", "credit", 0),
        ("op", ".", 6),
        ("name", "score", 7),
        ("op", ">=", 13),
        ("int", "620", 16),
        ("end", "", 19),
    ]


def test_integer_literals_may_use_underscores() -> None:
    assert evaluate("300_000") == 300000


def test_string_literals_take_either_quote_and_escapes() -> None:
    assert evaluate("'it\\'s'") == "it's"
    assert evaluate('"a\\"b"') == 'a"b'


def test_multiplication_binds_tighter_than_addition() -> None:
    assert evaluate("1 + 2 * 3") == 7
    assert evaluate("(1 + 2) * 3") == 9


def test_subtraction_is_left_associative() -> None:
    assert evaluate("10 - 3 - 2") == 5
    assert evaluate("100 // 10 // 5") == 2


def test_unary_minus_binds_tighter_than_multiplication() -> None:
    tree = parse("-2 * 3")
    assert isinstance(tree, Binary) and tree.op == "*"
    assert isinstance(tree.left, Unary) and tree.left.op == "-"
    assert evaluate("-2 * 3") == -6
    assert evaluate("--4") == 4


def test_and_binds_tighter_than_or() -> None:
    tree = parse("a or b and c")
    assert isinstance(tree, Binary) and tree.op == "or"
    assert isinstance(tree.right, Binary) and tree.right.op == "and"
    assert evaluate("true or false and false") is True
    assert evaluate("(true or false) and false") is False


def test_not_binds_looser_than_comparison() -> None:
    tree = parse("not credit.score == 700")
    assert isinstance(tree, Unary) and tree.op == "not"
    assert isinstance(tree.operand, Binary) and tree.operand.op == "=="
    assert evaluate("not credit.score == 700") is False
    assert evaluate("not not true") is True


def test_comparison_binds_looser_than_arithmetic() -> None:
    tree = parse("amount + 1 > 2 * 3")
    assert isinstance(tree, Binary) and tree.op == ">"
    assert evaluate("amount // 1000 > 100 + 19") is True


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("3 == 3", True),
        ("3 != 3", False),
        ("2 < 3", True),
        ("3 <= 3", True),
        ("2 > 3", False),
        ("3 >= 4", False),
        ("'abc' < 'abd'", True),
        ("7 + 5", 12),
        ("7 - 5", 2),
        ("7 * 5", 35),
        ("7 // 2", 3),
        ("-7 // 2", -4),
        ("7 % 5", 2),
        ("10 / 5", 2),
        ("'ab' + 'c'", "abc"),
        ("[1] + [2]", [1, 2]),
        ("2 in [1, 2]", True),
        ("2 not in [1, 2]", False),
        ("'EMAIL_VELOCITY' in fraud.flags", True),
        ("'ell' in 'hello'", True),
        ("min(3, 1, 2)", 1),
        ("max(3, 1, 2)", 3),
        ("min([5, 4])", 4),
        ("max(['a', 'b'])", "b"),
        ("abs(-9)", 9),
        ("len(fraud.flags)", 1),
        ("len('abcd')", 4),
        ("contains(fraud.flags, 'EMAIL_VELOCITY')", True),
        ("contains([1, 2], 3)", False),
        ("true and true", True),
        ("true and false", False),
        ("false or true", True),
        ("not false", True),
        ("null == null", True),
        ("applicant.locale == 'en_US'", True),
        ("applicant.email_tag != 'fraud'", True),
        ("amount == 'x'", False),
        ("applicant.locale in ['en_US', 'zh_CN']", True),
        ("applicant.locale not in ['en_US', 'zh_CN']", False),
        ("amount in ['120000']", False),
        ("applicant.email_tag in ['fraud']", False),
        ("[1] in [[1], [2]]", True),
        ("amount >= 120000", True),
        ("120000 <= amount", True),
        ("[1, 'a', null]", [1, "a", None]),
    ],
)
def test_every_operator_and_function_computes_its_value(source: str, expected: Any) -> None:
    assert evaluate(source) == expected


def test_division_is_exact_and_never_a_float() -> None:
    result = evaluate("10 / 4")
    assert result == Fraction(5, 2)
    assert not isinstance(result, float)
    assert evaluate("applicant.income_annual_usd / amount > 49") is True


def test_dotted_field_paths_read_nested_facts() -> None:
    assert evaluate("credit.score") == 700
    assert evaluate("amount") == 120000
    assert evaluate("applicant.locale") == "en_US"


def test_and_short_circuits_before_a_missing_field() -> None:
    assert evaluate("false and nowhere.to_be_found") is False
    assert evaluate("true or nowhere.to_be_found") is True


def test_ordering_with_null_is_false_and_equality_sees_null() -> None:
    assert evaluate("credit.months_since_delinquency < 12") is False
    assert evaluate("credit.months_since_delinquency >= 12") is False
    assert evaluate("credit.months_since_delinquency == null") is True
    assert evaluate("applicant.email_tag != 'fraud'") is True


def test_booleans_are_not_numbers() -> None:
    assert evaluate("true == 1") is False
    with pytest.raises(EvaluationError, match="cannot compare bool with int"):
        evaluate("credit.frozen < 1")


def test_missing_field_names_the_path() -> None:
    with pytest.raises(EvaluationError, match=r"missing field 'credit\.tier'"):
        evaluate("credit.tier == 'A'")
    with pytest.raises(EvaluationError, match=r"missing field 'merchant\.mcc'"):
        evaluate("merchant.mcc == '5411'")


def test_field_below_a_non_object_is_an_evaluation_error() -> None:
    with pytest.raises(EvaluationError, match=r"'amount\.value'"):
        evaluate("amount.value > 1")


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("credit.score > 'high'", r"cannot compare int with str in \"credit.score > 'high'\""),
        ("applicant.locale + 1", r"cannot apply '\+' to str and int"),
        ("credit.score and true", r"'and' needs booleans, got int"),
        ("not credit.score", r"'not' needs a boolean, got int"),
        ("-applicant.locale", r"'-' needs a number, got str"),
        ("amount // 0", r"division by zero"),
        ("1 in amount", r"cannot test int 'in' int"),
        ("abs('x')", r"abs\(\) needs a number, got str"),
        ("len(amount)", r"len\(\) needs a list or string, got int"),
        ("min(1, 'a')", r"min\(\) needs all numbers or all strings"),
        ("max([])", r"max\(\) of an empty list"),
        ("credit.months_since_delinquency + 1", r"cannot apply '\+' to null and int"),
    ],
)
def test_type_errors_become_evaluation_errors_naming_the_expression(
    source: str, message: str
) -> None:
    with pytest.raises(EvaluationError, match=message):
        evaluate(source)


def test_evaluation_error_gives_the_column_of_the_failing_part() -> None:
    with pytest.raises(EvaluationError, match=r"in 'amount // 0' \(column 10\)"):
        evaluate("true and amount // 0 > 1")


@pytest.mark.parametrize(
    ("source", "message", "column"),
    [
        ("credit.score >", "unexpected end of expression", 15),
        ("(1 + 2", "expected ')' but found end of expression", 7),
        ("1 2", "unexpected '2'", 3),
        ("credit.score = 700", "unexpected character '='", 14),
        ("amount & 1", "unexpected character '&'", 8),
        ("'open", "unterminated string", 1),
        ("'bad \\q'", "invalid escape in string", 6),
        ("1.5 > amount", "decimal numbers are not supported", 1),
        ("12abc", "invalid number", 1),
        ("frobnicate(1)", "unknown function 'frobnicate'", 1),
        ("amount + abs(1, 2)", "abs() takes 1 argument(s), got 2", 10),
        ("1 < 2 < 3", "chained comparisons are not supported", 7),
        ("1 + not true", "'not' must be in parentheses here", 5),
        ("credit.", "expected a field name after '.'", 8),
        ("and", "unexpected keyword 'and'", 1),
        ("", "empty expression", 1),
        ("[1, 2", "expected ']' but found end of expression", 6),
    ],
)
def test_syntax_errors_carry_the_column(source: str, message: str, column: int) -> None:
    with pytest.raises(ExpressionError) as caught:
        parse(source)
    assert message in caught.value.message
    assert caught.value.column == column
    assert str(caught.value).endswith(f"(column {column})")


def test_unknown_field_under_a_schema_is_an_expression_error_with_column() -> None:
    fields = frozenset({"credit.score", "amount"})
    with pytest.raises(ExpressionError) as caught:
        parse("credit.score > 600 and credit.scroe < 700", fields=fields)
    assert caught.value.message == "unknown field 'credit.scroe'"
    assert caught.value.column == 24


def test_known_fields_under_a_schema_parse_and_are_reported() -> None:
    compiled = compile_expression(
        "credit.score > 600 and amount < 5", fields=frozenset({"credit.score", "amount"})
    )
    assert compiled.fields == frozenset({"credit.score", "amount"})
    tree = compiled.tree
    assert isinstance(tree, Binary)
    assert isinstance(tree.left, Binary) and isinstance(tree.left.left, Field)
    assert isinstance(tree.left.right, Literal) and tree.left.right.value == 600


@pytest.mark.parametrize(
    "source",
    [
        "__import__('os')",
        "__import__('os').system('true')",
        "credit.__class__",
        "amount.__class__.__mro__",
        "'x'.upper()",
        "''.join(['a'])",
        "(1).real",
        "open('/etc/passwd')",
        "eval('1')",
        "exec('x = 1')",
        "credit.score(1)",
        "[c for c in credit]",
        "lambda: 1",
        "fraud.flags[0]",
        "amount if true else 0",
        "amount; 1",
    ],
)
def test_no_python_escapes_parse(source: str) -> None:
    with pytest.raises(ExpressionError):
        compile_expression(source)


def test_field_lookup_uses_item_access_not_attributes() -> None:
    class Sneaky(dict[str, Any]):
        secret = "attribute"

    assert evaluate("secret == 'item'", Sneaky(secret="item")) is True
    with pytest.raises(EvaluationError, match="missing field 'secret'"):
        evaluate("secret == 'attribute'", Sneaky())


def test_calls_build_call_nodes_with_their_arguments() -> None:
    tree = parse("min(applicant.income_annual_usd // 20, 300000)")
    assert isinstance(tree, Call) and tree.name == "min"
    assert len(tree.args) == 2
    assert evaluate("min(applicant.income_annual_usd // 20, 300000)") == 300000


def test_compiled_expression_is_reusable_across_facts() -> None:
    compiled = compile_expression("credit.score >= 620")
    assert compiled.evaluate({"credit": {"score": 619}}) is False
    assert compiled.evaluate({"credit": {"score": 620}}) is True
