"""Sandbox magic tags: what each email tag sets for its identity, and tags that are not magic.

A tag (`jane+approve@example.com`) forces its outcome through the real engines by shaping
everything they read for that identity: the tier, the person (income, employment, behaviour),
the bureau file, and the fraud screen. Tagged test identities other than `+fraud` stay out of the
velocity checks (their applications neither count against nor link to anyone's), so a test phone,
address or device reused across tagged customers never turns `+approve` into a review. Fraud
outcomes come from `+fraud`, or from a real ring of distinct untagged identities.
"""

from __future__ import annotations

from typing import Any, Final

from mock_server.risk.identity import EMAIL_TAGS, EmailTag, email_tag, split_email

__all__ = [
    "TAG_EFFECTS",
    "isolated_from_velocity",
    "sandbox_tag_fields",
    "tag_trace",
    "unrecognized_tag",
]

_VELOCITY: Final = (
    "velocity checks skip this test identity (no phone, address, device or email links)"
)
TAG_EFFECTS: Final[dict[EmailTag, tuple[str, ...]]] = {
    "approve": (
        "tier prime",
        "employed, income $150,000-$250,000 a year, pays on time",
        "bureau file: score 800-850, 8-12 accounts, no late payments, no recent inquiries",
        _VELOCITY,
    ),
    "decline": (
        "tier subprime",
        "bureau file: score 380-500, recent 60-90 day lates, a public record, high utilization",
        _VELOCITY,
    ),
    "review": (
        "tier near_prime",
        "bureau file: clean, score 615-645 (the band the policy reviews)",
        _VELOCITY,
    ),
    "fraud": (
        "tier fraud_ring",
        "bureau file: name or date of birth disagree with the applicant, 7-10 recent inquiries",
    ),
    "frozen": (
        "tier frozen_file",
        "bureau file: frozen",
        _VELOCITY,
    ),
}


def isolated_from_velocity(tag: EmailTag | None) -> bool:
    """Whether applications of an identity with this tag stay out of the velocity checks."""
    return tag is not None and tag != "fraud"


def unrecognized_tag(email: str) -> str | None:
    """The `+suffix` of an email when it is not a sandbox tag (`jane+bogus@x` -> "bogus")."""
    _, tag, _ = split_email(email)
    return tag if tag is not None and tag not in EMAIL_TAGS else None


def tag_trace(email: str) -> dict[str, Any] | None:
    """What the email's tag set, for the decision trace (None for an untagged email)."""
    tag = email_tag(email)
    if tag is None:
        return None
    return {"tag": tag, "effects": list(TAG_EFFECTS[tag])}


def sandbox_tag_fields(email: str) -> dict[str, str | None]:
    """The customer's `sandbox_tag` (recognized tag or None) and a note on a `+suffix` that is
    not a tag (so `+bogus` is reported, not silently ignored)."""
    unknown = unrecognized_tag(email)
    note = None
    if unknown is not None:
        tags = ", ".join(f"+{tag}" for tag in TAG_EFFECTS)
        note = f"'+{unknown}' is not a sandbox tag ({tags}); this customer is untagged"
    return {"sandbox_tag": email_tag(email), "sandbox_tag_note": note}
