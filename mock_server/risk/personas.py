"""Sandbox people: risk tiers, the person behind any identity, and seeded persona lists.

The identity alone decides a person: its tier comes from a hash of (sandbox seed, identity key),
unless an email tag (`+approve`, `+decline`, ...) forces one; every other attribute is seeded from
(sandbox seed, identity key, field name). Persona generation searches email addresses until the
hash lands on the wanted tier, so `person_for_identity(seed, persona.identity)` gives the persona
back.
"""

from __future__ import annotations

import functools
import random
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from fractions import Fraction
from typing import Any, Final

from mock_server.domain.money import from_usd_minor as usd_to_minor  # listed in __all__
from mock_server.domain.money import (
    get_currency,
    round_half_even,
)
from mock_server.risk.identity import (
    SUPPORTED_LOCALES,
    Address,
    Identity,
    age_on,
    derive_seed,
    field_rng,
    seeded_faker,
)
from mock_server.risk.tiers import (
    OTHER_INCOME_USD,
    TIER_TRAITS,
    Behaviour,
    EmploymentStatus,
    Tier,
    TierTraits,
    tier_for_identity,
    tier_for_key,
    weighted_choice,
)

__all__ = [
    "LOCALE_CURRENCIES",
    "PERSONA_REFERENCE_DATE",
    "RING_SIZE",
    "Behaviour",
    "EmploymentStatus",
    "Person",
    "Persona",
    "Tier",
    "generate_personas",
    "person_for_identity",
    "tier_for_identity",
    "usd_to_minor",
]

LOCALE_CURRENCIES: Final[dict[str, str]] = {"en_US": "USD", "zh_CN": "CNY"}
# Personas' ages are set against this date so a persona list never depends on the wall clock.
PERSONA_REFERENCE_DATE: Final = date(2026, 1, 1)
RING_SIZE: Final = 3


@dataclass(frozen=True, slots=True)
class Person:
    """An identity plus everything the sandbox derives from it."""

    identity: Identity
    tier: Tier
    income_annual: int  # minor units of income_currency
    income_currency: str
    employment_status: EmploymentStatus
    # The seed of the employer's name (None without an employer): the name is Faker's, made
    # when read (`employer`); underwriting never reads it, and making it was ~3% of a confirm.
    employer_seed: int | None
    months_at_address: int
    behaviour: Behaviour

    @property
    def employer(self) -> str | None:
        """The employer's name, if employed (the same for the same identity and seed)."""
        if self.employer_seed is None:
            return None
        return _employer_name(self.identity.locale, self.employer_seed)

    @property
    def email(self) -> str:
        """The applicant's email."""
        return self.identity.email

    @property
    def name(self) -> str:
        """The applicant's full name."""
        return self.identity.name

    @property
    def locale(self) -> str:
        """The applicant's locale."""
        return self.identity.locale

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict: the identity's customer fields plus the derived ones."""
        data = self.identity.to_dict()
        data.update(
            tier=self.tier.value,
            income_annual=self.income_annual,
            income_currency=self.income_currency,
            employment_status=self.employment_status,
            employer=self.employer,
            months_at_address=self.months_at_address,
            behaviour=self.behaviour,
        )
        return data


@dataclass(frozen=True, slots=True)
class Persona(Person):
    """A seeded sandbox customer; fraud-ring members carry their ring's id."""

    ring_id: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict of the persona (for `GET /v1/sandbox/personas`)."""
        data = Person.to_dict(self)
        data["ring_id"] = self.ring_id
        return data


def _employment(rng: random.Random, traits: TierTraits, age: int) -> EmploymentStatus:
    status = weighted_choice(rng, traits.employment)
    if age >= 67 and status in ("employed", "self_employed") and rng.randrange(10) < 7:
        return "retired"
    if age < 23 and status == "retired":
        return "student"
    return status


@functools.lru_cache(maxsize=1024)
def _employer_name(locale: str, seed: int) -> str:
    with seeded_faker(locale, seed) as fake:
        return str(fake.company())


def person_for_identity(seed: int, identity: Identity) -> Person:
    """Derive the rest of any identity deterministically: tier, income, employment, behaviour."""
    key = identity.key
    tier = tier_for_identity(seed, identity)
    traits = TIER_TRAITS[tier]
    age = age_on(identity.date_of_birth, PERSONA_REFERENCE_DATE)
    approve = identity.email_tag == "approve"
    status: EmploymentStatus
    if approve:
        # A salaried high earner: nothing about the person sends the application to a review.
        # (Each field has its own generator, so the draws this skips change no other field.)
        status, low, high = "employed", 150_000, 250_000
    else:
        status = _employment(field_rng(seed, key, "employment_status"), traits, age)
        low, high = OTHER_INCOME_USD.get(status, traits.income_usd)
    income_dollars = field_rng(seed, key, "income_annual").randint(low // 1000, high // 1000) * 1000
    currency = LOCALE_CURRENCIES.get(identity.locale, "USD")
    employer_seed = None
    if status in ("employed", "self_employed"):
        employer_seed = derive_seed(seed, key, "employer")
    behaviour: Behaviour = "on_time"
    if not approve:
        behaviour = weighted_choice(field_rng(seed, key, "behaviour"), traits.behaviour)
    # Income is a round thousand in the applicant's own currency.
    thousand = 1000 * get_currency(currency).minor_per_major
    income = round_half_even(Fraction(usd_to_minor(income_dollars * 100, currency), thousand))
    return Person(
        identity=identity,
        tier=tier,
        income_annual=income * thousand,
        income_currency=currency,
        employment_status=status,
        employer_seed=employer_seed,
        months_at_address=field_rng(seed, key, "months_at_address").randint(
            *traits.months_at_address
        ),
        behaviour=behaviour,
    )


_ASCII_WORD: Final = re.compile(r"[^a-z0-9]+")
_EMAIL_DOMAINS: Final = ("example.com", "example.net", "example.org")


def _name_parts(seed: int, pid: str, locale: str) -> tuple[str, str]:
    """(display name, ascii email base) for a persona."""
    with seeded_faker(locale, derive_seed(seed, pid, "name")) as fake:
        if locale == "zh_CN":
            display = f"{fake.last_name()}{fake.first_name()}"
            roman = f"{fake.first_romanized_name()}.{fake.last_romanized_name()}"
        else:
            first, last = str(fake.first_name()), str(fake.last_name())
            display, roman = f"{first} {last}", f"{first}.{last}"
    base = ".".join(part for part in _ASCII_WORD.split(roman.lower()) if part)
    return display, base or "customer"


def _email_for_tier(seed: int, pid: str, base: str, tier: Tier, used: set[str]) -> str:
    rng = field_rng(seed, pid, "email")
    domain = rng.choice(_EMAIL_DOMAINS)
    number = rng.randint(1, 99)
    while True:
        email = f"{base}{number}@{domain}"
        if email not in used and tier_for_key(seed, email) is tier:
            used.add(email)
            return email
        number += 1


def _address(seed: int, owner: str, locale: str) -> Address:
    with seeded_faker(locale, derive_seed(seed, owner, "address")) as fake:
        if locale == "zh_CN":
            return Address(
                line1=f"{fake.district()}区{fake.street_address()}",
                line2=None,
                city=str(fake.city()),
                region=str(fake.province()),
                postal_code=str(fake.postcode()),
                country="CN",
            )
        line2 = str(fake.secondary_address()) if fake.random_int(0, 3) == 0 else None
        return Address(
            line1=str(fake.street_address()),
            line2=line2,
            city=str(fake.city()),
            region=str(
                fake.state_abbr(include_territories=False, include_freely_associated_states=False)
            ),
            postal_code=str(fake.zipcode()),
            country="US",
        )


def _phone(seed: int, owner: str, locale: str) -> str:
    rng = field_rng(seed, owner, "phone")
    if locale == "zh_CN":
        return f"+861{rng.choice('3456789')}{rng.randrange(10**9):09d}"
    return f"+1{rng.randint(201, 989)}{rng.randint(200, 999)}{rng.randrange(10**4):04d}"


def _device_id(seed: int, owner: str) -> str:
    return f"dev_{derive_seed(seed, owner, 'device_id'):016x}"


def _date_of_birth(seed: int, pid: str, tier: Tier) -> date:
    rng = field_rng(seed, pid, "date_of_birth")
    youngest, oldest = TIER_TRAITS[tier].age
    latest = PERSONA_REFERENCE_DATE.replace(year=PERSONA_REFERENCE_DATE.year - youngest)
    earliest = PERSONA_REFERENCE_DATE.replace(year=PERSONA_REFERENCE_DATE.year - oldest - 1)
    return earliest + timedelta(days=rng.randrange(1, (latest - earliest).days))


def _persona_identity(
    seed: int, index: int, tier: Tier, locale: str, ring_id: str | None, used: set[str]
) -> Identity:
    # The tier is part of the key, so asking for one tier never repeats another tier's person.
    pid = f"persona:{tier.value}:{index}"
    display, base = _name_parts(seed, pid, locale)
    # Ring members share the ring's address, phone and device, so velocity checks link them.
    owner = f"ring:{ring_id}" if ring_id is not None else pid
    return Identity(
        email=_email_for_tier(seed, pid, base, tier, used),
        name=display,
        phone=_phone(seed, owner, locale),
        date_of_birth=_date_of_birth(seed, pid, tier),
        address=_address(seed, owner, locale),
        national_id_last4=f"{field_rng(seed, pid, 'national_id_last4').randrange(10**4):04d}",
        locale=locale,
        device_id=_device_id(seed, owner),
    )


def generate_personas(
    seed: int,
    count: int,
    *,
    tiers: Sequence[Tier | str] | None = None,
    locales: Sequence[str] | None = None,
) -> list[Persona]:
    """Seeded customers cycling through the tiers (and locales); the same seed, the same people.

    A shorter list is a prefix of a longer one. Fraud-ring members come in rings of
    `RING_SIZE` that share an address, a phone and a device.
    """
    if count < 0:
        raise ValueError(f"count must be >= 0, got {count}")
    wanted = tuple(Tier(tier) for tier in tiers) if tiers else tuple(Tier)
    places = tuple(locales) if locales else SUPPORTED_LOCALES
    unknown = [locale for locale in places if locale not in SUPPORTED_LOCALES]
    if unknown or not wanted:
        raise ValueError(f"unsupported locales {unknown} (supported: {list(SUPPORTED_LOCALES)})")
    used: set[str] = set()
    ring_members = 0
    personas: list[Persona] = []
    for index in range(count):
        tier = wanted[index % len(wanted)]
        locale = places[(index // len(wanted)) % len(places)]
        ring_id = None
        if tier is Tier.FRAUD_RING:
            ring_number = ring_members // RING_SIZE
            ring_members += 1
            ring_id = f"ring_{ring_number + 1}"
            locale = places[ring_number % len(places)]
        identity = _persona_identity(seed, index, tier, locale, ring_id, used)
        person = person_for_identity(seed, identity)
        personas.append(
            Persona(
                identity=person.identity,
                tier=person.tier,
                income_annual=person.income_annual,
                income_currency=person.income_currency,
                employment_status=person.employment_status,
                employer_seed=person.employer_seed,
                months_at_address=person.months_at_address,
                behaviour=person.behaviour,
                ring_id=ring_id,
            )
        )
    return personas
