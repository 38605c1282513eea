"""Lender operations on the engines' data: credit/onboarding policies and loan processes.

Uploads are validated (every problem named), versioned and stored; the newest version of each
is what decisions use from then on. Older workflow versions stay loaded, so an application
waiting in review resumes on the definition it started with.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from mock_server.services.clock import utc_now
from mock_server.services.context import Sandbox
from mock_server.services.errors import Conflict, InvalidRequest, NotFound
from mock_server.storage.models import DefinitionRow
from mock_server.workflow import (
    SHIPPED_DEFINITIONS,
    WorkflowDefinition,
    WorkflowError,
    load_definition,
    load_shipped_definition,
)

if TYPE_CHECKING:
    # The rule engine (mock_server.rules) loads at the first decision, not at start.
    from mock_server.rules import Policy

__all__ = [
    "get_policy",
    "get_workflow",
    "list_policies",
    "list_policy_versions",
    "list_workflow_versions",
    "list_workflows",
    "load_stored_definitions",
    "policy_object",
    "put_policy",
    "put_workflow",
    "share_definitions",
    "workflow_name",
    "workflow_object",
]

_SHIPPED_POLICIES = ("consumer_credit", "merchant_onboarding")


def _name(public_id: str, prefix: str) -> str:
    return public_id.removeprefix(prefix)


def workflow_name(public_id: str) -> str:
    """`wf_standard` or `standard` -> `standard`."""
    return _name(public_id, "wf_")


def policy_object(policy: Policy) -> dict[str, Any]:
    """A policy in the API's shape."""
    from mock_server.services.underwriting import policy_public_id  # loaded at first use

    return {**policy.to_dict(), "id": policy_public_id(policy.id), "object": "policy"}


def workflow_object(definition: WorkflowDefinition) -> dict[str, Any]:
    """A loan process definition in the API's shape."""
    return {**definition.to_dict(), "id": f"wf_{definition.id}", "object": "workflow"}


def load_stored_definitions(sandbox: Sandbox) -> None:
    """Make the newest stored version of each policy and workflow the live one.

    Run at start, and before each lookup when several worker processes share the database
    (`share_definitions`): only versions stored since the last load are read.
    """
    with sandbox.db.reader() as session:
        query = (
            select(DefinitionRow)
            .where(DefinitionRow.seq > sandbox.definitions_loaded)
            .order_by(DefinitionRow.seq)
        )
        rows = [(r.seq, r.kind, dict(r.data)) for r in session.scalars(query)]
    for seq, kind, data in rows:
        if kind == "policy":
            from mock_server.rules import load_policy

            sandbox.policies[str(data["id"])] = load_policy(data, fields=_fields(data))
        else:
            _install_workflow(sandbox, load_definition(data))
        sandbox.definitions_loaded = seq


def share_definitions(sandbox: Sandbox) -> None:
    """Let uploads made through any worker process reach this one's next decision."""
    sandbox.definition_sync = load_stored_definitions


def _fields(data: Mapping[str, Any]) -> frozenset[str] | None:
    from mock_server.rules import fields_for_kind

    kind = data.get("kind")
    return fields_for_kind(kind) if isinstance(kind, str) else None


def _install_workflow(sandbox: Sandbox, definition: WorkflowDefinition) -> None:
    sandbox.workflows[definition.id] = definition
    sandbox.workflow_versions[(definition.id, definition.version)] = definition


def list_policies(sandbox: Sandbox) -> list[dict[str, Any]]:
    """The live version of every policy."""
    sandbox.sync_definitions()
    names = sorted(set(_SHIPPED_POLICIES) | set(sandbox.policies))
    return [policy_object(sandbox.policy(name)) for name in names]


def list_workflows(sandbox: Sandbox) -> list[dict[str, Any]]:
    """The live version of every loan process."""
    sandbox.sync_definitions()
    return [workflow_object(sandbox.workflows[name]) for name in sorted(sandbox.workflows)]


def _next_version(data: dict[str, Any], current: int | None, param: str = "version") -> None:
    given = data.get("version")
    if given is None:
        data["version"] = (current or 0) + 1
    elif current is not None and (not isinstance(given, int) or given <= current):
        raise Conflict(
            f"version must be above the live version {current}", code="version_not_newer"
        )


def put_policy(sandbox: Sandbox, public_id: str, body: Mapping[str, Any]) -> dict[str, Any]:
    """Upload a new version of a policy (validated against its kind's fact fields)."""
    from mock_server.rules import PolicyError, load_policy

    name = _name(public_id, "pol_")
    data = dict(body)
    if data.setdefault("id", name) != name:
        raise InvalidRequest(f"the body's id must be {name!r}", param="id")
    current = _current_policy(sandbox, name)
    if current is not None:
        data.setdefault("kind", current.kind)
    _next_version(data, current.version if current else None)
    try:
        policy = load_policy(data, fields=_fields(data))
    except PolicyError as exc:
        first = exc.problems[0].location if exc.problems else None
        raise InvalidRequest(str(exc), code="policy_invalid", param=first or "rules") from exc
    _store(sandbox, "policy", name, policy.version, policy.to_dict())
    sandbox.policies[name] = policy
    return policy_object(policy)


def _current_policy(sandbox: Sandbox, name: str) -> Policy | None:
    try:
        return sandbox.policy(name)
    except (FileNotFoundError, ValueError):
        return None


def put_workflow(sandbox: Sandbox, public_id: str, body: Mapping[str, Any]) -> dict[str, Any]:
    """Upload a new version of a loan process definition."""
    name = workflow_name(public_id)
    data = dict(body)
    if data.setdefault("id", name) != name:
        raise InvalidRequest(f"the body's id must be {name!r}", param="id")
    sandbox.sync_definitions()
    current = sandbox.workflows.get(name)
    _next_version(data, current.version if current else None)
    try:
        definition = load_definition(data)
    except WorkflowError as exc:
        raise InvalidRequest(str(exc), code="workflow_invalid", param="steps") from exc
    _check_policies(sandbox, definition)
    _store(sandbox, "workflow", name, definition.version, dict(definition.to_dict()))
    _install_workflow(sandbox, definition)
    return workflow_object(definition)


def _check_policies(sandbox: Sandbox, definition: WorkflowDefinition) -> None:
    """Each decision step's `policy` names a live credit policy (400 naming step and key)."""
    for step in definition.steps:
        name = step.params.get("policy") if step.type == "decision" else None
        if not isinstance(name, str):
            continue
        policy = _current_policy(sandbox, _name(name, "pol_"))
        if policy is None or policy.kind != "credit":
            what = "no such policy" if policy is None else f"a {policy.kind} policy"
            raise InvalidRequest(
                f"step {step.id!r}: param 'policy' names {name!r}: {what} "
                "(upload a credit policy first with PUT /v1/admin/policies/{id})",
                code="workflow_invalid",
                param=f"steps.{step.id}.params.policy",
            )


def _store(sandbox: Sandbox, kind: str, name: str, version: int, data: dict[str, Any]) -> None:
    with sandbox.db.transaction() as session:
        session.add(
            DefinitionRow(kind=kind, name=name, version=version, created=utc_now(), data=data)
        )


def get_policy(sandbox: Sandbox, public_id: str) -> dict[str, Any]:
    """The live version of one policy."""
    policy = _current_policy(sandbox, _name(public_id, "pol_"))
    if policy is None:
        raise NotFound("policy", public_id, param="id")
    return policy_object(policy)


def get_workflow(sandbox: Sandbox, public_id: str) -> dict[str, Any]:
    """The live version of one loan process."""
    sandbox.sync_definitions()
    definition = sandbox.workflows.get(workflow_name(public_id))
    if definition is None:
        raise NotFound("workflow", public_id, param="id")
    return workflow_object(definition)


def _stored(sandbox: Sandbox, kind: str, name: str) -> list[dict[str, Any]]:
    with sandbox.db.reader() as session:
        query = (
            select(DefinitionRow)
            .where(DefinitionRow.kind == kind, DefinitionRow.name == name)
            .order_by(DefinitionRow.seq)
        )
        return [dict(r.data) for r in session.scalars(query)]


def list_policy_versions(sandbox: Sandbox, public_id: str) -> list[dict[str, Any]]:
    """Every version of a policy, oldest first: the shipped one, then each upload."""
    from mock_server.rules import load_policy, load_shipped_policy

    name = _name(public_id, "pol_")
    versions: list[Policy] = []
    if name in _SHIPPED_POLICIES:
        versions.append(load_shipped_policy(name))
    for data in _stored(sandbox, "policy", name):
        versions.append(load_policy(data, fields=_fields(data)))
    if not versions:
        raise NotFound("policy", public_id, param="id")
    return [policy_object(p) for p in versions]


def list_workflow_versions(sandbox: Sandbox, public_id: str) -> list[dict[str, Any]]:
    """Every version of a loan process, oldest first: the shipped one, then each upload."""
    name = workflow_name(public_id)
    versions: list[WorkflowDefinition] = []
    if name in SHIPPED_DEFINITIONS:
        versions.append(load_shipped_definition(name))
    versions.extend(load_definition(data) for data in _stored(sandbox, "workflow", name))
    if not versions:
        raise NotFound("workflow", public_id, param="id")
    return [workflow_object(d) for d in versions]
