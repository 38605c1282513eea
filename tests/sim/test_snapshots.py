"""SVG snapshots of the main screens: a layout that changes by accident fails here.

The dashboard and the portfolio screen are pinned at 80x24 and 120x36, empty and with data: a
sandbox whose wall clock is fixed runs the showcase scenario one shopper at a time (decision
latencies, the only timing on screen, are then pinned), and the portfolio plays a year of clock.

The screens are driven to states that do not depend on time or random ids (seeded personas,
an empty queue), exported with `App.export_screenshot()` and compared byte for byte with the
golden files in `tests/sim/snapshots/`. After an intended change, regenerate them with
`INSTALLO_UPDATE_SNAPSHOTS=1 .venv/bin/pytest tests/sim/test_snapshots.py` and review the diff.
"""

from __future__ import annotations

import asyncio
import difflib
import os
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest
from textual.pilot import Pilot

from merchant_sim.app import MerchantSimApp
from merchant_sim.connection import SandboxConnection
from merchant_sim.screens.portfolio import PortfolioScreen
from merchant_sim.showcase import run_showcase
from mock_server.app import build_sandbox, create_app
from mock_server.settings import Settings

from .conftest import _svg_text

SNAPSHOTS = Path(__file__).parent / "snapshots"
Steps = Callable[[Pilot[None]], Awaitable[None]]


async def _settle(pilot: Pilot[None]) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def _store_empty(pilot: Pilot[None]) -> None:
    await _settle(pilot)


async def _store_with_cart(pilot: Pilot[None]) -> None:
    await _settle(pilot)
    await pilot.press("a", "down", "a", "a")
    await _settle(pilot)


async def _customer_picker(pilot: Pilot[None]) -> None:
    await _settle(pilot)
    await pilot.press("c")
    await _settle(pilot)


async def _lender_desk(pilot: Pilot[None]) -> None:
    await _settle(pilot)
    await pilot.press("f3")
    await _settle(pilot)


SCREENS: dict[str, tuple[tuple[int, int], Steps]] = {
    "store_empty_80x24": ((80, 24), _store_empty),
    "store_with_cart": ((110, 32), _store_with_cart),
    "customer_picker": ((110, 32), _customer_picker),
    "lender_desk": ((110, 32), _lender_desk),
}


@pytest.mark.parametrize("name", sorted(SCREENS))
async def test_screen_matches_its_snapshot(name: str) -> None:
    size, steps = SCREENS[name]
    app = MerchantSimApp(lambda: SandboxConnection.start_embedded(seed=0), webhooks=False)
    async with app.run_test(size=size) as pilot:
        await steps(pilot)
        svg = app.export_screenshot(title=name)
    compare(name, svg)


def compare(name: str, svg: str) -> None:
    """Fail unless ``svg`` equals the golden file (written when missing or asked to)."""
    golden = SNAPSHOTS / f"{name}.svg"
    if os.environ.get("INSTALLO_UPDATE_SNAPSHOTS") == "1" or not golden.exists():
        SNAPSHOTS.mkdir(exist_ok=True)
        golden.write_text(svg)
        if os.environ.get("INSTALLO_UPDATE_SNAPSHOTS") != "1":
            pytest.fail(f"no snapshot for {name}: wrote {golden}; review and commit it")
    expected = golden.read_text()
    if svg != expected:
        diff = difflib.unified_diff(
            _svg_text(expected).split("\n"),
            _svg_text(svg).split("\n"),
            "snapshot",
            "now",
            lineterm="",
        )
        pytest.fail(f"{name} differs from {golden.name}:\n" + "\n".join(diff))


WALL = datetime(2026, 1, 5, 9, 30, tzinfo=UTC)
SIZES = {"80x24": (80, 24), "120x36": (120, 36)}


def _pinned_sandbox() -> SandboxConnection:
    sandbox = build_sandbox(Settings(seed=0, webhook_worker=False))
    sandbox.wall = lambda: WALL
    return SandboxConnection.start_embedded(app=create_app(sandbox=sandbox))


async def _screens(size: tuple[int, int], data: bool) -> dict[str, str]:
    """The dashboard and the portfolio screen, empty or after the showcase and a year."""
    kind = "data" if data else "empty"
    app = MerchantSimApp(_pinned_sandbox, webhooks=False)
    shots: dict[str, str] = {}
    async with app.run_test(size=size) as pilot:
        await _settle(pilot)
        if data:
            assert app.gateway is not None
            await run_showcase(app.gateway, app.session, concurrency=1)
            for n, record in enumerate(app.session.stats.records):
                record.decision_latency_ms = 40.0 + (n * 37) % 160
        await pilot.press("f4")
        await _settle(pilot)
        shots[f"dashboard_{kind}"] = app.export_screenshot(title="dashboard")
        await pilot.press("f5")
        await _settle(pilot)
        if data:
            assert isinstance(app.screen, PortfolioScreen)
            app.screen.month_seconds = 0
            await pilot.press("y")
            await _settle(pilot)
        shots[f"portfolio_{kind}"] = app.export_screenshot(title="portfolio")
    return shots


@pytest.fixture(scope="module")
def plotted() -> dict[str, str]:
    """Every plotted screen at every size, rendered once for the module."""
    shots: dict[str, str] = {}
    for label, size in SIZES.items():
        for data in (False, True):
            for name, svg in asyncio.run(_screens(size, data)).items():
                shots[f"{name}_{label}"] = svg
    return shots


PLOTTED = [
    f"{s}_{k}_{z}" for s in ("dashboard", "portfolio") for k in ("empty", "data") for z in SIZES
]


@pytest.mark.parametrize("name", PLOTTED)
def test_plotted_screen_matches_its_snapshot(name: str, plotted: dict[str, str]) -> None:
    compare(name, plotted[name])


def test_empty_screens_say_how_to_fill_them(plotted: dict[str, str]) -> None:
    assert "run a small scenario" in _svg_text(plotted["dashboard_empty_80x24"])
    assert "No loans on the book yet" in _svg_text(plotted["portfolio_empty_80x24"])
