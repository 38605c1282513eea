"""Merchant onboarding (KYB) facts: what the onboarding policy sees of an application."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, Final

from mock_server.domain.money import UnsupportedCurrency, to_usd_minor
from mock_server.domain.websites import split_website

if TYPE_CHECKING:
    from mock_server.kyb import Verification

ONBOARDING_FACT_FIELDS: Final = frozenset(
    f"application.{name}"
    for name in (
        "legal_name",
        "mcc",
        "country",
        "currency",
        "website",
        "years_in_business",
        "expected_monthly_volume_usd",
        "contact_email",
        "has_website",
        "email_domain_matches_website",
    )
) | frozenset(
    f"verification.{name}"
    for name in (
        "requirements_due",
        "errors",
        "sanctions_match",
        "sanctions_score",
        "website_status",
        "owners_count",
    )
)


def build_onboarding_facts(
    application: Mapping[str, Any], verification: Verification | None = None
) -> dict[str, Any]:
    """The `application.*` and `verification.*` facts for a merchant application (already
    checked for types); the verification is run here unless given (mock_server.kyb).

    `expected_monthly_volume` is in minor units of `currency`; the facts carry it in USD cents at
    the sandbox's fixed rates, or null when the currency cannot be converted (the policy declines
    unsupported currencies by their code, and volume rules are simply false on null).
    """
    currency = str(application["currency"]).strip().upper()
    website = application.get("website")
    website = website.strip() if isinstance(website, str) and website.strip() else None
    email = str(application.get("contact_email") or "").strip()
    host = _website_host(website) if website else None
    if verification is None:
        # KYB (python-stdnum, the sanctions list) loads at the first application, not at start.
        from mock_server.kyb import verify_application

        verification = verify_application(application, datetime.now(UTC).date())
    return {
        "verification": dict(verification.facts),
        "application": {
            "legal_name": str(application["legal_name"]).strip(),
            "mcc": str(application["mcc"]).strip().zfill(4),
            "country": str(application["country"]).strip().upper(),
            "currency": currency,
            "website": website,
            "years_in_business": int(application["years_in_business"]),
            "expected_monthly_volume_usd": _volume_usd(
                int(application["expected_monthly_volume"]), currency
            ),
            "contact_email": email,
            "has_website": host is not None,
            "email_domain_matches_website": host is not None and _same_domain(email, host),
        },
    }


def _volume_usd(amount: int, currency: str) -> int | None:
    try:
        return to_usd_minor(amount, currency)
    except UnsupportedCurrency:
        return None


def _website_host(website: str) -> str | None:
    parts = split_website(website)
    host = ((parts.hostname if parts is not None else None) or "").lower().removeprefix("www.")
    return host if "." in host else None


def _same_domain(email: str, host: str) -> bool:
    _, at, domain = email.rpartition("@")
    domain = domain.lower().removeprefix("www.")
    if not at or not domain:
        return False
    return domain == host or host.endswith(f".{domain}") or domain.endswith(f".{host}")
