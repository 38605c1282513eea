"""SVG snapshots of the main screens at 80x24 and 120x36: store, checkout, loan, lender desk,
the merchant's money and the `?` help (the dashboard's are in test_snapshots.py). The sandbox's
wall clock is pinned and the shopper seeded; object ids, random per run, are masked to a fixed
shape before the comparison (same width, so the layout is still compared). Regenerate after an
intended change with `INSTALLO_UPDATE_SNAPSHOTS=1` (see test_snapshots.py)."""

from __future__ import annotations

import asyncio
import re

import pytest
from textual.pilot import Pilot

from merchant_sim.app import MerchantSimApp
from merchant_sim.identity import Identity
from merchant_sim.screens.checkout import CheckoutScreen
from merchant_sim.screens.help import HelpScreen
from merchant_sim.screens.loan import LoanScreen
from merchant_sim.screens.store import StoreScreen

from .test_snapshots import SIZES, _pinned_sandbox, _settle, compare

#: An object id (or what fits of one in a table cell): a short prefix, "_", a random tail.
_ID = re.compile(r"\b([a-z]{2,8})_[A-Za-z0-9]{8,}")
_PREFIX = re.compile(r"terminal-\d+")
SCREENS = ("store", "help", "checkout", "loan", "lender", "money")


def masked(svg: str) -> str:
    """``svg`` with object ids replaced by x's of the same length (and the export's
    content-derived class prefix fixed), so runs with other random ids compare equal."""
    svg = _ID.sub(lambda m: m.group(1) + "_" + "x" * (len(m.group(0)) - len(m.group(1)) - 1), svg)
    return _PREFIX.sub("terminal-0", svg)


async def _shot(app: MerchantSimApp, pilot: Pilot[None], name: str) -> str:
    await _settle(pilot)
    return masked(app.export_screenshot(title=name))


async def _screens(size: tuple[int, int]) -> dict[str, str]:
    """Store, help, checkout (offers), loan (captured) and lender desk, one app run."""
    app = MerchantSimApp(_pinned_sandbox, webhooks=False)
    shots: dict[str, str] = {}
    async with app.run_test(size=size) as pilot:
        await _settle(pilot)
        store = app.screen
        assert isinstance(store, StoreScreen)
        shots["store"] = await _shot(app, pilot, "store")
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        shots["help"] = await _shot(app, pilot, "help")
        await pilot.press("escape")
        prime = next(p for p in app.session.personas if p.tier == "prime")
        store.set_identity(Identity.from_persona(prime).with_tag("approve"))
        await pilot.press("a", "k")
        await _settle(pilot)
        assert isinstance(app.screen, CheckoutScreen)
        shots["checkout"] = await _shot(app, pilot, "checkout")
        await pilot.press("enter")
        await _settle(pilot)
        await pilot.press("l")
        await _settle(pilot)
        await pilot.press("p")
        assert isinstance(app.screen, LoanScreen)
        shots["loan"] = await _shot(app, pilot, "loan")
        await pilot.press("f3")
        shots["lender"] = await _shot(app, pilot, "lender")
        await pilot.press("f6")
        await _settle(pilot)
        for _ in range(3):  # the capture settles, then the daily payout sends it
            await pilot.press("n")
            await _settle(pilot)
        shots["money"] = await _shot(app, pilot, "money")
    return shots


@pytest.fixture(scope="module")
def screens() -> dict[str, str]:
    """Every screen at every size, rendered once for the module."""
    shots: dict[str, str] = {}
    for label, size in SIZES.items():
        for name, svg in asyncio.run(_screens(size)).items():
            shots[f"{name}_{label}"] = svg
    return shots


@pytest.mark.parametrize("name", [f"{s}_{z}" for s in SCREENS for z in SIZES])
def test_main_screen_matches_its_snapshot(name: str, screens: dict[str, str]) -> None:
    compare(f"screen_{name}", screens[name])
