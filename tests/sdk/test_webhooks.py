"""Webhook signatures: good, tampered, stale, wrong secret, several v1 values, malformed."""

from __future__ import annotations

import json
from typing import Any

import pytest
from installo import SignatureVerificationError
from installo.testing import checkout_object, decision_object, event_object
from installo.types import Checkout, Event
from installo.webhooks import construct_event, generate_header, sign_payload, verify_signature

SECRET = "whsec_test_5b1e0c"
NOW = 1_767_000_000
PAYLOAD = json.dumps(
    event_object(
        "checkout.approved",
        checkout_object(status="approved", decision=decision_object("approve"), loan="loan_1"),
    )
).encode()


def sign_header(**overrides: Any) -> tuple[bytes, str]:
    """Answer (payload, header) signed with the defaults, one input changed per test."""
    payload: bytes = overrides.get("payload", PAYLOAD)
    secret: str = overrides.get("secret", SECRET)
    timestamp: int = overrides.get("timestamp", NOW)
    return payload, generate_header(payload, secret, timestamp=timestamp)


def test_good_signature_verifies_and_answers_a_typed_event() -> None:
    payload, header = sign_header()
    event = construct_event(payload, header, SECRET, now=NOW + 10)
    assert isinstance(event, Event)
    assert event.type == "checkout.approved"
    checkout = event.data_object()
    assert isinstance(checkout, Checkout) and checkout.loan == "loan_1"


def test_header_format_is_t_and_v1() -> None:
    _, header = sign_header()
    assert header == f"t={NOW},v1={sign_payload(PAYLOAD, SECRET, timestamp=NOW)}"
    assert len(header.split("v1=")[1]) == 64


def test_tampered_payload_is_rejected() -> None:
    _, header = sign_header()
    tampered = PAYLOAD.replace(b"approved", b"declined", 1)
    with pytest.raises(SignatureVerificationError, match="no signature matches"):
        verify_signature(tampered, header, SECRET, now=NOW)


def test_wrong_secret_is_rejected() -> None:
    payload, header = sign_header(secret="whsec_other")
    with pytest.raises(SignatureVerificationError, match="no signature matches"):
        verify_signature(payload, header, SECRET, now=NOW)


def test_stale_timestamp_is_rejected() -> None:
    payload, header = sign_header(timestamp=NOW - 301)
    with pytest.raises(SignatureVerificationError, match="301s old"):
        verify_signature(payload, header, SECRET, now=NOW)


def test_timestamp_within_tolerance_is_accepted() -> None:
    payload, header = sign_header(timestamp=NOW - 300)
    verify_signature(payload, header, SECRET, now=NOW)


def test_far_future_timestamp_is_rejected() -> None:
    payload, header = sign_header(timestamp=NOW + 3600)
    with pytest.raises(SignatureVerificationError, match="future"):
        verify_signature(payload, header, SECRET, now=NOW)


def test_tolerance_none_skips_the_age_check() -> None:
    payload, header = sign_header(timestamp=NOW - 86_400)
    verify_signature(payload, header, SECRET, tolerance=None, now=NOW)


def test_any_of_several_v1_values_may_match() -> None:
    payload, header = sign_header()
    rotated = f"t={NOW},v1={'0' * 64},{header.split(',')[1]},v0=ignored"
    verify_signature(payload, rotated, SECRET, now=NOW)


def test_several_v1_values_none_matching_is_rejected() -> None:
    header = f"t={NOW},v1={'0' * 64},v1={'f' * 64}"
    with pytest.raises(SignatureVerificationError):
        verify_signature(PAYLOAD, header, SECRET, now=NOW)


@pytest.mark.parametrize(
    ("header", "message"),
    [
        (None, "no Installo-Signature header"),
        ("", "no Installo-Signature header"),
        ("v1=abc", "no timestamp"),
        (f"t={NOW}", "no v1 signature"),
        ("t=soon,v1=abc", "not an integer"),
    ],
)
def test_malformed_headers_are_rejected_clearly(header: str | None, message: str) -> None:
    with pytest.raises(SignatureVerificationError, match=message):
        verify_signature(PAYLOAD, header, SECRET, now=NOW)


def test_signed_payload_that_is_not_an_event_is_rejected() -> None:
    payload, header = sign_header(payload=b'{"hello": "world"}')
    with pytest.raises(SignatureVerificationError, match="not an event"):
        construct_event(payload, header, SECRET, now=NOW)


def test_str_payload_verifies_like_its_utf8_bytes() -> None:
    payload, header = sign_header()
    verify_signature(payload.decode(), header, SECRET, now=NOW)
