"""The Standard Webhooks signature: `webhook-id`, `webhook-timestamp`, `webhook-signature`.

The signature header is a space-separated list of
`v1,<base64 hmac-sha256(key, "id.timestamp.body")>` values (several during a secret rotation; any
one matching is enough). The key is the base64 after
the secret's `whsec_` prefix, as every Standard Webhooks library reads it. Written here on the
standard library alone, so the SDK needs no extra dependency to verify either header set.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import time
from collections.abc import Mapping

from ._exceptions import SignatureVerificationError

__all__ = [
    "STANDARD_HEADERS",
    "generate_standard_headers",
    "sign_standard",
    "verify_standard_signature",
]

STANDARD_HEADERS = ("webhook-id", "webhook-timestamp", "webhook-signature")


def _key(secret: str) -> bytes:
    """The signing key of a `whsec_<base64>` secret (a secret that is not base64: its bytes)."""
    try:
        return base64.b64decode(secret.removeprefix("whsec_"), validate=True)
    except (binascii.Error, ValueError):
        return secret.encode("utf-8")


def sign_standard(payload: bytes | str, secret: str, *, message_id: str, timestamp: int) -> str:
    """Answer the base64 `v1` signature of a message id, timestamp and payload."""
    body = payload.encode("utf-8") if isinstance(payload, str) else payload
    signed = f"{message_id}.{timestamp}.".encode() + body
    return base64.b64encode(hmac.new(_key(secret), signed, hashlib.sha256).digest()).decode()


def generate_standard_headers(
    payload: bytes | str, secret: str, *, message_id: str, timestamp: int | None = None
) -> dict[str, str]:
    """Answer the three Standard Webhooks headers for a payload (for forwarding or tests)."""
    when = int(time.time()) if timestamp is None else timestamp
    signature = sign_standard(payload, secret, message_id=message_id, timestamp=when)
    return {
        "webhook-id": message_id,
        "webhook-timestamp": str(when),
        "webhook-signature": f"v1,{signature}",
    }


def _lowered(headers: Mapping[str, str]) -> dict[str, str]:
    return {name.lower(): value for name, value in headers.items()}


def verify_standard_signature(
    payload: bytes | str,
    headers: Mapping[str, str],
    secret: str,
    *,
    tolerance: int | None = 300,
    now: float | None = None,
) -> None:
    """Check the Standard Webhooks headers of a delivery; raise `SignatureVerificationError`
    unless one `v1` signature matches and the timestamp is within `tolerance` seconds."""
    found = _lowered(headers)
    missing = [name for name in STANDARD_HEADERS if not found.get(name)]
    if missing:
        raise SignatureVerificationError(f"missing header(s) {', '.join(missing)}")
    header = found["webhook-signature"]
    try:
        timestamp = int(found["webhook-timestamp"])
    except ValueError:
        raise SignatureVerificationError(
            "webhook-timestamp is not an integer", sig_header=header
        ) from None
    expected = sign_standard(payload, secret, message_id=found["webhook-id"], timestamp=timestamp)
    candidates = [
        value for version, _, value in (p.partition(",") for p in header.split()) if version == "v1"
    ]
    if not any(hmac.compare_digest(expected, candidate) for candidate in candidates):
        raise SignatureVerificationError(
            "no webhook-signature matches the payload: check the endpoint's secret and that the "
            "body is the raw bytes received",
            sig_header=header,
        )
    if tolerance is not None:
        age = (time.time() if now is None else now) - timestamp
        if abs(age) > tolerance:
            when = "old" if age > 0 else "in the future"
            raise SignatureVerificationError(
                f"webhook-timestamp is {int(abs(age))}s {when}, beyond the {tolerance}s tolerance",
                sig_header=header,
            )
