"""One process's share of a load run: its shoppers, and (on the master) everyone's results."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import gevent
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

__all__ = ["LoadRun"]

PERSONAS_PER_TIER = 50
WORKER_ANSWER_TIMEOUT_S = 300.0


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

    def shop(self) -> JourneyResult | None:
        """One shopper's journey, or None once the run is finishing."""
        if self.finishing or self.journey is None:
            return None
        self._count += 1
        key = f"w{self.worker_index}-{self._count}"
        self.in_flight += 1
        try:
            result = self.journey.shop(key)
        finally:
            self.in_flight -= 1
        self.results.append(result)
        return result

    def finish(self) -> list[dict[str, Any]]:
        """Start no more journeys, let those in flight end; answer this process's results."""
        self.finishing = True
        while self.in_flight:
            gevent.sleep(0.05)  # journeys in flight end on their own; this only waits for them
        return [to_wire(result) for result in self.results]

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
