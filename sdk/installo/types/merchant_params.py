"""Request bodies of merchant onboarding: people, bank account and application fields."""

from __future__ import annotations

from typing import NotRequired, TypedDict

from .params import AddressParam

__all__ = ["ApplicationParams", "BankAccountParam", "OwnerParam", "RepresentativeParam"]


class RepresentativeParam(TypedDict):
    """The person who acts for the business (`date_of_birth` as YYYY-MM-DD)."""

    name: NotRequired[str]
    date_of_birth: NotRequired[str]
    address: NotRequired[AddressParam]
    title: NotRequired[str]
    email: NotRequired[str]


class OwnerParam(TypedDict):
    """An owner; every owner of 25% or more must be listed."""

    name: NotRequired[str]
    date_of_birth: NotRequired[str]
    address: NotRequired[AddressParam]
    ownership_percent: NotRequired[int]


class BankAccountParam(TypedDict):
    """Where payouts go: routing and account number (US) or an IBAN."""

    account_holder_name: str
    routing_number: NotRequired[str]
    account_number: NotRequired[str]
    iban: NotRequired[str]


class ApplicationParams(TypedDict, total=False):
    """Application fields, for `merchants.apply(...)` and `merchants.update_application(...)`."""

    legal_name: str
    mcc: str
    country: str
    currency: str
    website: str
    years_in_business: int
    expected_monthly_volume: int
    contact_email: str
    tax_id: str
    address: AddressParam
    representative: RepresentativeParam
    owners: list[OwnerParam]
    owners_provided: bool
    bank_account: BankAccountParam
