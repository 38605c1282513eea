"""Command palette entries: one for every action of the simulator."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, cast

from textual.command import DiscoveryHit, Hit, Hits, Provider

if TYPE_CHECKING:
    from merchant_sim.app import MerchantSimApp

#: (title, help, where it runs, action name); "where" is a mode, "" for the app, or
#: "screen" for whichever screen is showing.
ACTIONS: tuple[tuple[str, str, str, str], ...] = (
    ("Store", "Open the storefront", "", "switch_mode('store')"),
    ("Loan", "Open the current loan", "", "switch_mode('loan')"),
    ("Lender desk", "Open the review and onboarding queues", "", "switch_mode('lender')"),
    ("Dashboard", "Open the live dashboard", "", "switch_mode('dashboard')"),
    (
        "Portfolio",
        "Open the lender's portfolio with the sandbox clock",
        "",
        "switch_mode('portfolio')",
    ),
    ("Money", "Open the merchant's balance, payouts and transactions", "", "switch_mode('money')"),
    ("Day on", "Move the sandbox clock a day on (payouts run daily)", "money", "next_day"),
    ("Run a scenario", "Forty shoppers through the sandbox, for the dashboard", "", "run_showcase"),
    ("Month on", "Move the sandbox clock a month on", "portfolio", "advance_month"),
    ("A year in a minute", "Twelve months of sandbox clock, one every 5 s", "portfolio", "year"),
    (
        "In store",
        "Open the store's terminal beside the shopper's phone",
        "",
        "switch_mode('in_store')",
    ),
    ("Add to cart", "Add the highlighted product", "store", "add"),
    ("Remove from cart", "Take one of the highlighted product out", "store", "remove"),
    ("Empty cart", "Remove everything from the cart", "store", "empty_cart"),
    ("Pick customer", "Choose a persona or a custom identity", "store", "pick_customer"),
    ("Random customer", "A random seeded persona becomes the shopper", "store", "random_customer"),
    ("Checkout", "See the offers for this cart", "store", "checkout"),
    ("Capture loan", "Capture the whole authorization", "loan", "capture"),
    ("Void loan", "Release the authorization", "loan", "void"),
    ("Refund loan", "Refund part or all of the loan", "loan", "refund"),
    ("Pay installment", "The customer pays the next installment", "loan", "pay"),
    ("Advance clock", "Move the sandbox clock to the same day next month", "loan", "advance_clock"),
    ("Next due date", "Move the sandbox clock to the loan's next due date", "loan", "next_due"),
    ("Approve", "Approve the selected review or application", "lender", "settle(True)"),
    ("Decline", "Decline the selected review or application", "lender", "settle(False)"),
    ("New merchant application", "Send an application to onboarding", "lender", "apply_merchant"),
    ("Confirm offer", "Confirm the highlighted offer at checkout", "screen", "confirm"),
    ("Loan of this checkout", "Open the loan an approved checkout authorized", "screen", "loan"),
    ("Back", "Leave checkout for the store", "screen", "back"),
    ("Refresh", "Read the current screen's objects again", "screen", "reload"),
    ("Demo tour", "Play the scripted tour", "", "demo"),
    ("In-store sale", "Show the QR code of a new in-store sale (F7)", "in_store", "new_sale"),
    (
        "Phone: next step",
        "The shopper's phone does the hosted page's next step",
        "in_store",
        "phone_step",
    ),
    ("Charge virtual card", "The terminal charges the approval's card", "in_store", "charge"),
    (
        "Text the link",
        "SMS the hosted page link to the shopper (sandbox outbox)",
        "in_store",
        "text_link",
    ),
    ("Keys", "Every key of every screen", "", "help"),
)


class SimCommands(Provider):
    """Every simulator action, runnable from the palette."""

    def _runner(self, mode: str, action: str) -> Callable[[], object]:
        app = cast("MerchantSimApp", self.app)
        return partial(app.run_in_mode, mode, action)

    async def discover(self) -> Hits:
        """List every action."""
        for title, help_text, mode, action in ACTIONS:
            yield DiscoveryHit(title, self._runner(mode, action), help=help_text)

    async def search(self, query: str) -> Hits:
        """Fuzzy-match actions by title."""
        matcher = self.matcher(query)
        for title, help_text, mode, action in ACTIONS:
            score = matcher.match(title)
            if score > 0:
                yield Hit(
                    score, matcher.highlight(title), self._runner(mode, action), help=help_text
                )
