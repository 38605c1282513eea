"""Risk tiers of the simulated population: their shares, traits, and the tier of an identity.

The tier of an identity comes from a hash of (sandbox seed, identity key) unless an email tag
forces one, so the identity alone decides it.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Final, Literal, TypeVar

from mock_server.risk.identity import Identity, derive_seed

_T = TypeVar("_T")

EmploymentStatus = Literal["employed", "self_employed", "student", "retired", "unemployed"]
Behaviour = Literal["on_time", "late", "partial", "default"]


class Tier(StrEnum):
    """A risk tier of the sandbox's simulated population."""

    PRIME = "prime"
    NEAR_PRIME = "near_prime"
    SUBPRIME = "subprime"
    THIN_FILE = "thin_file"
    FROZEN_FILE = "frozen_file"
    FRAUD_RING = "fraud_ring"


# Share of the population per tier, in basis points of 10,000 (in Tier order).
TIER_WEIGHTS_BPS: Final[dict[Tier, int]] = {
    Tier.PRIME: 4500,
    Tier.NEAR_PRIME: 2500,
    Tier.SUBPRIME: 1500,
    Tier.THIN_FILE: 1000,
    Tier.FROZEN_FILE: 200,
    Tier.FRAUD_RING: 300,
}
TAG_TIERS: Final[dict[str, Tier]] = {
    "approve": Tier.PRIME,
    "decline": Tier.SUBPRIME,
    "review": Tier.NEAR_PRIME,
    "fraud": Tier.FRAUD_RING,
    "frozen": Tier.FROZEN_FILE,
}


@dataclass(frozen=True, slots=True)
class TierTraits:
    """What a tier's people look like: income, age, tenure, employment and repayment."""

    income_usd: tuple[int, int]  # annual, whole dollars, when employed
    age: tuple[int, int]
    months_at_address: tuple[int, int]
    employment: tuple[tuple[EmploymentStatus, int], ...]
    behaviour: tuple[tuple[Behaviour, int], ...]


TIER_TRAITS: Final[dict[Tier, TierTraits]] = {
    Tier.PRIME: TierTraits(
        (60_000, 220_000),
        (30, 72),
        (24, 240),
        (("employed", 72), ("self_employed", 18), ("retired", 10)),
        (("on_time", 95), ("late", 5)),
    ),
    Tier.NEAR_PRIME: TierTraits(
        (38_000, 110_000),
        (24, 65),
        (12, 120),
        (("employed", 78), ("self_employed", 12), ("retired", 4), ("unemployed", 6)),
        (("on_time", 75), ("late", 20), ("partial", 5)),
    ),
    Tier.SUBPRIME: TierTraits(
        (18_000, 60_000),
        (21, 60),
        (2, 60),
        (
            ("employed", 62),
            ("self_employed", 10),
            ("unemployed", 18),
            ("student", 5),
            ("retired", 5),
        ),
        (("on_time", 35), ("late", 35), ("partial", 15), ("default", 15)),
    ),
    Tier.THIN_FILE: TierTraits(
        (16_000, 48_000),
        (18, 24),
        (1, 24),
        (("student", 45), ("employed", 45), ("unemployed", 10)),
        (("on_time", 70), ("late", 20), ("partial", 5), ("default", 5)),
    ),
    Tier.FROZEN_FILE: TierTraits(
        (40_000, 150_000),
        (28, 70),
        (12, 180),
        (("employed", 80), ("self_employed", 10), ("retired", 10)),
        (("on_time", 85), ("late", 15)),
    ),
    Tier.FRAUD_RING: TierTraits(
        (45_000, 120_000),
        (22, 45),
        (1, 8),
        (("employed", 70), ("self_employed", 30)),
        (("default", 80), ("on_time", 20)),
    ),
}
# Annual income in whole dollars for those not in work.
OTHER_INCOME_USD: Final[dict[str, tuple[int, int]]] = {
    "student": (0, 18_000),
    "retired": (20_000, 80_000),
    "unemployed": (0, 14_000),
}


def weighted_choice(rng: random.Random, options: Sequence[tuple[_T, int]]) -> _T:
    """One of the options, drawn with probability proportional to its weight."""
    total = sum(weight for _, weight in options)
    pick = rng.randrange(total)
    for value, weight in options:
        pick -= weight
        if pick < 0:
            return value
    raise AssertionError("unreachable: weights exhausted")


def tier_for_key(seed: int, key: str) -> Tier:
    """The tier the hash of an identity key lands on (ignoring email tags)."""
    point = derive_seed(seed, key, "tier") % 10_000
    for tier, weight in TIER_WEIGHTS_BPS.items():
        point -= weight
        if point < 0:
            return tier
    raise AssertionError("unreachable: tier weights sum to 10,000")


def tier_for_identity(seed: int, identity: Identity) -> Tier:
    """The identity's tier: forced by its email tag, else decided by its hash."""
    tag = identity.email_tag
    return TAG_TIERS[tag] if tag is not None else tier_for_key(seed, identity.key)
