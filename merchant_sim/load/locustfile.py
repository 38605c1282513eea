"""The locustfile `merchant-sim load` hands to Locust: a scenario's shoppers as Locust users.

Every process (the only one, the master, or a worker) reads the scenario named by
INSTALLO_LOAD_SCENARIO. Workers shop; the master (or the only process) keeps time:
- each user runs one shopper journey per iteration, paced so all users together start
  `load.arrival_rate` journeys a second (as fast as they can when the scenario gives none);
- after `load.duration_s` the master sends `installo_finish` to every worker; a worker stops
  starting journeys, lets those in flight end, and answers `installo_results` with its shoppers;
- once every worker has answered, the master finishes the run (clock steps, a final read of every
  loan), judges the scenario's expectations on the aggregate, writes the JSON report, and quits
  Locust with exit code 0 when they all held and 1 when one did not.
"""

from __future__ import annotations

import logging
import os
import time
from typing import Any

import gevent
from installo import Installo
from locust import User, events, task
from locust.env import Environment
from locust.exception import StopUser
from locust.runners import MasterRunner, WorkerRunner

from merchant_sim.load.journey import JourneyResult, instrumented_client
from merchant_sim.load.run import LoadRun
from merchant_sim.runner.loader import load_scenario

SCENARIO_ENV = "INSTALLO_LOAD_SCENARIO"
_runs: dict[int, LoadRun] = {}


def _run_of(environment: Environment) -> LoadRun:
    found = _runs.get(id(environment))
    if found is None:
        scenario = load_scenario(os.environ[SCENARIO_ENV])
        found = _runs[id(environment)] = LoadRun(scenario)
    return found


@events.init_command_line_parser.add_listener
def _options(parser: Any, **_: Any) -> None:
    parser.add_argument("--installo-run", default="", help="run id (set by merchant-sim load)")
    parser.add_argument("--installo-duration", type=float, default=0.0, help="seconds of load")
    for name, what in (
        ("report", "JSON report"),
        ("series-csv", "time series CSV"),
        ("html", "HTML report"),
    ):
        parser.add_argument(
            f"--installo-{name}",
            default="",
            help=f"the scenario's {what} path",
            include_in_web_ui=False,
        )


@events.init.add_listener
def _wire(environment: Environment, **_: Any) -> None:
    for chatty in ("httpx", "installo"):  # Locust logs at INFO; a line per request drowns it out
        logging.getLogger(chatty).setLevel(logging.WARNING)
    run = _run_of(environment)
    runner = environment.runner
    if isinstance(runner, WorkerRunner):
        runner.register_message("installo_finish", lambda **kw: gevent.spawn(_answer, environment))
    elif isinstance(runner, MasterRunner):
        runner.register_message(
            "installo_results", lambda msg, **kw: run.receive(msg.node_id, msg.data["results"])
        )
    run.kind = (
        "worker"
        if isinstance(runner, WorkerRunner)
        else "master"
        if isinstance(runner, MasterRunner)
        else "local"
    )


@events.test_start.add_listener
def _start(environment: Environment, **_: Any) -> None:
    run = _run_of(environment)
    options = environment.parsed_options
    run.begin(
        run_id=getattr(options, "installo_run", "") or f"load-{int(time.time())}",
        client=Installo(
            base_url=environment.host,
            http_client=instrumented_client(str(environment.host), _reporter(environment)),
        ),
        worker_index=getattr(environment.runner, "worker_index", 0),
    )
    if run.kind != "worker":
        gevent.spawn(_keep_time, environment)


def _reporter(environment: Environment) -> Any:
    def report(method: str, name: str, ms: float, size: int, error: BaseException | None) -> None:
        environment.events.request.fire(
            request_type=method,
            name=name,
            response_time=ms,
            response_length=size,
            exception=error,
            context={},
        )

    return report


def _answer(environment: Environment) -> None:
    """A worker's answer to `installo_finish`: its shoppers, once none is in flight."""
    run = _run_of(environment)
    results = run.finish()
    runner = environment.runner
    assert isinstance(runner, WorkerRunner)
    runner.send_message("installo_results", {"results": results})
    environment.process_exit_code = 0


def _keep_time(environment: Environment) -> None:
    """The master's (or only process's) clock: finish after the scenario's duration."""
    run = _run_of(environment)
    gevent.sleep(
        getattr(environment.parsed_options, "installo_duration", 0) or run.scenario.load.duration_s
    )
    runner = environment.runner
    if isinstance(runner, MasterRunner):
        run.expect_workers(runner.worker_count)
        runner.send_message("installo_finish")
        run.wait_for_workers()
    else:
        run.receive("local", run.finish())
    options = environment.parsed_options
    passed = run.judge(
        report=getattr(options, "installo_report", "") or None,
        series_csv=getattr(options, "installo_series_csv", "") or None,
        html=getattr(options, "installo_html", "") or None,
    )
    environment.process_exit_code = 0 if passed else 1
    assert runner is not None
    runner.quit()


class ScenarioShopper(User):
    """One concurrent shopper slot: a new shopper's journey each iteration."""

    def wait_time(self) -> float:
        """Pacing that makes all users together start `load.arrival_rate` journeys a second."""
        return _run_of(self.environment).pace(self)

    @task
    def shop(self) -> None:
        """Run one shopper's journey (none once the run is finishing)."""
        run = _run_of(self.environment)
        result: JourneyResult | None = run.shop()
        if result is None:
            raise StopUser()
