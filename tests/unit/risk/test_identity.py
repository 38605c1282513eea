"""Identities: email tags, identity keys, sha256 field seeds, name and address normalization."""

from __future__ import annotations

import hashlib
from datetime import date

import pytest

from mock_server.risk.identity import (
    Identity,
    address_key,
    age_on,
    derive_seed,
    email_tag,
    identity_key,
    normalize_name,
)


@pytest.mark.parametrize(
    ("email", "tag"),
    [
        ("jane+approve@example.com", "approve"),
        ("Jane+DECLINE@Example.com", "decline"),
        ("jane+review@example.com", "review"),
        ("jane+fraud@example.com", "fraud"),
        ("jane+frozen@example.com", "frozen"),
        ("jane+newsletter@example.com", None),
        ("jane@example.com", None),
    ],
)
def test_email_tag_reads_only_the_magic_tags(email: str, tag: str | None) -> None:
    assert email_tag(email) == tag


def test_identity_key_ignores_case_whitespace_and_tag() -> None:
    assert identity_key(" Jane.Doe+approve@Example.COM ") == "jane.doe@example.com"
    assert identity_key("jane.doe@example.com") == "jane.doe@example.com"


def test_derive_seed_is_sha256_of_seed_identity_and_field() -> None:
    digest = hashlib.sha256(b"42\x1fjane@example.com\x1fincome_annual").digest()
    assert derive_seed(42, "jane@example.com", "income_annual") == int.from_bytes(digest[:8], "big")
    assert derive_seed(42, "jane@example.com", "income_annual") == 983664047180660263


def test_derive_seed_differs_per_field_identity_and_seed() -> None:
    seeds = {
        derive_seed(42, "jane@example.com", "income_annual"),
        derive_seed(42, "jane@example.com", "employer"),
        derive_seed(42, "john@example.com", "income_annual"),
        derive_seed(43, "jane@example.com", "income_annual"),
    }
    assert len(seeds) == 4


def test_normalize_name_ignores_case_order_accents_and_punctuation() -> None:
    assert normalize_name("DOE, Jane") == normalize_name("jane doe")
    assert normalize_name("José Núñez") == normalize_name("JOSE NUNEZ")
    assert normalize_name("Jane Doe") != normalize_name("Jane Roe")
    assert normalize_name("张伟") == "张伟"


def test_address_key_matches_the_same_address_written_differently() -> None:
    a = {"line1": "1 Market St.", "line2": None, "postal_code": "94105", "country": "US"}
    b = {"line1": "1  market st", "postal_code": "94105 ", "country": "us", "city": "SF"}
    assert address_key(a) == address_key(b) == "1 market st 94105 us"


def test_age_on_counts_whole_years_around_the_birthday() -> None:
    assert age_on(date(2000, 6, 15), date(2026, 6, 14)) == 25
    assert age_on(date(2000, 6, 15), date(2026, 6, 15)) == 26


def test_identity_round_trips_through_the_customer_shape(identity: Identity) -> None:
    data = identity.to_dict()
    assert data["date_of_birth"] == "1988-04-12"
    assert Identity.from_dict(data) == identity
