"""Verify and build the signature headers of webhook deliveries.

Each delivery carries two header sets; either one proves it came from the sandbox:
`Installo-Signature` (below) and the Standard Webhooks headers `webhook-id`, `webhook-timestamp`,
`webhook-signature` (`verify_standard_signature`), which any Standard Webhooks library reads.

`Installo-Signature` is `t=<unix seconds>,v1=<hex hmac-sha256(secret, "<t>.<raw body>")>`; it may
carry several `v1` values (during a secret rotation), and any one matching is enough. Verify the raw
bytes, before parsing JSON: re-serialized JSON is not the body that was signed.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from collections.abc import Mapping

import pydantic

from ._constants import DEFAULT_WEBHOOK_TOLERANCE, SIGNATURE_HEADER
from ._exceptions import SignatureVerificationError
from ._standard_webhooks import (
    generate_standard_headers,
    sign_standard,
    verify_standard_signature,
)
from .types.event import Event

__all__ = [
    "SIGNATURE_SCHEME",
    "construct_event",
    "generate_header",
    "generate_standard_headers",
    "sign_payload",
    "sign_standard",
    "verify_headers",
    "verify_signature",
    "verify_standard_signature",
]

SIGNATURE_SCHEME = "v1"


def _as_bytes(payload: bytes | str) -> bytes:
    return payload.encode("utf-8") if isinstance(payload, str) else payload


def sign_payload(payload: bytes | str, secret: str, *, timestamp: int) -> str:
    """Answer the hex `v1` signature of a payload at a timestamp."""
    signed = str(timestamp).encode("ascii") + b"." + _as_bytes(payload)
    return hmac.new(secret.encode("utf-8"), signed, hashlib.sha256).hexdigest()


def generate_header(payload: bytes | str, secret: str, *, timestamp: int | None = None) -> str:
    """Answer an `Installo-Signature` header for a payload, for the merchant's own tests."""
    when = int(time.time()) if timestamp is None else timestamp
    return f"t={when},{SIGNATURE_SCHEME}={sign_payload(payload, secret, timestamp=when)}"


def _parse_header(header: str) -> tuple[int, list[str]]:
    timestamp: int | None = None
    signatures: list[str] = []
    for part in header.split(","):
        name, sep, value = part.strip().partition("=")
        if not sep:
            continue
        if name == "t":
            try:
                timestamp = int(value)
            except ValueError:
                raise SignatureVerificationError(
                    "the signature header's timestamp is not an integer", sig_header=header
                ) from None
        elif name == SIGNATURE_SCHEME:
            signatures.append(value)
    if timestamp is None:
        raise SignatureVerificationError("the signature header has no timestamp", sig_header=header)
    if not signatures:
        raise SignatureVerificationError(
            f"the signature header has no {SIGNATURE_SCHEME} signature", sig_header=header
        )
    return timestamp, signatures


def verify_signature(
    payload: bytes | str,
    header: str | None,
    secret: str,
    *,
    tolerance: int | None = DEFAULT_WEBHOOK_TOLERANCE,
    now: float | None = None,
) -> None:
    """Check a delivery's signature; raise `SignatureVerificationError` unless it is good and fresh.

    `tolerance` is in seconds (None skips the age check); `now` defaults to the system clock.
    """
    if not header:
        raise SignatureVerificationError("no Installo-Signature header", sig_header=header)
    timestamp, signatures = _parse_header(header)
    expected = sign_payload(payload, secret, timestamp=timestamp)
    if not any(hmac.compare_digest(expected, candidate) for candidate in signatures):
        raise SignatureVerificationError(
            "no signature matches the payload: check the endpoint's secret and that the body is "
            "the raw bytes received",
            sig_header=header,
        )
    if tolerance is not None:
        current = time.time() if now is None else now
        age = current - timestamp
        if age > tolerance:
            raise SignatureVerificationError(
                f"the signature is {int(age)}s old, beyond the {tolerance}s tolerance",
                sig_header=header,
            )
        if -age > tolerance:
            raise SignatureVerificationError(
                f"the signature's timestamp is {int(-age)}s in the future", sig_header=header
            )


def verify_headers(
    payload: bytes | str,
    headers: Mapping[str, str],
    secret: str,
    *,
    tolerance: int | None = DEFAULT_WEBHOOK_TOLERANCE,
    now: float | None = None,
) -> None:
    """Check a delivery by its request headers: `Installo-Signature` when present, else the
    Standard Webhooks headers (names are matched case-insensitively)."""
    lowered = {name.lower(): value for name, value in headers.items()}
    installo_header = lowered.get(SIGNATURE_HEADER.lower())
    if installo_header is not None:
        verify_signature(payload, installo_header, secret, tolerance=tolerance, now=now)
    elif "webhook-signature" in lowered:
        verify_standard_signature(payload, lowered, secret, tolerance=tolerance, now=now)
    else:
        raise SignatureVerificationError(
            "no Installo-Signature header and no Standard Webhooks webhook-signature header"
        )


def construct_event(
    payload: bytes | str,
    signature_header: str | Mapping[str, str] | None,
    secret: str,
    tolerance: int | None = DEFAULT_WEBHOOK_TOLERANCE,
    *,
    now: float | None = None,
) -> Event:
    """Verify a delivery and answer its typed `Event`.

    `signature_header` is the `Installo-Signature` value, or the request's headers (any mapping,
    e.g. `request.headers`), in which either header set is accepted.
    """
    if isinstance(signature_header, Mapping):
        verify_headers(payload, signature_header, secret, tolerance=tolerance, now=now)
    else:
        verify_signature(payload, signature_header, secret, tolerance=tolerance, now=now)
    try:
        data = json.loads(_as_bytes(payload))
        return Event.model_validate(data)
    except (ValueError, pydantic.ValidationError) as exc:
        shown = signature_header if isinstance(signature_header, str) else None
        raise SignatureVerificationError(
            f"the signed payload is not an event: {exc}", sig_header=shown
        ) from exc
