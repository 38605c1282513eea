"""The shopper currently at the till."""

from __future__ import annotations

from textual.reactive import reactive
from textual.widgets import Static

from merchant_sim.identity import Identity


class CustomerCard(Static):
    """Name, email, tier and locale of the chosen shopper."""

    identity: reactive[Identity | None] = reactive(None)

    def watch_identity(self, identity: Identity | None) -> None:
        """Redraw for a new shopper."""
        if identity is None:
            self.update("[dim]No customer yet: [b]c[/b] to pick, [b]n[/b] for a random one[/]")
            return
        tag = f"  [reverse] +{identity.magic_tag} [/]" if identity.magic_tag else ""
        self.update(
            f"[b]{identity.name}[/b]  [dim]{identity.tier} · {identity.locale}[/]{tag}\n"
            f"{identity.email}"
        )
