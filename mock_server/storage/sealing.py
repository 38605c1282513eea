"""Secrets at rest: what the sandbox must keep readable (webhook signing secrets, stored answers
that carry a key) is sealed with Fernet (AES-128-CBC + HMAC-SHA256); what it only compares is
kept as a keyed digest.

The sealing key comes from `INSTALLO_SECRETS_KEY` (`--secrets-key`) when the operator sets it.
Otherwise an in-memory sandbox makes one per process, and a SQLite file keeps one in a key file
beside the database (`<db>.key`, readable by its owner only), so a copy of the database alone
reveals no secret. Other databases without the setting get a per-process key (with a warning):
their sealed values do not survive a restart.

`cryptography` is imported at the first seal or open, not when the sandbox starts.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import logging
import os
from pathlib import Path
from typing import TYPE_CHECKING, Final

from sqlalchemy.engine import make_url

if TYPE_CHECKING:
    from cryptography.fernet import Fernet

__all__ = ["SEALED_PREFIX", "Sealer", "UnsealError", "new_key", "sealing_key"]

log = logging.getLogger("mock_server.storage")

SEALED_PREFIX: Final = "sealed:"


class UnsealError(RuntimeError):
    """A sealed value was made with another key (the key file or setting changed)."""


class Sealer:
    """Seals and opens values with one key; digests values it only needs to compare."""

    def __init__(self, key: bytes | None = None) -> None:
        raw = key if key is not None else new_key()
        _check_key(raw)  # a bad key file fails the start, as Fernet(raw) would
        self._raw = raw
        self._cipher: Fernet | None = None
        self._mac_key = hashlib.sha256(b"installo-digest:" + raw).digest()

    @property
    def _fernet(self) -> Fernet:
        if self._cipher is None:
            from cryptography.fernet import Fernet

            self._cipher = Fernet(self._raw)
        return self._cipher

    def seal(self, value: str) -> str:
        """The stored form of a secret value."""
        return SEALED_PREFIX + self._fernet.encrypt(value.encode()).decode()

    def open(self, stored: str) -> str:
        """The value a `seal` stored (a value stored before sealing existed comes back as is)."""
        if not stored.startswith(SEALED_PREFIX):
            return stored
        from cryptography.fernet import InvalidToken

        try:
            return self._fernet.decrypt(stored.removeprefix(SEALED_PREFIX).encode()).decode()
        except InvalidToken as exc:
            raise UnsealError("a sealed value does not open with this sandbox's key") from exc

    def digest(self, value: str) -> str:
        """A keyed digest: equal values give equal digests, and it cannot be guessed back."""
        return hmac.new(self._mac_key, value.encode(), hashlib.sha256).hexdigest()


def new_key() -> bytes:
    """A fresh random key, made as Fernet makes one: 32 random bytes, url-safe base64."""
    return base64.urlsafe_b64encode(os.urandom(32))


def _check_key(key: bytes) -> None:
    """Refuse what Fernet would refuse: anything but 32 url-safe base64-encoded bytes."""
    try:
        decoded = base64.urlsafe_b64decode(key)
    except ValueError as exc:  # binascii.Error
        raise ValueError("Fernet key must be 32 url-safe base64-encoded bytes.") from exc
    if len(decoded) != 32:
        raise ValueError("Fernet key must be 32 url-safe base64-encoded bytes.")


def _derive(secret: str) -> bytes:
    return base64.urlsafe_b64encode(hashlib.sha256(secret.encode()).digest())


def _key_file(path: Path) -> bytes:
    """The key kept beside a database file (made on first use, owner-only)."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_bytes().strip()
    key = new_key()
    with os.fdopen(fd, "wb") as handle:
        handle.write(key)
    return key


def sealing_key(db_url: str, configured: str | None) -> bytes:
    """The key for a sandbox on `db_url`: the configured one, a key file, or a fresh one."""
    if configured:
        return _derive(configured)
    url = make_url(db_url)
    if url.get_backend_name() == "sqlite":
        if url.database in (None, "", ":memory:"):
            return new_key()
        return _key_file(Path(f"{url.database}.key"))
    log.warning(
        "no INSTALLO_SECRETS_KEY: webhook secrets sealed with a per-process key will not open "
        "after a restart or in another worker"
    )
    return new_key()
