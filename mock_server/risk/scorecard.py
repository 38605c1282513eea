"""A points scorecard scaled to log-odds, with adverse-action reasons ranked by points lost.

Scaling: `base_points` points mean good:bad odds of `base_odds`, and every `pdo` more points
double the odds, so odds(P) = base_odds * 2 ** ((P - base_points) / pdo), equivalently
P = offset + factor * ln(odds) with factor = pdo / ln 2 and offset = base_points - factor *
ln(base_odds). Probabilities are computed in `Decimal`, never float.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Decimal, localcontext
from functools import cache, lru_cache
from importlib import resources
from typing import Any, Final

from mock_server.risk.credit import CreditSummary

_PRECISION: Final = 40


class ScorecardError(ValueError):
    """The scorecard data or the attributes given to it are not usable."""


@dataclass(frozen=True, slots=True)
class Bin:
    """A range of one attribute, from `min` (inclusive; None is unbounded) to the next bin."""

    min: int | None
    points: int


@dataclass(frozen=True, slots=True)
class Characteristic:
    """One scored attribute: its bins and the reason code given when it costs points."""

    name: str
    reason_code: str
    bins: tuple[Bin, ...]
    missing_points: int

    @property
    def best_points(self) -> int:
        """The most points any value of this attribute can earn."""
        return max(b.points for b in self.bins)

    def points_for(self, value: int | None) -> int:
        """The points a value earns (the missing points for None)."""
        if value is None:
            return self.missing_points
        chosen = self.bins[0]
        for candidate in self.bins[1:]:
            if candidate.min is not None and value >= candidate.min:
                chosen = candidate
        return chosen.points


@dataclass(frozen=True, slots=True)
class Contribution:
    """What one attribute added to the score and what it lost against its best bin."""

    name: str
    value: int | None
    points: int
    points_lost: int
    reason_code: str


@dataclass(frozen=True, slots=True)
class ScoreResult:
    """A scored application: total points, ranked reasons and the probability of going bad."""

    points: int
    reason_codes: tuple[str, ...]
    probability_bad_bps: int
    contributions: tuple[Contribution, ...]

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict of the result."""
        return {
            "points": self.points,
            "reason_codes": list(self.reason_codes),
            "probability_bad_bps": self.probability_bad_bps,
        }


@dataclass(frozen=True, slots=True)
class Scorecard:
    """Points per attribute bin, scaled so points map to log-odds of being good."""

    name: str
    version: int
    base_points: int
    base_odds: Decimal
    pdo: int
    characteristics: tuple[Characteristic, ...]

    @property
    def factor(self) -> Decimal:
        """Points per unit of ln(odds): pdo / ln 2."""
        with localcontext() as ctx:
            ctx.prec = _PRECISION
            return Decimal(self.pdo) / Decimal(2).ln()

    @property
    def offset(self) -> Decimal:
        """The points at odds of 1:1: base_points - factor * ln(base_odds)."""
        with localcontext() as ctx:
            ctx.prec = _PRECISION
            return Decimal(self.base_points) - self.factor * self.base_odds.ln()

    def odds_at(self, points: int) -> Decimal:
        """Good:bad odds at a number of points."""
        return _odds(self.base_odds, self.base_points, self.pdo, points)

    def points_for_odds(self, odds: Decimal) -> Decimal:
        """The points at which the odds are `odds`: offset + factor * ln(odds)."""
        with localcontext() as ctx:
            ctx.prec = _PRECISION
            return self.offset + self.factor * odds.ln()

    def probability_of_default_bps(self, points: int) -> int:
        """The probability of going bad at `points`, in basis points (half-even); worked out
        once per scale and number of points (the power of 2 at this precision was ~8% of
        deriving an applicant's file, person and score)."""
        return _default_bps(self.base_odds, self.base_points, self.pdo, points)

    @property
    def attribute_names(self) -> tuple[str, ...]:
        """The attributes `score` needs, in scorecard order."""
        return tuple(c.name for c in self.characteristics)

    def score(self, attributes: Mapping[str, int | None]) -> ScoreResult:
        """Score an application's attributes (every scorecard attribute must be present)."""
        missing = [name for name in self.attribute_names if name not in attributes]
        if missing:
            raise ScorecardError(f"attributes missing for scorecard {self.name!r}: {missing}")
        contributions = []
        for characteristic in self.characteristics:
            value = attributes[characteristic.name]
            if isinstance(value, bool) or not (value is None or isinstance(value, int)):
                raise ScorecardError(f"{characteristic.name} must be an int or None, got {value!r}")
            points = characteristic.points_for(value)
            contributions.append(
                Contribution(
                    name=characteristic.name,
                    value=value,
                    points=points,
                    points_lost=characteristic.best_points - points,
                    reason_code=characteristic.reason_code,
                )
            )
        ranked = sorted(
            (c for c in contributions if c.points_lost > 0), key=lambda c: -c.points_lost
        )
        total = sum(c.points for c in contributions)
        return ScoreResult(
            points=total,
            reason_codes=tuple(dict.fromkeys(c.reason_code for c in ranked)),
            probability_bad_bps=self.probability_of_default_bps(total),
            contributions=tuple(contributions),
        )

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Scorecard:
        """Build and check a scorecard from its data (the scorecard.yaml structure)."""
        if not isinstance(data, Mapping):
            raise ScorecardError("a scorecard must be a mapping")
        base_points = _int(data, "base_points", "scorecard")
        pdo = _int(data, "pdo", "scorecard")
        odds = data.get("base_odds")
        if isinstance(odds, bool) or not isinstance(odds, int | str) or Decimal(odds) <= 0:
            raise ScorecardError(f"base_odds must be a positive number, got {odds!r}")
        if pdo <= 0:
            raise ScorecardError(f"pdo must be positive, got {pdo}")
        raw = data.get("attributes")
        if not isinstance(raw, Sequence) or isinstance(raw, str) or not raw:
            raise ScorecardError("attributes must be a non-empty list")
        characteristics = tuple(_characteristic(index, item) for index, item in enumerate(raw))
        names = [c.name for c in characteristics]
        if len(set(names)) != len(names):
            raise ScorecardError(f"attribute names repeat: {names}")
        return cls(
            name=str(data.get("name", "scorecard")),
            version=int(data.get("version", 1)),
            base_points=base_points,
            base_odds=Decimal(odds),
            pdo=pdo,
            characteristics=characteristics,
        )


def _int(data: Mapping[str, Any], key: str, where: str) -> int:
    value = data.get(key)
    if isinstance(value, bool) or not isinstance(value, int):
        raise ScorecardError(f"{where}: {key} must be an integer, got {value!r}")
    return value


def _characteristic(index: int, item: object) -> Characteristic:
    if not isinstance(item, Mapping):
        raise ScorecardError(f"attributes[{index}] must be a mapping")
    name, code = item.get("name"), item.get("reason_code")
    if not isinstance(name, str) or not isinstance(code, str):
        raise ScorecardError(f"attributes[{index}] needs a name and a reason_code")
    raw_bins = item.get("bins")
    if not isinstance(raw_bins, Sequence) or isinstance(raw_bins, str) or not raw_bins:
        raise ScorecardError(f"{name}: bins must be a non-empty list")
    bins: list[Bin] = []
    for position, raw in enumerate(raw_bins):
        if not isinstance(raw, Mapping):
            raise ScorecardError(f"{name}: bins[{position}] must be a mapping")
        points = _int(raw, "points", f"{name} bins[{position}]")
        low = raw.get("min")
        if position > 0:
            low = _int(raw, "min", f"{name} bins[{position}]")
            previous = bins[-1].min
            if previous is not None and low <= previous:
                raise ScorecardError(f"{name}: bin minimums must increase, {low} after {previous}")
        elif low is not None:
            raise ScorecardError(f"{name}: the first bin is unbounded below and takes no min")
        bins.append(Bin(low, points))
    missing = item.get("missing_points", min(b.points for b in bins))
    if isinstance(missing, bool) or not isinstance(missing, int):
        raise ScorecardError(f"{name}: missing_points must be an integer")
    return Characteristic(name, code, tuple(bins), missing)


@cache
def load_default_scorecard() -> Scorecard:
    """The sandbox's shipped scorecard (mock_server/risk/scorecard.yaml)."""
    import yaml  # PyYAML loads with the first score, not at start

    text = resources.files("mock_server.risk").joinpath("scorecard.yaml").read_text("utf-8")
    return Scorecard.from_dict(yaml.safe_load(text))


def scorecard_attributes(summary: CreditSummary, *, income_annual_usd: int) -> dict[str, int]:
    """The default scorecard's attributes from a file's summary and the applicant's income."""
    return {
        "bureau_score": summary.score,
        "utilization_bps": summary.utilization_bps,
        "delinquencies_24m": summary.delinquencies_24m,
        "hard_inquiries_6m": summary.hard_inquiries_6m,
        "oldest_tradeline_months": summary.oldest_tradeline_months,
        "tradeline_count": summary.tradeline_count,
        "income_annual_usd": income_annual_usd,
        "public_records": summary.public_records,
    }


@lru_cache(maxsize=4096)
def _default_bps(base_odds: Decimal, base_points: int, pdo: int, points: int) -> int:
    """`Scorecard.probability_of_default_bps` on a scale (base odds at base points, points to
    double the odds)."""
    with localcontext() as ctx:
        ctx.prec = _PRECISION
        probability = Decimal(10_000) / (1 + _odds(base_odds, base_points, pdo, points))
        return int(probability.quantize(Decimal(1), rounding=ROUND_HALF_EVEN))


def _odds(base_odds: Decimal, base_points: int, pdo: int, points: int) -> Decimal:
    """Good:bad odds at `points` on a scale: base odds, doubling every `pdo` points."""
    with localcontext() as ctx:
        ctx.prec = _PRECISION
        return base_odds * Decimal(2) ** (Decimal(points - base_points) / Decimal(pdo))
