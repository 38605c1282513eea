"""Idempotency keys: replay a stored answer, refuse a reused key, store the answer with the work.

A key is scoped to a merchant. The answer is stored in the same transaction as the request's
work and events (see `storage.RequestTransaction`), so a crash leaves either nothing (a retry
runs afresh) or everything (a retry replays). Within one process a duplicate that arrives while
the first is in flight gets `idempotency_in_progress`; across processes the database's unique
key lets exactly one commit, and the others replay its answer. The same key with another request
body is `idempotency_key_reused`, naming the parameters that differ.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Final

from sqlalchemy import Row, bindparam, delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from mock_server.services.errors import ServiceError
from mock_server.storage import Database
from mock_server.storage.models import IdempotencyRow
from mock_server.storage.sealing import Sealer

__all__ = [
    "Claim",
    "IdempotencyError",
    "Replay",
    "differing_params",
    "find_replay",
    "store_answer",
    "store_answer_alone",
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


in_progress_error = IdempotencyError(
    "A request with this Idempotency-Key is still being processed; retry after it finishes",
    code="idempotency_in_progress",
)


# Scopes shared by anonymous callers (merchant applications, one per address) start with this.
ANONYMOUS_SCOPE_PREFIX = "pub_"


def _param_digests(sealer: Sealer, parsed: Any, canonical: str) -> dict[str, str]:
    """What is kept of a request: a keyed digest per top-level parameter (or of the body)."""
    if not isinstance(parsed, dict):
        return {"": sealer.digest(canonical)}
    return {
        str(name): sealer.digest(json.dumps(value, sort_keys=True, separators=(",", ":")))
        for name, value in parsed.items()
    }


@dataclass(frozen=True, slots=True)
class Claim:
    """One keyed request: who, which key, what it asked, and when."""

    merchant_id: str
    key: str
    method: str
    path: str
    canonical: str
    parsed: Any
    now: datetime
    sealer: Sealer

    @classmethod
    def of(
        cls,
        merchant_id: str,
        key: str,
        method: str,
        path: str,
        body: bytes,
        now: datetime,
        sealer: Sealer,
    ) -> Claim:
        """The claim for a request (IdempotencyError for a key too long)."""
        if len(key) > MAX_KEY_LENGTH:
            raise IdempotencyError(
                f"Idempotency-Key must be at most {MAX_KEY_LENGTH} characters",
                code="idempotency_key_invalid",
                param="Idempotency-Key",
            )
        canonical, parsed = _canonical(body)
        return cls(merchant_id, key, method, path, canonical, parsed, now, sealer)

    @property
    def fingerprint(self) -> str:
        """What makes two requests the same request (a keyed digest: nothing to guess back)."""
        return self.sealer.digest(f"{self.method} {self.path}\n{self.canonical}")

    @property
    def digests(self) -> dict[str, str]:
        """What is stored of the request: a keyed digest per parameter."""
        return _param_digests(self.sealer, self.parsed, self.canonical)


# Built once (every request with a key asks it): the key's stored row, read by core.
_KEYS: Final = IdempotencyRow.metadata.tables[IdempotencyRow.__tablename__]
_STORED: Final = select(_KEYS).where(
    _KEYS.c.merchant_id == bindparam("merchant_id"), _KEYS.c.key == bindparam("key")
)
_FORGET: Final = delete(_KEYS).where(
    _KEYS.c.merchant_id == bindparam("merchant_id"), _KEYS.c.key == bindparam("key")
)


def find_replay(session: Session, claim: Claim, ttl: timedelta) -> Replay | None:
    """The stored answer for this key (None: run the request); raise when the key was used for
    another request or an older sandbox left it in progress."""
    where = {"merchant_id": claim.merchant_id, "key": claim.key}
    connection = session.connection()
    row = connection.execute(_STORED, where).first()
    if row is None:
        return None
    if row.created < claim.now - ttl:
        connection.execute(_FORGET, where)
        return None
    if row.fingerprint != claim.fingerprint:
        raise _reused(row, claim)
    if row.state != "done" or row.status_code is None:
        raise in_progress_error
    return Replay(row.status_code, claim.sealer.open(row.response_body or "").encode())


def _reused(row: Row[Any], claim: Claim) -> IdempotencyError:
    if (row.method, row.path) != (claim.method, claim.path):
        names = ["path"]
        where = f"it was first used for {row.method} {row.path}"
    elif row.merchant_id.startswith(ANONYMOUS_SCOPE_PREFIX):
        names = ["body"]  # the first request may be someone else's: name none of its fields
        where = "the body differs from the first request's"
    else:
        try:
            first = json.loads(row.request_body)
        except ValueError:
            first = None
        names = differing_params(first, claim.digests) or ["body"]
        where = f"these parameters differ from the first request: {', '.join(names)}"
    return IdempotencyError(
        f"Keys for idempotent requests can only be used with the same parameters; {where}",
        code="idempotency_key_reused",
        param=names[0],
    )


def store_answer(session: Session, claim: Claim, status_code: int, body: bytes) -> None:
    """Stage the answer beside the request's work, so duplicates replay it once committed."""
    session.add(
        IdempotencyRow.new(
            merchant_id=claim.merchant_id,
            key=claim.key,
            created=claim.now,
            method=claim.method,
            path=claim.path,
            fingerprint=claim.fingerprint,
            request_body=json.dumps(claim.digests, sort_keys=True),
            state="done",
            status_code=status_code,
            response_body=claim.sealer.seal(body.decode("utf-8", "replace")),
        )
    )


def store_answer_alone(db: Database, claim: Claim, status_code: int, body: bytes) -> None:
    """Store the answer of a request whose work was rolled back (a 4xx); a duplicate that got
    there first keeps its answer."""
    try:
        with db.transaction() as session:
            store_answer(session, claim, status_code, body)
    except IntegrityError:
        pass
