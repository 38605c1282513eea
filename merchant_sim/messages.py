"""App-wide messages: things that happened which more than one screen cares about."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.message import Message

if TYPE_CHECKING:
    from installo.types.checkout import Checkout


class SandboxReady(Message):
    """The sandbox connection is up and personas are loaded."""


class SandboxFailed(Message):
    """The sandbox could not be reached or started."""

    def __init__(self, reason: str) -> None:
        super().__init__()
        self.reason = reason


class CheckoutDecided(Message):
    """A checkout got its decision (or a review settled it)."""

    def __init__(self, checkout: Checkout, latency_ms: float, tier: str, locale: str) -> None:
        super().__init__()
        self.checkout = checkout
        self.latency_ms = latency_ms
        self.tier = tier
        self.locale = locale
