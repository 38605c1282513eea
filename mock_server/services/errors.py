"""Errors a use case raises; the API maps each to a status and the one error shape.

ServiceError
 ├── NotFound          (404) no such object for this merchant
 ├── InvalidRequest    (400) input the domain refuses, naming the field
 ├── Conflict          (409) the object's state forbids the operation, with a code naming it
 ├── PermissionDenied  (403) a valid key that may not do this (onboarding key, suspended merchant)
 └── Unauthenticated   (401) no valid key
"""

from __future__ import annotations

__all__ = [
    "Conflict",
    "InvalidRequest",
    "NotFound",
    "PermissionDenied",
    "ServiceError",
    "Unauthenticated",
]


class ServiceError(Exception):
    """Base of every error a service raises on purpose."""

    code: str = "error"

    def __init__(self, message: str, *, code: str | None = None, param: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.param = param
        if code is not None:
            self.code = code


class NotFound(ServiceError):
    """The merchant has no object with this id (another merchant's object included)."""

    code = "resource_missing"

    def __init__(self, kind: str, object_id: str, *, param: str | None = None) -> None:
        shown = (
            object_id
            if len(object_id) <= 64
            else f"{object_id[:24]}... ({len(object_id)} characters)"
        )
        super().__init__(f"No such {kind}: '{shown}'", param=param)


class InvalidRequest(ServiceError):
    """The request is well-formed but the domain refuses its values."""

    code = "parameter_invalid"


class Conflict(ServiceError):
    """The object's current state does not allow the operation."""

    code = "invalid_state"


class Unauthenticated(ServiceError):
    """No key, or a key that belongs to no active merchant."""

    code = "invalid_api_key"


class PermissionDenied(ServiceError):
    """A valid key whose merchant may not do this now."""

    code = "permission_denied"
