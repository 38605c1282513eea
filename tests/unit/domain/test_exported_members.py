"""The domain package's public surface: every name in __all__ exists and nothing leaks."""

import importlib

import pytest

import mock_server.domain as domain
from tests.public_names import public_names

MODULES = [
    "money",
    "plans",
    "schedule",
    "ledger",
    "states",
    "loan",
    "regions",
    "checkout",
    "merchant",
    "review",
    "websites",
]


@pytest.mark.parametrize("name", MODULES)
def test_module_all_lists_only_names_it_defines(name: str) -> None:
    module = importlib.import_module(f"mock_server.domain.{name}")
    exported = module.__all__
    assert sorted(exported) == sorted(set(exported))
    missing = [n for n in exported if not hasattr(module, n)]
    assert missing == []


def test_package_exports_exactly_its_public_imports() -> None:
    public = public_names(domain) - set(MODULES) - {"annotations"}
    assert set(domain.__all__) == public


def test_package_exports_what_the_server_and_risk_engines_use() -> None:
    needed = {
        "to_usd_minor",
        "format_money",
        "Money",
        "Plan",
        "DEFAULT_PLANS",
        "plan_from_dict",
        "make_offer",
        "lowest_monthly_payment",
        "Loan",
        "LoanStatus",
        "InvalidTransition",
    }
    assert needed <= set(domain.__all__)
