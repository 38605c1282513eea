"""The live log of events (and webhook deliveries) as they happen, each line stamped with the
sandbox date it happened on (sandbox time, never the wall clock)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from installo.types.event import Event
from textual.widgets import RichLog

from merchant_sim.webhook_receiver import Delivery

#: Stands in for the sandbox date before the log has seen one.
NO_DATE = "----------"


class EventLog(RichLog):
    """Appends each event once, oldest first."""

    def __init__(self, **kwargs: str) -> None:
        super().__init__(markup=True, wrap=False, max_lines=500, **kwargs)  # type: ignore[arg-type]
        self.seen: set[str] = set()
        #: The latest sandbox date the log knows of (from events and clock moves).
        self.sandbox_today: date | None = None

    def _stamp(self) -> str:
        return f"[dim]{self.sandbox_today.isoformat() if self.sandbox_today else NO_DATE}[/]"

    def add_events(self, events: Iterable[Event]) -> int:
        """Log the events not logged yet (the API lists newest first), oldest first at their
        sandbox time; events of the same moment keep the order they happened in."""
        fresh = [e for e in reversed(list(events)) if e.id not in self.seen]
        fresh.sort(key=lambda e: (e.created is None, e.created))
        for event in fresh:
            self.seen.add(event.id)
            obj = event.data.object
            if event.created is not None:
                day = event.created.date()
                self.sandbox_today = max(day, self.sandbox_today or day)
                when = f"[dim]{event.created.strftime('%Y-%m-%d %H:%M')}[/]"
            else:
                when = f"{self._stamp()}      "
            self.write(f"{when} [b]{event.type}[/] {obj.get('id', '')}")
        return len(fresh)

    def add_delivery(self, delivery: Delivery) -> None:
        """Log one webhook delivery, marked verified or refused."""
        if delivery.verified:
            self.write(
                f"{self._stamp()} [cyan]⇢ webhook[/] [green]✓[/] "
                f"{delivery.event_type} {delivery.event_id}"
            )
        else:
            self.write(f"{self._stamp()} [cyan]⇢ webhook[/] [red]✗ {delivery.problem}[/]")

    def add_note(self, text: str) -> None:
        """Log a line that is not an event (a clock move, a notice), at the sandbox date."""
        self.write(f"{self._stamp()} {text}")
