"""A loan after approval: capture, void, refund, pay, move the clock, watch events."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import date
from typing import ClassVar

from installo._exceptions import APIError
from installo.types.loan import Loan
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import Footer, Label

from merchant_sim.gateway import FeatureUnavailable, Gateway
from merchant_sim.problems import describe
from merchant_sim.screens._base import SimScreen
from merchant_sim.widgets.event_log import EventLog
from merchant_sim.widgets.loan_summary import LoanSummary
from merchant_sim.widgets.mode_bar import ModeBar
from merchant_sim.widgets.schedule_table import ScheduleTable

EVENT_POLL_SECONDS = 1.0


def next_due_date(loan: Loan) -> date | None:
    """The due date of the first installment not due yet (None when every one is due)."""
    upcoming = [e.due_date for e in loan.schedule if str(e.status) == "upcoming"]
    return min(upcoming, default=None)


def next_installment_amount(loan: Loan) -> int:
    """What is owed on the first installment not fully paid (0 when none is)."""
    for entry in loan.schedule:
        if str(entry.status) != "paid" and entry.amount > entry.paid_amount:
            return entry.amount + entry.fees - entry.paid_amount
    return 0


class LoanScreen(SimScreen):
    """The current loan, its schedule and the live event log."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("p", "capture", "Capture"),
        Binding("v", "void", "Void"),
        Binding("r", "refund", "Refund"),
        Binding("y", "pay", "Pay"),
        Binding("m", "advance_clock", "+1 month"),
        Binding("d", "next_due", "Next due"),
        Binding("g", "reload", "Refresh"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.dialog_open = False
        self.polling = False
        self.clock_unavailable = False
        self.write_lock = asyncio.Lock()

    def compose(self) -> ComposeResult:
        """Summary, schedule, event log."""
        yield ModeBar()
        with Vertical(id="loan-body"):
            yield LoanSummary(id="loan-summary", classes="pane")
            yield Label("Schedule", classes="pane-title")
            yield ScheduleTable(id="schedule")
            yield Label("Events", classes="pane-title")
            yield EventLog(id="events")
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        """Draw the loan and start polling events."""
        self.show_loan(self.session.loan)
        self.set_interval(EVENT_POLL_SECONDS, self.poll_events)

    def on_screen_resume(self) -> None:
        """Show whichever loan is current now; re-read it when coming from another screen.

        Closing this screen's own dialog also resumes it: that must not start a reload, which
        would cancel the action the dialog asked for.
        """
        loan = self.session.loan
        self.show_loan(loan)
        if self.dialog_open:
            self.dialog_open = False
        elif loan is not None:
            self.reload_loan(loan.id)

    def show_loan(self, loan: Loan | None) -> None:
        """Redraw summary and schedule."""
        self.query_one(LoanSummary).show(loan)
        if loan is not None:
            self.query_one(ScheduleTable).show_loan(loan)

    def _event_log(self) -> EventLog | None:
        """The screen's event log, or None once the screen is being torn down (a worker's
        answer can arrive after its children are gone)."""
        found = list(self.query(EventLog))
        return found[0] if found else None

    @work(group="events")
    async def poll_events(self) -> None:
        """Fetch recent events into the log; a poll due while one is in flight is skipped
        (cancelling the slow one instead would leave a busy sandbox's log never filled)."""
        if self.gateway is None or not self.is_current or self.polling:
            return
        self.polling = True
        try:
            events = await self.gateway.events(limit=30)
        except APIError:
            return
        finally:
            self.polling = False
        log = self._event_log()
        if log is None:  # the screen was torn down while the events were on their way
            return
        log.add_events(events)
        receiver = self.sim.webhooks
        for delivery in receiver.drain() if receiver is not None else []:
            log.add_delivery(delivery)

    @work(exclusive=True, group="reload")
    async def reload_loan(self, loan_id: str) -> None:
        """Re-read the loan."""
        if self.gateway is not None:
            await self._run(lambda g: g.loan(loan_id), "Refresh", loan_id, write=False)

    async def _run(
        self, call: Callable[[Gateway], Awaitable[Loan]], what: str, loan_id: str, *, write: bool
    ) -> None:
        """Make one loan call and show its answer, unless a change overtook a read."""
        gateway = self.gateway
        if gateway is None:
            return
        if write:
            # Changes queue up one at a time and are never cancelled half-way.
            async with self.write_lock:
                self.session.start_write(loan_id)
                loan = await self._call(gateway, call, what)
                self.session.finish_write(loan_id, loan)
            token = None
        else:
            token = self.session.read_token(loan_id)
            loan = await self._call(gateway, call, what)
        if loan is None or (not write and not self.session.finish_read(loan, token)):
            return
        if self.session.current_loan_id == loan.id:
            self.show_loan(loan)
        self.poll_events()

    async def _call(
        self, gateway: Gateway, call: Callable[[Gateway], Awaitable[Loan]], what: str
    ) -> Loan | None:
        try:
            return await call(gateway)
        except FeatureUnavailable as exc:
            self.notify(str(exc), title=what, severity="warning")
        except APIError as exc:
            problem = describe(exc)
            self.notify(problem.detail, title=f"{what} failed: {problem.title}", severity="error")
        return None

    def _loan(self) -> Loan | None:
        if self.session.loan is None:
            self.notify("No loan yet: approve a checkout first", severity="warning")
        return self.session.loan

    def action_reload(self) -> None:
        """Re-read the loan."""
        if (loan := self._loan()) is not None:
            self.reload_loan(loan.id)

    @work(group="loan")
    async def action_capture(self) -> None:
        """Capture the whole authorization."""
        if (loan := self._loan()) is not None:
            await self._run(lambda g: g.capture(loan.id), "Capture", loan.id, write=True)

    @work(group="loan")
    async def action_void(self) -> None:
        """Void the authorization."""
        if (loan := self._loan()) is not None:
            await self._run(lambda g: g.void(loan.id), "Void", loan.id, write=True)

    @work(group="loan")
    async def action_pay(self) -> None:
        """Pay the next installment now."""
        loan = self._loan()
        if loan is None:
            return
        amount = next_installment_amount(loan)
        if amount <= 0:
            self.notify("Nothing is owed", severity="warning")
            return
        await self._run(lambda g: g.pay(loan.id, amount), "Payment", loan.id, write=True)

    def action_refund(self) -> None:
        """Ask how much to refund, then refund it."""
        from merchant_sim.screens.amount_dialog import AmountDialog

        loan = self._loan()
        if loan is None:
            return
        refundable = loan.captured_amount - loan.refunded_amount
        if refundable <= 0:
            self.notify("Nothing captured to refund", severity="warning")
            return

        def refund(amount: int | None) -> None:
            if amount is not None:
                self.refund_loan(loan.id, amount)

        dialog = AmountDialog("Refund amount", refundable, loan.currency, maximum=refundable)
        self.dialog_open = True
        self.app.push_screen(dialog, refund)

    @work(group="loan")
    async def refund_loan(self, loan_id: str, amount: int) -> None:
        """Refund ``amount``."""
        await self._run(lambda g: g.refund(loan_id, amount), "Refund", loan_id, write=True)

    @work(group="loan")
    async def action_advance_clock(self) -> None:
        """Move the sandbox clock to the same day next month, then re-read the loan."""
        await self._move_clock(lambda g: g.advance_month(), "+1 month")

    @work(group="loan")
    async def action_next_due(self) -> None:
        """Move the sandbox clock to the loan's next due date (autopay runs on it)."""
        loan = self._loan()
        if loan is None:
            return
        due = next_due_date(loan)
        if due is None:
            self.notify("No installment is still to come", title="Clock", severity="warning")
            return
        await self._move_clock(lambda g: g.advance_clock_to(due), f"next due date {due}")

    async def _move_clock(self, move: Callable[[Gateway], Awaitable[date]], what: str) -> None:
        """Move the clock (changes queue like any write), log where it landed, re-read the loan."""
        gateway = self.gateway
        if gateway is None:
            return
        current = self.session.current_loan_id
        try:
            async with self.write_lock:
                if current is not None:
                    self.session.start_write(current)
                try:
                    today = await move(gateway)
                finally:
                    if current is not None:
                        self.session.finish_write(current, None)
        except FeatureUnavailable as exc:
            self.clock_unavailable = True
            self.notify(str(exc), title="Clock", severity="warning")
            if log := self._event_log():
                log.add_note(f"[yellow]{exc}[/]")
            return
        except APIError as exc:
            problem = describe(exc)
            self.notify(problem.detail, title=f"Clock failed: {problem.title}", severity="error")
            return
        if log := self._event_log():
            log.sandbox_today = today
            log.add_note(f"[cyan]clock moved ({what}) → {today}[/]")
        if self.session.loan is not None:
            loan_id = self.session.loan.id
            await self._run(lambda g: g.loan(loan_id), "Refresh", loan_id, write=False)
