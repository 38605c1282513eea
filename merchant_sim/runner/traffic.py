"""Shoppers drawn from a scenario: tier, locale, cart and choices, reproducible from the seed."""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TypeVar

from installo.types.offer import Offer

from merchant_sim.cart import Cart, Product
from merchant_sim.runner.schema import Scenario

__all__ = ["Shopper", "choose_offer", "draw_shopper", "plan_shoppers", "weighted"]

K = TypeVar("K")


def weighted(rng: random.Random, weights: Mapping[K, float]) -> K:
    """Draw a key with probability proportional to its weight."""
    keys = list(weights)
    return rng.choices(keys, weights=[weights[k] for k in keys], k=1)[0]


@dataclass(frozen=True)
class Shopper:
    """One simulated customer's draws; ``rolls`` are uniform numbers for later decisions."""

    index: int
    tier: str
    locale: str
    products: tuple[Product, ...]
    rolls: tuple[float, ...]

    def cart(self, scenario: Scenario) -> Cart:
        """The shopper's cart in the store's currency."""
        store = scenario.store
        cart = Cart(store.currency, shipping_amount=store.shipping_amount, tax_bps=store.tax_bps)
        for product in self.products:
            cart.add(product)
        return cart


def plan_shoppers(scenario: Scenario, customers: int, seed: int) -> list[Shopper]:
    """Draw every shopper up front, so the same seed gives the same traffic at any concurrency."""
    rng = random.Random(f"traffic:{seed}")
    return [draw_shopper(scenario, rng, index) for index in range(customers)]


def draw_shopper(scenario: Scenario, rng: random.Random, index: int) -> Shopper:
    """One shopper drawn from `rng`: tier, locale, cart and the rolls for later choices."""
    catalog = [Product(p.sku, p.name, p.price) for p in scenario.store.catalog]
    tier = weighted(rng, scenario.traffic.tiers)
    locale = weighted(rng, scenario.traffic.locales)
    size = weighted(rng, scenario.traffic.cart_size)
    products = tuple(rng.choice(catalog) for _ in range(size))
    rolls = tuple(rng.random() for _ in range(8))
    return Shopper(index, tier, locale, products, rolls)


def choose_offer(offers: Sequence[Offer], choice: str, roll: float) -> Offer | None:
    """The offer a shopper picks: first, shortest, longest, cheapest, random, or a plan name."""
    if not offers:
        return None
    if choice == "shortest":
        return min(offers, key=lambda o: o.term_count)
    if choice == "longest":
        return max(offers, key=lambda o: o.term_count)
    if choice == "cheapest":
        return min(offers, key=lambda o: (o.finance_charge, o.term_count))
    if choice == "random":
        return offers[min(int(roll * len(offers)), len(offers) - 1)]
    named = [o for o in offers if o.plan == choice]
    return named[0] if named else offers[0]
