"""Who is shopping: a persona or a hand-made identity, and the customer body it becomes."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

__all__ = ["CUSTOM_DETAILS", "MAGIC_TAGS", "Identity"]

MAGIC_TAGS: tuple[str, ...] = ("approve", "decline", "review", "fraud", "frozen")
# What a custom shopper is given besides a name and an email.
CUSTOM_DETAILS: dict[str, Any] = {
    "phone": "+14155550123",
    "date_of_birth": "1988-04-12",
    "national_id_last4": "1234",
    "address": {
        "line1": "1 Market St",
        "city": "San Francisco",
        "region": "CA",
        "postal_code": "94105",
        "country": "US",
    },
}


@dataclass(frozen=True)
class Identity:
    """A shopper's identity as the API's customer body wants it."""

    name: str
    email: str
    tier: str = "custom"
    locale: str = "en_US"
    phone: str | None = None
    date_of_birth: str | None = None
    national_id_last4: str | None = None
    address: dict[str, Any] | None = field(default=None, hash=False)

    @classmethod
    def from_persona(cls, persona: Any) -> Identity:
        """Build from an SDK ``Persona`` (or anything with the same attributes)."""
        address = getattr(persona, "address", None)
        if address is not None and hasattr(address, "model_dump"):
            address = address.model_dump(exclude_none=True)
        dob = getattr(persona, "date_of_birth", None)
        return cls(
            name=str(getattr(persona, "name", None) or persona.email.split("@")[0]),
            email=str(persona.email),
            tier=str(getattr(persona, "tier", "custom")),
            locale=str(getattr(persona, "locale", None) or "en_US"),
            phone=getattr(persona, "phone", None),
            date_of_birth=str(dob) if dob is not None else None,
            national_id_last4=getattr(persona, "national_id_last4", None),
            address=address,
        )

    @classmethod
    def custom(cls, name: str, email: str) -> Identity:
        """A hand-made shopper: the name and email typed, the sandbox's test details for the
        rest of what the API requires (a tagged email keeps them out of velocity checks)."""
        return cls(name=name, email=email, **CUSTOM_DETAILS)

    @property
    def magic_tag(self) -> str | None:
        """The ``+tag`` in the email's local part, if it is one the sandbox knows."""
        local = self.email.split("@", 1)[0]
        if "+" not in local:
            return None
        tag = local.rsplit("+", 1)[1]
        return tag if tag in MAGIC_TAGS else None

    def with_tag(self, tag: str | None) -> Identity:
        """The same person with the email's magic tag replaced (``None`` removes it)."""
        local, _, domain = self.email.partition("@")
        base = local.split("+", 1)[0]
        email = f"{base}+{tag}@{domain}" if tag else f"{base}@{domain}"
        return replace(self, email=email)

    def customer_body(self) -> dict[str, Any]:
        """The ``POST /v1/customers`` body (unset fields left out)."""
        body: dict[str, Any] = {"name": self.name, "email": self.email, "locale": self.locale}
        optional = {
            "phone": self.phone,
            "date_of_birth": self.date_of_birth,
            "national_id_last4": self.national_id_last4,
            "address": self.address,
        }
        body.update({k: v for k, v in optional.items() if v is not None})
        return body
