"""What every simulator screen shares: typed access to the app and its session."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from textual.screen import Screen

from merchant_sim.session import Session

if TYPE_CHECKING:
    from merchant_sim.app import MerchantSimApp
    from merchant_sim.gateway import Gateway


class SimScreen(Screen[None]):
    """A screen of the simulator app."""

    @property
    def sim(self) -> MerchantSimApp:
        """The app, typed."""
        from merchant_sim.app import MerchantSimApp

        return cast(MerchantSimApp, self.app)

    @property
    def session(self) -> Session:
        """The storefront session."""
        return self.sim.session

    @property
    def gateway(self) -> Gateway | None:
        """The SDK gateway, once the sandbox is up."""
        return self.sim.gateway

    def workers_busy(self, group: str) -> bool:
        """Whether a worker of ``group`` on this screen is still running."""
        return any(w.node is self and w.group == group and not w.is_finished for w in self.workers)
