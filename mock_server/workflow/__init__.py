"""The workflow engine: loan processes as data, instances that wait and resume."""

from mock_server.workflow.definition import (
    JSON,
    SHIPPED_DEFINITIONS,
    STEP_OUTCOMES,
    TERMINAL_OUTCOMES,
    StepDefinition,
    WorkflowDefinition,
    load_definition,
    load_shipped_definition,
)
from mock_server.workflow.errors import StepFailedError, WorkflowError

__all__ = [
    "JSON",
    "SHIPPED_DEFINITIONS",
    "STEP_OUTCOMES",
    "TERMINAL_OUTCOMES",
    "StepDefinition",
    "StepFailedError",
    "WorkflowDefinition",
    "WorkflowError",
    "load_definition",
    "load_shipped_definition",
]
