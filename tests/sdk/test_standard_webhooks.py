"""The SDK verifies Standard Webhooks headers itself, and `construct_event` takes either set."""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime

import pytest
from installo import SignatureVerificationError
from installo.testing import checkout_object, decision_object, event_object
from installo.webhooks import (
    construct_event,
    generate_header,
    generate_standard_headers,
    verify_standard_signature,
)
from standardwebhooks import Webhook

SECRET = "whsec_" + base64.b64encode(b"twenty-four secret bytes").decode()
NOW = 1_767_000_000
PAYLOAD = json.dumps(
    event_object(
        "checkout.approved",
        checkout_object(status="approved", decision=decision_object("approve"), loan="loan_1"),
    )
).encode()


def standard(**overrides: object) -> dict[str, str]:
    """Standard headers for PAYLOAD with the defaults, one input changed per test."""
    secret = str(overrides.get("secret", SECRET))
    timestamp = int(str(overrides.get("timestamp", NOW)))
    return generate_standard_headers(PAYLOAD, secret, message_id="evt_1", timestamp=timestamp)


def test_headers_the_sdk_makes_are_verified_by_the_standardwebhooks_package() -> None:
    headers = generate_standard_headers(PAYLOAD, SECRET, message_id="evt_1")
    assert Webhook(SECRET).verify(PAYLOAD, headers)["type"] == "checkout.approved"


def test_headers_the_standardwebhooks_package_makes_are_verified_by_the_sdk() -> None:
    signature = Webhook(SECRET).sign("msg_1", datetime.fromtimestamp(NOW, UTC), PAYLOAD.decode())
    headers = {"webhook-id": "msg_1", "webhook-timestamp": str(NOW), "webhook-signature": signature}
    verify_standard_signature(PAYLOAD, headers, SECRET, now=NOW)


def test_construct_event_accepts_the_standard_headers() -> None:
    event = construct_event(PAYLOAD, {"Webhook-Id": "x", **standard()}, SECRET, now=NOW + 5)
    assert event.type == "checkout.approved"


def test_construct_event_accepts_the_installo_header_among_request_headers() -> None:
    headers = {"Installo-Signature": generate_header(PAYLOAD, SECRET, timestamp=NOW)}
    assert construct_event(PAYLOAD, headers, SECRET, now=NOW).type == "checkout.approved"


def test_a_tampered_body_fails_the_standard_check() -> None:
    tampered = PAYLOAD.replace(b"approved", b"declined", 1)
    with pytest.raises(SignatureVerificationError, match="no webhook-signature matches"):
        construct_event(tampered, standard(), SECRET, now=NOW)


def test_a_wrong_secret_fails_the_standard_check() -> None:
    other = "whsec_" + base64.b64encode(b"another secret of 24 byte").decode()
    with pytest.raises(SignatureVerificationError, match="no webhook-signature matches"):
        verify_standard_signature(PAYLOAD, standard(secret=other), SECRET, now=NOW)


def test_a_stale_standard_timestamp_is_rejected() -> None:
    with pytest.raises(SignatureVerificationError, match="1000s old"):
        verify_standard_signature(PAYLOAD, standard(), SECRET, now=NOW + 1000)


def test_several_signatures_any_one_matching_is_enough() -> None:
    headers = standard()
    headers["webhook-signature"] = "v1,AAAA " + headers["webhook-signature"]
    verify_standard_signature(PAYLOAD, headers, SECRET, now=NOW)


def test_missing_headers_are_named() -> None:
    with pytest.raises(SignatureVerificationError, match="webhook-id, webhook-timestamp"):
        verify_standard_signature(PAYLOAD, {"webhook-signature": "v1,x"}, SECRET, now=NOW)
    with pytest.raises(SignatureVerificationError, match="no Installo-Signature header and no"):
        construct_event(PAYLOAD, {"content-type": "application/json"}, SECRET, now=NOW)
