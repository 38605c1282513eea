"""Requirements of an application: exactly what is missing, errors by field, screening facts."""

from __future__ import annotations

from datetime import date
from typing import Any

from mock_server.kyb import verify_application
from tests.merchant_applications import KYB_FIELDS, complete_application

TODAY = date(2026, 1, 15)
BASE: dict[str, Any] = {
    "legal_name": "Fabrikam Home Goods Inc", "mcc": "5712", "country": "US", "currency": "USD",
    "website": "https://fabrikam-home.com", "years_in_business": 12,
    "expected_monthly_volume": 9_000_000, "contact_email": "ap@fabrikam-home.com",
}  # fmt: skip


def test_a_bare_application_lists_every_missing_requirement() -> None:
    requirements = verify_application(BASE, TODAY).requirements
    assert requirements.currently_due == (
        "tax_id", "address", "representative", "owners_provided", "bank_account"
    )  # fmt: skip
    assert requirements.errors == ()


def test_partial_people_list_exactly_their_missing_fields() -> None:
    application = complete_application(
        BASE,
        representative={"name": "Jordan Rivera"},
        owners=[{"name": "Sam Okafor", "ownership_percent": 30}],
    )
    assert verify_application(application, TODAY).requirements.currently_due == (
        "representative.date_of_birth", "representative.address",
        "owners.0.date_of_birth", "owners.0.address",
    )  # fmt: skip


def test_a_complete_application_owes_nothing() -> None:
    verification = verify_application(complete_application(BASE), TODAY)
    assert verification.requirements.currently_due == ()
    assert verification.facts["sanctions_match"] is False


def test_bad_tax_id_and_routing_number_are_errors_naming_the_field() -> None:
    bank = {**KYB_FIELDS["bank_account"], "routing_number": "123456789"}
    application = complete_application(BASE, tax_id="00-0000000", bank_account=bank)
    requirements = verify_application(application, TODAY).requirements
    assert [(e.requirement, e.code) for e in requirements.errors] == [
        ("tax_id", "invalid_tax_id"),
        ("bank_account.routing_number", "invalid_routing_number"),
    ]
    assert requirements.currently_due == ("tax_id", "bank_account.routing_number")


def test_owners_over_100_percent_and_an_underage_representative_are_errors() -> None:
    owners = [{**o, "ownership_percent": 60} for o in KYB_FIELDS["owners"]]
    representative = {**KYB_FIELDS["representative"], "date_of_birth": "2010-01-01"}
    application = complete_application(BASE, owners=owners, representative=representative)
    codes = [e.code for e in verify_application(application, TODAY).requirements.errors]
    assert codes == ["under_minimum_age", "ownership_exceeds_100"]


def test_pending_checks_are_eventually_due_but_not_currently() -> None:
    requirements = verify_application(complete_application(BASE), TODAY, ["tax_id"]).requirements
    assert (requirements.currently_due, requirements.eventually_due) == ((), ("tax_id",))
    assert requirements.pending_verification == ("tax_id",)


def test_an_owner_on_the_screening_list_is_a_match_with_its_role() -> None:
    owners = [*KYB_FIELDS["owners"][:1], {**KYB_FIELDS["owners"][1], "name": "Marisol Blocklist"}]
    verification = verify_application(complete_application(BASE, owners=owners), TODAY)
    assert [(m.subject.role, m.entry.id) for m in verification.matches] == [
        ("owners.1", "SBX-PER-0002")
    ]
    assert verification.facts["sanctions_match"] is True
