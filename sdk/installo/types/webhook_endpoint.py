"""A webhook subscription and the deliveries of events to it."""

from __future__ import annotations

from datetime import datetime

from pydantic import Field

from .._models import BaseModel, InstalloObject, OpenEnum

__all__ = [
    "DeliveryAttempt",
    "WebhookDelivery",
    "WebhookDeliveryStatus",
    "WebhookEndpoint",
    "WebhookEndpointStatus",
]


class WebhookEndpointStatus(OpenEnum):
    """Whether an endpoint receives events."""

    ENABLED = "enabled"
    DISABLED = "disabled"


class WebhookEndpoint(InstalloObject):
    """Where the API posts events; `secret` is present only in the answer that creates it."""

    url: str
    enabled_events: list[str] = Field(default_factory=lambda: ["*"])
    status: WebhookEndpointStatus = WebhookEndpointStatus.ENABLED
    disabled_reason: str | None = None
    secret: str | None = Field(default=None, repr=False)


class WebhookDeliveryStatus(OpenEnum):
    """Where one event's delivery to one endpoint stands."""

    PENDING = "pending"
    SUCCEEDED = "succeeded"
    FAILED = "failed"
    CANCELED = "canceled"


class DeliveryAttempt(BaseModel):
    """One try at delivering an event: the receiver's status code (None when unreachable)."""

    at: datetime
    status_code: int | None = None
    error: str | None = None
    latency_ms: int | None = None


class WebhookDelivery(BaseModel):
    """One event on its way to one endpoint, with every attempt so far."""

    id: str
    object: str = "webhook_delivery"
    endpoint: str
    event: str
    status: WebhookDeliveryStatus
    attempt_count: int = 0
    next_attempt_at: datetime | None = None
    attempts: list[DeliveryAttempt] = Field(default_factory=list)
