"""The Metro 2 format, 426-character records: header, base segment, trailer; write and read.

Layout per the CDIA Credit Reporting Resource Guide (character format): every record is 426
characters and starts with its record descriptor word `0426`. Field kinds:

- `N` numeric: right-justified, zero-filled (money in whole dollars, cents truncated);
- `A` alphanumeric: left-justified, blank-filled, upper case;
- `D` date `MMDDYYYY`, zero-filled when there is none; `T` time stamp `MMDDYYYYHHMMSS`.

A file is the header, one base segment per account and the trailer, one record per line (`\\n`).
Only the fields the sandbox reports are named; reserved areas are blank (or zero in the trailer).
"""

from __future__ import annotations

import functools
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Final, Literal, cast

__all__ = [
    "BASE_FIELDS",
    "HEADER_FIELDS",
    "RECORD_LENGTH",
    "TRAILER_FIELDS",
    "TRAILER_STATUS_CODES",
    "Field",
    "FieldKind",
    "Metro2Error",
    "ParsedFile",
    "Value",
    "encodings",
    "format_date",
    "parse_date",
    "read_file",
    "read_record",
    "trailer_for",
    "write_file",
    "write_record",
]

RECORD_LENGTH: Final = 426
FieldKind = Literal["N", "A", "D", "T"]
Value = str | int | date | datetime | None


class Metro2Error(ValueError):
    """A value does not fit its field, or a record is not well formed."""


@dataclass(frozen=True, slots=True)
class Field:
    """One fixed-width field: its name, 1-based start position, length and kind."""

    name: str
    start: int
    length: int
    kind: FieldKind

    @property
    def end(self) -> int:
        """The field's last position (1-based, inclusive)."""
        return self.start + self.length - 1


def _layout(spec: Sequence[tuple[str, int, FieldKind]]) -> tuple[Field, ...]:
    fields, position = [], 1
    for name, length, kind in spec:
        fields.append(Field(name, position, length, kind))
        position += length
    if position - 1 != RECORD_LENGTH:
        raise AssertionError(f"layout is {position - 1} characters, not {RECORD_LENGTH}")
    return tuple(fields)


HEADER_FIELDS: Final = _layout(
    [
        ("record_descriptor_word", 4, "N"),
        ("record_identifier", 6, "A"),
        ("cycle_identifier", 2, "A"),
        ("innovis_program_identifier", 10, "A"),
        ("equifax_program_identifier", 10, "A"),
        ("experian_program_identifier", 5, "A"),
        ("transunion_program_identifier", 10, "A"),
        ("activity_date", 8, "D"),
        ("date_created", 8, "D"),
        ("program_date", 8, "D"),
        ("program_revision_date", 8, "D"),
        ("reporter_name", 40, "A"),
        ("reporter_address", 96, "A"),
        ("reporter_telephone_number", 10, "N"),
        ("software_vendor_name", 40, "A"),
        ("software_version_number", 5, "A"),
        ("prbc_program_identifier", 10, "A"),
        ("reserved", 146, "A"),
    ]
)

BASE_FIELDS: Final = _layout(
    [
        ("record_descriptor_word", 4, "N"),
        ("processing_indicator", 1, "N"),
        ("time_stamp", 14, "T"),
        ("correction_indicator", 1, "N"),
        ("identification_number", 20, "A"),
        ("cycle_identifier", 2, "A"),
        ("consumer_account_number", 30, "A"),
        ("portfolio_type", 1, "A"),
        ("account_type", 2, "A"),
        ("date_opened", 8, "D"),
        ("credit_limit", 9, "N"),
        ("highest_credit", 9, "N"),
        ("terms_duration", 3, "A"),
        ("terms_frequency", 1, "A"),
        ("scheduled_monthly_payment", 9, "N"),
        ("actual_payment", 9, "N"),
        ("account_status", 2, "A"),
        ("payment_rating", 1, "A"),
        ("payment_history_profile", 24, "A"),
        ("special_comment", 2, "A"),
        ("compliance_condition_code", 2, "A"),
        ("current_balance", 9, "N"),
        ("amount_past_due", 9, "N"),
        ("original_charge_off_amount", 9, "N"),
        ("date_of_account_information", 8, "D"),
        ("date_of_first_delinquency", 8, "D"),
        ("date_closed", 8, "D"),
        ("date_of_last_payment", 8, "D"),
        ("interest_type_indicator", 1, "A"),
        ("reserved", 17, "A"),
        ("surname", 25, "A"),
        ("first_name", 20, "A"),
        ("middle_name", 20, "A"),
        ("generation_code", 1, "A"),
        ("social_security_number", 9, "N"),
        ("date_of_birth", 8, "D"),
        ("telephone_number", 10, "N"),
        ("ecoa_code", 1, "A"),
        ("consumer_information_indicator", 2, "A"),
        ("country_code", 2, "A"),
        ("address_line_1", 32, "A"),
        ("address_line_2", 32, "A"),
        ("city", 20, "A"),
        ("state", 2, "A"),
        ("postal_code", 9, "A"),
        ("address_indicator", 1, "A"),
        ("residence_code", 1, "A"),
    ]
)

# The trailer counts base segments by account status, in this order after its fixed fields.
TRAILER_STATUS_CODES: Final = (
    "DA", "05", "11", "13", "61", "62", "63", "64", "65", "71", "78", "80", "82", "83", "84",
    "88", "89", "93", "94", "95", "96", "97",
)  # fmt: skip

TRAILER_FIELDS: Final = _layout(
    [
        ("record_descriptor_word", 4, "N"),
        ("record_identifier", 7, "A"),
        ("total_base_records", 9, "N"),
        ("reserved_1", 9, "A"),
        ("total_status_df", 9, "N"),
        ("total_j1_segments", 9, "N"),
        ("total_j2_segments", 9, "N"),
        ("block_count", 9, "N"),
        *((f"total_status_{code.lower()}", 9, "N") for code in TRAILER_STATUS_CODES),
        ("total_ecoa_z", 9, "N"),
        ("total_employment_segments", 9, "N"),
        ("total_original_creditor_segments", 9, "N"),
        ("total_purchased_sold_segments", 9, "N"),
        ("total_mortgage_information_segments", 9, "N"),
        ("total_specialized_payment_segments", 9, "N"),
        ("total_change_segments", 9, "N"),
        ("total_ssn_all_segments", 9, "N"),
        ("total_ssn_base_segments", 9, "N"),
        ("total_ssn_j1_segments", 9, "N"),
        ("total_ssn_j2_segments", 9, "N"),
        ("total_dob_all_segments", 9, "N"),
        ("total_dob_base_segments", 9, "N"),
        ("total_dob_j1_segments", 9, "N"),
        ("total_dob_j2_segments", 9, "N"),
        ("total_telephone_all_segments", 9, "N"),
        ("reserved_2", 19, "A"),
    ]
)


def format_date(value: date | None) -> str:
    """`MMDDYYYY`, or eight zeros for no date."""
    return "00000000" if value is None else f"{value.month:02d}{value.day:02d}{value.year:04d}"


@functools.lru_cache(maxsize=4096)  # a file repeats its dates (month-ends, due dates, births)
def parse_date(text: str) -> date | None:
    """Read `MMDDYYYY` (eight zeros is None)."""
    if text == "00000000":
        return None
    try:
        if len(text) == 8 and text.isascii() and text.isdigit():
            return date(int(text[4:]), int(text[:2]), int(text[2:4]))
        return datetime.strptime(text, "%m%d%Y").date()
    except ValueError:
        raise Metro2Error(f"{text!r} is not a MMDDYYYY date") from None


def _encode(spec: Field, value: Value) -> str:
    if spec.kind == "N":
        number = 0 if value is None else value
        if isinstance(number, bool) or not isinstance(number, int) or number < 0:
            raise Metro2Error(f"{spec.name} must be a whole number >= 0, got {value!r}")
        text = str(number).zfill(spec.length)
    elif spec.kind == "D":
        if value is not None and not isinstance(value, date):
            raise Metro2Error(f"{spec.name} must be a date, got {value!r}")
        text = format_date(value)
    elif spec.kind == "T":
        if not isinstance(value, datetime):
            raise Metro2Error(f"{spec.name} must be a datetime, got {value!r}")
        text = value.strftime("%m%d%Y%H%M%S")
    else:
        text = "" if value is None else str(value).upper()
        if not (text.isascii() and text.isprintable()):  # codes 32 to 126 only
            raise Metro2Error(f"{spec.name} must be printable ASCII, got {value!r}")
        text = text.ljust(spec.length)
    if len(text) > spec.length:
        raise Metro2Error(f"{spec.name} holds {spec.length} characters, got {value!r}")
    return text


# A layout's field names, and each field with its name and the value a record leaves out
# takes, built once per layout a file uses (by identity); then the same as three parallel
# tuples (names, those values, fields) for `write_record`'s memo path.
_Steps = tuple[tuple[str, "Value", Field], ...]
_Columns = tuple[tuple[str, ...], tuple["Value", ...], tuple[Field, ...]]
_LAYOUTS: dict[int, tuple[Sequence[Field], frozenset[str], _Steps, _Columns]] = {}


def _writing(fields: Sequence[Field]) -> tuple[Sequence[Field], frozenset[str], _Steps, _Columns]:
    """The layout's names and steps (see `_LAYOUTS`)."""
    known = _LAYOUTS.get(id(fields))
    if known is None or known[0] is not fields:
        steps = tuple(
            (f.name, RECORD_LENGTH if f.name == "record_descriptor_word" else None, f)
            for f in fields
        )
        columns = (
            tuple(name for name, _, _ in steps),
            tuple(default for _, default, _ in steps),
            tuple(spec for _, _, spec in steps),
        )
        names = frozenset(f.name for f in fields)
        known = _LAYOUTS[id(fields)] = (fields, names, steps, columns)
    return known


# Value types whose encodings a file may reuse: no two of them hold equal values (bool, equal to
# 1 and 0 but refused by `N` fields, is not among them), so a value finds only its own encoding.
_REUSABLE: Final = frozenset({int, str, date, datetime, type(None)})
Encodings = list[dict[Value, str]]


def encodings(fields: Sequence[Field]) -> Encodings:
    """Empty memos of each field's encoded values, for `write_record` over many records (a file
    repeats most values: the period's dates, each consumer's name and address, zeros)."""
    return [{} for _ in fields]


def write_record(
    fields: Sequence[Field], values: Mapping[str, Value], memo: Encodings | None = None
) -> str:
    """One 426-character record; unknown names are an error, missing ones blank or zero. With
    `memo` (see `encodings`), a value encoded before for the same field is not encoded again."""
    _, names, steps, (keys, defaults, specs) = _writing(fields)
    if not names.issuperset(values):
        raise Metro2Error(f"no such fields: {sorted(values.keys() - names)}")
    get = values.get
    if memo is None:
        parts = [_encode(spec, get(name, default)) for name, default, spec in steps]
    else:
        # Each field's value, then its encoding found in the memo, field by field in C (`map`);
        # the fields not found (None) are encoded and remembered. A value of another type
        # (such as a bool) must not find an equal value's encoding: it is encoded every time.
        if len(memo) != len(specs):
            raise ValueError("the memo is for another layout")
        found = list(map(get, keys, defaults))
        if _REUSABLE.issuperset(map(type, found)):
            texts: list[str | None] = list(map(dict.get, memo, found))
            at = -1
            while True:
                try:
                    at = texts.index(None, at + 1)
                except ValueError:  # no (more) field to encode (only around `index`: a
                    break  # Metro2Error that `_encode` raises is a ValueError too)
                texts[at] = memo[at][found[at]] = _encode(specs[at], found[at])
            parts = cast(list[str], texts)
        else:
            parts = []
            for spec, value, known in zip(specs, found, memo, strict=True):
                if type(value) in _REUSABLE:
                    text = known.get(value)
                    if text is None:
                        text = known[value] = _encode(spec, value)
                    parts.append(text)
                else:
                    parts.append(_encode(spec, value))
    record = "".join(parts)
    assert len(record) == RECORD_LENGTH
    return record


def read_record(
    fields: Sequence[Field], record: str, names: frozenset[str] | None = None
) -> dict[str, str | int | date | None]:
    """A record's fields by name (only those in `names`, if given): numbers as int, dates as
    date, text stripped."""
    return _read(_slices(fields if names is None else _only(fields, names)), record)


_Slices = tuple[tuple[str, int, int, FieldKind], ...]


def _slices(fields: Iterable[Field]) -> _Slices:
    """Each field's name, slice of the record and kind (listed once for a file's records)."""
    return tuple((f.name, f.start - 1, f.start - 1 + f.length, f.kind) for f in fields)


def _read(slices: _Slices, record: str) -> dict[str, str | int | date | None]:
    if len(record) != RECORD_LENGTH:
        raise Metro2Error(f"a record is {RECORD_LENGTH} characters, got {len(record)}")
    values: dict[str, str | int | date | None] = {}
    for name, low, high, kind in slices:
        text = record[low:high]
        if kind == "N":
            if not text.isdigit():
                raise Metro2Error(f"{name} is not numeric: {text!r}")
            values[name] = int(text)
        elif kind == "D":
            values[name] = parse_date(text)
        else:
            values[name] = text.rstrip()
    return values


def _only(fields: Sequence[Field], names: frozenset[str]) -> tuple[Field, ...]:
    """The fields of a layout that `names` names, in layout order."""
    return tuple(spec for spec in fields if spec.name in names)


def trailer_for(base_segments: Iterable[Mapping[str, Value]]) -> dict[str, Value]:
    """The trailer's totals for these base segments."""
    segments = list(base_segments)
    statuses = Counter(str(s.get("account_status", "")) for s in segments)
    totals: dict[str, Value] = {
        "record_identifier": "TRAILER",
        "total_base_records": len(segments),
        "block_count": 0,
        "total_ssn_all_segments": sum(1 for s in segments if s.get("social_security_number")),
        "total_dob_all_segments": sum(1 for s in segments if s.get("date_of_birth")),
        "total_telephone_all_segments": sum(1 for s in segments if s.get("telephone_number")),
    }
    totals["total_ssn_base_segments"] = totals["total_ssn_all_segments"]
    totals["total_dob_base_segments"] = totals["total_dob_all_segments"]
    totals["total_ecoa_z"] = sum(1 for s in segments if s.get("ecoa_code") == "Z")
    for code in TRAILER_STATUS_CODES:
        totals[f"total_status_{code.lower()}"] = statuses.get(code, 0)
    return totals


def write_file(header: Mapping[str, Value], base_segments: Sequence[Mapping[str, Value]]) -> str:
    """A whole file: header, the base segments in order, and the trailer; one record a line."""
    records = [write_record(HEADER_FIELDS, {"record_identifier": "HEADER", **header})]
    memo = encodings(BASE_FIELDS)
    records.extend(write_record(BASE_FIELDS, segment, memo) for segment in base_segments)
    records.append(write_record(TRAILER_FIELDS, trailer_for(base_segments)))
    return "\n".join(records) + "\n"


@dataclass(frozen=True, slots=True)
class ParsedFile:
    """A file read back: header, base segments and trailer as field dicts."""

    header: dict[str, str | int | date | None]
    base_segments: list[dict[str, str | int | date | None]]
    trailer: dict[str, str | int | date | None]


def read_file(text: str, base_names: frozenset[str] | None = None) -> ParsedFile:
    """Read a file `write_file` made; Metro2Error when it is not a well-formed Metro 2 file.
    With `base_names`, each base segment holds only those fields (a reader that needs a few
    fields of thousands of records reads only those)."""
    records = text.splitlines()
    if len(records) < 2:
        raise Metro2Error("a file needs at least a header and a trailer")
    header = read_record(HEADER_FIELDS, records[0])
    trailer = read_record(TRAILER_FIELDS, records[-1])
    if header["record_identifier"] != "HEADER" or trailer["record_identifier"] != "TRAILER":
        raise Metro2Error("the first record must be the HEADER and the last the TRAILER")
    specs = BASE_FIELDS if base_names is None else _only(BASE_FIELDS, base_names)
    slices = _slices(specs)
    bases = [_read(slices, record) for record in records[1:-1]]
    if trailer["total_base_records"] != len(bases):
        raise Metro2Error(
            f"the trailer counts {trailer['total_base_records']} base records, found {len(bases)}"
        )
    return ParsedFile(header, bases, trailer)
