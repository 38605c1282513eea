"""`/v1/sandbox/reset` and `/v1/sandbox/snapshots`: start a merchant's sandbox data afresh, or
from a named state (a golden dataset a QA suite starts from)."""

from typing import Annotated

from fastapi import APIRouter, Path

from mock_server.api import present
from mock_server.api.admin import AdminDep
from mock_server.api.deferred_routes import DeferredRoute
from mock_server.api.deps import CallerDep, SandboxDep
from mock_server.api.developer_schemas import (
    SNAPSHOT_NAME,
    SandboxReset,
    SandboxResetBody,
    SandboxSnapshot,
    SandboxSnapshotBody,
    SandboxSnapshotList,
)
from mock_server.services import sandbox_data

__all__ = ["admin_router", "router"]

router = APIRouter(prefix="/v1/sandbox", tags=["sandbox"], route_class=DeferredRoute)
admin_router = APIRouter(prefix="/v1/admin", tags=["admin"], route_class=DeferredRoute)
SnapshotName = Annotated[str, Path(pattern=SNAPSHOT_NAME, description="the snapshot's name")]


@router.post("/reset", operation_id="sandbox-reset")
def reset(body: SandboxResetBody, sandbox: SandboxDep, caller: CallerDep) -> SandboxReset:
    """Delete this merchant's sandbox data: customers, checkouts, loans, events, reviews, test
    clocks, pending deliveries, stored idempotency answers; the clock returns to real time. The
    merchant, its keys, settings, webhook endpoints and snapshots stay. `confirm` must be the
    merchant's id."""
    return present.sandbox_reset(sandbox_data.reset(sandbox, caller, body))


@admin_router.post("/merchants/{merchant_id}/sandbox/reset", operation_id="admin-sandbox-reset")
def admin_reset(
    merchant_id: str, body: SandboxResetBody, sandbox: SandboxDep, _: AdminDep
) -> SandboxReset:
    """Reset one merchant's sandbox data with the admin key (`confirm`: that merchant's id)."""
    caller = sandbox_data.merchant_caller(sandbox, merchant_id)
    return present.sandbox_reset(sandbox_data.reset(sandbox, caller, body))


@router.post("/snapshots", operation_id="sandbox-snapshots-create", status_code=201)
def snapshot(body: SandboxSnapshotBody, sandbox: SandboxDep, caller: CallerDep) -> SandboxSnapshot:
    """Copy this merchant's sandbox data under a name (a snapshot of that name is replaced)."""
    return present.sandbox_snapshot(sandbox_data.snapshot(sandbox, caller, body))


@router.get("/snapshots", operation_id="sandbox-snapshots-list")
def list_snapshots(sandbox: SandboxDep, caller: CallerDep) -> SandboxSnapshotList:
    """This merchant's snapshots, newest first."""
    return present.sandbox_snapshot_list(sandbox_data.list_snapshots(sandbox, caller))


@router.post("/snapshots/{name}/restore", operation_id="sandbox-snapshots-restore")
def restore(name: SnapshotName, sandbox: SandboxDep, caller: CallerDep) -> SandboxSnapshot:
    """Replace this merchant's sandbox data with the snapshot's copy."""
    return present.sandbox_snapshot(sandbox_data.restore(sandbox, caller, name))
