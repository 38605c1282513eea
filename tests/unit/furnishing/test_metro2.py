"""Metro 2 writer and reader, checked against the independent reference reader."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from mock_server.furnishing.metro2 import (
    BASE_FIELDS,
    RECORD_LENGTH,
    Metro2Error,
    Value,
    encodings,
    read_file,
    write_file,
    write_record,
)
from tests import metro2_reference as reference

STAMP = datetime(2025, 3, 31, 23, 59, 0)


def segment(account: str = "LOAN1", status: str = "11", **overrides: Value) -> dict[str, Value]:
    fields: dict[str, Value] = {
        "processing_indicator": 1,
        "time_stamp": STAMP,
        "identification_number": "INSTALLO01",
        "consumer_account_number": account,
        "portfolio_type": "I",
        "account_type": "01",
        "date_opened": date(2025, 1, 5),
        "highest_credit": 1200,
        "terms_duration": "012",
        "terms_frequency": "M",
        "scheduled_monthly_payment": 105,
        "account_status": status,
        "payment_history_profile": "00BBBBBBBBBBBBBBBBBBBBBB",
        "current_balance": 1010,
        "date_of_account_information": date(2025, 3, 31),
        "surname": "Lovelace",
        "first_name": "Ada",
        "social_security_number": 1234,
        "date_of_birth": date(1985, 12, 10),
        "telephone_number": 4155550100,
        "ecoa_code": "1",
        "address_line_1": "1 Market St",
        "city": "San Francisco",
        "state": "CA",
        "postal_code": "94105",
    }
    fields.update(overrides)
    return fields


HEADER = {"activity_date": date(2025, 3, 31), "date_created": date(2025, 3, 31)}


def test_every_record_is_426_characters_and_reads_back_in_the_reference_reader() -> None:
    text = write_file(
        {**HEADER, "reporter_name": "Installo"},
        [segment("LOAN1"), segment("LOAN2", "71"), segment("LOAN3", "97")],
    )
    parsed = reference.read(text)
    assert [b["consumer_account_number"] for b in parsed.bases] == ["LOAN1", "LOAN2", "LOAN3"]
    assert parsed.bases[0]["surname"] == "LOVELACE"
    assert parsed.bases[0]["highest_credit"] == "000001200"
    assert parsed.bases[0]["ssn"] == "000001234"
    assert parsed.bases[0]["date_opened"] == "01052025"
    assert parsed.bases[0]["time_stamp"] == "03312025235900"
    assert parsed.trailer["total_11"] == "000000001"
    assert parsed.trailer["total_97"] == "000000001"
    assert parsed.trailer["total_base_records"] == "000000003"


def test_the_writers_reader_gives_back_the_values_written() -> None:
    parsed = read_file(write_file(HEADER, [segment(current_balance=77, date_closed=None)]))
    base = parsed.base_segments[0]
    assert base["current_balance"] == 77
    assert base["date_closed"] is None
    assert base["date_opened"] == date(2025, 1, 5)
    assert base["account_status"] == "11"


def test_an_empty_file_has_a_header_and_a_trailer_counting_zero() -> None:
    parsed = reference.read(write_file(HEADER, []))
    assert parsed.bases == []
    assert parsed.trailer["total_base_records"] == "000000000"


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("current_balance", -1),
        ("current_balance", 1_000_000_000),
        ("surname", "Ωmega"),
        ("consumer_account_number", "x" * 31),
        ("date_opened", "2025-01-05"),
    ],
)
def test_a_value_that_does_not_fit_its_field_is_refused(name: str, value: Value) -> None:
    with pytest.raises(Metro2Error, match=name):
        write_record(BASE_FIELDS, {**segment(), name: value})


def test_an_unknown_field_is_refused() -> None:
    with pytest.raises(Metro2Error, match="no such fields"):
        write_record(BASE_FIELDS, segment(colour="red"))


def test_a_file_whose_trailer_miscounts_is_refused() -> None:
    text = write_file(HEADER, [segment()])
    lines = text.splitlines()
    with pytest.raises(Metro2Error, match="counts 1 base records, found 0"):
        read_file("\n".join([lines[0], lines[2]]))


def test_a_memo_writes_the_records_written_without_one() -> None:
    memo = encodings(BASE_FIELDS)
    segments = [
        segment("LOAN1"),
        segment("LOAN2", "71", current_balance=0, date_opened=None),
        segment("LOAN1"),  # every value found in the memo
        segment("LOAN3", surname="Hopper", processing_indicator=0, highest_credit=1),
    ]
    for fields in segments:
        assert write_record(BASE_FIELDS, fields, memo) == write_record(BASE_FIELDS, fields)
    assert memo[0] == {RECORD_LENGTH: "0426"}  # the record descriptor word's default


@pytest.mark.parametrize("value", [True, 1.0])
def test_a_memo_never_hands_a_value_an_equal_value_of_another_types_encoding(value: Value) -> None:
    memo = encodings(BASE_FIELDS)
    write_record(BASE_FIELDS, segment(processing_indicator=1), memo)
    with pytest.raises(Metro2Error, match="processing_indicator"):
        write_record(BASE_FIELDS, segment(processing_indicator=value), memo)


@pytest.mark.parametrize(("name", "value"), [("current_balance", -1), ("surname", "Ωmega")])
def test_a_memo_refuses_a_value_that_does_not_fit_as_a_write_without_one(
    name: str, value: Value
) -> None:
    memo = encodings(BASE_FIELDS)
    write_record(BASE_FIELDS, segment(), memo)
    with pytest.raises(Metro2Error, match=name):
        write_record(BASE_FIELDS, {**segment(), name: value}, memo)


def test_a_memo_is_for_one_layout() -> None:
    with pytest.raises(ValueError, match="another layout"):
        write_record(BASE_FIELDS, segment(), encodings(BASE_FIELDS)[:-1])
