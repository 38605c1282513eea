"""Sandbox personas: seeded Faker people across risk tiers, paginated like any list."""

from __future__ import annotations

import threading
from typing import Final

from mock_server.risk.identity import SUPPORTED_LOCALES
from mock_server.risk.personas import Persona, Tier, generate_personas
from mock_server.services.errors import InvalidRequest
from mock_server.services.objects import Listing, PersonaObject

__all__ = ["PERSONA_POPULATION", "list_personas"]

# The personas form a finite population so a paginator ends.
PERSONA_POPULATION: Final = 600

_cache: dict[tuple[int, tuple[str, ...], tuple[str, ...]], list[Persona]] = {}
_cache_lock = threading.Lock()


def _generate(
    seed: int, tiers: tuple[str, ...], locales: tuple[str, ...], count: int
) -> list[Persona]:
    """The first `count` personas (a shorter list is a prefix of a longer one, so cache the
    longest generated)."""
    key = (seed, tiers, locales)
    with _cache_lock:
        found = _cache.get(key)
        if found is None or len(found) < count:
            found = generate_personas(seed, count, tiers=tiers or None, locales=locales or None)
            if len(_cache) > 64:
                _cache.clear()
            _cache[key] = found
        return found


def _persona_object(index: int, persona: Persona) -> PersonaObject:
    data = persona.to_dict()
    return {
        "id": f"per_{index:04d}",
        "object": "persona",
        "tier": data["tier"],
        "ring_id": data["ring_id"],
        "email": data["email"],
        "name": data["name"],
        "phone": data["phone"],
        "date_of_birth": data["date_of_birth"],
        "address": data["address"],
        "national_id_last4": data["national_id_last4"],
        "locale": data["locale"],
        "device_id": data.get("device_id"),
        "behaviour": data["behaviour"],
    }


def _cursor(starting_after: str | None) -> int:
    if starting_after is None:
        return 0
    prefix, _, number = starting_after.partition("_")
    if prefix != "per" or not number.isdigit():
        raise InvalidRequest(
            f"starting_after must be a persona id such as per_0009, got {starting_after!r}",
            param="starting_after",
        )
    return int(number) + 1


def list_personas(
    seed: int, limit: int, starting_after: str | None, tier: str | None, locale: str | None
) -> Listing[PersonaObject]:
    """A page of the seeded population (optionally one tier or locale); same seed, same people."""
    if tier is not None and tier not in {t.value for t in Tier}:
        known = ", ".join(t.value for t in Tier)
        raise InvalidRequest(f"unknown tier {tier!r} (known: {known})", param="tier")
    if locale is not None and locale not in SUPPORTED_LOCALES:
        raise InvalidRequest(
            f"unsupported locale {locale!r} (supported: {', '.join(SUPPORTED_LOCALES)})",
            param="locale",
        )
    start = _cursor(starting_after)
    end = min(start + limit, PERSONA_POPULATION)
    if start >= end:
        return Listing([], has_more=False)
    tiers = (tier,) if tier else ()
    locales = (locale,) if locale else ()
    people = _generate(seed, tiers, locales, end)
    data = [_persona_object(i, people[i]) for i in range(start, end)]
    return Listing(data, end < PERSONA_POPULATION)
