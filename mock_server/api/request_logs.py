"""`/v1/request_logs`: the merchant's recent API requests (what `installo logs tail` shows)."""

from fastapi import APIRouter

from mock_server.api import present
from mock_server.api.deferred_routes import DeferredRoute
from mock_server.api.deps import CallerDep, PageDep, SandboxDep
from mock_server.api.developer_schemas import RequestLogList

__all__ = ["router"]

router = APIRouter(prefix="/v1/request_logs", tags=["request_logs"], route_class=DeferredRoute)


@router.get("", operation_id="request-logs-list")
def list_(sandbox: SandboxDep, caller: CallerDep, page: PageDep) -> RequestLogList:
    """This merchant's recent requests, newest first: method, path (no query string), status,
    request id, idempotency key, time and duration. Kept in memory by the sandbox process (the
    newest 1,000 per merchant); never a header, a body or a key."""
    listing = sandbox.request_log.page(caller.merchant.id, page.limit, page.starting_after)
    return present.request_log_list(listing)
