"""`?`: every key of the app on one screen, read from the screens' own bindings (so the list
cannot fall behind them), plus the demo tour's keys."""

from __future__ import annotations

from collections.abc import Iterable
from typing import ClassVar

from rich.table import Table
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import ItemGrid, VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Label, Static

__all__ = ["HelpScreen", "KeySection", "key_label", "sections_for"]

#: One titled group of keys: (key, what it does).
KeySection = tuple[str, list[tuple[str, str]]]

_KEY_NAMES = {
    "question_mark": "?",
    "escape": "Esc",
    "enter": "Enter",
    "space": "Space",
    "left": "←",
    "right": "→",
    "up": "↑",
    "down": "↓",
    "tab": "Tab",
}
TOUR_KEYS: list[tuple[str, str]] = [
    ("Space / p", "Pause, resume"),
    ("→ / n", "Next step"),
    ("← / b", "Step back"),
    ("any other", "Stop the tour"),
]


def key_label(key: str) -> str:
    """How a key is written for people: F1, Ctrl+Q, ?, Esc, a."""
    parts = []
    for part in key.split("+"):
        name = _KEY_NAMES.get(part, part)
        wide = len(name) > 1 or "+" in key  # F1, Ctrl+Q; a bare letter stays as typed
        parts.append(name.capitalize() if wide and name.isascii() else name)
    return "+".join(parts)


def _binding_rows(bindings: Iterable[BindingType]) -> list[tuple[str, str]]:
    rows = []
    for binding in bindings:
        if not isinstance(binding, Binding):
            continue
        keys = " / ".join(key_label(k.strip()) for k in binding.key.split(","))
        rows.append((keys, binding.description or binding.action))
    return rows


def sections_for(
    app_bindings: Iterable[BindingType], screens: Iterable[tuple[str, type[Screen[None]]]]
) -> list[KeySection]:
    """The app's keys, then each screen's, then the demo tour's."""
    everywhere = [*_binding_rows(app_bindings), ("Ctrl+P", "Command palette")]
    sections: list[KeySection] = [("Everywhere", everywhere)]
    sections += [(title, _binding_rows(screen.BINDINGS)) for title, screen in screens]
    sections.append(("Demo tour", TOUR_KEYS))
    return sections


def _table(rows: list[tuple[str, str]]) -> Table:
    table = Table.grid(padding=(0, 1))
    table.add_column(style="bold #f0a030", no_wrap=True)
    table.add_column()
    for key, what in rows:
        table.add_row(key, what)
    return table


class HelpScreen(ModalScreen[None]):
    """Every key, by screen; Esc, q or ? closes it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,question_mark", "dismiss", "Close"),
    ]

    def __init__(self, sections: list[KeySection]) -> None:
        super().__init__(id="help")
        self.sections = sections

    def compose(self) -> ComposeResult:
        """A grid of key tables, as many columns as the terminal fits."""
        with VerticalScroll(id="help-body"):
            yield Label("Keys  [dim](Esc closes)[/]", id="help-title")
            with ItemGrid(min_column_width=24, id="help-grid"):
                for title, rows in self.sections:
                    yield Static(_table(rows), classes="help-section", name=title)

    def on_mount(self) -> None:
        """Each section titled on its border."""
        for section in self.query(".help-section").results(Static):
            section.border_title = section.name

    def keys_text(self) -> str:
        """Every key and what it does, as plain text (for tests and screen readers)."""
        return "\n".join(
            f"{title}: " + "; ".join(f"{key} {what}" for key, what in rows)
            for title, rows in self.sections
        )
