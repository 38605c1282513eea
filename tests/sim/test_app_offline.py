"""The storefront paints and works before (or without) a sandbox."""

from __future__ import annotations

from collections.abc import Callable

from merchant_sim.app import MerchantSimApp
from merchant_sim.connection import SandboxConnection
from merchant_sim.widgets.cart_panel import CartPanel


def _unreachable() -> SandboxConnection:
    raise RuntimeError("no sandbox here")


async def test_cart_fills_without_a_sandbox_and_checkout_waits(
    svg_text: Callable[[str], str],
) -> None:
    app = MerchantSimApp(_unreachable)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("a", "down", "a", "a", "x")
        cart = app.session.cart
        assert cart.item_count == 2
        assert [line.quantity for line in cart.lines.values()] == [1, 1]
        assert cart.subtotal == 129_900 + 79_900
        rendered = app.screen.query_one(CartPanel).render_cart()
        assert rendered is not None
        await pilot.press("k")
        await pilot.pause()
        assert app.screen.id != "checkout"
        assert app.gateway is None
        text = svg_text(app.export_screenshot())
        assert "Aero 14 laptop" in text
        assert "$2,281.08" in text
        assert "Sandbox could not start: no sandbox here" in text
