"""The loan workflow lighting up step by step, with outcomes and timings."""

from __future__ import annotations

from collections.abc import Sequence

from rich.table import Table
from textual.reactive import reactive
from textual.widgets import Static

from merchant_sim.workflow_view import StepView, steps_pending

_ICONS = {
    "pending": "[dim]○[/]",
    "running": "[yellow]◐[/]",
    "ok": "[green]●[/]",
    "warn": "[yellow]●[/]",
    "fail": "[red]●[/]",
    "skip": "[dim]–[/]",
}


class WorkflowSteps(Static):
    """Each step of the loan process with its state, outcome and time."""

    steps: reactive[tuple[StepView, ...]] = reactive(tuple(steps_pending()), always_update=True)

    def show(self, steps: Sequence[StepView]) -> None:
        """Display these step states."""
        self.steps = tuple(steps)

    def watch_steps(self, steps: tuple[StepView, ...]) -> None:
        """Redraw the steps."""
        table = Table.grid(padding=(0, 1))
        table.add_column(width=1)
        table.add_column(min_width=13, no_wrap=True)
        table.add_column(no_wrap=True, overflow="ellipsis", max_width=20)
        table.add_column(justify="right", no_wrap=True)
        for step in steps:
            timing = _timing(step.ms)
            label = f"[b]{step.label}[/]" if step.state == "running" else step.label
            table.add_row(_ICONS.get(step.state, "?"), label, step.outcome, timing)
        self.update(table)


def _timing(ms: float | None) -> str:
    """A step's time at a precision that reads: 0.42ms, 7.5ms, 130ms."""
    if ms is None:
        return ""
    if ms < 1:
        return f"{ms:.2f}ms"
    return f"{ms:.1f}ms" if ms < 10 else f"{ms:.0f}ms"
