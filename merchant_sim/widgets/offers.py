"""Installment offers with their Truth-in-Lending disclosures, as a storefront widget shows them."""

from __future__ import annotations

from collections.abc import Sequence

from installo.types.offer import Offer
from rich.console import Group, RenderableType
from rich.text import Text
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from merchant_sim.money import format_bps, format_money

_INTERVAL = {"month": "month", "two_weeks": "2 weeks"}


def plan_title(offer: Offer) -> str:
    """``12 monthly payments`` / ``4 payments every 2 weeks``."""
    if str(offer.interval) == "month":
        return f"{offer.term_count} monthly payments"
    every = _INTERVAL.get(str(offer.interval), str(offer.interval))
    return f"{offer.term_count} payments every {every}"


def disclosure(offer: Offer, currency: str) -> RenderableType:
    """The offer's disclosure box: payment, APR, finance charge, totals, first due date."""
    cur = offer.currency or currency
    per = "mo" if str(offer.interval) == "month" else "2 wk"
    head = Text.assemble(
        (f"{format_money(offer.installment_amount, cur)}/{per}", "bold"),
        f"  {plan_title(offer)}  ",
        (f"{format_bps(offer.apr_bps)} APR", "bold" if offer.apr_bps == 0 else ""),
    )
    terms = Text(
        f"Amount financed {format_money(offer.amount_financed, cur)} · "
        f"Finance charge {format_money(offer.finance_charge, cur)} · "
        f"Total of payments {format_money(offer.total_of_payments, cur)} · "
        f"First due {offer.first_due_date.isoformat()}",
        style="dim",
    )
    return Group(head, terms)


class OfferList(OptionList):
    """One option per offer; selecting one chooses that plan."""

    def show_offers(self, offers: Sequence[Offer], currency: str) -> None:
        """Replace the options with these offers."""
        self.offers = list(offers)
        self.clear_options()
        self.add_options([Option(disclosure(o, currency), id=o.id) for o in self.offers])
        if self.offers:
            self.highlighted = 0

    @property
    def highlighted_offer(self) -> Offer | None:
        """The offer under the cursor."""
        offers: list[Offer] = getattr(self, "offers", [])
        if self.highlighted is None or not offers:
            return None
        return offers[self.highlighted]
