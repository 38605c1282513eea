"""Field checks: tax ids and routing numbers with their check digits, accounts, websites."""

from __future__ import annotations

import pytest

from mock_server.kyb import check_bank_account, check_tax_id, check_website, payout_failure_for
from mock_server.kyb.checks import tax_id_fails_later


@pytest.mark.parametrize(
    ("tax_id", "country"),
    [("12-3456789", "US"), ("123456789", "US"), ("GB980780684", "GB"), ("DE136695976", "DE")],
)
def test_valid_tax_ids_pass(tax_id: str, country: str) -> None:
    assert check_tax_id(tax_id, country) is None


@pytest.mark.parametrize(
    ("tax_id", "country"),
    [("00-1234567", "US"), ("12-345678", "US"), ("GB980780685", "GB"), ("DE136695977", "DE")],
)
def test_bad_tax_ids_fail_naming_the_field(tax_id: str, country: str) -> None:
    error = check_tax_id(tax_id, country)
    assert error is not None
    assert (error.requirement, error.code) == ("tax_id", "invalid_tax_id")
    assert country in error.reason


def test_an_ein_prefix_the_irs_never_assigns_is_refused() -> None:
    error = check_tax_id("07-1234567", "US")  # 07 is not an assigned EIN prefix
    assert error is not None and "invalid" in error.reason.lower()


def test_routing_number_check_digit_is_verified() -> None:
    good = {"account_holder_name": "A", "routing_number": "110000000", "account_number": "1234"}
    assert check_bank_account(good, "US") == []
    bad = check_bank_account({**good, "routing_number": "110000001"}, "US")
    assert [(e.requirement, e.code) for e in bad] == [
        ("bank_account.routing_number", "invalid_routing_number")
    ]
    assert "checksum" in bad[0].reason


def test_account_number_must_be_4_to_17_digits() -> None:
    account = {"account_holder_name": "A", "routing_number": "021000021", "account_number": "12"}
    errors = check_bank_account(account, "US")
    assert [e.requirement for e in errors] == ["bank_account.account_number"]


def test_an_iban_is_checked_outside_the_us() -> None:
    bad = check_bank_account({"account_holder_name": "A", "iban": "GB82WEST12345698765433"}, "GB")
    assert [(e.requirement, e.code) for e in bad] == [("bank_account.iban", "invalid_iban")]
    ok = {"account_holder_name": "A", "iban": "GB82 WEST 1234 5698 7654 32"}
    assert check_bank_account(ok, "GB") == []


@pytest.mark.parametrize("tld", ["invalid", "test", "example", "localhost"])
def test_reserved_top_level_domains_are_refused(tld: str) -> None:
    error = check_website(f"https://shop.{tld}")
    assert error is not None and error.code == "reserved_domain"


@pytest.mark.parametrize(
    "website",
    ["https://exa mple.com", "https://-bad.com", "ftp://a.com", "x", "shop[.com", "https://[::1"],
)
def test_malformed_websites_are_refused(website: str) -> None:
    error = check_website(website)
    assert error is not None and error.code == "invalid_url"


def test_ordinary_websites_pass() -> None:
    assert check_website("https://www.acme-outdoor.com/shop") is None
    assert check_website("acme.co.uk") is None


def test_magic_values_pass_the_checks_and_fail_later() -> None:
    assert check_tax_id("11-1111111", "US") is None and tax_id_fails_later("11-1111111")
    assert not tax_id_fails_later("12-3456789")
    magic = {"account_holder_name": "A", "routing_number": "110000000",
             "account_number": "000111111116"}  # fmt: skip
    assert check_bank_account(magic, "US") == []
    assert payout_failure_for(magic) == "no_account"
    assert payout_failure_for({**magic, "account_number": "000123456789"}) is None
