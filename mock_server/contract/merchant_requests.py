"""Request bodies of merchant onboarding: the people, bank account and business details an
application names, partial updates of an application, and the reviewer's desk actions."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from pydantic import Field, StringConstraints

from mock_server.contract.fields import (
    Address,
    Amount,
    CountryCode,
    CurrencyCode,
    Email,
    StrictBody,
    Text,
)

__all__ = [
    "ApplicationFields",
    "BankAccountBody",
    "DeskAction",
    "MerchantApplicationUpdate",
    "Owner",
    "Representative",
]

TaxId = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=40)]
Digits = Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^[0-9 -]{1,40}$")]


class Representative(StrictBody):
    """The person who acts for the business (fields may arrive over several updates)."""

    name: Text | None = None
    date_of_birth: date | None = None
    address: Address | None = None
    title: Annotated[str, StringConstraints(max_length=100)] | None = None
    email: Email | None = None


class Owner(StrictBody):
    """A person owning a share of the business (every owner of 25% or more must be listed)."""

    name: Text | None = None
    date_of_birth: date | None = None
    address: Address | None = None
    ownership_percent: Annotated[int, Field(strict=True, ge=1, le=100)] | None = None


class BankAccountBody(StrictBody):
    """Where payouts go: a US routing and account number, or an IBAN elsewhere."""

    account_holder_name: Text
    routing_number: Digits | None = None
    account_number: Digits | None = None
    iban: Annotated[str, StringConstraints(strip_whitespace=True, max_length=40)] | None = None


class ApplicationFields(StrictBody):
    """The verification fields of an application (all optional here: what is missing is listed
    in `requirements.currently_due` until given)."""

    tax_id: TaxId | None = None
    address: Address | None = None
    representative: Representative | None = None
    owners: Annotated[list[Owner], Field(max_length=10)] | None = None
    owners_provided: bool | None = None
    bank_account: BankAccountBody | None = None


class MerchantApplicationUpdate(ApplicationFields):
    """A change to one's application: only the fields given change (`representative` and
    `address` merge field by field; `owners` and `bank_account` are replaced whole)."""

    legal_name: Text | None = None
    mcc: Annotated[str, StringConstraints(pattern=r"^[0-9]{4}$")] | None = None
    country: CountryCode | None = None
    currency: CurrencyCode | None = None
    website: Annotated[str, StringConstraints(max_length=200)] | None = None
    years_in_business: Annotated[int, Field(strict=True, ge=0, le=500)] | None = None
    expected_monthly_volume: Amount | None = None
    contact_email: Email | None = None


class DeskAction(StrictBody):
    """A reviewer's note, and for `request_information` the requirements asked for."""

    note: Annotated[str, StringConstraints(max_length=500)] | None = None
    reason: Annotated[str, StringConstraints(max_length=200)] | None = None
    requirements: (
        Annotated[
            list[Annotated[str, StringConstraints(pattern=r"^[a-z_][a-z0-9_.]{0,63}$")]],
            Field(max_length=20),
        ]
        | None
    ) = None
