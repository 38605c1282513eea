"""Requirements of a merchant application, as payment platforms state them.

An application names the business (legal name, tax id, address, website, MCC, volume), a
representative and every owner of 25% or more (name, date of birth, address, ownership), attests
that the owners are all listed (`owners_provided`), and gives a payout bank account.

`verify_application` answers:
- `currently_due`: every requirement missing or in error, by its field path (`tax_id`,
  `representative.date_of_birth`, `owners.1.address`, `bank_account.routing_number`), in the order
  the application lists them;
- `errors`: each failed check with its requirement, code and reason;
- `eventually_due`: what is currently due plus what is still being verified;
- the screening matches of the business and every person;
- the `verification.*` facts the onboarding policy (a rule-engine policy) decides on.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Final

from mock_server.kyb.checks import CheckError, check_bank_account, check_tax_id, check_website
from mock_server.kyb.screening import ScreeningMatch, ScreeningSubject, screen

__all__ = [
    "OWNER_THRESHOLD_PERCENT",
    "PERSON_FIELDS",
    "Requirements",
    "Verification",
    "verify_application",
]

OWNER_THRESHOLD_PERCENT: Final = 25
MINIMUM_AGE: Final = 18
PERSON_FIELDS: Final = ("name", "date_of_birth", "address")
BUSINESS_FIELDS: Final = ("tax_id", "address")


@dataclass(frozen=True, slots=True)
class Requirements:
    """What the merchant still owes: currently due, eventually due, pending, and errors."""

    currently_due: tuple[str, ...] = ()
    eventually_due: tuple[str, ...] = ()
    pending_verification: tuple[str, ...] = ()
    errors: tuple[CheckError, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """The wire shape of `merchant.requirements`."""
        return {
            "currently_due": list(self.currently_due),
            "eventually_due": list(self.eventually_due),
            "pending_verification": list(self.pending_verification),
            "errors": [e.to_dict() for e in self.errors],
        }


@dataclass(frozen=True, slots=True)
class Verification:
    """The outcome of verifying an application."""

    requirements: Requirements
    matches: tuple[ScreeningMatch, ...] = ()
    facts: dict[str, Any] = field(default_factory=dict)


def _present(value: object) -> bool:
    return value not in (None, "", [], {})


def _person(
    person: Mapping[str, Any], where: str, today: date, missing: list[str], errors: list[CheckError]
) -> None:
    for name in PERSON_FIELDS:
        if not _present(person.get(name)):
            missing.append(f"{where}.{name}")
    born = person.get("date_of_birth")
    if isinstance(born, str):
        born = date.fromisoformat(born)
    if isinstance(born, date):
        age = today.year - born.year - ((today.month, today.day) < (born.month, born.day))
        if age < MINIMUM_AGE:
            errors.append(
                CheckError(
                    f"{where}.date_of_birth",
                    "under_minimum_age",
                    f"{where} must be at least {MINIMUM_AGE} years old",
                )
            )


def _owners(
    application: Mapping[str, Any], today: date, missing: list[str], errors: list[CheckError]
) -> None:
    owners: Sequence[Mapping[str, Any]] = application.get("owners") or []
    total = 0
    for index, owner in enumerate(owners):
        _person(owner, f"owners.{index}", today, missing, errors)
        share = owner.get("ownership_percent")
        if share is None:
            missing.append(f"owners.{index}.ownership_percent")
        else:
            total += int(share)
    if total > 100:
        errors.append(
            CheckError("owners", "ownership_exceeds_100", f"owners' shares add up to {total}%")
        )
    if application.get("owners_provided") is not True:
        missing.append("owners_provided")


def _checks(application: Mapping[str, Any], country: str) -> list[CheckError]:
    errors: list[CheckError] = []
    tax_id = application.get("tax_id")
    if _present(tax_id) and (problem := check_tax_id(str(tax_id), country)):
        errors.append(problem)
    website = application.get("website")
    if _present(website) and (problem := check_website(str(website))):
        errors.append(problem)
    account = application.get("bank_account")
    if isinstance(account, Mapping) and account:
        errors.extend(check_bank_account(account, country))
    return errors


def screening_subjects(application: Mapping[str, Any]) -> list[ScreeningSubject]:
    """The business and every named person of an application."""
    subjects = [ScreeningSubject("business", "organization", str(application["legal_name"]))]
    if dba := application.get("display_name"):
        subjects.append(ScreeningSubject("business.display_name", "organization", str(dba)))
    representative = application.get("representative") or {}
    if representative.get("name"):
        subjects.append(ScreeningSubject("representative", "person", representative["name"]))
    for index, owner in enumerate(application.get("owners") or []):
        if owner.get("name"):
            subjects.append(ScreeningSubject(f"owners.{index}", "person", str(owner["name"])))
    return subjects


def verify_application(
    application: Mapping[str, Any], today: date, pending: Sequence[str] = ()
) -> Verification:
    """Check an application: what is due, what failed, who matched the screening list."""
    country = str(application["country"]).upper()
    missing = [name for name in BUSINESS_FIELDS if not _present(application.get(name))]
    errors = _checks(application, country)
    representative = application.get("representative")
    if isinstance(representative, Mapping) and representative:
        _person(representative, "representative", today, missing, errors)
    else:
        missing.append("representative")
    _owners(application, today, missing, errors)
    if not _present(application.get("bank_account")):
        missing.append("bank_account")
    due = list(dict.fromkeys([*missing, *(e.requirement for e in errors)]))
    requirements = Requirements(
        currently_due=tuple(due),
        eventually_due=tuple(dict.fromkeys([*due, *pending])),
        pending_verification=tuple(p for p in pending if p not in due),
        errors=tuple(errors),
    )
    matches = tuple(screen(screening_subjects(application)))
    return Verification(requirements, matches, _facts(requirements, matches, application))


def _facts(
    requirements: Requirements, matches: tuple[ScreeningMatch, ...], application: Mapping[str, Any]
) -> dict[str, Any]:
    codes = {e.requirement: e.code for e in requirements.errors}
    website = application.get("website")
    if not _present(website):
        website_status = "missing"
    else:
        website_status = {"reserved_domain": "reserved", "invalid_url": "invalid"}.get(
            codes.get("website", ""), "valid"
        )
    return {
        "requirements_due": len(requirements.currently_due),
        "errors": len(requirements.errors),
        "sanctions_match": bool(matches),
        "sanctions_score": max((m.score for m in matches), default=0),
        "website_status": website_status,
        "owners_count": len(application.get("owners") or []),
    }
