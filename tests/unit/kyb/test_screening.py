"""Sanctions screening: fuzzy names against the shipped list, at the documented threshold."""

from __future__ import annotations

from mock_server.kyb import SCREENING_THRESHOLD, ScreeningSubject, load_screening_list, screen
from mock_server.kyb.screening import normalize_name


def business(name: str) -> ScreeningSubject:
    return ScreeningSubject("business", "organization", name)


def person(name: str) -> ScreeningSubject:
    return ScreeningSubject("representative", "person", name)


def test_the_shipped_list_has_organizations_and_people() -> None:
    kinds = {entry.kind for entry in load_screening_list()}
    assert kinds == {"organization", "person"}


def test_legal_words_and_case_do_not_hide_a_listed_business() -> None:
    matches = screen([business("ISLAMIC Revolutionary Guard Corps Trading LLC")])
    assert [m.entry.id for m in matches] == ["SBX-ORG-0001"]
    assert matches[0].score == 100


def test_word_order_and_spelling_variants_of_a_person_match() -> None:
    assert screen([person("Sandboxov, Viktor")])[0].entry.id == "SBX-PER-0001"
    variant = screen([person("Victor Sandboxov")])
    assert variant and SCREENING_THRESHOLD <= variant[0].score < 100


def test_unrelated_names_stay_clear() -> None:
    assert screen([business("Northwind Bikes"), person("Jordan Rivera")]) == []


def test_people_are_screened_against_people_only() -> None:
    assert screen([business("Viktor Sandboxov")]) == []


def test_an_alias_matches_and_the_match_names_the_entry() -> None:
    match = screen([business("IRGC")])[0]
    assert match.matched_name == "IRGC"
    assert match.to_dict()["entry"]["program"] == "IRAN"


def test_the_threshold_decides() -> None:
    assert screen([person("Victor Sandbox")]) == []  # scores 87
    assert screen([person("Victor Sandbox")], threshold=85)


def test_normalize_name_folds_accents_and_punctuation() -> None:
    assert normalize_name("Crímson-Ledger Exchange, Ltd.") == "crimson ledger exchange"
