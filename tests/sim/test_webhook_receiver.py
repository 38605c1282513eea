"""The loopback webhook receiver verifies each delivery with the endpoint's secret."""

from __future__ import annotations

import json

import httpx
from installo.webhooks import generate_header

from merchant_sim.webhook_receiver import SIGNATURE_HEADER, WebhookReceiver

EVENT = {
    "id": "evt_1",
    "object": "event",
    "type": "loan.captured",
    "data": {"object": {"id": "loan_1", "object": "loan"}},
}


def test_signed_delivery_is_verified_and_forged_one_refused() -> None:
    receiver = WebhookReceiver().start()
    try:
        receiver.secret = "whsec_test"
        body = json.dumps(EVENT).encode()
        good = {SIGNATURE_HEADER: generate_header(body, "whsec_test")}
        bad = {SIGNATURE_HEADER: generate_header(body, "whsec_other")}
        assert httpx.post(receiver.url, content=body, headers=good).status_code == 200
        assert httpx.post(receiver.url, content=body, headers=bad).status_code == 200
        first, second = receiver.drain()
        assert (first.event_type, first.event_id, first.verified) == (
            "loan.captured",
            "evt_1",
            True,
        )
        assert second.verified is False and second.problem
        assert receiver.drain() == []
    finally:
        receiver.stop()
