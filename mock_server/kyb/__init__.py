"""Merchant verification (KYB): field checks, sanctions screening and requirements.

Pure Python over an application document (no framework, no I/O beyond the shipped screening
list): `checks` validates tax ids, bank accounts and websites with python-stdnum; `screening`
matches the business and every person against the sandbox's screening list with rapidfuzz;
`requirements` turns an application into what is currently due, eventually due and in error.
"""

from mock_server.kyb.checks import (
    MAGIC_ACCOUNT_PAYOUT_FAILS,
    MAGIC_TAX_ID_FAILS_LATER,
    CheckError,
    check_bank_account,
    check_tax_id,
    check_website,
    payout_failure_for,
    tax_id_fails_later,
)
from mock_server.kyb.requirements import Requirements, Verification, verify_application
from mock_server.kyb.screening import (
    SCREENING_THRESHOLD,
    ScreeningEntry,
    ScreeningMatch,
    ScreeningSubject,
    load_screening_list,
    screen,
)

__all__ = [
    "MAGIC_ACCOUNT_PAYOUT_FAILS",
    "MAGIC_TAX_ID_FAILS_LATER",
    "SCREENING_THRESHOLD",
    "CheckError",
    "Requirements",
    "ScreeningEntry",
    "ScreeningMatch",
    "ScreeningSubject",
    "Verification",
    "check_bank_account",
    "check_tax_id",
    "check_website",
    "load_screening_list",
    "payout_failure_for",
    "screen",
    "tax_id_fails_later",
    "verify_application",
]
