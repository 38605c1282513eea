"""Merchant onboarding (KYB): facts from an application and the shipped policy's outcomes."""

from __future__ import annotations

from typing import Any

import pytest

from mock_server.rules import (
    ONBOARDING_FACT_FIELDS,
    Decision,
    build_onboarding_facts,
    load_shipped_policy,
)


def application(**overrides: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "legal_name": "Acme Outdoor Supply LLC",
        "mcc": "5941",
        "country": "US",
        "currency": "USD",
        "website": "https://www.acme-outdoor.com",
        "years_in_business": 6,
        "expected_monthly_volume": 4_000_000,
        "contact_email": "payments@acme-outdoor.com",
    }
    return {**base, **overrides}


def decide(**overrides: Any) -> Decision:
    policy = load_shipped_policy("merchant_onboarding")
    return policy.evaluate(build_onboarding_facts(application(**overrides)))


def test_facts_cover_exactly_the_documented_fields() -> None:
    facts = build_onboarding_facts(application())
    named = {f"{group}.{key}" for group in ("application", "verification") for key in facts[group]}
    assert named == ONBOARDING_FACT_FIELDS


def test_facts_normalize_codes_and_convert_volume_to_usd_cents() -> None:
    facts = build_onboarding_facts(
        application(mcc=742, country="gb", currency="gbp", expected_monthly_volume=100_000)
    )["application"]
    assert facts["mcc"] == "0742"
    assert facts["country"] == "GB"
    assert facts["currency"] == "GBP"
    assert facts["expected_monthly_volume_usd"] == 127_000


def test_volume_in_yen_converts_from_zero_decimal_minor_units() -> None:
    facts = build_onboarding_facts(application(currency="JPY", expected_monthly_volume=1_000_000))
    assert facts["application"]["expected_monthly_volume_usd"] == 670_000


def test_unconvertible_currency_gives_null_volume() -> None:
    facts = build_onboarding_facts(application(currency="CHF"))
    assert facts["application"]["expected_monthly_volume_usd"] is None


@pytest.mark.parametrize(
    ("website", "email", "has_website", "matches"),
    [
        ("https://www.acme.com/shop", "ops@acme.com", True, True),
        ("acme.com", "ops@mail.acme.com", True, True),
        ("https://shop.acme.com", "ops@acme.com", True, True),
        ("https://acme.com", "acme.founder@gmail.com", True, False),
        ("", "ops@acme.com", False, False),
        (None, "ops@acme.com", False, False),
        ("not a site", "ops@acme.com", False, False),
        ("shop[.acme.com", "ops@acme.com", False, False),  # no URL at all: urlsplit refuses it
        ("https://acme.com", "no-at-sign", True, False),
    ],
)
def test_website_and_email_domain_facts(
    website: str | None, email: str, has_website: bool, matches: bool
) -> None:
    facts = build_onboarding_facts(application(website=website, contact_email=email))
    assert facts["application"]["has_website"] is has_website
    assert facts["application"]["email_domain_matches_website"] is matches


def test_established_merchant_is_approved_with_an_explaining_reason() -> None:
    decision = decide()
    assert decision.outcome == "approve"
    assert decision.reason_codes == ("KYB_PASSED",)
    assert decision.policy_id == "merchant_onboarding"


@pytest.mark.parametrize(
    ("mcc", "reason"),
    [
        ("7995", "RESTRICTED_MCC_GAMBLING"),
        ("7801", "RESTRICTED_MCC_GAMBLING"),
        ("6051", "RESTRICTED_MCC_FINANCIAL"),
        ("4829", "RESTRICTED_MCC_FINANCIAL"),
        ("5993", "RESTRICTED_MCC_HIGH_RISK"),
        ("5967", "RESTRICTED_MCC_HIGH_RISK"),
    ],
)
def test_restricted_categories_are_declined(mcc: str, reason: str) -> None:
    decision = decide(mcc=mcc)
    assert decision.outcome == "decline"
    assert decision.reason_codes == (reason,)


def test_unsupported_country_and_currency_are_declined_with_both_reasons() -> None:
    decision = decide(country="BR", currency="BRL")
    assert decision.outcome == "decline"
    assert decision.reason_codes == ("UNSUPPORTED_COUNTRY", "UNSUPPORTED_CURRENCY")


def test_supported_markets_other_than_the_us_are_approved() -> None:
    assert decide(country="DE", currency="EUR").outcome == "approve"
    assert decide(country="JP", currency="JPY", expected_monthly_volume=500_000).outcome == (
        "approve"
    )


def test_business_under_a_year_old_goes_to_review() -> None:
    decision = decide(years_in_business=0)
    assert decision.outcome == "review"
    assert decision.reason_codes == ("NEW_BUSINESS",)


def test_high_volume_from_a_young_business_goes_to_review() -> None:
    decision = decide(years_in_business=2, expected_monthly_volume=30_000_000)
    assert decision.outcome == "review"
    assert decision.reason_codes == ("HIGH_VOLUME_YOUNG_BUSINESS",)
    assert decide(years_in_business=5, expected_monthly_volume=30_000_000).outcome == "approve"


def test_very_high_volume_goes_to_review_whatever_the_history() -> None:
    decision = decide(years_in_business=30, expected_monthly_volume=600_000_000)
    assert decision.reason_codes == ("VERY_HIGH_VOLUME",)


def test_missing_website_goes_to_review() -> None:
    decision = decide(website=None)
    assert decision.outcome == "review"
    assert decision.reason_codes == ("NO_WEBSITE",)


def test_off_domain_contact_goes_to_review_only_at_high_volume() -> None:
    assert decide(contact_email="acme@gmail.com").outcome == "approve"
    decision = decide(contact_email="acme@gmail.com", expected_monthly_volume=20_000_000)
    assert decision.reason_codes == ("CONTACT_EMAIL_DOMAIN_MISMATCH",)


def test_a_decline_outranks_reviews_and_every_fired_rule_is_recorded() -> None:
    decision = decide(mcc="7995", years_in_business=0, website=None)
    assert decision.outcome == "decline"
    assert [rule.rule_id for rule in decision.rules_fired] == [
        "restricted_mcc_gambling",
        "new_business",
        "no_website",
        "kyb_passed",
    ]


def test_a_sanctions_match_goes_to_review_with_its_reason() -> None:
    decision = decide(legal_name="Islamic Revolutionary Guard Corps Trading")
    assert decision.outcome == "review"
    assert "SANCTIONS_POSSIBLE_MATCH" in decision.reason_codes


def test_verification_facts_name_the_website_status_and_screening_score() -> None:
    facts = build_onboarding_facts(application(website="https://shop.invalid"))["verification"]
    assert facts["website_status"] == "reserved"
    assert (facts["sanctions_match"], facts["sanctions_score"]) == (False, 0)
