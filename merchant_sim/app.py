"""The merchant simulator's Textual app: modes for store, loan, lender desk and dashboard."""

from __future__ import annotations

import asyncio
import importlib
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual import events, work
from textual.app import App
from textual.binding import Binding, BindingType
from textual.screen import Screen

from merchant_sim.commands import SimCommands
from merchant_sim.identity import Identity
from merchant_sim.messages import CheckoutDecided, SandboxFailed, SandboxReady
from merchant_sim.screens.store import StoreScreen
from merchant_sim.session import Session

if TYPE_CHECKING:
    from merchant_sim.connection import SandboxConnection
    from merchant_sim.demo import DemoTour
    from merchant_sim.gateway import Gateway
    from merchant_sim.webhook_receiver import WebhookReceiver

STYLES = Path(__file__).parent / "styles"

#: The screens after the store, by mode: each module is imported when its mode is first shown
#: (or, once the sandbox is up, in the connecting worker), not before the storefront's first
#: frame: with the SDK's models, httpx and the plotting library they would double its start.
LATER_SCREENS: dict[str, tuple[str, str]] = {
    "loan": ("merchant_sim.screens.loan", "LoanScreen"),
    "lender": ("merchant_sim.screens.lender", "LenderScreen"),
    "dashboard": ("merchant_sim.screens.dashboard", "DashboardScreen"),
    "in_store": ("merchant_sim.screens.in_store", "InStoreScreen"),
    "portfolio": ("merchant_sim.screens.portfolio", "PortfolioScreen"),
    "money": ("merchant_sim.screens.money", "MoneyScreen"),
}


def screen_class(mode: str) -> type[Screen[None]]:
    """The screen class of a mode after the store (its module imported on first use)."""
    module, name = LATER_SCREENS[mode]
    screen: type[Screen[None]] = getattr(importlib.import_module(module), name)
    return screen


def _later_screen(mode: str) -> Callable[[], Screen[None]]:
    return lambda: screen_class(mode)()


#: What the app uses once it is connected (the SDK's client and models among them).
_CONNECTED_MODULES = (
    "installo._exceptions",
    "merchant_sim.gateway",
    "merchant_sim.problems",
    "merchant_sim.webhook_receiver",
)


def _start_failures() -> tuple[type[Exception], ...]:
    """The failures of a start the storefront explains (evaluated only when one is raised)."""
    from installo._exceptions import APIError

    return (APIError, RuntimeError, OSError, ImportError)


class MerchantSimApp(App[None]):
    """A storefront that checks out with instant installments against the lending sandbox."""

    TITLE = "Installo merchant simulator"
    CSS_PATH = STYLES / "app.tcss"
    COMMANDS = App.COMMANDS | {SimCommands}
    MODES: ClassVar[dict[str, str | Callable[[], Screen[None]]]] = {
        "store": StoreScreen,
        **{mode: _later_screen(mode) for mode in LATER_SCREENS},
    }
    BINDINGS: ClassVar[list[BindingType]] = [
        # Shown in each screen's top row (ModeBar), so the footer keeps the screen's own keys.
        Binding("f1", "switch_mode('store')", "Store", show=False),
        Binding("f2", "switch_mode('loan')", "Loan", show=False),
        Binding("f3", "switch_mode('lender')", "Lender", show=False),
        Binding("f4", "switch_mode('dashboard')", "Dashboard", show=False),
        Binding("f5", "switch_mode('portfolio')", "Portfolio", show=False),
        Binding("f6", "switch_mode('money')", "Money", show=False),
        # F7 stays out of the top row (80 columns hold F1-F6); ? and the palette list it.
        Binding("f7", "switch_mode('in_store')", "In store", show=False),
        Binding("question_mark", "help", "Keys", key_display="?", show=False),
        Binding("ctrl+q", "quit", "Quit", show=False),
    ]

    def __init__(
        self,
        connect: Callable[[], SandboxConnection],
        *,
        demo: bool = False,
        webhooks: bool = True,
        loop: bool = False,
    ) -> None:
        super().__init__()
        self.connect = connect
        self.demo = demo
        self.demo_loop = loop
        self.want_webhooks = webhooks
        self.webhooks: WebhookReceiver | None = None
        self.session = Session()
        self.connection: SandboxConnection | None = None
        self.gateway: Gateway | None = None
        self.demo_tour: DemoTour | None = None

    @property
    def connection_label(self) -> str:
        """Where the sandbox is, for the status line."""
        return self.connection.label if self.connection else "not connected"

    def on_mount(self) -> None:
        """Show the store at once; the sandbox starts behind it."""
        self.switch_mode("store")
        self.start_sandbox()

    def _connect(self) -> SandboxConnection:
        """Connect, in a worker thread; what the connection and the other screens need is
        imported there too, so the UI thread never waits for an import."""
        for module in _CONNECTED_MODULES:
            importlib.import_module(module)
        connection = self.connect()
        for module, _name in LATER_SCREENS.values():
            importlib.import_module(module)
        return connection

    @work(exclusive=True, group="connect")
    async def start_sandbox(self) -> None:
        """Start or reach the sandbox off the UI thread, then load personas. The thread starts
        once the store is on screen: importing the sandbox, it would otherwise share the
        interpreter with the first frame."""
        painted = asyncio.Event()
        self.call_after_refresh(painted.set)
        await painted.wait()
        try:
            self.connection = await asyncio.to_thread(self._connect)
            from merchant_sim.gateway import FeatureUnavailable, Gateway

            gateway = Gateway(self.connection.client)
            try:
                self.session.personas = await gateway.personas()
            except FeatureUnavailable:
                self.session.personas = []
        except _start_failures() as exc:
            from merchant_sim.problems import describe

            problem = describe(exc)
            self.screen.post_message(SandboxFailed(str(problem)))
            self.notify(problem.detail, title=problem.title, severity="error", timeout=10)
            return
        self.gateway = gateway
        if self.want_webhooks:
            await self.listen_for_webhooks(gateway)
        if self.session.identity is None and self.session.personas:
            self.session.identity = Identity.from_persona(self.session.personas[0])
        self.screen.post_message(SandboxReady())
        if self.demo:
            self.action_demo()

    async def listen_for_webhooks(self, gateway: Gateway) -> None:
        """Receive the sandbox's webhooks on a loopback port, verified with the endpoint secret."""
        from installo._exceptions import APIError

        from merchant_sim.gateway import FeatureUnavailable
        from merchant_sim.webhook_receiver import WebhookReceiver

        receiver = WebhookReceiver().start()
        try:
            receiver.secret = await gateway.subscribe_webhooks(receiver.url)
        except (FeatureUnavailable, APIError) as exc:
            receiver.stop()
            self.notify(f"No webhooks: {exc}", severity="warning")
            return
        self.webhooks = receiver

    async def on_unmount(self) -> None:
        """Close the client and the webhook receiver."""
        if self.webhooks is not None:
            self.webhooks.stop()
        if self.connection is not None:
            await self.connection.aclose()

    def on_checkout_decided(self, message: CheckoutDecided) -> None:
        """Count the decision; the first approval's loan becomes the current one."""
        self.session.record_decision(
            message.checkout, message.latency_ms, message.tier, message.locale
        )
        loan_id = message.checkout.loan
        if loan_id and self.gateway is not None:
            if self.session.current_loan_id is None:
                self.session.current_loan_id = loan_id
            self.fetch_loan(loan_id)

    @work(group="loans")
    async def fetch_loan(self, loan_id: str) -> None:
        """Read a loan into the session."""
        if self.gateway is None:
            return
        token = self.session.read_token(loan_id)
        if not self.session.finish_read(await self.gateway.loan(loan_id), token):
            return
        from merchant_sim.screens.loan import LoanScreen

        stack = self.screen_stack
        if stack and isinstance(stack[-1], LoanScreen) and self.session.current_loan_id == loan_id:
            stack[-1].show_loan(self.session.loan)

    def open_loan(self, loan_id: str) -> None:
        """Make ``loan_id`` the current loan and show the loan screen."""
        self.session.current_loan_id = loan_id
        self.switch_mode("loan")
        if loan_id not in self.session.loans:
            self.fetch_loan(loan_id)

    async def run_in_mode(self, mode: str, action: str) -> None:
        """Run ``action`` on the screen of ``mode``, the showing screen, or the app ("")."""
        if mode == "screen":
            await self.screen.run_action(action)
        elif mode:
            if self.current_mode != mode:
                await self.switch_mode(mode)
            await self.screen.run_action(action)
        else:
            await self.run_action(action)

    def action_help(self) -> None:
        """Show every key, by screen (``?``)."""
        from merchant_sim.screens.checkout import CheckoutScreen
        from merchant_sim.screens.help import HelpScreen, sections_for

        if isinstance(self.screen, HelpScreen):
            return
        screens: list[tuple[str, type[Screen[None]]]] = [
            ("Store · F1", StoreScreen),
            ("Checkout", CheckoutScreen),
            ("Loan · F2", screen_class("loan")),
            ("Lender desk · F3", screen_class("lender")),
            ("Dashboard · F4", screen_class("dashboard")),
            ("Portfolio · F5", screen_class("portfolio")),
            ("Money · F6", screen_class("money")),
            ("In store · F7", screen_class("in_store")),
        ]
        self.push_screen(HelpScreen(sections_for(self.BINDINGS, screens)))

    def action_demo(self) -> None:
        """Play the scripted tour (over and over with ``--loop``)."""
        from merchant_sim.demo import DemoTour

        if self.demo_tour is None:
            DemoTour(self, loop=self.demo_loop).start()

    @work(exclusive=True, group="showcase")
    async def run_showcase(self) -> None:
        """Run the showcase scenario (forty shoppers) and let the dashboard show it."""
        from installo._exceptions import APIError

        from merchant_sim.problems import describe
        from merchant_sim.showcase import run_showcase

        if self.gateway is None:
            return
        self.notify("Running forty shoppers through the sandbox…", title="Scenario")
        try:
            count = await run_showcase(self.gateway, self.session)
        except APIError as exc:
            self.notify(str(describe(exc)), title="Scenario failed", severity="error")
            return
        self.notify(f"{count} checkouts done", title="Scenario")
        await self.screen.run_action("reload")

    async def on_event(self, event: events.Event) -> None:
        """While the demo tour runs, keys steer it (pause, next, back) or stop it; they do
        nothing else."""
        if isinstance(event, events.Key) and self.demo_tour is not None:
            self.demo_tour.on_key(event)
            event.stop()
            return
        await super().on_event(event)
