"""The top row: the screens' keys (F1-F5, ? for every key), the showing one
highlighted, so the footer below keeps its room for the screen's own keys even at 80 columns."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

__all__ = ["MODES", "ModeBar"]

#: (key, mode, label), in key order.
MODES: tuple[tuple[str, str, str], ...] = (
    ("F1", "store", "Store"),
    ("F2", "loan", "Loan"),
    ("F3", "lender", "Lender"),
    ("F4", "dashboard", "Dashboard"),
    ("F5", "portfolio", "Portfolio"),
    ("F6", "money", "Money"),
)


class ModeBar(Static):
    """``F1 Store  F2 Loan ...  F6 Money  ? Keys`` with the current screen's mode marked."""

    DEFAULT_CSS = """
    ModeBar {
        dock: top;
        height: 1;
        background: $panel;
        padding: 0 1;
    }
    """

    def __init__(self) -> None:
        super().__init__(id="mode-bar")

    def on_mount(self) -> None:
        """Mark the mode this screen belongs to (the app's mode while it is built)."""
        self.update(self.line(self.app.current_mode))

    @staticmethod
    def line(current: str) -> Text:
        """The bar's text with ``current`` highlighted."""
        text = Text()
        for key, mode, label in MODES:
            style = "reverse bold" if mode == current else ""
            text.append_text(Text.assemble((key, "bold #f0a030"), " ", (label, style), "  "))
        text.append_text(Text.assemble(("?", "bold #f0a030"), " Keys"))
        return text
