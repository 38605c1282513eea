"""`/v1/webhook_endpoints`: subscribe a URL to events; the signing secret is shown once."""

from fastapi import APIRouter

from mock_server.api import present
from mock_server.api.bodies import WebhookEndpointCreate
from mock_server.api.deferred_routes import DeferredRoute
from mock_server.api.deps import CallerDep, PageDep, SandboxDep
from mock_server.api.schemas import (
    DeletedObject,
    WebhookDeliveryList,
    WebhookEndpoint,
    WebhookEndpointList,
)
from mock_server.services import webhooks

__all__ = ["router"]

router = APIRouter(
    prefix="/v1/webhook_endpoints", tags=["webhook_endpoints"], route_class=DeferredRoute
)


@router.post("", operation_id="webhook-endpoints-create", status_code=201)
def create(body: WebhookEndpointCreate, sandbox: SandboxDep, caller: CallerDep) -> WebhookEndpoint:
    """Subscribe; keep the `secret` (whsec_...) to verify `Installo-Signature`."""
    return present.webhook_endpoint(webhooks.create_endpoint(sandbox, caller, body))


@router.get("", operation_id="webhook-endpoints-list")
def list_(sandbox: SandboxDep, caller: CallerDep, page: PageDep) -> WebhookEndpointList:
    """The merchant's endpoints, newest first (without secrets)."""
    listing = webhooks.list_endpoints(sandbox, caller, page.limit, page.starting_after)
    return present.webhook_endpoint_list(listing)


@router.get("/{endpoint_id}", operation_id="webhook-endpoints-retrieve")
def retrieve(endpoint_id: str, sandbox: SandboxDep, caller: CallerDep) -> WebhookEndpoint:
    """One endpoint: its status, and why it was disabled if it was."""
    return present.webhook_endpoint(webhooks.get_endpoint(sandbox, caller, endpoint_id))


@router.get("/{endpoint_id}/deliveries", operation_id="webhook-endpoints-deliveries")
def deliveries(
    endpoint_id: str, sandbox: SandboxDep, caller: CallerDep, page: PageDep
) -> WebhookDeliveryList:
    """The endpoint's deliveries, newest first, with each attempt's status and latency."""
    listing = webhooks.list_deliveries(
        sandbox, caller, endpoint_id, page.limit, page.starting_after
    )
    return present.webhook_delivery_list(listing)


@router.post("/{endpoint_id}/enable", operation_id="webhook-endpoints-enable")
def enable(endpoint_id: str, sandbox: SandboxDep, caller: CallerDep) -> WebhookEndpoint:
    """Turn an endpoint disabled after failing deliveries back on."""
    return present.webhook_endpoint(webhooks.enable_endpoint(sandbox, caller, endpoint_id))


@router.delete("/{endpoint_id}", operation_id="webhook-endpoints-delete")
def delete(endpoint_id: str, sandbox: SandboxDep, caller: CallerDep) -> DeletedObject:
    """Unsubscribe: delete the endpoint; no more deliveries go to it."""
    return present.deleted(webhooks.delete_endpoint(sandbox, caller, endpoint_id))
