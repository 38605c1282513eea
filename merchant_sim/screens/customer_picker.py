"""Pick the shopper: a seeded persona by tier and locale, or a custom identity; add a magic tag."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from installo.types.sandbox import Persona
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, DataTable, Input, Label, Select

from merchant_sim.identity import MAGIC_TAGS, Identity

_NO_TAG = "none"


class CustomerPicker(ModalScreen[Identity | None]):
    """Choose a persona (enter) or fill in a custom identity; answers the identity or None."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, personas: Sequence[Persona]) -> None:
        super().__init__()
        self.personas = list(personas)

    def compose(self) -> ComposeResult:
        """Persona table, tag picker, custom identity form."""
        with Vertical(id="picker", classes="dialog"):
            yield Label("Choose a customer: enter on a persona, or fill in your own")
            yield DataTable[str](id="personas", cursor_type="row", zebra_stripes=True)
            with Horizontal(classes="form-row"):
                yield Label("Magic tag")
                yield Select(
                    [(f"+{t}", t) for t in MAGIC_TAGS], prompt="none", id="tag", allow_blank=True
                )
            with Horizontal(classes="form-row"):
                yield Input(placeholder="Name", id="custom-name")
                yield Input(placeholder="email@example.com", id="custom-email")
            with Horizontal(classes="buttons"):
                yield Button("Use persona", variant="primary", id="use-persona")
                yield Button("Use custom", id="use-custom")
                yield Button("Cancel", id="cancel")

    def on_mount(self) -> None:
        """Fill the persona table."""
        table: DataTable[str] = self.query_one("#personas", DataTable)
        table.add_columns("Tier", "Locale", "Name", "Email")
        for index, persona in enumerate(self.personas):
            table.add_row(
                persona.tier,
                persona.locale or "",
                persona.name or "",
                persona.email,
                key=str(index),
            )
        table.focus()

    @property
    def tag(self) -> str | None:
        """The chosen magic tag, if any."""
        value = self.query_one("#tag", Select).value
        return value if isinstance(value, str) and value in MAGIC_TAGS else None

    def choose_persona(self) -> None:
        """Answer the highlighted persona, tagged."""
        table: DataTable[str] = self.query_one("#personas", DataTable)
        if not self.personas:
            self.notify("No personas from this sandbox; use a custom identity", severity="warning")
            return
        persona = self.personas[min(max(table.cursor_row, 0), len(self.personas) - 1)]
        self.dismiss(Identity.from_persona(persona).with_tag(self.tag))

    def choose_custom(self) -> None:
        """Answer the custom identity, tagged."""
        name = self.query_one("#custom-name", Input).value.strip()
        email = self.query_one("#custom-email", Input).value.strip()
        if not name or "@" not in email:
            self.notify("A custom customer needs a name and an email", severity="warning")
            return
        identity = Identity.custom(name, email)
        # The menu left at "none" keeps a tag typed into the email (ada+review@...).
        self.dismiss(identity.with_tag(self.tag) if self.tag else identity)

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        """Enter on a persona chooses it."""
        event.stop()
        self.choose_persona()

    def on_input_submitted(self, _event: Input.Submitted) -> None:
        """Enter in the form uses the custom identity."""
        self.choose_custom()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        """Buttons."""
        if event.button.id == "use-persona":
            self.choose_persona()
        elif event.button.id == "use-custom":
            self.choose_custom()
        else:
            self.dismiss(None)

    def action_cancel(self) -> None:
        """Close without choosing."""
        self.dismiss(None)
