"""The dashboard: approval rate, outcome mix, decline reasons, latency, loans by state."""

from __future__ import annotations

from rich.table import Table
from textual.app import ComposeResult
from textual.containers import Grid, Vertical
from textual.widgets import Footer, Header, Label, Sparkline, Static

from merchant_sim.runner.stats import RunStats, percentile
from merchant_sim.screens._base import SimScreen

REFRESH_SECONDS = 1.0
LATENCY_TITLE = "Decision latency (ms), oldest → newest"
_BAR = 10


def _bar(share: float, colour: str) -> str:
    filled = round(share * _BAR)
    return f"[{colour}]{'█' * filled}[/][dim]{'░' * (_BAR - filled)}[/]"


def headline(stats: RunStats) -> str:
    """Checkouts, approval rate and latency percentiles in one line."""
    lat = stats.latencies()
    return (
        f"[b]{len(stats.records)}[/] checkouts   approval "
        f"[b]{stats.rate('approved'):.0%}[/]   p50 [b]{percentile(lat, 50):.0f} ms[/]"
        f"   p95 [b]{percentile(lat, 95):.0f} ms[/]"
    )


def outcome_mix(stats: RunStats) -> Table:
    """A bar per outcome."""
    table = Table.grid(padding=(0, 1))
    counts = stats.outcome_counts()
    total = max(1, sum(counts.values()))
    colours = {"approved": "green", "declined": "red", "in_review": "yellow", "error": "magenta"}
    for outcome, colour in colours.items():
        table.add_row(outcome, _bar(counts[outcome] / total, colour), str(counts[outcome]))
    return table


def counted(title: str, counts: list[tuple[str, int]]) -> Table:
    """A two-column table of names and counts."""
    table = Table(title, "n", box=None, padding=(0, 1), header_style="bold")
    for name, count in counts or [("[dim]none yet[/]", 0)]:
        table.add_row(name, str(count) if count else "")
    return table


class DashboardScreen(SimScreen):
    """Live numbers for everything this session has done."""

    def compose(self) -> ComposeResult:
        """Headline, latency sparkline, then three panels."""
        yield Header()
        with Vertical(id="dashboard"):
            yield Static(id="headline")
            yield Label(LATENCY_TITLE, id="latency-title", classes="pane-title")
            yield Sparkline([], id="latency")
            with Grid(id="dash-grid"):
                yield Static(id="mix", classes="pane")
                yield Static(id="reasons", classes="pane")
                yield Static(id="loans", classes="pane")
        yield Footer()

    def on_mount(self) -> None:
        """Draw now and keep redrawing."""
        self.redraw()
        self.set_interval(REFRESH_SECONDS, self.redraw)

    def on_screen_resume(self) -> None:
        """Redraw on return."""
        self.redraw()

    def redraw(self) -> None:
        """Read the session's numbers into the widgets."""
        stats = self.session.stats
        self.query_one("#headline", Static).update(headline(stats))
        latencies = stats.latencies()[-120:]
        sparkline = self.query_one(Sparkline)
        # An empty sparkline would draw as full bars; say there is nothing yet instead.
        sparkline.display = bool(latencies)
        sparkline.data = latencies
        title = LATENCY_TITLE if latencies else f"{LATENCY_TITLE}: no decisions yet"
        self.query_one("#latency-title", Label).update(title)
        self.query_one("#mix", Static).update(outcome_mix(stats))
        reasons = stats.decline_reasons().most_common(6)
        self.query_one("#reasons", Static).update(counted("Top decline reasons", reasons))
        loans = sorted(stats.loan_states.items())
        self.query_one("#loans", Static).update(counted("Loans by state", loans))
