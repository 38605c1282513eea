"""Sanctions screening: the business and every person against the sandbox's screening list.

Names are normalized (case, accents, punctuation, and legal or generic words such as "LLC",
"Ltd", "Trading" or "Holdings" removed) and compared with rapidfuzz's `token_sort_ratio`, which
ignores word order ("Sandboxov Viktor" matches "Viktor Sandboxov"). A score of
`SCREENING_THRESHOLD` (88 of 100) or more against an entry's name or any alias is a possible match:
the application goes to a reviewer with the matched entry. The threshold catches spelling variants
("Viktor Sandboksov" scores 94) while keeping unrelated names (scores below 60) clear.
Organizations are screened against organization entries and people against person entries.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any, Final, Literal

import yaml

__all__ = [
    "SCREENING_THRESHOLD",
    "ScreeningEntry",
    "ScreeningMatch",
    "ScreeningSubject",
    "load_screening_list",
    "normalize_name",
    "screen",
]

SCREENING_THRESHOLD: Final = 88
Kind = Literal["organization", "person"]
_NOISE: Final = frozenset(
    {
        "the",
        "and",
        "of",
        "co",
        "company",
        "corp",
        "corporation",
        "inc",
        "incorporated",
        "llc",
        "llp",
        "ltd",
        "limited",
        "plc",
        "gmbh",
        "ag",
        "sa",
        "sarl",
        "bv",
        "nv",
        "trading",
        "holdings",
        "holding",
        "group",
        "international",
        "intl",
        "enterprises",
    }
)


@dataclass(frozen=True, slots=True)
class ScreeningEntry:
    """One entry of the screening list."""

    id: str
    kind: Kind
    name: str
    aliases: tuple[str, ...]
    program: str
    list: str
    date_of_birth: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """The entry as a review shows it."""
        return {
            "id": self.id,
            "kind": self.kind,
            "name": self.name,
            "aliases": list(self.aliases),
            "program": self.program,
            "list": self.list,
            "date_of_birth": self.date_of_birth,
        }


@dataclass(frozen=True, slots=True)
class ScreeningSubject:
    """A name to screen and who it is in the application (`business`, `representative`,
    `owners.0`)."""

    role: str
    kind: Kind
    name: str


@dataclass(frozen=True, slots=True)
class ScreeningMatch:
    """A possible match: the subject, the entry and the score (0-100)."""

    subject: ScreeningSubject
    entry: ScreeningEntry
    score: int
    matched_name: str

    def to_dict(self) -> dict[str, Any]:
        """The wire shape of a match."""
        return {
            "role": self.subject.role,
            "name_screened": self.subject.name,
            "matched_name": self.matched_name,
            "score": self.score,
            "entry": self.entry.to_dict(),
        }


def normalize_name(name: str) -> str:
    """Fold case and accents, drop punctuation and legal or generic words."""
    folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    words = re.sub(r"[^a-z0-9 ]+", " ", folded).split()
    kept = [w for w in words if w not in _NOISE]
    return " ".join(kept or words)


@cache
def load_screening_list() -> tuple[ScreeningEntry, ...]:
    """The screening list shipped with the sandbox (read once)."""
    text = resources.files("mock_server.kyb").joinpath("screening_list.yaml").read_text()
    raw: dict[str, Any] = yaml.safe_load(text)
    return tuple(
        ScreeningEntry(
            id=str(e["id"]),
            kind=e["kind"],
            name=str(e["name"]),
            aliases=tuple(str(a) for a in e.get("aliases") or ()),
            program=str(e["program"]),
            list=str(e["list"]),
            date_of_birth=e.get("date_of_birth"),
        )
        for e in raw["entries"]
    )


def _best(subject: ScreeningSubject, entry: ScreeningEntry) -> tuple[int, str]:
    from rapidfuzz import fuzz  # loaded at the first screening, not with the sandbox

    name = normalize_name(subject.name)
    scored = [
        (round(fuzz.token_sort_ratio(name, normalize_name(candidate))), candidate)
        for candidate in (entry.name, *entry.aliases)
    ]
    return max(scored)


def screen(
    subjects: list[ScreeningSubject],
    entries: tuple[ScreeningEntry, ...] | None = None,
    threshold: int = SCREENING_THRESHOLD,
) -> list[ScreeningMatch]:
    """Every (subject, entry) pair scoring at least `threshold`, best first."""
    listed = load_screening_list() if entries is None else entries
    matches = []
    for subject in subjects:
        for entry in listed:
            if entry.kind != subject.kind:
                continue
            score, matched = _best(subject, entry)
            if score >= threshold:
                matches.append(ScreeningMatch(subject, entry, score, matched))
    return sorted(matches, key=lambda m: -m.score)
