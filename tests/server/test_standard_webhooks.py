"""Deliveries carry Standard Webhooks headers that the `standardwebhooks` package verifies."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest
from sqlalchemy import update
from standardwebhooks import Webhook, WebhookVerificationError

from mock_server.services.context import Sandbox
from mock_server.services.dispatcher import WebhookDispatcher
from mock_server.storage.models import WebhookDeliveryRow


class Inbox:
    """Records each delivery and answers the statuses it is given (then 200)."""

    def __init__(self, statuses: list[int] | None = None) -> None:
        self.requests: list[httpx.Request] = []
        self.statuses = list(statuses or [])

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        return httpx.Response(self.statuses.pop(0) if self.statuses else 200)


async def _subscribe(client: httpx.AsyncClient) -> str:
    response = await client.post(
        "/v1/webhook_endpoints", json={"url": "https://shop.example.com/hooks"}
    )
    assert response.status_code == 201, response.text
    secret: str = response.json()["secret"]
    return secret


def _dispatcher(sandbox: Sandbox, inbox: Inbox) -> WebhookDispatcher:
    return WebhookDispatcher(sandbox.db, transport=httpx.MockTransport(inbox), background=False)


async def test_standardwebhooks_verifies_a_delivery(
    client: httpx.AsyncClient, sandbox: Sandbox, kit: Any
) -> None:
    secret = await _subscribe(client)
    await client.post("/v1/customers", json=kit.identity())
    inbox = Inbox()
    assert _dispatcher(sandbox, inbox).deliver_due() == 1
    [request] = inbox.requests
    verified = Webhook(secret).verify(request.content, dict(request.headers))
    assert verified["type"] == "customer.created"
    assert request.headers["webhook-id"] == verified["id"]
    assert request.headers["webhook-timestamp"] == request.headers["Installo-Signature"][2:12]


async def test_a_tampered_body_fails_standardwebhooks_verification(
    client: httpx.AsyncClient, sandbox: Sandbox, kit: Any
) -> None:
    secret = await _subscribe(client)
    await client.post("/v1/customers", json=kit.identity())
    inbox = Inbox()
    _dispatcher(sandbox, inbox).deliver_due()
    [request] = inbox.requests
    tampered = request.content.replace(b"customer.created", b"customer.deleted", 1)
    assert tampered != request.content
    with pytest.raises(WebhookVerificationError):
        Webhook(secret).verify(tampered, dict(request.headers))


async def test_a_retried_delivery_keeps_its_webhook_id(
    client: httpx.AsyncClient, sandbox: Sandbox, kit: Any
) -> None:
    await _subscribe(client)
    await client.post("/v1/customers", json=kit.identity())
    inbox = Inbox([500])
    worker = _dispatcher(sandbox, inbox)
    worker.deliver_due()
    with sandbox.db.transaction() as session:  # make the retry due now
        session.execute(update(WebhookDeliveryRow).values(next_attempt_at=worker.wall()))
    worker.deliver_due()
    first, retry = inbox.requests
    assert first.headers["webhook-id"] == retry.headers["webhook-id"]
    assert json.loads(first.content)["id"] == first.headers["webhook-id"]
