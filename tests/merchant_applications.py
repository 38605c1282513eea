"""Complete merchant applications for tests: the business, a representative, owners and a
payout bank account that pass every check (fictitious people, valid check digits)."""

from __future__ import annotations

from typing import Any

__all__ = ["ADDRESS", "BANK_ACCOUNT", "KYB_FIELDS", "complete_application"]

ADDRESS: dict[str, Any] = {
    "line1": "500 Market Street",
    "city": "San Francisco",
    "region": "CA",
    "postal_code": "94105",
    "country": "US",
}
BANK_ACCOUNT: dict[str, Any] = {
    "account_holder_name": "Test Merchant LLC",
    "routing_number": "110000000",
    "account_number": "000123456789",
}
KYB_FIELDS: dict[str, Any] = {
    "tax_id": "12-3456789",
    "address": ADDRESS,
    "representative": {
        "name": "Jordan Rivera",
        "date_of_birth": "1984-05-17",
        "address": ADDRESS,
        "title": "Founder",
    },
    "owners": [
        {
            "name": "Jordan Rivera",
            "date_of_birth": "1984-05-17",
            "address": ADDRESS,
            "ownership_percent": 60,
        },
        {
            "name": "Sam Okafor",
            "date_of_birth": "1979-10-02",
            "address": ADDRESS,
            "ownership_percent": 40,
        },
    ],
    "owners_provided": True,
    "bank_account": BANK_ACCOUNT,
}


# A UK merchant's VAT number and IBAN (published check-digit examples).
_GB_FIELDS: dict[str, Any] = {
    "tax_id": "GB980780684",
    "address": {**ADDRESS, "city": "London", "region": None, "postal_code": "EC1A 1BB",
                "country": "GB"},
    "bank_account": {"account_holder_name": "Test Merchant Ltd",
                     "iban": "GB82WEST12345698765432"},
}  # fmt: skip


def complete_application(application: dict[str, Any], **overrides: Any) -> dict[str, Any]:
    """The application with every verification field a clean merchant of its country gives
    (US by default, GB with a VAT number and an IBAN)."""
    local = _GB_FIELDS if application.get("country") == "GB" else {}
    return {**application, **KYB_FIELDS, **local, **overrides}
