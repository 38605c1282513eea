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
    load_shipped_definitions,
)
from mock_server.workflow.engine import (
    BUILTIN_HANDLERS,
    MAX_STEPS,
    StepContext,
    StepHandler,
    StepResult,
    advance,
    amount_gate_handler,
    cancel,
    fire_timers,
    manual_review_handler,
    resume,
    start,
)
from mock_server.workflow.errors import LoopLimitError, StepFailedError, WorkflowError
from mock_server.workflow.instance import InstanceStatus, StepRecord, WorkflowInstance

__all__ = [
    "BUILTIN_HANDLERS",
    "JSON",
    "MAX_STEPS",
    "SHIPPED_DEFINITIONS",
    "STEP_OUTCOMES",
    "TERMINAL_OUTCOMES",
    "InstanceStatus",
    "LoopLimitError",
    "StepContext",
    "StepDefinition",
    "StepFailedError",
    "StepHandler",
    "StepRecord",
    "StepResult",
    "WorkflowDefinition",
    "WorkflowError",
    "WorkflowInstance",
    "advance",
    "amount_gate_handler",
    "cancel",
    "fire_timers",
    "load_definition",
    "load_shipped_definition",
    "load_shipped_definitions",
    "manual_review_handler",
    "resume",
    "start",
]
