"""Money, plans, installment schedules and loan servicing: pure Python, no I/O."""

from mock_server.domain.ledger import (
    DEFAULT_LATE_FEE_POLICY,
    HistoryEntry,
    LateFeePolicy,
    LoanInstallment,
    PaymentAllocation,
)
from mock_server.domain.loan import AUTHORIZATION_DAYS, Loan
from mock_server.domain.money import (
    CURRENCIES,
    Currency,
    CurrencyMismatch,
    Money,
    UnsupportedCurrency,
    format_money,
    get_currency,
    to_usd_minor,
)
from mock_server.domain.plans import DEFAULT_PLANS, Plan, PlanError, get_plan, plan_from_dict
from mock_server.domain.schedule import (
    Disclosure,
    Installment,
    LowestPayment,
    Offer,
    PlanNotEligible,
    add_months,
    amortize,
    build_schedule,
    lowest_monthly_payment,
    make_offer,
)
from mock_server.domain.states import InvalidTransition, LoanStatus

__all__ = [
    "AUTHORIZATION_DAYS",
    "CURRENCIES",
    "DEFAULT_LATE_FEE_POLICY",
    "DEFAULT_PLANS",
    "Currency",
    "CurrencyMismatch",
    "Disclosure",
    "HistoryEntry",
    "Installment",
    "InvalidTransition",
    "LateFeePolicy",
    "Loan",
    "LoanInstallment",
    "LoanStatus",
    "LowestPayment",
    "Money",
    "Offer",
    "PaymentAllocation",
    "Plan",
    "PlanError",
    "PlanNotEligible",
    "UnsupportedCurrency",
    "add_months",
    "amortize",
    "build_schedule",
    "format_money",
    "get_currency",
    "get_plan",
    "lowest_monthly_payment",
    "make_offer",
    "plan_from_dict",
    "to_usd_minor",
]
