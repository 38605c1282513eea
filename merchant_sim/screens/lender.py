"""The lender's desk: the manual review queue and the merchant onboarding queue (each
application's status, review reasons and requirements still due)."""

from __future__ import annotations

from typing import ClassVar

from installo._exceptions import APIError
from installo.types.admin import Review
from installo.types.merchant import Merchant
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import DataTable, Footer, Label, Static

from merchant_sim.gateway import FeatureUnavailable
from merchant_sim.messages import CheckoutDecided
from merchant_sim.problems import describe
from merchant_sim.screens._base import SimScreen
from merchant_sim.widgets.mode_bar import ModeBar

_APPLICATIONS = (
    ("Moonlight Jewels LLC", "5944", 1, 90_000_000),
    ("QuickCash Electronics", "5732", 0, 250_000_000),
    ("Harbor Bikes Inc", "5940", 6, 4_000_000),
    ("Crimson Ledger Exchange", "5732", 4, 2_000_000),  # on the sandbox's screening list
)
_ADDRESS = {"line1": "1 Harbor Way", "city": "Seattle", "region": "WA", "postal_code": "98101",
            "country": "US"}  # fmt: skip


def sample_application(index: int) -> dict[str, object]:
    """The index-th sample application: complete (representative, owner, bank account), so
    only the onboarding policy and the sanctions screen decide where it lands."""
    name, mcc, years, volume = _APPLICATIONS[index % len(_APPLICATIONS)]
    slug = name.split()[0].lower()
    person = {"name": "Alex Morgan", "date_of_birth": "1983-04-09", "address": _ADDRESS}
    return {
        "legal_name": name,
        "mcc": mcc,
        "country": "US",
        "currency": "USD",
        "website": f"https://{slug}.example.com",
        "years_in_business": years,
        "expected_monthly_volume": volume,
        "contact_email": f"owner@{slug}.example.com",
        "tax_id": "12-3456789",
        "address": _ADDRESS,
        "representative": person,
        "owners": [{**person, "ownership_percent": 100}],
        "owners_provided": True,
        "bank_account": {"account_holder_name": name, "routing_number": "110000000",
                         "account_number": "000123456789"},
    }  # fmt: skip


class LenderScreen(SimScreen):
    """Work reviews and onboarding applications by hand."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("a", "settle(True)", "Approve"),
        Binding("d", "settle(False)", "Decline"),
        Binding("o", "apply_merchant", "New application"),
        Binding("g", "reload", "Refresh"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.reviews: list[Review] = []

    def compose(self) -> ComposeResult:
        """Two queues, one above the other."""
        yield ModeBar()
        with Vertical(id="lender-body"):
            yield Label("Manual review queue", classes="pane-title")
            yield Static("", id="reviews-notice", classes="notice")
            yield DataTable[str](id="reviews", cursor_type="row")
            yield Label("Onboarding review", classes="pane-title")
            yield Static("", id="onboarding-notice", classes="notice")
            yield DataTable[str](id="onboarding", cursor_type="row")
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        """Columns, then load."""
        self.query_one("#reviews", DataTable).add_columns("Review", "Checkout", "Reasons", "Status")
        self.query_one("#onboarding", DataTable).add_columns(
            "Merchant", "Name", "Status", "Why", "Due"
        )
        self.show_onboarding()

    def on_screen_resume(self) -> None:
        """Reload whenever the desk is opened."""
        self.action_reload()

    def action_reload(self) -> None:
        """Reload the review queue."""
        self.load_reviews()

    @work(exclusive=True, group="reviews")
    async def load_reviews(self) -> None:
        """Fetch pending reviews."""
        if self.gateway is None:
            return
        notice = self.query_one("#reviews-notice", Static)
        try:
            self.reviews = await self.gateway.reviews()
        except FeatureUnavailable as exc:
            notice.update(f"⚠ {exc}")
            return
        except APIError as exc:
            notice.update(f"[red]{describe(exc)}[/]")
            return
        notice.update("" if self.reviews else "[dim]No applications waiting for review[/]")
        table: DataTable[str] = self.query_one("#reviews", DataTable)
        table.clear()
        for review in self.reviews:
            table.add_row(
                review.id, review.checkout or "-", ", ".join(review.reason_codes), review.status
            )

    def show_onboarding(self) -> None:
        """Redraw the merchants this session applied for."""
        table: DataTable[str] = self.query_one("#onboarding", DataTable)
        table.clear()
        merchants = list(self.session.merchants.values())
        for merchant in merchants:
            why = ", ".join(merchant.review_reasons)
            due = ", ".join(merchant.requirements.currently_due) or "-"
            table.add_row(merchant.id, merchant.legal_name, str(merchant.status), why, due)
        if not merchants:
            self.query_one("#onboarding-notice", Static).update(
                "[dim]Press o to send a merchant application through onboarding[/]"
            )

    @work(exclusive=True, group="onboarding")
    async def action_apply_merchant(self) -> None:
        """Send a merchant application; risky ones land in onboarding review."""
        if self.gateway is None:
            return
        # Cycle through the sample applications: risky ones first, so review has work.
        application = sample_application(len(self.session.merchants))
        try:
            merchant = await self.gateway.apply_merchant(application)
        except APIError as exc:
            self.query_one("#onboarding-notice", Static).update(f"⚠ {describe(exc)}")
            return
        self.session.merchants[merchant.id] = merchant
        self.query_one("#onboarding-notice", Static).update("")
        self.show_onboarding()

    def action_settle(self, approve: bool) -> None:
        """Approve or decline the selected row of the focused queue."""
        onboarding: DataTable[str] = self.query_one("#onboarding", DataTable)
        if onboarding.has_focus:
            merchants = list(self.session.merchants.values())
            if merchants:
                self.settle_merchant(
                    merchants[min(onboarding.cursor_row, len(merchants) - 1)], approve
                )
            return
        if self.reviews:
            table: DataTable[str] = self.query_one("#reviews", DataTable)
            self.settle_review(self.reviews[min(table.cursor_row, len(self.reviews) - 1)], approve)

    @work(exclusive=True, group="reviews")
    async def settle_review(self, review: Review, approve: bool) -> None:
        """Settle a review, then tell the app how the checkout ended."""
        gateway = self.gateway
        if gateway is None:
            return
        try:
            await gateway.settle_review(review.id, approve)
            checkout = await gateway.checkout(review.checkout) if review.checkout else None
        except (FeatureUnavailable, APIError) as exc:
            self.notify(str(exc), title="Review", severity="warning")
            return
        if checkout is not None:
            self.sim.post_message(CheckoutDecided(checkout, 0.0, "", ""))
            self.notify(f"{checkout.id} is now {checkout.status}")
        self.load_reviews()

    @work(exclusive=True, group="onboarding")
    async def settle_merchant(self, merchant: Merchant, approve: bool) -> None:
        """Approve or reject an application in onboarding review."""
        if self.gateway is None:
            return
        try:
            updated = await self.gateway.settle_merchant(merchant.id, approve)
        except (FeatureUnavailable, APIError) as exc:
            self.query_one("#onboarding-notice", Static).update(f"⚠ {exc}")
            return
        self.session.merchants[updated.id] = updated
        self.show_onboarding()
