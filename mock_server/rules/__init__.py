"""The rule engine: policies as data, compiled once, every decision explained."""

from mock_server.rules.compiler import Expression, compile_expression
from mock_server.rules.dry_run import DecisionChange, DryRunReport, OutcomeMix, dry_run
from mock_server.rules.errors import (
    EvaluationError,
    ExpressionError,
    PolicyError,
    PolicyProblem,
    RuleEngineError,
)
from mock_server.rules.onboarding import ONBOARDING_FACT_FIELDS, build_onboarding_facts
from mock_server.rules.policy import (
    SEVERITY,
    Decision,
    FiredRule,
    Outcome,
    Policy,
    PolicyKind,
    Rule,
    fields_for_kind,
    load_policy,
    load_shipped_policy,
    most_severe,
    shipped_policy_names,
)

__all__ = [
    "ONBOARDING_FACT_FIELDS",
    "SEVERITY",
    "Decision",
    "DecisionChange",
    "DryRunReport",
    "EvaluationError",
    "Expression",
    "ExpressionError",
    "FiredRule",
    "Outcome",
    "OutcomeMix",
    "Policy",
    "PolicyError",
    "PolicyKind",
    "PolicyProblem",
    "Rule",
    "RuleEngineError",
    "build_onboarding_facts",
    "compile_expression",
    "dry_run",
    "fields_for_kind",
    "load_policy",
    "load_shipped_policy",
    "most_severe",
    "shipped_policy_names",
]
