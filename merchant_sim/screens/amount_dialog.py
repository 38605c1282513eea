"""A dialog that asks for an amount of money and answers it in minor units."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label

from merchant_sim.money import MINOR_DIGITS, format_money, parse_money


def _plain(amount: int, currency: str) -> str:
    digits = MINOR_DIGITS.get(currency, 2)
    whole, minor = divmod(amount, 10**digits)
    return f"{whole}.{minor:0{digits}d}" if digits else str(whole)


class AmountDialog(ModalScreen[int | None]):
    """Enter an amount; answers minor units, or None when cancelled."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, title: str, default: int, currency: str, *, maximum: int) -> None:
        super().__init__()
        self.title_text = title
        self.default = default
        self.currency = currency
        self.maximum = maximum

    def compose(self) -> ComposeResult:
        """Title, input, buttons."""
        with Vertical(id="dialog", classes="dialog"):
            yield Label(f"{self.title_text} (up to {format_money(self.maximum, self.currency)})")
            yield Input(_plain(self.default, self.currency), id="amount")
            yield Label("", id="amount-error", classes="error")
            with Horizontal(classes="buttons"):
                yield Button("OK", variant="primary", id="ok")
                yield Button("Cancel", id="cancel")

    def _submit(self) -> None:
        text = self.query_one(Input).value
        try:
            amount = parse_money(text, self.currency)
        except ValueError as exc:
            self.query_one("#amount-error", Label).update(str(exc))
            return
        if not 0 < amount <= self.maximum:
            limit = format_money(self.maximum, self.currency)
            self.query_one("#amount-error", Label).update(f"Enter more than 0, up to {limit}")
            return
        self.dismiss(amount)

    def on_input_submitted(self, _event: Input.Submitted) -> None:
        """Enter submits."""
        self._submit()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        """OK submits, Cancel cancels."""
        if event.button.id == "ok":
            self._submit()
        else:
            self.dismiss(None)

    def action_cancel(self) -> None:
        """Close without an amount."""
        self.dismiss(None)
