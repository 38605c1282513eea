"""Personas: deterministic people per seed and identity, tiers that map back, fraud rings."""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Callable
from decimal import ROUND_HALF_EVEN, Decimal, localcontext

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mock_server.domain.money import SANDBOX_USD_RATES, get_currency
from mock_server.risk.identity import Identity
from mock_server.risk.personas import (
    RING_SIZE,
    Persona,
    Tier,
    _employer_name,
    generate_personas,
    person_for_identity,
    tier_for_identity,
    usd_to_minor,
)

SEED = 42
MakeIdentity = Callable[..., Identity]


def _sha(personas: list[Persona]) -> str:
    data = [p.to_dict() for p in personas]
    text = json.dumps(data, ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()


def test_same_seed_gives_the_same_people_in_every_process() -> None:
    personas = generate_personas(SEED, 12)
    # Pinned: a change here means every sandbox's customers changed (e.g. a Faker upgrade).
    assert _sha(personas) == "3fab4bff523c21228fb05e56c2086589ed5113ca47282504edcbd61b466723d3"
    first = personas[0]
    assert (first.email, first.name, first.tier) == (
        "rachel.jones80@example.com",
        "Rachel Jones",
        Tier.PRIME,
    )
    assert first.income_annual == 18_100_000
    assert first.income_currency == "USD"


def test_another_seed_gives_other_people() -> None:
    assert _sha(generate_personas(SEED + 1, 12)) != _sha(generate_personas(SEED, 12))


def test_a_shorter_list_is_a_prefix_of_a_longer_one() -> None:
    assert generate_personas(SEED, 7) == generate_personas(SEED, 20)[:7]


def test_personas_cycle_through_every_tier_and_both_locales() -> None:
    personas = generate_personas(SEED, 24)
    assert Counter(p.tier for p in personas) == {tier: 4 for tier in Tier}
    assert {p.locale for p in personas} == {"en_US", "zh_CN"}
    assert {p.income_currency for p in personas if p.locale == "zh_CN"} == {"CNY"}
    assert {p.identity.address["country"] for p in personas if p.locale == "zh_CN"} == {"CN"}


def test_each_persona_maps_back_to_itself_through_its_identity() -> None:
    for persona in generate_personas(SEED, 60):
        person = person_for_identity(SEED, persona.identity)
        assert person.tier is persona.tier
        assert person.income_annual == persona.income_annual
        assert person.behaviour == persona.behaviour
        assert person.employer == persona.employer


def test_an_employer_is_named_when_read_not_when_the_person_is_derived() -> None:
    # Underwriting derives a person per application and never reads the employer; Faker's
    # company name was ~3% of a confirm.
    employed = [p for p in generate_personas(SEED + 1, 40) if p.employer_seed is not None]
    assert employed
    _employer_name.cache_clear()
    people = [person_for_identity(SEED + 1, p.identity) for p in employed]
    assert _employer_name.cache_info().misses == 0
    assert [p.employer for p in people] == [p.employer for p in employed]
    assert all(isinstance(p.employer, str) and p.employer for p in people)


def test_filtering_tiers_and_locales() -> None:
    personas = generate_personas(SEED, 10, tiers=["thin_file"], locales=["zh_CN"])
    assert {p.tier for p in personas} == {Tier.THIN_FILE}
    assert {p.locale for p in personas} == {"zh_CN"}


def test_unsupported_locale_is_refused() -> None:
    with pytest.raises(ValueError, match="fr_FR"):
        generate_personas(SEED, 3, locales=["fr_FR"])


def test_persona_emails_are_unique() -> None:
    personas = generate_personas(SEED, 300)
    assert len({p.email for p in personas}) == 300


def test_fraud_ring_members_share_device_phone_and_address() -> None:
    ring = [p for p in generate_personas(SEED, 6 * RING_SIZE) if p.tier is Tier.FRAUD_RING]
    assert [p.ring_id for p in ring] == ["ring_1"] * RING_SIZE
    assert len({p.identity.device_id for p in ring}) == 1
    assert len({p.identity.phone for p in ring}) == 1
    assert len({json.dumps(p.identity.address, sort_keys=True) for p in ring}) == 1
    assert len({p.email for p in ring}) == RING_SIZE
    others = [p for p in generate_personas(SEED, 6 * RING_SIZE) if p.ring_id is None]
    assert len({p.identity.device_id for p in others}) == len(others)


def test_any_identity_gets_a_deterministic_person(identity: Identity) -> None:
    person = person_for_identity(SEED, identity)
    assert person == person_for_identity(SEED, identity)
    assert person.income_annual % 100_000 == 0
    assert (person.tier, person.employment_status, person.income_annual) == (
        Tier.NEAR_PRIME,
        "employed",
        4_800_000,
    )


def test_email_tags_force_the_tier(make_identity: MakeIdentity) -> None:
    expected = {
        "approve": Tier.PRIME,
        "decline": Tier.SUBPRIME,
        "review": Tier.NEAR_PRIME,
        "fraud": Tier.FRAUD_RING,
        "frozen": Tier.FROZEN_FILE,
    }
    for tag, tier in expected.items():
        assert tier_for_identity(SEED, make_identity(f"jane+{tag}@example.com")) is tier


def test_behaviour_follows_the_tier() -> None:
    personas = generate_personas(SEED, 300)
    prime = Counter(p.behaviour for p in personas if p.tier is Tier.PRIME)
    ring = Counter(p.behaviour for p in personas if p.tier is Tier.FRAUD_RING)
    subprime = Counter(p.behaviour for p in personas if p.tier is Tier.SUBPRIME)
    assert prime["on_time"] >= 40 and prime["default"] == 0
    assert ring["default"] >= 30
    assert subprime["on_time"] < 30 and subprime["default"] >= 2


def test_population_tiers_follow_the_weights(make_identity: MakeIdentity) -> None:
    tiers = Counter(
        tier_for_identity(SEED, make_identity(f"user{n}@example.com")) for n in range(4000)
    )
    assert 1600 <= tiers[Tier.PRIME] <= 2000
    assert 850 <= tiers[Tier.NEAR_PRIME] <= 1150
    assert 30 <= tiers[Tier.FROZEN_FILE] <= 130


def test_one_tier_at_a_time_never_repeats_another_tiers_person() -> None:
    prime = generate_personas(SEED, 3, tiers=["prime"])
    near_prime = generate_personas(SEED, 3, tiers=["near_prime"])
    shared = {(p.identity.phone, p.identity.device_id) for p in prime} & {
        (p.identity.phone, p.identity.device_id) for p in near_prime
    }
    assert shared == set()
    assert {p.tier for p in near_prime} == {Tier.NEAR_PRIME}


@given(
    usd_cents=st.integers(min_value=-(10**15), max_value=10**15),
    currency=st.sampled_from(sorted(SANDBOX_USD_RATES)),
)
def test_usd_to_minor_is_the_exact_quotient_rounded_half_even(
    usd_cents: int, currency: str
) -> None:
    """US cents to a currency's minor units equals its definition worked out in exact
    decimals: cents / 100 / rate x minor units per major unit, rounded half-even once."""
    minor = get_currency(currency).minor_per_major
    with localcontext() as ctx:
        ctx.prec = 80  # no intermediate rounding at these sizes
        exact = Decimal(usd_cents) / 100 / SANDBOX_USD_RATES[currency] * minor
        expected = int(exact.quantize(Decimal(1), rounding=ROUND_HALF_EVEN))
    assert usd_to_minor(usd_cents, currency) == expected
    assert usd_to_minor(usd_cents, currency.lower()) == expected
