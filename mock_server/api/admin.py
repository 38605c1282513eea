"""`/v1/admin`: lender operations with the admin key (the manual review queue)."""

from __future__ import annotations

import hmac
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from mock_server.api.deps import PageDep, SandboxDep
from mock_server.api.errors import ERROR_RESPONSES, request_id_of
from mock_server.api.schemas import Review, ReviewList
from mock_server.services import reviews
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

router = APIRouter(prefix="/v1/admin", tags=["admin"], responses=ERROR_RESPONSES)


@router.get("/reviews", operation_id="admin-reviews-list")
def list_reviews(
    sandbox: SandboxDep,
    request_id: AdminDep,
    page: PageDep,
    status: Literal["pending", "approved", "declined", "expired"] | None = None,
) -> ReviewList:
    """The manual review queue across merchants, newest first."""
    data, has_more = reviews.list_reviews(sandbox, page.limit, page.starting_after, status)
    return ReviewList.model_validate({"data": data, "has_more": has_more})


@router.post("/reviews/{review_id}/approve", operation_id="admin-reviews-approve")
def approve(review_id: str, sandbox: SandboxDep, request_id: AdminDep) -> Review:
    """Approve: the application runs on to agreement and authorization (a loan)."""
    return Review.model_validate(reviews.work_review(sandbox, review_id, "approve", request_id))


@router.post("/reviews/{review_id}/decline", operation_id="admin-reviews-decline")
def decline(review_id: str, sandbox: SandboxDep, request_id: AdminDep) -> Review:
    """Decline: the checkout is declined with the review's reasons."""
    return Review.model_validate(reviews.work_review(sandbox, review_id, "decline", request_id))
