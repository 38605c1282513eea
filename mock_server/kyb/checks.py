"""Field checks of a merchant application: tax id, bank account, website.

Tax ids and bank numbers are validated with python-stdnum (format, valid prefixes and check
digits): a US tax id is an EIN (`stdnum.us.ein`: nine digits with a prefix the IRS assigns), a US
bank account has an ABA routing number (`stdnum.us.rtn`: nine digits whose weighted sum 3-7-1 is a
multiple of ten) and an account number of 4 to 17 digits; elsewhere the tax id is the country's
VAT or company number and the account an IBAN (`stdnum.iban`, mod-97 check).

Magic values, like a card network's test numbers, pass these checks and fail later:
- tax id `11-1111111`: well-formed, but the tax authority's name match fails one sandbox day after
  activation (the merchant becomes `restricted` with a `tax_id` error);
- account number `000111111116`: well-formed, but payouts to it fail (`no_account`), the money
  returns to the balance and the merchant is `restricted` until it gives another account.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from types import ModuleType
from typing import Any, Final

from stdnum import iban
from stdnum.cn import uscc
from stdnum.eu import vat as eu_vat
from stdnum.exceptions import ValidationError
from stdnum.gb import vat as gb_vat
from stdnum.jp import cn as jp_corporate_number
from stdnum.us import ein, rtn

from mock_server.domain.websites import split_website

__all__ = [
    "MAGIC_ACCOUNT_PAYOUT_FAILS",
    "MAGIC_TAX_ID_FAILS_LATER",
    "RESERVED_TLDS",
    "CheckError",
    "check_bank_account",
    "check_tax_id",
    "check_website",
    "payout_failure_for",
    "tax_id_fails_later",
]

MAGIC_TAX_ID_FAILS_LATER: Final = "111111111"
MAGIC_ACCOUNT_PAYOUT_FAILS: Final = "000111111116"
# RFC 2606 / RFC 6761 top-level domains that never hold a real website.
RESERVED_TLDS: Final = frozenset({"invalid", "test", "example", "localhost", "local"})
_TAX_ID_MODULES: Final[dict[str, ModuleType]] = {
    "US": ein,
    "GB": gb_vat,
    "CN": uscc,
    "JP": jp_corporate_number,
}
_TAX_ID_NAMES: Final = {"US": "EIN", "GB": "VAT number", "CN": "unified social credit code"}
_LABEL = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")
_ACCOUNT_NUMBER = re.compile(r"^[0-9]{4,17}$")


@dataclass(frozen=True, slots=True)
class CheckError:
    """A failed check: the field (a requirement name), a machine code and a reason."""

    requirement: str
    code: str
    reason: str

    def to_dict(self) -> dict[str, str]:
        """The wire shape of `requirements.errors[]`."""
        return {"requirement": self.requirement, "code": self.code, "reason": self.reason}


def _digits(value: str) -> str:
    return re.sub(r"[\s.-]", "", value)


def check_tax_id(tax_id: str, country: str) -> CheckError | None:
    """Validate a business tax id for its country (None when it passes)."""
    module = _TAX_ID_MODULES.get(country, eu_vat)
    name = _TAX_ID_NAMES.get(country, "VAT number" if module is eu_vat else "company number")
    candidate = tax_id if module is not eu_vat or tax_id[:2].isalpha() else country + tax_id
    try:
        module.validate(candidate)
    except ValidationError as exc:
        return CheckError(
            "tax_id", "invalid_tax_id", f"tax_id is not a valid {country} {name}: {exc}"
        )
    return None


def tax_id_fails_later(tax_id: str) -> bool:
    """Whether this is the magic tax id whose name match fails after activation."""
    return _digits(tax_id) == MAGIC_TAX_ID_FAILS_LATER


def check_bank_account(account: Mapping[str, Any], country: str) -> list[CheckError]:
    """Validate a payout bank account: routing and account number (US) or IBAN (elsewhere)."""
    if country != "US" and account.get("iban"):
        try:
            iban.validate(str(account["iban"]))
        except ValidationError as exc:
            return [CheckError("bank_account.iban", "invalid_iban", f"iban is invalid: {exc}")]
        return []
    errors: list[CheckError] = []
    routing = account.get("routing_number")
    if country == "US":
        if not routing:
            errors.append(
                CheckError("bank_account.routing_number", "missing", "a US account needs one")
            )
        else:
            try:
                rtn.validate(str(routing))
            except ValidationError as exc:
                errors.append(
                    CheckError(
                        "bank_account.routing_number",
                        "invalid_routing_number",
                        f"routing_number is not a valid ABA routing number: {exc}",
                    )
                )
    number = account.get("account_number")
    if not number and country != "US":
        errors.append(CheckError("bank_account.iban", "missing", "an IBAN or account number"))
    elif not _ACCOUNT_NUMBER.match(_digits(str(number or ""))):
        errors.append(
            CheckError(
                "bank_account.account_number",
                "invalid_account_number",
                "account_number must be 4 to 17 digits",
            )
        )
    return errors


def payout_failure_for(account: Mapping[str, Any]) -> str | None:
    """The failure code a payout to this account meets (the magic account), or None."""
    number = _digits(str(account.get("account_number") or ""))
    return "no_account" if number == MAGIC_ACCOUNT_PAYOUT_FAILS else None


def check_website(website: str) -> CheckError | None:
    """Check a website URL's syntax and that its domain can exist (no reserved TLD)."""
    parts = split_website(website)
    if parts is None:
        return CheckError(
            "website", "invalid_url", f"website {website!r} does not name a valid domain"
        )
    if parts.scheme not in ("", "http", "https"):
        return CheckError("website", "invalid_url", f"website must be http(s), got {parts.scheme}")
    host = (parts.hostname or "").rstrip(".")
    labels = host.split(".")
    if len(labels) < 2 or not all(_LABEL.match(label) for label in labels):
        return CheckError(
            "website", "invalid_url", f"website {website!r} does not name a valid domain"
        )
    if labels[-1] in RESERVED_TLDS or labels[-1].isdigit():
        return CheckError(
            "website",
            "reserved_domain",
            f"website domain {host} is under the reserved top-level domain .{labels[-1]}, "
            "so no real site can be there",
        )
    return None
