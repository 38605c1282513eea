"""SVG snapshots of the main screens: a layout that changes by accident fails here.

The screens are driven to states that do not depend on time or random ids (seeded personas,
an empty queue), exported with `App.export_screenshot()` and compared byte for byte with the
golden files in `tests/sim/snapshots/`. After an intended change, regenerate them with
`INSTALLO_UPDATE_SNAPSHOTS=1 .venv/bin/pytest tests/sim/test_snapshots.py` and review the diff.
"""

from __future__ import annotations

import difflib
import os
from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest
from textual.pilot import Pilot

from merchant_sim.app import MerchantSimApp
from merchant_sim.connection import SandboxConnection

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


async def _dashboard(pilot: Pilot[None]) -> None:
    await _settle(pilot)
    await pilot.press("f4")
    await _settle(pilot)


SCREENS: dict[str, tuple[tuple[int, int], Steps]] = {
    "store_empty_80x24": ((80, 24), _store_empty),
    "store_with_cart": ((110, 32), _store_with_cart),
    "customer_picker": ((110, 32), _customer_picker),
    "lender_desk": ((110, 32), _lender_desk),
    "dashboard": ((110, 32), _dashboard),
}


@pytest.mark.parametrize("name", sorted(SCREENS))
async def test_screen_matches_its_snapshot(name: str) -> None:
    size, steps = SCREENS[name]
    app = MerchantSimApp(lambda: SandboxConnection.start_embedded(seed=0), webhooks=False)
    async with app.run_test(size=size) as pilot:
        await steps(pilot)
        svg = app.export_screenshot(title=name)
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
