"""A webhook subscription."""

from __future__ import annotations

from pydantic import Field

from .._models import InstalloObject

__all__ = ["WebhookEndpoint"]


class WebhookEndpoint(InstalloObject):
    """Where the API posts events; `secret` is present only in the answer that creates it."""

    url: str
    enabled_events: list[str] = Field(default_factory=lambda: ["*"])
    status: str = "enabled"
    secret: str | None = Field(default=None, repr=False)
