"""Bases of the resource classes, and the per-call options every method takes."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, TypedDict

from ._base_client import Timeout

if TYPE_CHECKING:
    from ._client import AsyncInstallo, Installo

__all__ = ["AsyncAPIResource", "RequestOptions", "SyncAPIResource"]


class RequestOptions(TypedDict, total=False):
    """Per-call options every method accepts as keyword arguments."""

    idempotency_key: str
    """For a POST: reuse your own key instead of a generated one (same key on every retry)."""
    extra_headers: Mapping[str, str]
    timeout: Timeout
    max_retries: int


class SyncAPIResource:
    """A group of methods of the sync client."""

    def __init__(self, client: Installo) -> None:
        self._client = client


class AsyncAPIResource:
    """A group of methods of the async client."""

    def __init__(self, client: AsyncInstallo) -> None:
        self._client = client
