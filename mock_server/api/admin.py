"""`/v1/admin`: lender operations with the admin key: the review queue, the reviewer's desk for
merchants, policies (with dry runs) and loan process definitions."""

import hmac
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Body, Depends, Query, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from mock_server.api import present
from mock_server.api.admin_schemas import (
    DryRunRequest,
    Policy,
    PolicyDryRun,
    PolicyList,
    Review,
    ReviewList,
    Workflow,
    WorkflowList,
)
from mock_server.api.bodies import ReviewApproval, ReviewDecision
from mock_server.api.deferred_routes import DeferredRoute
from mock_server.api.deps import PageDep, SandboxDep
from mock_server.api.errors import request_id_of
from mock_server.api.merchant_bodies import DeskAction
from mock_server.api.schemas import Merchant, MerchantList
from mock_server.domain.merchant import DeskAction as DeskActionName
from mock_server.services import definitions, dry_runs, merchant_desk, reviews
from mock_server.services.errors import Unauthenticated

__all__ = ["AdminDep", "router"]

_admin_bearer = HTTPBearer(
    auto_error=False, scheme_name="AdminKey", description="The lender's admin key"
)


def require_admin(
    request: Request,
    sandbox: SandboxDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_admin_bearer)],
) -> str | None:
    """Check the admin key; answer the request id for events."""
    given = credentials.credentials if credentials is not None else ""
    if not hmac.compare_digest(given.encode(), sandbox.settings.admin_key.encode()):
        raise Unauthenticated("This endpoint needs the admin key", code="invalid_admin_key")
    return request_id_of(request)


AdminDep = Annotated[str | None, Depends(require_admin)]

router = APIRouter(prefix="/v1/admin", tags=["admin"], route_class=DeferredRoute)


@router.get("/reviews", operation_id="admin-reviews-list")
def list_reviews(
    sandbox: SandboxDep,
    request_id: AdminDep,
    page: PageDep,
    status: Literal["pending", "approved", "declined", "expired"] | None = None,
    queue: Annotated[str | None, Query(max_length=64)] = None,
) -> ReviewList:
    """The manual review queue across merchants, oldest first, each with the application, a
    credit file summary, the score and the rules that fired; `queue` picks one named queue."""
    listing = reviews.list_reviews(sandbox, page.limit, page.starting_after, status, queue)
    return present.review_list(listing)


NoteBody = Annotated[ReviewDecision | None, Body()]
ApprovalBody = Annotated[ReviewApproval | None, Body()]
MerchantStatus = Literal[
    "pending", "pending_review", "active", "restricted", "suspended", "rejected"
]


@router.post("/reviews/{review_id}/approve", operation_id="admin-reviews-approve")
def approve(
    review_id: str, sandbox: SandboxDep, request_id: AdminDep, body: ApprovalBody = None
) -> Review:
    """Approve (optionally with a lower `credit_limit`, at least the cart's amount): the
    application runs on to agreement and authorization (a loan)."""
    return present.review(reviews.work_review(sandbox, review_id, "approve", body, request_id))


@router.post("/reviews/{review_id}/decline", operation_id="admin-reviews-decline")
def decline(
    review_id: str, sandbox: SandboxDep, request_id: AdminDep, body: NoteBody = None
) -> Review:
    """Decline with a reason (`note`): the checkout is declined with the review's reasons."""
    return present.review(reviews.work_review(sandbox, review_id, "decline", body, request_id))


DeskBody = Annotated[DeskAction | None, Body()]


@router.get("/merchants", operation_id="admin-merchants-list")
def list_merchants(
    sandbox: SandboxDep,
    request_id: AdminDep,
    page: PageDep,
    status: MerchantStatus | None = None,
    reason: Annotated[
        str | None, Query(max_length=64, description="a review reason or requirement error code")
    ] = None,
    q: Annotated[str | None, Query(max_length=100, description="search names and ids")] = None,
) -> MerchantList:
    """The reviewer's desk: merchants newest first, by status, reason and search."""
    listing = merchant_desk.list_merchants(
        sandbox, page.limit, page.starting_after, status, reason, q
    )
    return present.merchant_list(listing)


@router.get("/merchants/{merchant_id}", operation_id="admin-merchants-retrieve")
def get_merchant(merchant_id: str, sandbox: SandboxDep, request_id: AdminDep) -> Merchant:
    """One merchant with its application, requirements, screening matches and desk notes."""
    return present.merchant(merchant_desk.get_merchant(sandbox, merchant_id))


def _desk(
    sandbox: SandboxDep,
    merchant_id: str,
    action: DeskActionName,
    body: DeskAction | None,
    request_id: str | None,
) -> Merchant:
    return present.merchant(
        merchant_desk.act_on_merchant(sandbox, merchant_id, action, body, request_id)
    )


@router.post("/merchants/{merchant_id}/approve", operation_id="admin-merchants-approve")
def approve_merchant(
    merchant_id: str, sandbox: SandboxDep, request_id: AdminDep, body: DeskBody = None
) -> Merchant:
    """Activate a merchant in review, accepting its review reasons; a first activation's answer
    carries its secret key once."""
    return _desk(sandbox, merchant_id, "approve", body, request_id)


@router.post("/merchants/{merchant_id}/reject", operation_id="admin-merchants-reject")
def reject_merchant(
    merchant_id: str, sandbox: SandboxDep, request_id: AdminDep, body: DeskBody = None
) -> Merchant:
    """Reject a merchant pending, in review or restricted (its keys stop working)."""
    return _desk(sandbox, merchant_id, "reject", body, request_id)


@router.post(
    "/merchants/{merchant_id}/request_information",
    operation_id="admin-merchants-request-information",
)
def request_information(
    merchant_id: str, sandbox: SandboxDep, request_id: AdminDep, body: DeskBody = None
) -> Merchant:
    """Ask for more information (`requirements` it names, with the `note`): they are currently
    due until the merchant updates them."""
    return _desk(sandbox, merchant_id, "request_information", body, request_id)


@router.post("/merchants/{merchant_id}/suspend", operation_id="admin-merchants-suspend")
def suspend_merchant(
    merchant_id: str, sandbox: SandboxDep, request_id: AdminDep, body: DeskBody = None
) -> Merchant:
    """Suspend: new checkouts get a 403, existing loans go on being serviced."""
    return _desk(sandbox, merchant_id, "suspend", body, request_id)


@router.post("/merchants/{merchant_id}/reinstate", operation_id="admin-merchants-reinstate")
def reinstate_merchant(
    merchant_id: str, sandbox: SandboxDep, request_id: AdminDep, body: DeskBody = None
) -> Merchant:
    """Lift a suspension: the merchant is active again (or restricted if requirements are
    due)."""
    return _desk(sandbox, merchant_id, "reinstate", body, request_id)


@router.get("/policies", operation_id="admin-policies-list")
def list_policies(sandbox: SandboxDep, request_id: AdminDep) -> PolicyList:
    """The live version of every policy."""
    return PolicyList.model_validate({"data": definitions.list_policies(sandbox)})


@router.put("/policies/{policy_id}", operation_id="admin-policies-update")
def put_policy(
    policy_id: str, body: dict[str, Any], sandbox: SandboxDep, request_id: AdminDep
) -> Policy:
    """Upload a new version (validated; every problem named); decisions use it from now on."""
    return Policy.model_validate(definitions.put_policy(sandbox, policy_id, body))


@router.post("/policies/{policy_id}/dry_run", operation_id="admin-policies-dry-run")
def dry_run_policy(
    policy_id: str, body: DryRunRequest, sandbox: SandboxDep, request_id: AdminDep
) -> PolicyDryRun:
    """Evaluate a proposed policy (or the live one) over the given, stored or generated
    applications, against the live policy: approval rate, rule hits, decisions that change."""
    data = dry_runs.dry_run_policy(
        sandbox,
        policy_id,
        proposed=body.policy,
        applications=body.applications,
        source=body.source,
        count=body.count,
    )
    return PolicyDryRun.model_validate(data)


@router.get("/policies/{policy_id}", operation_id="admin-policies-retrieve")
def get_policy(policy_id: str, sandbox: SandboxDep, request_id: AdminDep) -> Policy:
    """The live version of one policy."""
    return Policy.model_validate(definitions.get_policy(sandbox, policy_id))


@router.get("/policies/{policy_id}/versions", operation_id="admin-policies-versions")
def policy_versions(policy_id: str, sandbox: SandboxDep, request_id: AdminDep) -> PolicyList:
    """Every version of a policy, oldest first (the old ones stay readable)."""
    data = definitions.list_policy_versions(sandbox, policy_id)
    return PolicyList.model_validate({"data": data})


@router.get("/workflows/{workflow_id}", operation_id="admin-workflows-retrieve")
def get_workflow(workflow_id: str, sandbox: SandboxDep, request_id: AdminDep) -> Workflow:
    """The live version of one loan process."""
    return Workflow.model_validate(definitions.get_workflow(sandbox, workflow_id))


@router.get("/workflows/{workflow_id}/versions", operation_id="admin-workflows-versions")
def workflow_versions(workflow_id: str, sandbox: SandboxDep, request_id: AdminDep) -> WorkflowList:
    """Every version of a loan process, oldest first."""
    data = definitions.list_workflow_versions(sandbox, workflow_id)
    return WorkflowList.model_validate({"data": data})


@router.get("/workflows", operation_id="admin-workflows-list")
def list_workflows(sandbox: SandboxDep, request_id: AdminDep) -> WorkflowList:
    """The live version of every loan process."""
    return WorkflowList.model_validate({"data": definitions.list_workflows(sandbox)})


@router.put("/workflows/{workflow_id}", operation_id="admin-workflows-update")
def put_workflow(
    workflow_id: str, body: dict[str, Any], sandbox: SandboxDep, request_id: AdminDep
) -> Workflow:
    """Upload a new version of a loan process; new applications follow it."""
    return Workflow.model_validate(definitions.put_workflow(sandbox, workflow_id, body))
