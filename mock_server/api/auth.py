"""The request's credentials: the `Authorization` header parsed once, shared by every layer.

The outermost middleware parses it into the ASGI scope's state; the rate limiter buckets by it,
the idempotency layer scopes keys by its merchant and, for a write, resolves the merchant it
authenticates inside the request's transaction (`remember_merchant`), which the route's
`current_caller` then takes instead of asking the database again.
Only the key's SHA-256 (`key_hash`, also its stored form) ever leaves this module's callers.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from starlette.types import Scope

from mock_server.services.context import MerchantAccount

__all__ = ["Credentials", "credentials_of", "remember_merchant", "remembered_merchant"]

_STATE_KEY = "credentials"
_MERCHANT_KEY = "authenticated_merchant"


@dataclass(frozen=True, slots=True)
class Credentials:
    """A bearer token (None when the header is missing or not `Bearer <token>`)."""

    token: str | None
    key_hash: str = field(init=False)

    def __post_init__(self) -> None:
        digest = hashlib.sha256((self.token or "").encode()).hexdigest()
        object.__setattr__(self, "key_hash", digest)

    @classmethod
    def parse(cls, authorization: str | None) -> Credentials:
        """Read an `Authorization` header value."""
        scheme, _, token = (authorization or "").partition(" ")
        token = token.strip()
        return cls(token if scheme.lower() == "bearer" and token else None)


def credentials_of(scope: Scope) -> Credentials:
    """The request's credentials, parsed on first use and kept in the scope's state."""
    state = scope.setdefault("state", {})
    found = state.get(_STATE_KEY)
    if isinstance(found, Credentials):
        return found
    header = None
    for name, value in scope.get("headers", []):
        if name.lower() == b"authorization":
            header = value.decode("latin-1")
            break
    credentials = state[_STATE_KEY] = Credentials.parse(header)
    return credentials


def remember_merchant(scope: Scope, merchant: MerchantAccount) -> None:
    """Keep the merchant the request's secret key authenticates, for the route."""
    scope.setdefault("state", {})[_MERCHANT_KEY] = merchant


def remembered_merchant(scope: Scope) -> MerchantAccount | None:
    """The merchant an earlier layer authenticated for this request, if one did."""
    found = scope.get("state", {}).get(_MERCHANT_KEY)
    return found if isinstance(found, MerchantAccount) else None
