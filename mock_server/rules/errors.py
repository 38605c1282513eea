"""Errors raised by the rule engine.

The exception tree::

    RuleEngineError
    ├── ExpressionError   an expression does not parse or names what it may not (has a column)
    ├── EvaluationError   an expression met facts it cannot work with (missing field, wrong type)
    └── PolicyError       a policy document is invalid; lists every problem found
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


class RuleEngineError(Exception):
    """Base class of every error the rule engine raises."""


class ExpressionError(RuleEngineError):
    """An expression is malformed; `column` is 1-based within the expression text."""

    def __init__(self, message: str, column: int) -> None:
        super().__init__(f"{message} (column {column})")
        self.message = message
        self.column = column


class EvaluationError(RuleEngineError):
    """An expression could not be evaluated against the given facts."""


@dataclass(frozen=True)
class PolicyProblem:
    """One problem in a policy document: where it is, what is wrong, and the column if any."""

    location: str
    message: str
    column: int | None = None

    def __str__(self) -> str:
        where = f"{self.location}: " if self.location else ""
        column = f" (column {self.column})" if self.column is not None else ""
        return f"{where}{self.message}{column}"


class PolicyError(RuleEngineError):
    """A policy document is invalid; `problems` lists every problem, not just the first."""

    def __init__(self, problems: Sequence[PolicyProblem]) -> None:
        self.problems = tuple(problems)
        lines = "\n".join(f"  - {problem}" for problem in self.problems)
        count = len(self.problems)
        super().__init__(f"invalid policy ({count} problem{'s' if count != 1 else ''}):\n{lines}")
