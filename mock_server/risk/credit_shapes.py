"""File shapes: the ranges a generated bureau file is drawn from, per tier and per email tag."""

from __future__ import annotations

import random
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Final

from mock_server.risk.tiers import Tier

if TYPE_CHECKING:
    from mock_server.risk.credit import TradelineType

_LOAN_AMOUNTS_USD: Final[dict[str, tuple[int, int]]] = {
    "installment": (1_000, 15_000),
    "auto": (8_000, 45_000),
    "mortgage": (120_000, 600_000),
    "student": (10_000, 60_000),
}

# Fictitious creditors per locale and account type (the type's inquiries come from them too).
CREDITORS: Final[dict[str, dict[str, tuple[str, ...]]]] = {
    "en_US": {
        "revolving": ("Contoso Card Services", "Adatum Retail Card", "Northwind Bank"),
        "installment": ("Proseware Capital", "Litware Credit Union"),
        "auto": ("Fabrikam Auto Finance", "Litware Credit Union"),
        "mortgage": ("Woodgrove Mortgage", "Northwind Bank"),
        "student": ("Tailspin Student Lending",),
    },
    "zh_CN": {
        "revolving": ("星河零售信用卡", "北风示例银行", "华信消费金融"),
        "installment": ("恒通资本", "联合信用合作社"),
        "auto": ("东方汽车金融",),
        "mortgage": ("安居住房银行", "北风示例银行"),
        "student": ("长城助学贷款",),
    },
}


def draw(rng: random.Random, bounds: tuple[int, int]) -> int:
    """A uniform integer in bounds, floored at zero.

    A negative lower bound makes zero more likely: (-9, 1) gives 1 about one time in eleven.
    """
    return max(0, rng.randint(*bounds))


@dataclass(frozen=True, slots=True)
class FileShape:
    """Ranges (inclusive) that one kind of bureau file is drawn from."""

    score: tuple[int, int]
    tradelines: tuple[int, int]
    oldest_months: tuple[int, int]
    utilization_bps: tuple[int, int]
    revolving_limit_usd: tuple[int, int]  # whole dollars per revolving line
    late_marks: tuple[int, int]
    late_months_ago: tuple[int, int] = (0, 23)
    late_severity: str = "1"
    hard_inquiries_6m: tuple[int, int] = (0, 2)
    recent_inquiry_days: int = 180
    public_records: tuple[int, int] = (0, 0)
    mismatch_pct: int = 0
    frozen: bool = False
    other_types: tuple[TradelineType, ...] = (
        "revolving",
        "revolving",
        "installment",
        "auto",
        "mortgage",
        "student",
    )
    loan_amount_usd: dict[str, tuple[int, int]] = field(
        default_factory=lambda: dict(_LOAN_AMOUNTS_USD)
    )


TIER_SHAPES: Final[dict[Tier, FileShape]] = {
    # Long history, low utilization, at most one old 30-day mark.
    Tier.PRIME: FileShape(
        score=(720, 850),
        tradelines=(5, 12),
        oldest_months=(84, 300),
        utilization_bps=(200, 2800),
        revolving_limit_usd=(5_000, 30_000),
        late_marks=(-12, 1),
        late_months_ago=(13, 23),
    ),
    Tier.NEAR_PRIME: FileShape(
        score=(640, 719),
        tradelines=(3, 9),
        oldest_months=(36, 180),
        utilization_bps=(2000, 6000),
        revolving_limit_usd=(2_000, 12_000),
        late_marks=(-3, 1),
        late_months_ago=(6, 23),
        hard_inquiries_6m=(0, 3),
    ),
    Tier.SUBPRIME: FileShape(
        score=(470, 639),
        tradelines=(3, 8),
        oldest_months=(12, 120),
        utilization_bps=(6000, 10_000),
        revolving_limit_usd=(300, 3_000),
        late_marks=(1, 7),
        late_months_ago=(0, 12),
        late_severity="1123",
        hard_inquiries_6m=(2, 6),
        public_records=(-2, 1),
    ),
    # Few, young accounts: the policy cannot judge them and sends them to review.
    Tier.THIN_FILE: FileShape(
        score=(590, 690),
        tradelines=(0, 2),
        oldest_months=(1, 11),
        utilization_bps=(500, 5000),
        revolving_limit_usd=(300, 1_500),
        late_marks=(-6, 1),
        late_months_ago=(0, 6),
        other_types=("revolving", "installment", "student"),
    ),
    Tier.FROZEN_FILE: FileShape(
        score=(660, 820),
        tradelines=(4, 10),
        oldest_months=(48, 240),
        utilization_bps=(500, 4000),
        revolving_limit_usd=(3_000, 20_000),
        late_marks=(-6, 1),
        late_months_ago=(12, 23),
        frozen=True,
    ),
    # Looks fine at a glance: young but clean accounts, many recent applications, and some
    # members are synthetic identities whose name or birth date disagrees with the file.
    Tier.FRAUD_RING: FileShape(
        score=(660, 760),
        tradelines=(3, 5),
        oldest_months=(12, 30),
        utilization_bps=(300, 2500),
        revolving_limit_usd=(1_000, 8_000),
        late_marks=(0, 0),
        other_types=("revolving", "revolving", "installment", "auto"),
        hard_inquiries_6m=(3, 5),
        recent_inquiry_days=120,
        mismatch_pct=40,
    ),
}

TAG_SHAPES: Final[dict[str, FileShape]] = {
    "approve": FileShape(
        score=(800, 850),
        tradelines=(8, 12),
        oldest_months=(180, 300),
        utilization_bps=(100, 900),
        revolving_limit_usd=(15_000, 40_000),
        late_marks=(0, 0),
        hard_inquiries_6m=(0, 0),
    ),
    "decline": FileShape(
        score=(380, 500),
        tradelines=(3, 6),
        oldest_months=(24, 96),
        utilization_bps=(9500, 10_000),
        revolving_limit_usd=(300, 2_000),
        late_marks=(6, 10),
        late_months_ago=(0, 11),
        late_severity="23",
        hard_inquiries_6m=(4, 6),
        public_records=(1, 1),
    ),
    # Borderline: a clean file whose score sits in the band the policy reviews.
    "review": FileShape(
        score=(615, 645),
        tradelines=(4, 7),
        oldest_months=(48, 120),
        utilization_bps=(3000, 5000),
        revolving_limit_usd=(2_000, 8_000),
        late_marks=(0, 0),
        hard_inquiries_6m=(1, 2),
    ),
    "fraud": replace(
        TIER_SHAPES[Tier.FRAUD_RING],
        hard_inquiries_6m=(7, 10),
        recent_inquiry_days=30,
        mismatch_pct=100,
    ),
    "frozen": TIER_SHAPES[Tier.FROZEN_FILE],
}


def shape_for(tier: Tier, tag: str | None) -> FileShape:
    """The file shape for an email tag if there is one, else for the tier."""
    if tag is not None and tag in TAG_SHAPES:
        return TAG_SHAPES[tag]
    return TIER_SHAPES[tier]
