"""Sandbox controls: seeded personas and the merchant's clock."""

from __future__ import annotations

from datetime import date, datetime
from typing import cast

from pydantic import Field

from .._models import BaseModel
from .params import CustomerParam
from .shared import Address

__all__ = ["ClockAdvance", "Persona"]


class Persona(BaseModel):
    """A seeded Faker person in one risk tier, ready to be used as a checkout's customer."""

    id: str | None = None
    object: str = "persona"
    tier: str
    ring_id: str | None = None
    email: str
    name: str | None = None
    phone: str | None = None
    date_of_birth: date | None = None
    address: Address | None = None
    national_id_last4: str | None = None
    locale: str | None = None
    device_id: str | None = None
    behaviour: str | None = None
    """How autopay treats this person's loans: on_time, late, partial or default."""

    def as_customer(self) -> CustomerParam:
        """The persona as an inline customer body for `checkouts.create(customer=...)`."""
        body: dict[str, object] = {
            "email": self.email,
            "name": self.name,
            "phone": self.phone,
            "date_of_birth": self.date_of_birth.isoformat() if self.date_of_birth else None,
            "national_id_last4": self.national_id_last4,
            "locale": self.locale,
            "address": self.address.model_dump(exclude_none=True) if self.address else None,
        }
        return cast(CustomerParam, {key: value for key, value in body.items() if value})


class ClockAdvance(BaseModel):
    """The merchant's sandbox time after an advance."""

    object: str = "sandbox_clock"
    now: datetime | None = None
    events: dict[str, int] = Field(default_factory=dict)
