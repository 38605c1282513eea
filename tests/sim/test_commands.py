"""Every key-bound action has a command palette entry."""

from __future__ import annotations

import pytest
from textual.binding import Binding

from merchant_sim.app import MerchantSimApp
from merchant_sim.commands import ACTIONS, SimCommands
from merchant_sim.connection import SandboxConnection
from merchant_sim.screens.checkout import CheckoutScreen
from merchant_sim.screens.in_store import InStoreScreen
from merchant_sim.screens.lender import LenderScreen
from merchant_sim.screens.loan import LoanScreen
from merchant_sim.screens.store import StoreScreen


@pytest.mark.parametrize(
    ("screen", "where"),
    [
        (StoreScreen, {"store"}),
        (LoanScreen, {"loan", "screen"}),
        (LenderScreen, {"lender", "screen"}),
        (CheckoutScreen, {"screen"}),
        (InStoreScreen, {"in_store"}),
        (MerchantSimApp, {""}),
    ],
)
def test_every_binding_has_a_palette_entry(screen: type, where: set[str]) -> None:
    entries = {action for _title, _help, mode, action in ACTIONS if mode in where}
    bound = {b.action for b in screen.BINDINGS if isinstance(b, Binding)}
    missing = bound - entries - {"quit"}
    assert missing == set()


def _offline() -> SandboxConnection:
    raise RuntimeError("offline")


async def test_palette_search_finds_and_runs_an_action() -> None:
    app = MerchantSimApp(_offline)
    async with app.run_test() as pilot:
        await pilot.pause()
        provider = SimCommands(app.screen)
        hits = [hit async for hit in provider.search("add to cart")]
        assert hits and hits[0].text == "Add to cart"
        hits.sort(key=lambda h: h.score, reverse=True)
        await hits[0].command()  # type: ignore[misc]
        await pilot.pause()
        assert app.session.cart.item_count == 1
