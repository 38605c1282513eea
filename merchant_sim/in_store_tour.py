"""The tour's in-store act: the terminal shows the QR code, the shopper's phone walks the hosted
page to an approval, and the terminal charges the single-use virtual card."""

from __future__ import annotations

from typing import TYPE_CHECKING

from merchant_sim.cart import DEMO_CATALOG
from merchant_sim.identity import Identity
from merchant_sim.screens.in_store import InStoreScreen

if TYPE_CHECKING:
    from merchant_sim.demo import DemoTour

__all__ = ["IN_STORE_CAPTION", "in_store_act"]

IN_STORE_CAPTION = (
    "In store: the terminal shows a QR code, the shopper applies on their phone, and the "
    "store is paid with a single-use virtual card"
)
PHONE_STEPS = 4  # open the page, identity, plan, consent


async def in_store_act(tour: DemoTour) -> None:
    """Sell the cart in store to an approved prime shopper, both sides on screen (F7)."""
    app = tour.app
    prime = [p for p in app.session.personas if p.tier == "prime"]
    if prime:
        app.session.identity = Identity.from_persona(prime[0]).with_tag("approve")
    if not app.session.cart.lines:
        app.session.cart.add(DEMO_CATALOG[0])
    await app.switch_mode("in_store")
    screen = app.screen
    assert isinstance(screen, InStoreScreen)

    def idle() -> bool:
        return not screen.workers_busy("in_store")

    screen.action_new_sale()
    await tour.until(lambda: idle() and screen.checkout is not None, "the in-store sale")
    await tour.pause(2)
    for _ in range(PHONE_STEPS):
        screen.action_phone_step()
        await tour.until(idle, "the shopper's phone")
        await tour.pause()
    if screen.card is not None:
        screen.action_charge()
        await tour.until(idle, "the card network")
        await tour.pause(2)
