"""Idempotency keys: claim by INSERT, do the work, store the answer; replay or refuse duplicates.

A key is scoped to a merchant. Claiming is an INSERT in its own short transaction, so however
many duplicates race, exactly one wins; the others find the row and either replay its stored
answer (done) or get `idempotency_in_progress`. The same key with another request body is
`idempotency_key_reused`, naming the parameters that differ.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete
from sqlalchemy.exc import IntegrityError

from mock_server.services.errors import ServiceError
from mock_server.storage import Database
from mock_server.storage.models import IdempotencyRow

__all__ = [
    "IdempotencyError",
    "Replay",
    "claim_key",
    "complete_key",
    "differing_params",
    "release_key",
]

MAX_KEY_LENGTH = 255


class IdempotencyError(ServiceError):
    """A duplicate request the key cannot be honoured for (409)."""


@dataclass(frozen=True, slots=True)
class Replay:
    """The stored answer to the first request with this key."""

    status_code: int
    body: bytes


def _canonical(body: bytes) -> tuple[str, Any]:
    if not body.strip():
        return "{}", {}
    try:
        parsed = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        return body.decode("utf-8", "replace"), None
    return json.dumps(parsed, sort_keys=True, separators=(",", ":")), parsed


def differing_params(first: Any, second: Any) -> list[str]:
    """Top-level parameters whose values differ between two JSON bodies."""
    if not isinstance(first, dict) or not isinstance(second, dict):
        return ["body"]
    return sorted(k for k in set(first) | set(second) if first.get(k) != second.get(k))


def claim_key(
    db: Database,
    merchant_id: str,
    key: str,
    method: str,
    path: str,
    body: bytes,
    now: datetime,
    ttl: timedelta,
) -> Replay | None:
    """Claim the key for this request (None), or answer the stored replay; raise on conflict."""
    if len(key) > MAX_KEY_LENGTH:
        raise IdempotencyError(
            f"Idempotency-Key must be at most {MAX_KEY_LENGTH} characters",
            code="idempotency_key_invalid",
            param="Idempotency-Key",
        )
    canonical, parsed = _canonical(body)
    claim = IdempotencyRow(
        merchant_id=merchant_id,
        key=key,
        created=now,
        method=method,
        path=path,
        fingerprint=hashlib.sha256(f"{method} {path}\n{canonical}".encode()).hexdigest(),
        request_body=canonical,
        state="in_progress",
        status_code=None,
        response_body=None,
    )
    for _ in range(3):
        if _insert(db, claim):
            return None
        replay = _existing(db, claim, parsed, now - ttl)
        if replay is not None:
            return replay
    raise IdempotencyError(
        "Could not claim the Idempotency-Key; retry", code="idempotency_in_progress"
    )


def _insert(db: Database, claim: IdempotencyRow) -> bool:
    """INSERT the claim in its own transaction; False when the key is already taken."""
    row = IdempotencyRow(**{c.key: getattr(claim, c.key) for c in IdempotencyRow.__table__.c})
    try:
        with db.transaction() as session:
            session.add(row)
    except IntegrityError:
        return False
    return True


def _existing(
    db: Database, claim: IdempotencyRow, parsed: Any, expired_before: datetime
) -> Replay | None:
    """The stored answer for a taken key; None when the key was freed (claim again)."""
    with db.transaction() as session:
        row = session.get(IdempotencyRow, (claim.merchant_id, claim.key))
        if row is None:
            return None  # released in between
        if row.created < expired_before:
            session.delete(row)
            return None
        if row.fingerprint != claim.fingerprint:
            raise _reused(row, claim.method, claim.path, parsed)
        if row.state != "done" or row.status_code is None:
            raise IdempotencyError(
                "A request with this Idempotency-Key is still being processed; "
                "retry after it finishes",
                code="idempotency_in_progress",
            )
        return Replay(row.status_code, (row.response_body or "").encode())


def _reused(row: IdempotencyRow, method: str, path: str, parsed: Any) -> IdempotencyError:
    if (row.method, row.path) != (method, path):
        names = ["path"]
        where = f"it was first used for {row.method} {row.path}"
    else:
        try:
            first = json.loads(row.request_body)
        except ValueError:
            first = None
        names = differing_params(first, parsed) or ["body"]
        where = f"these parameters differ from the first request: {', '.join(names)}"
    return IdempotencyError(
        f"Keys for idempotent requests can only be used with the same parameters; {where}",
        code="idempotency_key_reused",
        param=names[0],
    )


def complete_key(db: Database, merchant_id: str, key: str, status_code: int, body: bytes) -> None:
    """Store the answer so duplicates replay it."""
    with db.transaction() as session:
        row = session.get(IdempotencyRow, (merchant_id, key))
        if row is None:
            return
        row.state = "done"
        row.status_code = status_code
        row.response_body = body.decode("utf-8", "replace")


def release_key(db: Database, merchant_id: str, key: str) -> None:
    """Forget a claim whose request failed unexpectedly, so a retry can run it."""
    with db.transaction() as session:
        session.execute(
            delete(IdempotencyRow).where(
                IdempotencyRow.merchant_id == merchant_id,
                IdempotencyRow.key == key,
                IdempotencyRow.state == "in_progress",
            )
        )
