"""The in-store mode (F7): the terminal draws the hosted page's QR code from its matrix, a
simulated phone walks the page, and the terminal charges the virtual card; plus its snapshot."""

from __future__ import annotations

import difflib
import os
from collections.abc import Callable
from pathlib import Path

import pytest
from textual.pilot import Pilot

from merchant_sim.app import MerchantSimApp
from merchant_sim.cart import DEMO_CATALOG
from merchant_sim.connection import SandboxConnection
from merchant_sim.identity import Identity
from merchant_sim.screens.in_store import InStoreScreen
from merchant_sim.widgets.qr_view import qr_lines, qr_matrix
from mock_server.services import hosted_pages

from .conftest import _svg_text

SvgText = Callable[[str], str]
SNAPSHOT = Path(__file__).parent / "snapshots" / "in_store.svg"


async def _settle(pilot: Pilot[None]) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def _open_sale(app: MerchantSimApp, pilot: Pilot[None], tag: str) -> InStoreScreen:
    """A cart and a prime shopper with `tag`, then F7 and a new in-store sale."""
    await _settle(pilot)
    assert app.gateway is not None, "the embedded sandbox did not start"
    prime = next(p for p in app.session.personas if p.tier == "prime")
    app.session.identity = Identity.from_persona(prime).with_tag(tag)
    app.session.cart.add(DEMO_CATALOG[0])
    await pilot.press("f7")
    await pilot.press("n")
    await _settle(pilot)
    screen = app.screen
    assert isinstance(screen, InStoreScreen) and screen.checkout is not None
    return screen


def test_half_blocks_pack_two_module_rows_per_line() -> None:
    matrix = [[True, False], [True, True], [False, True]]
    assert qr_lines(matrix, border=0) == ["█▄", " ▀"]
    framed = qr_lines(matrix, border=1)
    assert len(framed) == 3 and all(len(line) == 4 for line in framed)


async def test_the_terminal_shows_the_page_qr_and_the_phone_walks_to_approval(
    svg_text: SvgText,
) -> None:
    app = MerchantSimApp(lambda: SandboxConnection.start_embedded(seed=11), webhooks=False)
    async with app.run_test(size=(120, 44)) as pilot:
        screen = await _open_sale(app, pilot, "approve")
        checkout = screen.checkout
        assert checkout is not None and checkout.next_action is not None
        text = svg_text(app.export_screenshot())
        expected = qr_lines(qr_matrix(checkout.next_action.url))
        assert all(line.replace(" ", "\xa0") in text or line in text for line in expected[2:-2])
        assert checkout.short_code is not None and checkout.short_code in text
        for heading in ("Confirm who you are", "Choose your plan", "Review and agree", "approved"):
            await pilot.press("p")
            await _settle(pilot)
            assert screen.phone is not None
            assert heading.lower() in screen.phone.view.heading.lower()
        assert screen.phone.done
        assert screen.checkout is not None and str(screen.checkout.status) == "approved"
        assert screen.card is not None and screen.card.status == "active"
        await pilot.press("c")
        await _settle(pilot)
        assert "00 Approved" in svg_text(app.export_screenshot())
        await pilot.press("c")
        await _settle(pilot)
        assert "57 Single-use card already used" in svg_text(app.export_screenshot())
        loan = await app.gateway.loan(screen.card.loan) if app.gateway else None
        assert loan is not None and str(loan.status) == "active"


async def test_a_decline_on_the_phone_issues_no_card(svg_text: SvgText) -> None:
    app = MerchantSimApp(lambda: SandboxConnection.start_embedded(seed=11), webhooks=False)
    async with app.run_test(size=(120, 44)) as pilot:
        screen = await _open_sale(app, pilot, "decline")
        for _ in range(4):
            await pilot.press("p")
            await _settle(pilot)
        assert screen.checkout is not None and str(screen.checkout.status) == "declined"
        assert screen.card is None
        assert "declined" in svg_text(app.export_screenshot())


async def test_in_store_mode_matches_its_snapshot(monkeypatch: pytest.MonkeyPatch) -> None:
    # The page token and short code are random; fixed here so the drawn QR code is the same.
    monkeypatch.setattr(hosted_pages.secrets, "token_urlsafe", lambda _n: "snapshot-page-token")
    monkeypatch.setattr(hosted_pages, "_short_code", lambda _session: "SNAP2345")
    app = MerchantSimApp(lambda: SandboxConnection.start_embedded(seed=0), webhooks=False)
    async with app.run_test(size=(110, 36)) as pilot:
        await _open_sale(app, pilot, "approve")
        svg = app.export_screenshot(title="in_store")
    if os.environ.get("INSTALLO_UPDATE_SNAPSHOTS") == "1" or not SNAPSHOT.exists():
        SNAPSHOT.write_text(svg)
        if os.environ.get("INSTALLO_UPDATE_SNAPSHOTS") != "1":
            pytest.fail(f"no snapshot for the in-store mode: wrote {SNAPSHOT}; review, commit it")
    expected = SNAPSHOT.read_text()
    if svg != expected:
        diff = difflib.unified_diff(
            _svg_text(expected).split("\n"), _svg_text(svg).split("\n"), lineterm=""
        )
        pytest.fail("the in-store mode differs from its snapshot:\n" + "\n".join(diff))


async def test_the_tour_act_sells_in_store_and_charges_the_card() -> None:
    from merchant_sim.demo import DemoTour
    from merchant_sim.in_store_tour import in_store_act

    app = MerchantSimApp(lambda: SandboxConnection.start_embedded(seed=11), webhooks=False)
    async with app.run_test(size=(120, 44)) as pilot:
        await _settle(pilot)
        await in_store_act(DemoTour(app, beat=0))
        screen = app.screen
        assert isinstance(screen, InStoreScreen)
        assert screen.checkout is not None and str(screen.checkout.status) == "approved"
        assert screen.last_result.startswith("[green]00")
