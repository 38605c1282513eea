"""Sandbox controls: seeded personas and the merchant's clock."""

from __future__ import annotations

from datetime import datetime

from .._models import BaseModel
from .shared import Address

__all__ = ["ClockAdvance", "Persona"]


class Persona(BaseModel):
    """A seeded Faker person in one risk tier, ready to be used as a checkout's customer."""

    tier: str
    locale: str | None = None
    email: str
    name: str | None = None
    phone: str | None = None
    date_of_birth: str | None = None
    national_id_last4: str | None = None
    address: Address | None = None


class ClockAdvance(BaseModel):
    """The merchant's sandbox time after an advance."""

    object: str = "sandbox_clock"
    now: datetime | None = None
