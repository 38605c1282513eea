"""Applicant identities and the seeding that makes every generated attribute deterministic.

A generated field is seeded from sha256(sandbox seed, identity key, field name), never from
Python's per-process `hash()`, so the same identity gives the same person in every process and
adding a new field never shifts the values of the others.
"""

from __future__ import annotations

import functools
import hashlib
import random
import re
import threading
import unicodedata
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any, Final, Literal, NotRequired, TypedDict

if TYPE_CHECKING:
    from faker import Faker

EmailTag = Literal["approve", "decline", "review", "fraud", "frozen"]
EMAIL_TAGS: Final[frozenset[str]] = frozenset({"approve", "decline", "review", "fraud", "frozen"})
SUPPORTED_LOCALES: Final[tuple[str, ...]] = ("en_US", "zh_CN")


class Address(TypedDict):
    """A postal address as the API carries it (country is ISO 3166 alpha-2)."""

    line1: str
    line2: NotRequired[str | None]
    city: str
    region: NotRequired[str | None]
    postal_code: str
    country: str


@dataclass(frozen=True, slots=True)
class Identity:
    """What an applicant tells the lender about themselves."""

    email: str
    name: str
    phone: str
    date_of_birth: date
    address: Address
    national_id_last4: str
    locale: str = "en_US"
    device_id: str | None = None

    @property
    def key(self) -> str:
        """The stable key a person and their bureau file are derived from."""
        return identity_key(self.email)

    @property
    def email_tag(self) -> EmailTag | None:
        """The sandbox magic tag in the email (`jane+approve@x` -> "approve"), if any."""
        return email_tag(self.email)

    def to_dict(self) -> dict[str, Any]:
        """The identity in the API's customer shape (JSON-ready)."""
        data: dict[str, Any] = {
            "email": self.email,
            "name": self.name,
            "phone": self.phone,
            "date_of_birth": self.date_of_birth.isoformat(),
            "address": dict(self.address),
            "national_id_last4": self.national_id_last4,
            "locale": self.locale,
        }
        if self.device_id is not None:
            data["device_id"] = self.device_id
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Identity:
        """Build an identity from the API's customer shape (already validated)."""
        raw_dob = data["date_of_birth"]
        dob = raw_dob if isinstance(raw_dob, date) else date.fromisoformat(str(raw_dob))
        address = data["address"]
        return cls(
            email=str(data["email"]),
            name=str(data["name"]),
            phone=str(data["phone"]),
            date_of_birth=dob,
            address=Address(
                line1=str(address["line1"]),
                line2=address.get("line2"),
                city=str(address["city"]),
                region=address.get("region"),
                postal_code=str(address["postal_code"]),
                country=str(address["country"]),
            ),
            national_id_last4=str(data["national_id_last4"]),
            locale=str(data.get("locale") or "en_US"),
            device_id=data.get("device_id"),
        )


@functools.lru_cache(maxsize=4096)
def split_email(email: str) -> tuple[str, str | None, str]:
    """(mailbox, +suffix or None, domain) of a normalized email (an application asks a dozen
    times for its applicant's)."""
    local, _, domain = email.strip().lower().rpartition("@")
    if not local:
        local, domain = domain, ""
    base, plus, tag = local.partition("+")
    return base, (tag if plus else None), domain


def email_tag(email: str) -> EmailTag | None:
    """The sandbox tag in `name+tag@domain`, when it is one of the magic tags."""
    _, tag, _ = split_email(email)
    if tag in EMAIL_TAGS:
        return tag  # type: ignore[return-value]
    return None


def identity_key(email: str) -> str:
    """Normalized email without its `+tag`: the same mailbox is the same person."""
    base, _, domain = split_email(email)
    return f"{base}@{domain}"


def derive_seed(sandbox_seed: int, identity_key: str, field: str) -> int:
    """A 64-bit seed for one generated field of one identity (sha256, stable across processes)."""
    material = f"{sandbox_seed}\x1f{identity_key}\x1f{field}".encode()
    return int.from_bytes(hashlib.sha256(material).digest()[:8], "big")


def field_rng(sandbox_seed: int, identity_key: str, field: str) -> random.Random:
    """A private random generator for one field of one identity."""
    return random.Random(derive_seed(sandbox_seed, identity_key, field))


_FAKERS: dict[str, Faker] = {}
_FAKER_LOCK: Final = threading.Lock()


@contextmanager
def seeded_faker(locale: str, seed: int) -> Iterator[Faker]:
    """One cached Faker per locale, reseeded for a single field; held under a lock. Faker is
    imported at the first generated field, not with the sandbox (0.05-0.1 s of its start)."""
    if locale not in SUPPORTED_LOCALES:
        locale = "en_US"
    with _FAKER_LOCK:
        fake = _FAKERS.get(locale)
        if fake is None:
            from faker import Faker

            fake = _FAKERS[locale] = Faker(locale)
        fake.seed_instance(seed)
        yield fake


_NON_WORD: Final = re.compile(r"[^\w]+")


def normalize_name(name: str) -> str:
    """A comparable form of a name: case, accents, punctuation and word order ignored."""
    decomposed = unicodedata.normalize("NFKD", name)
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()
    return " ".join(sorted(token for token in _NON_WORD.split(plain) if token))


def address_key(address: Mapping[str, Any]) -> str:
    """A normalized address (line1, line2, postal code, country) for velocity matching."""
    parts = [address.get(name) or "" for name in ("line1", "line2", "postal_code", "country")]
    text = " ".join(str(part) for part in parts).casefold()
    return " ".join(token for token in _NON_WORD.split(text) if token)


def age_on(date_of_birth: date, on: date) -> int:
    """Whole years of age on a date."""
    had_birthday = (on.month, on.day) >= (date_of_birth.month, date_of_birth.day)
    return on.year - date_of_birth.year - (0 if had_birthday else 1)
