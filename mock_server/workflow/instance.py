"""A running loan process: where it is, what it waits for, and the history of its steps."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal, TypeVar, cast

from mock_server.workflow.definition import JSON
from mock_server.workflow.errors import WorkflowError

JSONT = TypeVar("JSONT")

__all__ = ["InstanceStatus", "StepRecord", "WorkflowInstance"]

InstanceStatus = Literal["running", "waiting", "completed"]
_STATUSES: tuple[InstanceStatus, ...] = ("running", "waiting", "completed")

# Recorded as a step's outcome when its handler raised or answered an unknown outcome.
ERROR_OUTCOME = "error"


@dataclass
class StepRecord:
    """One step taken: when it started and finished, its outcome and a summary of its work."""

    step_id: str
    type: str
    started_at: datetime
    finished_at: datetime | None = None
    outcome: str | None = None
    summary: dict[str, JSON] = field(default_factory=dict)

    @property
    def duration_ms(self) -> int | None:
        """Milliseconds from start to finish (sandbox time); None while the step is open."""
        if self.finished_at is None:
            return None
        delta = self.finished_at - self.started_at
        return (delta.days * 86_400 + delta.seconds) * 1000 + delta.microseconds // 1000

    def to_dict(self) -> dict[str, JSON]:
        """The record as plain JSON data, datetimes as ISO 8601 strings."""
        return {
            "step_id": self.step_id,
            "type": self.type,
            "started_at": self.started_at.isoformat(),
            "finished_at": _iso(self.finished_at),
            "duration_ms": self.duration_ms,
            "outcome": self.outcome,
            "summary": _json_copy(self.summary),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> StepRecord:
        """Rebuild a record from `to_dict()` output."""
        return cls(
            step_id=_text(data, "step_id"),
            type=_text(data, "type"),
            started_at=_when(data, "started_at"),
            finished_at=_optional_when(data, "finished_at"),
            outcome=_optional_text(data, "outcome"),
            summary=_mapping(data, "summary"),
        )


@dataclass
class WorkflowInstance:
    """One application's run through a workflow definition; persist it with `to_dict()`."""

    id: str
    definition_id: str
    definition_version: int
    application_id: str
    status: InstanceStatus
    current_step: str | None
    started_at: datetime
    outcome: str | None = None
    completed_at: datetime | None = None
    waiting_since: datetime | None = None
    deadline: datetime | None = None
    last_error: str | None = None
    history: list[StepRecord] = field(default_factory=list)
    context: dict[str, JSON] = field(default_factory=dict)

    @property
    def open_record(self) -> StepRecord | None:
        """The history entry of the step being waited on, if any."""
        if self.history and self.history[-1].finished_at is None:
            return self.history[-1]
        return None

    def to_dict(self) -> dict[str, JSON]:
        """The instance as plain JSON data, datetimes as ISO 8601 strings."""
        return {
            "id": self.id,
            "definition_id": self.definition_id,
            "definition_version": self.definition_version,
            "application_id": self.application_id,
            "status": self.status,
            "current_step": self.current_step,
            "outcome": self.outcome,
            "started_at": self.started_at.isoformat(),
            "completed_at": _iso(self.completed_at),
            "waiting_since": _iso(self.waiting_since),
            "deadline": _iso(self.deadline),
            "last_error": self.last_error,
            "history": [record.to_dict() for record in self.history],
            "context": _json_copy(self.context),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> WorkflowInstance:
        """Rebuild an instance from `to_dict()` output; a WorkflowError if the data is malformed."""
        status = data.get("status")
        if status not in _STATUSES:
            raise WorkflowError(f"workflow instance status must be one of {_STATUSES}: {status!r}")
        version = data.get("definition_version")
        if isinstance(version, bool) or not isinstance(version, int):
            raise WorkflowError(f"workflow instance definition_version must be an int: {version!r}")
        history = data.get("history", [])
        if not isinstance(history, list) or not all(isinstance(r, Mapping) for r in history):
            raise WorkflowError("workflow instance history must be a list of records")
        return cls(
            id=_text(data, "id"),
            definition_id=_text(data, "definition_id"),
            definition_version=version,
            application_id=_text(data, "application_id"),
            status=cast(InstanceStatus, status),
            current_step=_optional_text(data, "current_step"),
            started_at=_when(data, "started_at"),
            outcome=_optional_text(data, "outcome"),
            completed_at=_optional_when(data, "completed_at"),
            waiting_since=_optional_when(data, "waiting_since"),
            deadline=_optional_when(data, "deadline"),
            last_error=_optional_text(data, "last_error"),
            history=[StepRecord.from_dict(record) for record in history],
            context=_mapping(data, "context"),
        )


def _iso(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat()


def _text(data: Mapping[str, Any], key: str) -> str:
    value = data.get(key)
    if not isinstance(value, str):
        raise WorkflowError(f"workflow instance field {key!r} must be a string, got {value!r}")
    return value


def _optional_text(data: Mapping[str, Any], key: str) -> str | None:
    return None if data.get(key) is None else _text(data, key)


def _when(data: Mapping[str, Any], key: str) -> datetime:
    text = _text(data, key)
    try:
        value = datetime.fromisoformat(text)
    except ValueError as exc:
        raise WorkflowError(f"workflow instance field {key!r} is not ISO 8601: {text!r}") from exc
    if value.tzinfo is None:
        raise WorkflowError(f"workflow instance field {key!r} has no UTC offset: {text!r}")
    return value


def _json_copy(value: JSONT) -> JSONT:
    """A deep copy of JSON-shaped data (dicts, lists and scalars; a tuple is copied as a
    tuple), as `copy.deepcopy` makes it, several times faster: no memo, no dispatch."""
    if isinstance(value, dict):
        return {key: _json_copy(item) for key, item in value.items()}  # type: ignore[return-value]
    if isinstance(value, list):
        return [_json_copy(item) for item in value]  # type: ignore[return-value]
    if isinstance(value, tuple):
        return tuple(_json_copy(item) for item in value)  # type: ignore[return-value]
    return value


def _optional_when(data: Mapping[str, Any], key: str) -> datetime | None:
    return None if data.get(key) is None else _when(data, key)


def _mapping(data: Mapping[str, Any], key: str) -> dict[str, JSON]:
    value = data.get(key, {})
    if not isinstance(value, Mapping):
        raise WorkflowError(f"workflow instance field {key!r} must be a mapping, got {value!r}")
    return _json_copy(dict(value))
