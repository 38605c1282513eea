"""Pilot tests: the storefront driven key by key against the embedded sandbox."""

from __future__ import annotations

from collections.abc import Callable

from textual.pilot import Pilot
from textual.widgets import Input, Select

from merchant_sim.app import MerchantSimApp
from merchant_sim.connection import SandboxConnection
from merchant_sim.identity import Identity
from merchant_sim.screens.checkout import CheckoutScreen
from merchant_sim.screens.lender import LenderScreen
from merchant_sim.screens.loan import LoanScreen
from merchant_sim.screens.store import StoreScreen
from merchant_sim.widgets.offers import OfferList

SvgText = Callable[[str], str]


def _embedded() -> SandboxConnection:
    return SandboxConnection.start_embedded(seed=11)


async def _settle(pilot: Pilot[None]) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def _ready(app: MerchantSimApp, pilot: Pilot[None]) -> None:
    await _settle(pilot)
    assert app.gateway is not None, "the embedded sandbox did not start"


async def _checkout_as(app: MerchantSimApp, pilot: Pilot[None], tag: str | None) -> CheckoutScreen:
    """Put a laptop in the cart, choose a prime persona with ``tag``, confirm the first offer."""
    store = app.screen
    assert isinstance(store, StoreScreen)
    prime = next(p for p in app.session.personas if p.tier == "prime")
    store.set_identity(Identity.from_persona(prime).with_tag(tag))
    await pilot.press("a", "k")
    await _settle(pilot)
    screen = app.screen
    assert isinstance(screen, CheckoutScreen)
    assert screen.checkout is not None and screen.checkout.offers
    await pilot.press("enter")
    await _settle(pilot)
    return screen


async def test_approval_shows_offers_decision_and_credit_report(svg_text: SvgText) -> None:
    app = MerchantSimApp(_embedded)
    async with app.run_test(size=(120, 40)) as pilot:
        await _ready(app, pilot)
        screen = await _checkout_as(app, pilot, "approve")
        offers = screen.query_one(OfferList).offers
        assert all(o.total_of_payments >= o.amount_financed for o in offers)
        assert screen.checkout is not None
        assert str(screen.checkout.status) == "approved"
        text = svg_text(app.export_screenshot())
        assert "APPROVED" in text
        assert "APR" in text and "Finance charge" in text and "First due" in text
        assert "Score" in text and "Utilization" in text
        assert app.session.stats.outcome_counts()["approved"] == 1


async def test_decline_shows_reason_codes(svg_text: SvgText) -> None:
    app = MerchantSimApp(_embedded)
    async with app.run_test(size=(120, 40)) as pilot:
        await _ready(app, pilot)
        screen = await _checkout_as(app, pilot, "decline")
        assert screen.checkout is not None and screen.checkout.decision is not None
        assert str(screen.checkout.status) == "declined"
        codes = screen.checkout.decision.reason_codes
        assert codes
        text = svg_text(app.export_screenshot())
        assert "DECLINED" in text
        assert codes[0] in text


async def test_review_is_worked_by_hand_in_the_lender_view(svg_text: SvgText) -> None:
    app = MerchantSimApp(_embedded)
    async with app.run_test(size=(120, 40)) as pilot:
        await _ready(app, pilot)
        screen = await _checkout_as(app, pilot, "review")
        assert screen.checkout is not None
        assert str(screen.checkout.status) == "in_review"
        checkout_id = screen.checkout.id
        await pilot.press("f3")
        await _settle(pilot)
        lender = app.screen
        assert isinstance(lender, LenderScreen)
        text = svg_text(app.export_screenshot())
        assert "not available on this sandbox yet" not in text
        assert checkout_id in text
        await pilot.press("a")
        await _settle(pilot)
        record = next(r for r in app.session.stats.records if r.checkout_id == checkout_id)
        assert record.outcome == "approved"
        assert record.tier == "prime"


async def test_loan_capture_pay_refund_and_clock(svg_text: SvgText) -> None:
    app = MerchantSimApp(_embedded)
    async with app.run_test(size=(120, 40)) as pilot:
        await _ready(app, pilot)
        await _checkout_as(app, pilot, "approve")
        await pilot.press("l")
        await _settle(pilot)
        assert isinstance(app.screen, LoanScreen)
        loan = app.session.loan
        assert loan is not None and str(loan.status) == "authorized"
        await pilot.press("p")
        await _settle(pilot)
        captured = app.session.loan
        assert captured is not None and str(captured.status) == "active"
        assert captured.captured_amount == loan.authorized_amount
        await pilot.press("y")
        await _settle(pilot)
        paid = app.session.loan
        assert paid is not None
        assert sum(e.paid_amount for e in paid.schedule) > 0
        await pilot.press("r")
        await pilot.pause()
        amount = app.screen.query_one(Input)
        assert amount.value == f"{paid.captured_amount // 100}.{paid.captured_amount % 100:02d}"
        amount.value = "10.00"
        await pilot.press("enter")
        await _settle(pilot)
        refunded = app.session.loan
        assert refunded is not None and refunded.refunded_amount == 1000
        await pilot.press("m")
        await _settle(pilot)
        # Webhooks arrive from the sandbox's delivery thread; give them a generous while.
        screen = app.screen
        assert isinstance(screen, LoanScreen)
        for _ in range(600):
            if "✓ loan.captured evt_" in svg_text(app.export_screenshot()):
                break
            screen.poll_events()
            await pilot.pause(0.05)
        text = svg_text(app.export_screenshot())
        assert "clock moved (+1 month)" in text or "not available on this sandbox yet" in text
        assert "loan.captured" in text
        assert refunded.id in text
        assert "✓ loan.captured evt_" in text


async def test_dashboard_counts_decisions(svg_text: SvgText) -> None:
    app = MerchantSimApp(_embedded)
    async with app.run_test(size=(120, 40)) as pilot:
        await _ready(app, pilot)
        await _checkout_as(app, pilot, "approve")
        await pilot.press("escape", "f1")
        await _checkout_as(app, pilot, "decline")
        await pilot.press("f4")
        await _settle(pilot)
        text = svg_text(app.export_screenshot())
        assert "2 checkouts" in text
        assert "approval 50%" in text
        assert "Approvals / declines" in text and "Tier mix" in text
        funnel = app.session.portfolio
        assert funnel is not None and funnel.currencies[0].funnel.declined == 1
        assert "Portfolio (USD)" in text


async def test_store_fits_80_by_24(svg_text: SvgText) -> None:
    app = MerchantSimApp(_embedded)
    async with app.run_test(size=(80, 24)) as pilot:
        await _ready(app, pilot)
        text = svg_text(app.export_screenshot())
        assert "Catalog" in text and "Cart" in text
        assert "Checkout" in text
        assert "embedded sandbox" in text


async def test_onboarding_application_is_approved_from_the_lender_desk(svg_text: SvgText) -> None:
    app = MerchantSimApp(_embedded)
    async with app.run_test(size=(120, 40)) as pilot:
        await _ready(app, pilot)
        await pilot.press("f3")
        await _settle(pilot)
        await pilot.press("o")
        await _settle(pilot)
        (merchant,) = app.session.merchants.values()
        assert str(merchant.status) == "pending_review"
        assert "HIGH_VOLUME_YOUNG_BUSINESS" in svg_text(app.export_screenshot())
        app.screen.query_one("#onboarding").focus()
        await pilot.press("a")
        await _settle(pilot)
        assert str(app.session.merchants[merchant.id].status) == "active"
        assert "active" in svg_text(app.export_screenshot())


async def test_customer_picker_chooses_a_persona_or_a_tagged_custom_identity() -> None:
    app = MerchantSimApp(_embedded, webhooks=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await _ready(app, pilot)
        await pilot.press("c")
        await pilot.pause()
        await pilot.press("down", "enter")
        await pilot.pause()
        assert isinstance(app.screen, StoreScreen)
        second = app.session.personas[1]
        assert app.session.identity is not None
        assert app.session.identity.email == second.email
        assert app.session.identity.tier == second.tier
        await pilot.press("c")
        await pilot.pause()
        picker = app.screen
        picker.query_one("#tag", Select).value = "frozen"
        picker.query_one("#custom-name", Input).value = "Ada Tester"
        picker.query_one("#custom-email", Input).value = "ada@example.com"
        picker.query_one("#custom-email", Input).focus()
        await pilot.press("enter")
        await pilot.pause()
        assert app.session.identity is not None
        assert app.session.identity.email == "ada+frozen@example.com"
        assert app.session.identity.magic_tag == "frozen"


async def test_default_shopper_buying_the_laptop_is_approved_untagged() -> None:
    app = MerchantSimApp(lambda: SandboxConnection.start_embedded(seed=0))  # what `make run` opens
    async with app.run_test(size=(120, 40)) as pilot:
        await _ready(app, pilot)
        shopper = app.session.identity
        assert shopper is not None and "+" not in shopper.email
        await pilot.press("a", "k")
        await _settle(pilot)
        screen = app.screen
        assert isinstance(screen, CheckoutScreen) and screen.checkout is not None
        await pilot.press("enter")
        await _settle(pilot)
        assert screen.checkout.decision is not None
        assert str(screen.checkout.status) == "approved", screen.checkout.decision.reason_codes


async def test_custom_shopper_keeps_a_tag_typed_into_the_email_and_checks_out() -> None:
    app = MerchantSimApp(_embedded)
    async with app.run_test(size=(120, 40)) as pilot:
        await _ready(app, pilot)
        await pilot.press("c")
        await pilot.pause()
        picker = app.screen
        picker.query_one("#custom-name", Input).value = "Ada Tester"
        picker.query_one("#custom-email", Input).value = "ada+decline@example.com"
        picker.query_one("#custom-email", Input).focus()
        await pilot.press("enter")  # the "Magic tag" menu is left at none
        await pilot.pause()
        assert app.session.identity is not None
        assert app.session.identity.email == "ada+decline@example.com"
        await pilot.press("a", "k")
        await _settle(pilot)
        screen = app.screen
        assert isinstance(screen, CheckoutScreen) and screen.checkout is not None
        await pilot.press("enter")
        await _settle(pilot)
        assert str(screen.checkout.status) == "declined"
