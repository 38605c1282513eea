"""The policy expression language: tokenizer, syntax tree and parser.

Grammar, loosest binding first::

    expr       := or
    or         := and ("or" and)*
    and        := not ("and" not)*
    not        := "not" not | comparison
    comparison := sum (("==" | "!=" | "<" | "<=" | ">" | ">=" | "in" | "not" "in") sum)?
    sum        := product (("+" | "-") product)*
    product    := unary (("*" | "/" | "//" | "%") unary)*
    unary      := "-" unary | primary
    primary    := INT | STRING | "true" | "false" | "null" | "[" [expr ("," expr)*] "]"
                | "(" expr ")" | FUNCTION "(" [expr ("," expr)*] ")" | NAME ("." NAME)*

Every size is bounded, so a hostile policy
is a clear error at its position rather than a crash: an expression is at most `MAX_SOURCE`
characters, `MAX_OPERATORS` operators and `MAX_DEPTH` levels of nesting, and an integer literal
at most `MAX_INT_DIGITS` digits.

Binary operators are parsed by precedence climbing. The parser only builds a tree of the node
classes below; nothing here or in the compiler ever hands text to `eval` or `exec`, and there is
no attribute access, subscripting or call of anything but the five built-in functions.
"""

from __future__ import annotations

from collections.abc import Set
from dataclasses import dataclass
from typing import Final

from mock_server.rules.errors import ExpressionError

FUNCTIONS: Final[dict[str, tuple[int, int | None]]] = {
    # name: (fewest arguments, most arguments or None for any number)
    "min": (1, None),
    "max": (1, None),
    "abs": (1, 1),
    "len": (1, 1),
    "contains": (2, 2),
}
KEYWORDS: Final = frozenset({"and", "or", "not", "in", "true", "false", "null"})
COMPARISONS: Final = frozenset({"==", "!=", "<", "<=", ">", ">=", "in", "not in"})

_PRECEDENCE: Final[dict[str, int]] = {
    "or": 1,
    "and": 2,
    # 3 is the prefix "not"
    **dict.fromkeys(COMPARISONS, 4),
    "+": 5,
    "-": 5,
    "*": 6,
    "/": 6,
    "//": 6,
    "%": 6,
}
MAX_SOURCE: Final = 4_000
MAX_OPERATORS: Final = 200
MAX_DEPTH: Final = 32
MAX_INT_DIGITS: Final = 18
_NOT_PRECEDENCE: Final = 3
_UNARY_MINUS_PRECEDENCE: Final = 7
_SYMBOLS: Final = ("==", "!=", "<=", ">=", "//", "<", ">", "+", "-", "*", "/", "%")
_PUNCTUATION: Final = "()[],."


# --- tokens ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Token:
    """One lexical token; `start` is its 0-based offset in the source."""

    kind: str  # "int", "str", "name", "op", "end"
    text: str
    start: int
    value: int | str | None = None


def _error(message: str, offset: int) -> ExpressionError:
    return ExpressionError(message, offset + 1)


def tokenize(source: str) -> list[Token]:
    """Split an expression into tokens, each with its position."""
    tokens: list[Token] = []
    i, n = 0, len(source)
    while i < n:
        char = source[i]
        if char.isspace():
            i += 1
        elif char.isdigit():
            i = _read_int(source, i, tokens)
        elif char in "'\"":
            i = _read_string(source, i, tokens)
        elif char.isalpha() or char == "_":
            j = i
            while j < n and (source[j].isalnum() or source[j] == "_"):
                j += 1
            word = source[i:j]
            if word.startswith("__"):
                raise _error(f"names starting with '__' are not allowed: {word!r}", i)
            tokens.append(Token("name", word, i))
            i = j
        elif char in _PUNCTUATION:
            tokens.append(Token("op", char, i))
            i += 1
        else:
            symbol = next((s for s in _SYMBOLS if source.startswith(s, i)), None)
            if symbol is None:
                hint = " (use '==' to compare)" if char == "=" else ""
                raise _error(f"unexpected character {char!r}{hint}", i)
            tokens.append(Token("op", symbol, i))
            i += len(symbol)
    tokens.append(Token("end", "", n))
    return tokens


def _read_int(source: str, i: int, tokens: list[Token]) -> int:
    j, n = i, len(source)
    while j < n and (
        source[j].isdigit() or (source[j] == "_" and j + 1 < n and source[j + 1].isdigit())
    ):
        j += 1
    if j < n and source[j] == "." and j + 1 < n and source[j + 1].isdigit():
        raise _error("decimal numbers are not supported; use integers (minor units, bps)", i)
    if j < n and (source[j].isalpha() or source[j] == "_"):
        raise _error(f"invalid number {source[i : j + 1]!r}", i)
    text = source[i:j]
    if sum(c.isdigit() for c in text) > MAX_INT_DIGITS:
        raise _error(f"integer literal longer than {MAX_INT_DIGITS} digits", i)
    tokens.append(Token("int", text, i, int(text.replace("_", ""))))
    return j


_ESCAPES: Final = {"n": "\n", "t": "\t", "\\": "\\", "'": "'", '"': '"'}


def _read_string(source: str, i: int, tokens: list[Token]) -> int:
    quote, j, n = source[i], i + 1, len(source)
    chars: list[str] = []
    while j < n and source[j] != quote:
        if source[j] == "\\":
            if j + 1 >= n or source[j + 1] not in _ESCAPES:
                raise _error("invalid escape in string", j)
            chars.append(_ESCAPES[source[j + 1]])
            j += 2
        else:
            chars.append(source[j])
            j += 1
    if j >= n:
        raise _error("unterminated string", i)
    tokens.append(Token("str", source[i : j + 1], i, "".join(chars)))
    return j + 1


# --- syntax tree -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Node:
    """Base of the syntax tree; `start`/`end` are 0-based offsets of the node's source text."""

    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Literal(Node):
    """A constant: int, str, bool or None."""

    value: int | str | bool | None


@dataclass(frozen=True, slots=True)
class ListNode(Node):
    """A list display `[a, b, ...]`."""

    items: tuple[Node, ...]


@dataclass(frozen=True, slots=True)
class Field(Node):
    """A dotted path into the facts, e.g. `credit.score`."""

    path: str


@dataclass(frozen=True, slots=True)
class Unary(Node):
    """A prefix operator: `not` or `-`."""

    op: str
    operand: Node


@dataclass(frozen=True, slots=True)
class Binary(Node):
    """A binary operator, including `and`, `or`, comparisons and `in` / `not in`."""

    op: str
    left: Node
    right: Node


@dataclass(frozen=True, slots=True)
class Call(Node):
    """A call of one of the built-in functions."""

    name: str
    args: tuple[Node, ...]


# --- parser ----------------------------------------------------------------------------------


def parse(source: str, *, fields: Set[str] | None = None) -> Node:
    """Parse an expression into a syntax tree; with `fields`, every field path must be in it."""
    if not source.strip():
        raise ExpressionError("empty expression", 1)
    if len(source) > MAX_SOURCE:
        raise _error(f"expression longer than {MAX_SOURCE} characters", MAX_SOURCE)
    return _Parser(source, fields).parse()


class _Parser:
    def __init__(self, source: str, fields: Set[str] | None) -> None:
        self.tokens = tokenize(source)
        self.pos = 0
        self.fields = fields
        self.depth = 0
        self.operators = 0

    def parse(self) -> Node:
        node = self.expression(1)
        token = self.peek()
        if token.kind != "end":
            raise _error(f"unexpected {_describe(token)}", token.start)
        return node

    def peek(self, ahead: int = 0) -> Token:
        return self.tokens[min(self.pos + ahead, len(self.tokens) - 1)]

    def advance(self) -> Token:
        token = self.tokens[self.pos]
        self.pos += 1
        return token

    def expect(self, text: str) -> Token:
        token = self.peek()
        if token.kind != "op" or token.text != text:
            raise _error(f"expected '{text}' but found {_describe(token)}", token.start)
        return self.advance()

    def binary_operator(self) -> str | None:
        token = self.peek()
        if token.kind == "op" and token.text in _PRECEDENCE:
            return token.text
        if token.kind == "name" and token.text in ("and", "or", "in"):
            return token.text
        if token.kind == "name" and token.text == "not":
            following = self.peek(1)
            if following.kind == "name" and following.text == "in":
                return "not in"
        return None

    def expression(self, min_precedence: int) -> Node:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise _error(f"expression nested deeper than {MAX_DEPTH} levels", self.peek().start)
        try:
            return self._climb(self.prefix(min_precedence), min_precedence)
        finally:
            self.depth -= 1

    def _climb(self, left: Node, min_precedence: int) -> Node:
        while (op := self.binary_operator()) is not None:
            precedence = _PRECEDENCE[op]
            if precedence < min_precedence:
                break
            op_token = self.advance()
            self.operators += 1
            if self.operators > MAX_OPERATORS:
                raise _error(f"more than {MAX_OPERATORS} operators", op_token.start)
            if op == "not in":
                self.advance()
            right = self.expression(precedence + 1)
            left = Binary(left.start, right.end, op, left, right)
            if op in COMPARISONS and self.binary_operator() in COMPARISONS:
                token = self.peek()
                raise _error(
                    f"chained comparisons are not supported (after '{op_token.text}')", token.start
                )
        return left

    def prefix(self, min_precedence: int) -> Node:
        token = self.peek()
        if token.kind == "name" and token.text == "not":
            if min_precedence > _NOT_PRECEDENCE:
                raise _error("'not' must be in parentheses here", token.start)
            self.advance()
            operand = self.expression(_NOT_PRECEDENCE)
            return Unary(token.start, operand.end, "not", operand)
        if token.kind == "op" and token.text == "-":
            self.advance()
            operand = self.expression(_UNARY_MINUS_PRECEDENCE)
            return Unary(token.start, operand.end, "-", operand)
        return self.primary()

    def primary(self) -> Node:
        token = self.advance()
        end = token.start + len(token.text)
        if token.kind in ("int", "str"):
            return Literal(token.start, end, token.value)
        if token.kind == "op" and token.text == "(":
            inner = self.expression(1)
            self.expect(")")
            return inner
        if token.kind == "op" and token.text == "[":
            items, close = self.sequence("]")
            return ListNode(token.start, close.start + 1, items)
        if token.kind == "name":
            return self.name(token)
        raise _error(f"unexpected {_describe(token)}", token.start)

    def name(self, token: Token) -> Node:
        word = token.text
        end = token.start + len(word)
        constants: dict[str, bool | None] = {"true": True, "false": False, "null": None}
        if word in constants:
            return Literal(token.start, end, constants[word])
        if word in KEYWORDS:
            raise _error(f"unexpected keyword '{word}'", token.start)
        if self.peek().kind == "op" and self.peek().text == "(":
            return self.call(token)
        parts = [word]
        while self.peek().kind == "op" and self.peek().text == ".":
            self.advance()
            part = self.advance()
            if part.kind != "name" or part.text in KEYWORDS:
                raise _error(
                    f"expected a field name after '.' but found {_describe(part)}", part.start
                )
            parts.append(part.text)
            end = part.start + len(part.text)
        path = ".".join(parts)
        following = self.peek()
        if following.kind == "op" and following.text == "(":
            raise _error(f"unknown function {path!r}", token.start)
        if self.fields is not None and path not in self.fields:
            raise _error(f"unknown field {path!r}", token.start)
        return Field(token.start, end, path)

    def call(self, token: Token) -> Node:
        name = token.text
        if name not in FUNCTIONS:
            known = ", ".join(sorted(FUNCTIONS))
            raise _error(f"unknown function {name!r} (known: {known})", token.start)
        self.advance()  # the "("
        args, close = self.sequence(")")
        fewest, most = FUNCTIONS[name]
        if len(args) < fewest or (most is not None and len(args) > most):
            wanted = str(fewest) if fewest == most else f"at least {fewest}"
            raise _error(f"{name}() takes {wanted} argument(s), got {len(args)}", token.start)
        return Call(token.start, close.start + 1, name, args)

    def sequence(self, closer: str) -> tuple[tuple[Node, ...], Token]:
        items: list[Node] = []
        if not (self.peek().kind == "op" and self.peek().text == closer):
            items.append(self.expression(1))
            while self.peek().kind == "op" and self.peek().text == ",":
                self.advance()
                items.append(self.expression(1))
        return tuple(items), self.expect(closer)


def _describe(token: Token) -> str:
    if token.kind == "end":
        return "end of expression"
    return f"{token.text!r}"


def field_paths(node: Node) -> frozenset[str]:
    """Every field path an expression reads."""
    if isinstance(node, Field):
        return frozenset({node.path})
    children: tuple[Node, ...] = ()
    if isinstance(node, ListNode):
        children = node.items
    elif isinstance(node, Call):
        children = node.args
    elif isinstance(node, Unary):
        children = (node.operand,)
    elif isinstance(node, Binary):
        children = (node.left, node.right)
    return frozenset().union(*(field_paths(child) for child in children))
