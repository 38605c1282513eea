"""Lender-operations objects: policies, workflows, the manual review queue."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from .._models import BaseModel, InstalloObject

__all__ = ["DryRunResult", "Policy", "Review", "Workflow"]


class Policy(BaseModel):
    """A versioned credit or onboarding policy."""

    id: str
    object: str = "policy"
    version: int
    kind: str
    description: str | None = None
    default_outcome: str | None = None
    rules: list[dict[str, Any]] = Field(default_factory=list)


class DryRunResult(BaseModel):
    """A policy's decisions over a batch of applications, without going live."""

    object: str = "policy_dry_run"
    results: list[dict[str, Any]] = Field(default_factory=list)


class Workflow(BaseModel):
    """A loan process definition."""

    id: str
    object: str = "workflow"
    version: int | None = None
    steps: list[dict[str, Any]] = Field(default_factory=list)


class Review(InstalloObject):
    """An application waiting in the manual review queue."""

    status: str
    checkout: str | None = None
    reason_codes: list[str] = Field(default_factory=list)
