"""After the load: gather every process's shoppers into one run, finish it, judge it.

The Locust master (or the only process) holds the whole run: it advances the sandbox clock as the
scenario says, reads every loan's final state and money, counts double charges, then checks the
scenario's expectations on that aggregate, exactly as `merchant-sim run` does for one process.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict
from typing import Any

from installo import APIError, Installo

from merchant_sim.load.journey import JourneyResult
from merchant_sim.runner.schema import Scenario
from merchant_sim.runner.stats import CheckoutRecord, RunStats

__all__ = ["from_wire", "settle", "to_wire"]


def to_wire(result: JourneyResult) -> dict[str, Any]:
    """A result as plain data for a message from a worker to the master."""
    return {
        "record": asdict(result.record),
        "intended_capture": result.intended_capture,
        "intended_refund": result.intended_refund,
        "server_error": bool(result.extra.get("server_error")),
    }


def from_wire(data: dict[str, Any]) -> JourneyResult:
    """The result a worker sent."""
    result = JourneyResult(
        CheckoutRecord(**data["record"]),
        intended_capture=int(data["intended_capture"]),
        intended_refund=int(data["intended_refund"]),
    )
    result.extra["server_error"] = bool(data.get("server_error"))
    return result


def settle(
    scenario: Scenario, client: Installo, results: list[JourneyResult], run: str, elapsed: float
) -> tuple[RunStats, list[str]]:
    """The run's statistics after the clock steps and a final read of every loan; with notes."""
    stats = RunStats(currency=scenario.store.currency, elapsed_s=elapsed)
    notes: list[str] = []
    for result in results:
        stats.records.append(result.record)
        if result.record.error:
            stats.errors[result.record.error] += 1
        if result.extra.get("server_error"):
            stats.server_errors += 1
    for step in scenario.clock:
        for _ in range(step.repeat):
            try:
                client.sandbox.advance_clock(days=step.days)
            except APIError as exc:
                stats.errors[type(exc).__name__] += 1
                notes.append(f"clock advance failed: {exc}")
                break
    _read_loans(client, results, stats)
    stats.double_charges += _duplicate_checkouts(client, f"{run}-", stats)
    return stats, notes


def _read_loans(client: Installo, results: list[JourneyResult], stats: RunStats) -> None:
    money = stats.money
    for result in results:
        loan_id = result.record.loan_id
        if loan_id is None:
            continue
        try:
            loan = client.loans.retrieve(loan_id)
        except APIError as exc:
            stats.errors[type(exc).__name__] += 1
            continue
        status = str(loan.status)
        stats.loan_states[status] += 1
        money["financed"] += loan.authorized_amount
        money["captured"] += loan.captured_amount
        money["refunded"] += loan.refunded_amount
        money["repaid"] += sum(e.paid_amount for e in loan.schedule)
        if status == "charged_off":
            money["charged_off"] += loan.principal_balance
        if (
            loan.captured_amount > result.intended_capture
            or loan.refunded_amount > result.intended_refund
        ):
            stats.double_charges += 1


def _duplicate_checkouts(client: Installo, prefix: str, stats: RunStats) -> int:
    """A retried create that opened a second checkout for one shopper is a double charge."""
    try:
        references = [
            c.merchant_reference
            for c in client.checkouts.list(limit=100).auto_paging_iter()
            if c.merchant_reference is not None and c.merchant_reference.startswith(prefix)
        ]
    except APIError as exc:
        stats.errors[type(exc).__name__] += 1
        return 0
    return sum(count - 1 for count in Counter(references).values())
