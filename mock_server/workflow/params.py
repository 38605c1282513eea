"""Params each step type accepts, and the checks their values must pass."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

__all__ = ["STEP_PARAMS", "ParamCheck"]

# A param check answers None when the value is fine, else what is wrong with it.
ParamCheck = Callable[[Any], str | None]


def _positive_int(value: Any) -> str | None:
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        return f"must be a positive integer, got {value!r}"
    return None


def _non_negative_int(value: Any) -> str | None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        return f"must be an integer >= 0 (USD cents), got {value!r}"
    return None


def _one_of(*choices: str) -> ParamCheck:
    def check(value: Any) -> str | None:
        if value not in choices:
            return f"must be one of {', '.join(choices)}, got {value!r}"
        return None

    return check


def _text(value: Any) -> str | None:
    if not isinstance(value, str) or not value:
        return f"must be a non-empty string, got {value!r}"
    return None


def _target(value: Any) -> str | None:
    # Whether the step exists is checked with the transitions; here only the shape.
    if not isinstance(value, str) or not value:
        return f"must name a step or a terminal outcome, got {value!r}"
    return None


# Params each step type accepts: name -> (required, check). Unknown names are rejected so that a
# typo ("sla_hour") fails loudly instead of silently taking the default.
STEP_PARAMS: Mapping[str, Mapping[str, tuple[bool, ParamCheck]]] = {
    "identity_check": {},
    "credit_report": {"pull_type": (False, _one_of("hard", "soft"))},
    "fraud_screen": {"window_hours": (False, _positive_int)},
    "decision": {
        "policy": (False, _text),
        "on_worse_tier": (False, _one_of("decline", "review")),
    },
    "manual_review": {
        "sla_hours": (False, _positive_int),
        "on_timeout": (False, _target),
        "queue": (False, _text),
    },
    "agreement": {},
    "authorization": {"expires_days": (False, _positive_int)},
    "amount_gate": {"threshold_usd": (True, _non_negative_int)},
}
