"""Run a scenario: shoppers check out concurrently through the SDK, then the clock moves on."""

from __future__ import annotations

import asyncio
import time
import uuid
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

from installo._exceptions import APIError, APIStatusError
from installo.types.checkout import Checkout
from installo.types.loan import Loan
from installo.types.portfolio import Portfolio
from installo.types.sandbox import Persona

from merchant_sim.gateway import FeatureUnavailable, Gateway
from merchant_sim.identity import Identity
from merchant_sim.runner.schema import Scenario
from merchant_sim.runner.stats import CheckoutRecord, RunStats
from merchant_sim.runner.traffic import Shopper, choose_offer, plan_shoppers

__all__ = ["ScenarioRun", "ScenarioRunError"]

# Which of a shopper's uniform rolls decides what.
_CAPTURE, _PARTIAL, _REFUND, _FULL_REFUND, _PAY, _OFFER = range(6)


class ScenarioRunError(RuntimeError):
    """The scenario cannot run against this sandbox (no personas of a tier, ...)."""


@dataclass
class _Intent:
    """What the run meant to do to a loan, to catch double charges afterwards."""

    captured: int = 0
    refunded: int = 0


class ScenarioRun:
    """One run of a scenario against one sandbox."""

    def __init__(
        self,
        scenario: Scenario,
        gateway: Gateway,
        *,
        customers: int | None = None,
        seed: int | None = None,
        concurrency: int | None = None,
        on_progress: Callable[[CheckoutRecord], None] | None = None,
    ) -> None:
        self.scenario = scenario
        self.gateway = gateway
        self.customers = customers or scenario.customers
        self.seed = scenario.seed if seed is None else seed
        self.concurrency = concurrency or scenario.concurrency
        self.on_progress = on_progress
        self.stats = RunStats(currency=scenario.store.currency)
        self.intents: dict[str, _Intent] = {}
        self.notes: list[str] = []
        self.portfolio: Portfolio | None = None
        # References are unique to this run, so a rerun against the same sandbox never collides.
        self.reference_prefix = f"{scenario.name}-{self.seed}-{uuid.uuid4().hex[:8]}-"

    async def run(self) -> RunStats:
        """Drive every shopper, advance the clock, then read every loan's final state."""
        shoppers = plan_shoppers(self.scenario, self.customers, self.seed)
        personas = await self.assign_personas(shoppers)
        gate = asyncio.Semaphore(self.concurrency)

        async def one(shopper: Shopper) -> None:
            async with gate:
                record = await self._shop(shopper, personas[shopper.index])
            self.stats.records.append(record)
            if self.on_progress is not None:
                self.on_progress(record)

        started = time.perf_counter()
        await asyncio.gather(*(one(s) for s in shoppers))
        self.stats.elapsed_s = time.perf_counter() - started
        await self._advance_clock()
        await self._settle_loans(gate)
        await self._read_settlement()
        await self._count_duplicate_checkouts()
        await self._read_portfolio()
        return self.stats

    async def _read_portfolio(self) -> None:
        """The merchant's portfolio figures as of the sandbox time the run ended at."""
        try:
            self.portfolio = await self.gateway.portfolio()
        except FeatureUnavailable as exc:
            self.notes.append(str(exc))
        except APIError as exc:
            self.stats.errors[type(exc).__name__] += 1

    async def _read_settlement(self) -> None:
        """Fees and net settled for the run's loans, from the merchant's balance transactions
        (captures credit the amount less the discount fee; refunds debit it)."""
        try:
            transactions = await self.gateway.balance_transactions()
        except FeatureUnavailable as exc:
            self.notes.append(str(exc))
            return
        except APIError as exc:
            self.stats.errors[type(exc).__name__] += 1
            return
        loans = {r.loan_id for r in self.stats.records if r.loan_id}
        ours = [t for t in transactions if t.loan in loans]
        gross = sum(t.amount for t in ours)
        money = self.stats.money
        money["fees"] = sum(t.fee for t in ours)
        money["net_settled"] = sum(t.net for t in ours)
        self.stats.settlement = {
            "transactions": len(ours),
            "gross": gross,
            "fees": money["fees"],
            "net": money["net_settled"],
            "unreconciled": gross - (money["captured"] - money["refunded"]),
        }

    async def _count_duplicate_checkouts(self) -> None:
        """A retried create that opened a second checkout for one shopper is a double charge."""
        try:
            references = await self.gateway.checkout_references(self.reference_prefix)
        except APIError as exc:
            self.stats.errors[type(exc).__name__] += 1
            return
        seen = Counter(references)
        self.stats.double_charges += sum(count - 1 for count in seen.values())

    async def assign_personas(self, shoppers: list[Shopper]) -> dict[int, Persona]:
        """Give each shopper a persona of its tier, preferring its locale."""
        need: dict[str, int] = {}
        for shopper in shoppers:
            need[shopper.tier] = need.get(shopper.tier, 0) + 1
        chosen: dict[int, Persona] = {}
        for tier, count in need.items():
            pool = await self.gateway.personas(tier=tier, limit=max(count, 10))
            if not pool:
                raise ScenarioRunError(f"the sandbox has no personas of tier {tier!r}")
            if len(pool) < count:
                self.notes.append(f"{tier}: {count} shoppers share {len(pool)} personas")
            by_locale: dict[str, list[Persona]] = {}
            for persona in pool:
                by_locale.setdefault(persona.locale or "", []).append(persona)
            used: dict[str, int] = {}
            for shopper in (s for s in shoppers if s.tier == tier):
                options = by_locale.get(shopper.locale) or pool
                key = shopper.locale if shopper.locale in by_locale else ""
                chosen[shopper.index] = options[used.get(key, 0) % len(options)]
                used[key] = used.get(key, 0) + 1
        return chosen

    def _device(self, shopper: Shopper, persona: Persona) -> str:
        """One device for the tiers that share one; else the persona's own, or a fresh one."""
        if shopper.tier in self.scenario.traffic.shared_device_for:
            return f"dev-ring-{self.seed}"
        own = (persona.model_extra or {}).get("device_id")
        return own if isinstance(own, str) else f"dev-{self.seed}-{shopper.index}"

    def _fail(self, record: CheckoutRecord, exc: APIError) -> CheckoutRecord:
        name = type(exc).__name__
        self.stats.errors[name] += 1
        if isinstance(exc, APIStatusError) and exc.status_code >= 500:
            self.stats.server_errors += 1
        if record.outcome not in {"approved", "declined", "in_review"}:
            record.outcome = "error"
        record.error = record.error or name
        return record

    async def _shop(self, shopper: Shopper, persona: Persona) -> CheckoutRecord:
        """One shopper: checkout, confirm, then whatever happens after approval."""
        record = CheckoutRecord(shopper.tier, shopper.locale, "error")
        cart = shopper.cart(self.scenario)
        record.amount = cart.total
        identity = Identity.from_persona(persona)
        reference = f"{self.reference_prefix}{shopper.index}"
        try:
            checkout = await self.gateway.create_checkout(cart, identity, reference=reference)
            record.checkout_id = checkout.id
            offer = choose_offer(
                checkout.offers, self.scenario.traffic.offer_choice, shopper.rolls[_OFFER]
            )
            if offer is None:
                record.outcome, record.at = "no_offer", time.time()
                return record
            started = time.perf_counter()
            decided = await self.gateway.confirm(
                checkout.id, offer.id, device_id=self._device(shopper, persona)
            )
            record.decision_latency_ms = (time.perf_counter() - started) * 1000
            record.at = time.time()
            self._note_decision(record, decided)
            if decided.loan:
                record.loan_id = decided.loan
                await self._after_approval(shopper, decided.loan, offer.amount_financed)
        except APIError as exc:
            record.at = record.at or time.time()
            return self._fail(record, exc)
        return record

    @staticmethod
    def _note_decision(record: CheckoutRecord, checkout: Checkout) -> None:
        record.outcome = str(checkout.status)
        if checkout.decision is not None:
            record.reason_codes = list(checkout.decision.reason_codes)
            record.rules_fired = [r.rule_id for r in checkout.decision.rules_fired]

    async def _after_approval(self, shopper: Shopper, loan_id: str, authorized: int) -> None:
        """Capture or void, maybe refund, maybe pay early, as the scenario's rates say."""
        rules, rolls = self.scenario.after_approval, shopper.rolls
        intent = self.intents.setdefault(loan_id, _Intent())
        if rolls[_CAPTURE] >= rules.capture_rate:
            await self.gateway.void(loan_id)
            return
        amount = authorized // 2 if rolls[_PARTIAL] < rules.partial_capture_rate else None
        loan: Loan = await self.gateway.capture(loan_id, amount)
        intent.captured = loan.captured_amount if amount is None else amount
        if rolls[_REFUND] < rules.refund_rate:
            full = rolls[_FULL_REFUND] < rules.full_refund_share
            refund = intent.captured if full else intent.captured // 2
            if refund > 0:
                loan = await self.gateway.refund(loan_id, refund)
                intent.refunded = refund
        if rolls[_PAY] < rules.early_payment_rate and loan.principal_balance > 0:
            due = next((e for e in loan.schedule if str(e.status) != "paid"), None)
            if due is not None:
                await self.gateway.pay(loan_id, min(due.amount, loan.principal_balance))

    async def _advance_clock(self) -> None:
        for step in self.scenario.clock:
            for _ in range(step.repeat):
                try:
                    await self.gateway.advance_clock(step.days)
                except FeatureUnavailable as exc:
                    self.notes.append(str(exc))
                    return
                except APIError as exc:
                    self.stats.errors[type(exc).__name__] += 1
                    return

    async def _settle_loans(self, gate: asyncio.Semaphore) -> None:
        """Read every loan once more for final states, money totals and double charges."""
        loan_ids = sorted({r.loan_id for r in self.stats.records if r.loan_id})

        async def read(loan_id: str) -> Loan | None:
            async with gate:
                try:
                    return await self.gateway.loan(loan_id)
                except APIError as exc:
                    self.stats.errors[type(exc).__name__] += 1
                    return None

        loans = await asyncio.gather(*(read(i) for i in loan_ids))
        money = self.stats.money
        for loan in (x for x in loans if x is not None):
            status = str(loan.status)
            self.stats.loan_states[status] += 1
            money["financed"] += loan.authorized_amount
            money["captured"] += loan.captured_amount
            money["refunded"] += loan.refunded_amount
            money["repaid"] += sum(e.paid_amount for e in loan.schedule)
            if status == "charged_off":
                money["charged_off"] += loan.principal_balance
            intent = self.intents.get(loan.id)
            if intent is not None and (
                loan.captured_amount > intent.captured or loan.refunded_amount > intent.refunded
            ):
                self.stats.double_charges += 1
