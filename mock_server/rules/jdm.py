"""Export a policy as a GoRules JDM decision table, and read a zen-engine answer back.

The table uses the "collect" hit policy: one row per rule, in policy order, one input column with
no field (each cell is the rule's condition as a ZEN expression) and output columns `rule_id`,
`outcome`, `reason_code`, `credit_limit`, `apr_bps`. zen answers the list of matched rows in
order, which `decision_from_rows` folds into a `Decision` exactly as `Policy.evaluate` does.

This module only builds and reads JSON-like data; it does not import zen. It exists so the
benchmark can measure our engine against zen-engine on the same policy and check that both agree.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any, Final

from mock_server.rules.compiler import Expression
from mock_server.rules.expr import Binary, Call, Field, ListNode, Literal, Node, Unary
from mock_server.rules.policy import Decision, FiredRule, Outcome, Policy, most_severe

TABLE_NODE_ID: Final = "policy_table"
_ORDERING: Final = frozenset({"<", "<=", ">", ">="})


def to_zen_expression(node: Node) -> str:
    """Render a syntax tree as a ZEN expression with the same meaning on valid facts."""
    if isinstance(node, Literal):
        value = node.value
        if value is None:
            return "null"
        if isinstance(value, bool):
            return "true" if value else "false"
        return json.dumps(value) if isinstance(value, str) else str(value)
    if isinstance(node, ListNode):
        return "[" + ", ".join(to_zen_expression(item) for item in node.items) + "]"
    if isinstance(node, Field):
        return node.path
    if isinstance(node, Unary):
        inner = to_zen_expression(node.operand)
        return f"(not {inner})" if node.op == "not" else f"(-{inner})"
    if isinstance(node, Binary):
        return _binary(node)
    if isinstance(node, Call):
        args = [to_zen_expression(arg) for arg in node.args]
        if node.name in ("min", "max") and len(args) > 1:
            return f"{node.name}([{', '.join(args)}])"
        return f"{node.name}({', '.join(args)})"
    raise TypeError(f"unknown node {node!r}")  # pragma: no cover - the parser builds no other


def _binary(node: Binary) -> str:
    left, right = to_zen_expression(node.left), to_zen_expression(node.right)
    if node.op == "//":
        return f"floor({left} / {right})"
    if node.op in _ORDERING:
        # Ours: an ordering with null is false. zen fails the cell, which would skip the row but
        # turn `not (x < 1)` into a miss as well, so guard the non-literal sides explicitly.
        sides = ((left, node.left), (right, node.right))
        guards = [f"{text} != null" for text, side in sides if not _literal(side)]
        return "(" + " and ".join([*guards, f"{left} {node.op} {right}"]) + ")"
    return f"({left} {node.op} {right})"


def _literal(node: Node) -> bool:
    return isinstance(node, Literal) and node.value is not None


def _output(value: Expression | int | None) -> str:
    if value is None:
        return "null"
    if isinstance(value, int):
        return str(value)
    return to_zen_expression(value.tree)


def policy_to_jdm(policy: Policy) -> dict[str, Any]:
    """The policy as a JDM graph: input node -> collect decision table -> output node."""
    outputs = ["rule_id", "outcome", "reason_code", "credit_limit", "apr_bps"]
    rows = [
        {
            "_id": rule.id,
            "when": to_zen_expression(rule.when.tree),
            "rule_id": json.dumps(rule.id),
            "outcome": json.dumps(rule.outcome),
            "reason_code": json.dumps(rule.reason_code),
            "credit_limit": _output(rule.credit_limit),
            "apr_bps": _output(rule.apr_bps),
        }
        for rule in policy.rules
    ]
    table = {
        "hitPolicy": "collect",
        "inputs": [{"id": "when", "name": "condition"}],
        "outputs": [{"id": name, "name": name, "field": name} for name in outputs],
        "rules": rows,
    }
    return {
        "nodes": [
            _node("request", "inputNode", 0, {}),
            _node(TABLE_NODE_ID, "decisionTableNode", 300, table),
            _node("response", "outputNode", 600, {}),
        ],
        "edges": [
            {"id": "request-table", "sourceId": "request", "targetId": TABLE_NODE_ID},
            {"id": "table-response", "sourceId": TABLE_NODE_ID, "targetId": "response"},
        ],
    }


def _node(node_id: str, kind: str, x: int, content: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": node_id,
        "type": kind,
        "name": node_id,
        "position": {"x": x, "y": 0},
        "content": content,
    }


def decision_from_rows(policy: Policy, rows: Sequence[Mapping[str, Any]]) -> Decision:
    """Fold zen's collected rows into a Decision the way `Policy.evaluate` does."""
    if not rows:
        return Decision(policy.default_outcome, (), (), policy.id, policy.version)
    fired = [
        FiredRule(str(r["rule_id"]), _outcome(r["outcome"]), str(r["reason_code"])) for r in rows
    ]
    outcome = most_severe([rule.outcome for rule in fired], policy.default_outcome)
    limits = [_whole(r["credit_limit"]) for r in rows if r.get("credit_limit") is not None]
    prices = [_whole(r["apr_bps"]) for r in rows if r.get("apr_bps") is not None]
    return Decision(
        outcome=outcome,
        reason_codes=tuple(dict.fromkeys(r.reason_code for r in fired if r.outcome == outcome)),
        rules_fired=tuple(fired),
        policy_id=policy.id,
        policy_version=policy.version,
        credit_limit=min(limits) if limits else None,
        apr_bps=max(prices) if prices else None,
    )


def _outcome(value: object) -> Outcome:
    if value == "approve" or value == "review" or value == "decline":
        return value
    raise ValueError(f"unknown outcome {value!r} from the decision table")


def _whole(value: object) -> int:
    # zen's numbers are decimals; its Python binding may hand back an int or an integral float.
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    raise ValueError(f"expected a whole number from the decision table, got {value!r}")
