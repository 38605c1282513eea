"""One process's share of a load run: its shoppers, and (on the master) everyone's results.

A run stops after a duration or, with `merchant-sim load --checkouts N`, once N journeys ended: the
master (or the only process) holds a `CheckoutQuota` of N tickets, and every shopper asks it for a
ticket before each journey (`LoadRun.shop`), so exactly N journeys start across all workers however
fast each one is, and each ends with a recorded result (API errors are recorded, not raised).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Set
from typing import Any

import gevent
from gevent.event import AsyncResult
from installo import Installo
from installo.types.sandbox import Persona
from locust import User, constant, constant_throughput
from rich.console import Console

from merchant_sim.load.journey import Journey, JourneyResult
from merchant_sim.load.verdict import from_wire, settle, to_wire
from merchant_sim.runner.html_report import write_html
from merchant_sim.runner.report import build_report, print_summary, write_json
from merchant_sim.runner.schema import Scenario
from merchant_sim.runner.stats import check_expectations
from merchant_sim.runner.timeseries import write_series_csv

__all__ = ["CheckoutQuota", "LoadRun"]

PERSONAS_PER_TIER = 50
WORKER_ANSWER_TIMEOUT_S = 300.0


class CheckoutQuota:
    """The master's (or only process's) count of `--checkouts N`: N tickets, one per journey."""

    def __init__(self, total: int) -> None:
        self.remaining = total
        self.holders: set[str] = set()  # the processes that were granted at least one ticket

    def grant(self, node: str) -> bool:
        """One ticket for `node`, or False once all N were handed out (or the run is ending)."""
        if self.remaining <= 0:
            return False
        self.remaining -= 1
        self.holders.add(node)
        return True

    def close(self) -> None:
        """Hand out no more tickets (the time limit passed first)."""
        self.remaining = 0


class LoadRun:
    """Shoppers run here, results gathered here, and (master or only process) the verdict."""

    def __init__(self, scenario: Scenario) -> None:
        self.scenario = scenario
        self.kind = "local"
        self.run_id = ""
        self.worker_index = 0
        self.client: Installo | None = None
        self.journey: Journey | None = None
        self.results: list[JourneyResult] = []
        self.in_flight = 0
        self.finishing = False
        self.started = time.monotonic()
        self._count = 0
        self._answers: dict[str, list[dict[str, Any]]] = {}
        self._expected = 1
        self.quota: CheckoutQuota | None = None  # master or only process, with --checkouts
        # Where shoppers run, with --checkouts: asks the quota for ticket `id` (the answer comes
        # back through `granted`); called once this process's tickets ran out and nothing is in
        # flight (a worker answers its results then, without waiting to be asked).
        self.ask: Callable[[int], None] | None = None
        self.on_exhausted: Callable[[], None] = lambda: None
        self._replies: dict[int, AsyncResult] = {}
        self._asked = 0
        self._exhausted = False
        self._told = False
        load = scenario.load
        self._pace: Callable[[User], float] = (
            constant_throughput(load.arrival_rate / load.users)
            if load.arrival_rate is not None
            else constant(0)
        )

    def begin(self, *, run_id: str, client: Installo, worker_index: int = 0) -> None:
        """The test started: connect, and (where shoppers run) fetch the personas they use."""
        self.run_id, self.client, self.worker_index = run_id, client, worker_index
        self.started = time.monotonic()
        if self.kind != "master":
            self.journey = Journey(self.scenario, client, self._personas(client), run_id)

    def _personas(self, client: Installo) -> dict[str, list[Persona]]:
        pools: dict[str, list[Persona]] = {}
        for tier in self.scenario.traffic.tiers:
            page = client.sandbox.personas(tier=tier, limit=PERSONAS_PER_TIER)
            pools[tier] = list(page.data)
            if not pools[tier]:
                raise RuntimeError(f"the sandbox has no personas of tier {tier!r}")
        return pools

    def pace(self, user: User) -> float:
        """Seconds a user waits before its next journey."""
        return self._pace(user)

    def count_locally(self, total: int) -> None:
        """`--checkouts N` in a single process: the quota is here, tickets are granted at once."""
        quota = self.quota = CheckoutQuota(total)
        self.ask = lambda ident: self.granted(ident, quota.grant("local"))

    def granted(self, ident: int, granted: bool) -> None:
        """The quota's answer to ticket request `ident`."""
        reply = self._replies.pop(ident, None)
        if reply is not None:
            reply.set(granted)

    def _ticket(self) -> bool:
        """May one more journey start? Always without --checkouts; else one ticket of N."""
        if self.ask is None:
            return True
        if self._exhausted:
            return False
        self._asked += 1
        reply = self._replies[self._asked] = AsyncResult()
        self.ask(self._asked)
        if not reply.get():
            self._exhausted = True
        return not self._exhausted

    def shop(self) -> JourneyResult | None:
        """One shopper's journey, or None once the run is finishing or the tickets ran out."""
        if self.finishing or self.journey is None:
            return None
        self.in_flight += 1  # waiting for a ticket counts: `finish` waits for the answer
        try:
            if not self._ticket() or self.finishing:
                return None  # with --checkouts, `finishing` here means the time limit passed
            self._count += 1
            result = self.journey.shop(f"w{self.worker_index}-{self._count}")
            self.results.append(result)
            return result
        finally:
            self.in_flight -= 1
            if self._exhausted and not self.in_flight and not self._told:
                self._told = True
                self.on_exhausted()

    def finish(self) -> list[dict[str, Any]]:
        """Start no more journeys, let those in flight end; answer this process's results."""
        self.finishing = True
        while self.in_flight:
            gevent.sleep(0.05)  # journeys in flight end on their own; this only waits for them
        return [to_wire(result) for result in self.results]

    def wait_for_count(self, seconds: float, connected: Callable[[], Set[str]]) -> None:
        """With --checkouts: block (cooperatively) until every process that was granted a ticket
        answered its results (or left the run), or until `seconds` passed when given (> 0)."""
        quota = self.quota
        assert quota is not None
        deadline = time.monotonic() + seconds if seconds > 0 else None
        while True:
            live = set(connected())
            if not live:
                break  # every worker left: nobody will shop or answer any more
            answered_or_left = set(self._answers) | (quota.holders - live)
            if quota.remaining <= 0 and quota.holders <= answered_or_left:
                break
            if deadline is not None and time.monotonic() >= deadline:
                break
            gevent.sleep(0.05)  # answers arrive on other greenlets; this only waits for them
        quota.close()

    def expect_workers(self, count: int) -> None:
        """The master will wait for this many answers."""
        self._expected = count

    def receive(self, node: str, answers: list[dict[str, Any]]) -> None:
        """One process's results arrived."""
        self._answers[node] = answers

    def wait_for_workers(self) -> None:
        """Block (cooperatively) until every worker answered, or the timeout passes."""
        deadline = time.monotonic() + WORKER_ANSWER_TIMEOUT_S
        while len(self._answers) < self._expected and time.monotonic() < deadline:
            gevent.sleep(0.1)

    def judge(
        self, *, report: str | None = None, series_csv: str | None = None, html: str | None = None
    ) -> bool:
        """Settle the aggregate run, check the expectations, print and write the reports."""
        assert self.client is not None
        results = [from_wire(a) for answers in self._answers.values() for a in answers]
        elapsed = time.monotonic() - self.started
        stats, notes = settle(self.scenario, self.client, results, self.run_id, elapsed)
        checked = check_expectations(stats, self.scenario.expect)
        verdict = build_report(self.scenario, stats, checked)
        verdict["processes"] = {node: len(answers) for node, answers in self._answers.items()}
        missing = self._expected - len(self._answers)
        if missing > 0:
            notes.append(f"{missing} worker(s) never answered; their shoppers are not counted")
        verdict["notes"] = notes
        console = Console(stderr=True)
        print_summary(console, verdict)
        for note in notes:
            console.print(f"[yellow]note[/] {note}", soft_wrap=True)
        if report:
            write_json(report, verdict)
        if series_csv:
            write_series_csv(series_csv, verdict["time_series"])
        if html:
            write_html(html, verdict)
        passed = bool(verdict["passed"]) and missing <= 0
        for exp in verdict["expectations"]:
            if not exp["passed"]:
                console.print(f"[red]expectation failed:[/] {exp['name']}: {exp['message']}")
        return passed
