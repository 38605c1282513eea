"""The live log of events (and webhook deliveries) as they happen."""

from __future__ import annotations

from collections.abc import Iterable

from installo.types.event import Event
from textual.widgets import RichLog

from merchant_sim.webhook_receiver import Delivery


class EventLog(RichLog):
    """Appends each event once, oldest first."""

    def __init__(self, **kwargs: str) -> None:
        super().__init__(markup=True, wrap=False, max_lines=500, **kwargs)  # type: ignore[arg-type]
        self.seen: set[str] = set()

    def add_events(self, events: Iterable[Event]) -> int:
        """Log the events not logged yet; answers how many were new."""
        fresh = [e for e in events if e.id not in self.seen]
        fresh.sort(key=lambda e: (e.created is None, e.created, e.id))
        for event in fresh:
            self.seen.add(event.id)
            obj = event.data.object
            when = event.created.strftime("%H:%M:%S") if event.created else "--:--:--"
            self.write(f"[dim]{when}[/] [b]{event.type}[/] {obj.get('id', '')}")
        return len(fresh)

    def add_delivery(self, delivery: Delivery) -> None:
        """Log one webhook delivery, marked verified or refused."""
        if delivery.verified:
            self.write(f"[cyan]⇢ webhook[/] [green]✓[/] {delivery.event_type} {delivery.event_id}")
        else:
            self.write(f"[cyan]⇢ webhook[/] [red]✗ {delivery.problem}[/]")

    def add_note(self, text: str) -> None:
        """Log a line that is not an event (a webhook delivery, a notice)."""
        self.write(text)
