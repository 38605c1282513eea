"""Errors raised by the workflow engine.

WorkflowError          a definition, an instance or a request to the engine is invalid
 └── StepFailedError   a step handler raised or answered nonsense; the instance is kept
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from mock_server.workflow.instance import WorkflowInstance

__all__ = ["LoopLimitError", "StepFailedError", "WorkflowError"]


class WorkflowError(Exception):
    """A workflow definition, instance or engine call is invalid; `problems` lists every reason."""

    def __init__(self, message: str, *, problems: Sequence[str] = ()) -> None:
        self.message = message
        self.problems: tuple[str, ...] = tuple(problems)
        text = message
        if self.problems:
            text += "".join(f"\n  - {problem}" for problem in self.problems)
        super().__init__(text)


class StepFailedError(WorkflowError):
    """A step handler failed; the instance stays at that step, with the failure in its history."""

    def __init__(self, message: str, *, instance: WorkflowInstance, step_id: str) -> None:
        super().__init__(message)
        self.instance = instance
        self.step_id = step_id


class LoopLimitError(WorkflowError):
    """An instance ran more steps in one call than allowed; it stays at the step it reached."""

    def __init__(self, message: str, *, instance: WorkflowInstance) -> None:
        super().__init__(message)
        self.instance = instance
