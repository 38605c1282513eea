"""An independent Metro 2 reader for the tests, written from the published CRRG positions.

It shares nothing with `mock_server.furnishing`: every field is spelled out here by its 1-based
start and end position in the 426-character format, with the format it must have. `read` checks
each record's length, every field's format and value set, and the trailer's totals against the
base segments, and raises AssertionError naming the record and field at the first problem.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime

# (name, start, end, format); formats: N numeric, A alphanumeric, D MMDDYYYY, T MMDDYYYYHHMMSS.
HEADER = [
    ("rdw", 1, 4, "N"),
    ("record_identifier", 5, 10, "A"),
    ("cycle_identifier", 11, 12, "A"),
    ("innovis_id", 13, 22, "A"),
    ("equifax_id", 23, 32, "A"),
    ("experian_id", 33, 37, "A"),
    ("transunion_id", 38, 47, "A"),
    ("activity_date", 48, 55, "D"),
    ("date_created", 56, 63, "D"),
    ("program_date", 64, 71, "D"),
    ("program_revision_date", 72, 79, "D"),
    ("reporter_name", 80, 119, "A"),
    ("reporter_address", 120, 215, "A"),
    ("reporter_telephone", 216, 225, "N"),
    ("software_vendor", 226, 265, "A"),
    ("software_version", 266, 270, "A"),
    ("prbc_id", 271, 280, "A"),
    ("reserved", 281, 426, "A"),
]
BASE = [
    ("rdw", 1, 4, "N"),
    ("processing_indicator", 5, 5, "N"),
    ("time_stamp", 6, 19, "T"),
    ("correction_indicator", 20, 20, "N"),
    ("identification_number", 21, 40, "A"),
    ("cycle_identifier", 41, 42, "A"),
    ("consumer_account_number", 43, 72, "A"),
    ("portfolio_type", 73, 73, "A"),
    ("account_type", 74, 75, "A"),
    ("date_opened", 76, 83, "D"),
    ("credit_limit", 84, 92, "N"),
    ("highest_credit", 93, 101, "N"),
    ("terms_duration", 102, 104, "A"),
    ("terms_frequency", 105, 105, "A"),
    ("scheduled_monthly_payment", 106, 114, "N"),
    ("actual_payment", 115, 123, "N"),
    ("account_status", 124, 125, "A"),
    ("payment_rating", 126, 126, "A"),
    ("payment_history_profile", 127, 150, "A"),
    ("special_comment", 151, 152, "A"),
    ("compliance_condition_code", 153, 154, "A"),
    ("current_balance", 155, 163, "N"),
    ("amount_past_due", 164, 172, "N"),
    ("original_charge_off_amount", 173, 181, "N"),
    ("date_of_account_information", 182, 189, "D"),
    ("date_of_first_delinquency", 190, 197, "D"),
    ("date_closed", 198, 205, "D"),
    ("date_of_last_payment", 206, 213, "D"),
    ("interest_type_indicator", 214, 214, "A"),
    ("reserved", 215, 231, "A"),
    ("surname", 232, 256, "A"),
    ("first_name", 257, 276, "A"),
    ("middle_name", 277, 296, "A"),
    ("generation_code", 297, 297, "A"),
    ("ssn", 298, 306, "N"),
    ("date_of_birth", 307, 314, "D"),
    ("telephone", 315, 324, "N"),
    ("ecoa_code", 325, 325, "A"),
    ("consumer_information_indicator", 326, 327, "A"),
    ("country_code", 328, 329, "A"),
    ("address_1", 330, 361, "A"),
    ("address_2", 362, 393, "A"),
    ("city", 394, 413, "A"),
    ("state", 414, 415, "A"),
    ("postal_code", 416, 424, "A"),
    ("address_indicator", 425, 425, "A"),
    ("residence_code", 426, 426, "A"),
]
# Trailer: the status-code totals sit at published positions, one 9-digit count each.
TRAILER_COUNTS = {
    "DA": 66, "05": 75, "11": 84, "13": 93, "61": 102, "62": 111, "63": 120, "64": 129,
    "65": 138, "71": 147, "78": 156, "80": 165, "82": 174, "83": 183, "84": 192, "88": 201,
    "89": 210, "93": 219, "94": 228, "95": 237, "96": 246, "97": 255,
}  # fmt: skip
TRAILER = [
    ("rdw", 1, 4, "N"),
    ("record_identifier", 5, 11, "A"),
    ("total_base_records", 12, 20, "N"),
    ("total_status_df", 30, 38, "N"),
    ("block_count", 57, 65, "N"),
    *((f"total_{code}", start, start + 8, "N") for code, start in TRAILER_COUNTS.items()),
    ("total_ecoa_z", 264, 272, "N"),
    ("total_ssn_all", 327, 335, "N"),
    ("total_ssn_base", 336, 344, "N"),
    ("total_dob_all", 363, 371, "N"),
    ("total_dob_base", 372, 380, "N"),
    ("total_telephone_all", 399, 407, "N"),
]

ACCOUNT_STATUSES = {"DA", "DF", "05", "11", "13", "61", "62", "63", "64", "65", "71", "78"} | {
    "80",
    "82",
    "83",
    "84",
    "88",
    "89",
    "93",
    "94",
    "95",
    "96",
    "97",
}
PROFILE = re.compile(r"^[0-6BDEGHJKL]{24}$")
COMPLIANCE_CODES = {"", "XA", "XB", "XC", "XD", "XE", "XF", "XG", "XH", "XJ", "XR"}


@dataclass
class Metro2File:
    """A file read by the reference reader: raw field text per record."""

    header: dict[str, str]
    bases: list[dict[str, str]]
    trailer: dict[str, str]


def _check_format(where: str, text: str, kind: str) -> None:
    if kind == "N":
        assert text.isdigit(), f"{where}: numeric field holds {text!r}"
    elif kind == "D":
        assert text.isdigit() and len(text) == 8, f"{where}: date holds {text!r}"
        if text != "00000000":
            datetime.strptime(text, "%m%d%Y")
    elif kind == "T":
        datetime.strptime(text, "%m%d%Y%H%M%S")
    else:
        assert text.isascii() and text.isprintable(), f"{where}: not printable ASCII {text!r}"
        assert text == text.upper(), f"{where}: alphanumeric field not upper case {text!r}"
        assert text == text.rstrip() + " " * (len(text) - len(text.rstrip())), where
        assert not text.startswith(" ") or not text.strip(), f"{where}: not left-justified"


def _fields(record: str, layout: list[tuple[str, int, int, str]], where: str) -> dict[str, str]:
    assert len(record) == 426, f"{where}: {len(record)} characters, not 426"
    out = {}
    for name, start, end, kind in layout:
        text = record[start - 1 : end]
        _check_format(f"{where} {name} ({start}-{end})", text, kind)
        out[name] = text if kind in "NDT" else text.rstrip()
    assert out["rdw"] == "0426", f"{where}: record descriptor word {out['rdw']!r}"
    return out


def _check_base(base: dict[str, str], where: str) -> None:
    assert base["account_status"] in ACCOUNT_STATUSES, f"{where}: status {base}"
    assert PROFILE.match(base["payment_history_profile"]), f"{where}: profile"
    assert base["compliance_condition_code"] in COMPLIANCE_CODES, f"{where}: compliance code"
    assert base["portfolio_type"] in {"C", "I", "M", "O", "R"}, f"{where}: portfolio type"
    assert base["terms_frequency"] in set("DPWBEMLQTSY"), f"{where}: terms frequency"
    assert base["ecoa_code"] in set("12345789TWXZ"), f"{where}: ECOA code"
    assert base["payment_rating"] in set(" 0123456GL") | {""}, f"{where}: payment rating"
    assert base["surname"] and base["first_name"] is not None, f"{where}: consumer name"
    assert base["consumer_account_number"], f"{where}: account number"
    assert base["date_opened"] != "00000000", f"{where}: date opened"


def read(text: str) -> Metro2File:
    """Read and check a whole furnishing file."""
    lines = text.split("\n")
    assert lines[-1] == "", "the file ends with a newline"
    records = lines[:-1]
    header = _fields(records[0], HEADER, "header")
    assert header["record_identifier"] == "HEADER"
    trailer = _fields(records[-1], TRAILER, "trailer")
    assert trailer["record_identifier"] == "TRAILER"
    bases = []
    for number, record in enumerate(records[1:-1], start=1):
        base = _fields(record, BASE, f"base segment {number}")
        _check_base(base, f"base segment {number}")
        bases.append(base)
    assert int(trailer["total_base_records"]) == len(bases), "trailer base record count"
    statuses = Counter(base["account_status"] for base in bases)
    for code in TRAILER_COUNTS:
        assert int(trailer[f"total_{code}"]) == statuses.get(code, 0), f"trailer total {code}"
    with_ssn = sum(1 for b in bases if int(b["ssn"]))
    assert int(trailer["total_ssn_base"]) == with_ssn, "trailer SSN count"
    with_dob = sum(1 for b in bases if b["date_of_birth"] != "00000000")
    assert int(trailer["total_dob_base"]) == with_dob, "trailer birth date count"
    with_phone = sum(1 for b in bases if int(b["telephone"]))
    assert int(trailer["total_telephone_all"]) == with_phone, "trailer telephone count"
    return Metro2File(header, bases, trailer)


def as_date(text: str) -> date | None:
    """A MMDDYYYY field as a date (None for zeros)."""
    return None if text == "00000000" else datetime.strptime(text, "%m%d%Y").date()
