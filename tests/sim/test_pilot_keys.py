"""Pilot tests for the keys a newcomer reaches for: `?` lists every key, the clock lands on due
dates, the event log speaks sandbox dates, and a failure names its cause."""

from __future__ import annotations

import re
import socket
from collections.abc import Callable
from datetime import UTC, date, datetime

from textual.pilot import Pilot

from merchant_sim.app import MerchantSimApp
from merchant_sim.connection import SandboxConnection
from merchant_sim.gateway import same_day_next_month
from merchant_sim.identity import Identity
from merchant_sim.screens.checkout import CheckoutScreen
from merchant_sim.screens.dashboard import DashboardScreen
from merchant_sim.screens.help import HelpScreen
from merchant_sim.screens.lender import LenderScreen
from merchant_sim.screens.loan import LoanScreen
from merchant_sim.screens.portfolio import PortfolioScreen
from merchant_sim.screens.store import StoreScreen
from merchant_sim.widgets.event_log import EventLog
from mock_server.app import build_sandbox, create_app
from mock_server.settings import Settings

SvgText = Callable[[str], str]
#: December the first: a month of 30 days would land a day short of the first due date.
WALL = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)


def _pinned() -> SandboxConnection:
    sandbox = build_sandbox(Settings(seed=5, webhook_worker=False))
    sandbox.wall = lambda: WALL
    return SandboxConnection.start_embedded(app=create_app(sandbox=sandbox))


async def _settle(pilot: Pilot[None]) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def _captured_loan(app: MerchantSimApp, pilot: Pilot[None]) -> LoanScreen:
    """An approved laptop checkout, captured, on the loan screen."""
    await _settle(pilot)
    store = app.screen
    assert isinstance(store, StoreScreen)
    prime = next(p for p in app.session.personas if p.tier == "prime")
    store.set_identity(Identity.from_persona(prime).with_tag("approve"))
    await pilot.press("a", "k")
    await _settle(pilot)
    assert isinstance(app.screen, CheckoutScreen)
    await pilot.press("enter")
    await _settle(pilot)
    await pilot.press("l")
    await _settle(pilot)
    await pilot.press("p")
    await _settle(pilot)
    screen = app.screen
    assert isinstance(screen, LoanScreen)
    loan = app.session.loan
    assert loan is not None and str(loan.status) == "active"
    return screen


def _log_lines(screen: LoanScreen) -> list[str]:
    return [strip.text for strip in screen.query_one(EventLog).lines]


async def test_question_mark_lists_every_key_of_every_screen_and_the_tour() -> None:
    app = MerchantSimApp(lambda: SandboxConnection.start_embedded(seed=0), webhooks=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await _settle(pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        help_screen = app.screen
        assert isinstance(help_screen, HelpScreen)
        listed = help_screen.keys_text()
        screens = (StoreScreen, CheckoutScreen, LoanScreen, LenderScreen, DashboardScreen,
                   PortfolioScreen)  # fmt: skip
        for binding in [*app.BINDINGS, *(b for s in screens for b in s.BINDINGS)]:
            assert binding.description in listed, binding  # type: ignore[union-attr]
        for key in ("F1", "F5", "?", "Ctrl+Q", "Ctrl+P", "Esc", "Enter", "Space / p", "→ / n"):
            assert key in listed
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, StoreScreen)


async def test_clock_keys_land_on_the_next_due_date_and_the_same_day_next_month() -> None:
    app = MerchantSimApp(_pinned, webhooks=False)
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await _captured_loan(app, pilot)
        loan = app.session.loan
        assert loan is not None
        first_due = loan.schedule[0].due_date
        assert first_due == date(2027, 1, 1)
        await pilot.press("d")
        await _settle(pilot)
        paid = app.session.loan
        assert paid is not None and str(paid.schedule[0].status) == "paid"  # autopay ran on it
        landed = f"next due date {first_due}) → {first_due}"
        assert any(landed in line for line in _log_lines(screen))
        await pilot.press("m")
        await _settle(pilot)
        month_on = same_day_next_month(first_due)
        assert any(f"(+1 month) → {month_on}" in line for line in _log_lines(screen))
        moved = app.session.loan
        assert moved is not None and str(moved.schedule[1].status) == "paid"


async def test_every_event_log_line_carries_its_sandbox_date() -> None:
    app = MerchantSimApp(_pinned, webhooks=False)
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await _captured_loan(app, pilot)
        await pilot.press("d")
        await _settle(pilot)
        lines = _log_lines(screen)
        assert any("loan.captured" in line for line in lines)
        stamped = re.compile(r"^\d{4}-\d{2}-\d{2} ")
        assert lines and all(stamped.match(line) for line in lines), lines
        assert any(line.startswith("2026-12-01 10:00 loan.captured") for line in lines)
        assert any(line.startswith("2027-01-01") and "clock moved" in line for line in lines)


def _closed_port() -> int:
    """A loopback port with nothing listening (bound, read, released)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def test_a_refused_key_and_a_sandbox_that_is_down_say_which_is_which(
    svg_text: SvgText,
) -> None:
    wrong_key = MerchantSimApp(
        lambda: SandboxConnection.start_embedded(seed=0, api_key="sk_test_not_a_key"),
        webhooks=False,
    )
    async with wrong_key.run_test(size=(100, 30)) as pilot:
        await _settle(pilot)
        text = svg_text(wrong_key.export_screenshot())
        assert "Invalid API key" in text and "Sandbox down" not in text
    port = _closed_port()
    down = MerchantSimApp(
        lambda: SandboxConnection.connect(f"http://127.0.0.1:{port}", "sk_test_x", max_retries=0),
        webhooks=False,
    )
    async with down.run_test(size=(100, 30)) as pilot:
        await _settle(pilot)
        text = svg_text(down.export_screenshot())
        assert f"Sandbox down: nothing answers at http://127.0.0.1:{port}" in text
        assert "Invalid API key" not in text
