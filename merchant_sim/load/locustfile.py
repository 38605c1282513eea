"""The locustfile `merchant-sim load` hands to Locust: a scenario's shoppers as Locust users.

Every process (the only one, the master, or a worker) reads the scenario named by
INSTALLO_LOAD_SCENARIO. Workers shop; the master (or the only process) keeps time:
- each user runs one shopper journey per iteration, paced so all users together start
  `load.arrival_rate` journeys a second (as fast as they can when the scenario gives none);
- after `load.duration_s` the master sends `installo_finish` to every worker; a worker stops
  starting journeys, lets those in flight end, and answers `installo_results` with its shoppers;
- with `--checkouts N` (`--installo-checkouts`) the run stops by count instead: the master holds N
  tickets and every user asks for one before each journey (`installo_ask`, answered by
  `installo_grant`); a worker refused a ticket lets its journeys in flight end and answers
  `installo_results` unasked. Once all N were handed out and every worker that got one answered,
  the master asks every worker to finish as above (a time limit, when given, stops it earlier);
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
from merchant_sim.load.run import CheckoutQuota, LoadRun
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
    parser.add_argument(
        "--installo-checkouts", type=int, default=0, help="journeys in all (0: stop by time)"
    )
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
        runner.register_message(
            "installo_grant", lambda msg, **kw: run.granted(msg.data["id"], msg.data["granted"])
        )
    elif isinstance(runner, MasterRunner):
        runner.register_message(
            "installo_results", lambda msg, **kw: run.receive(msg.node_id, msg.data["results"])
        )
        runner.register_message("installo_ask", lambda msg, **kw: _grant(runner, run, msg))
    run.kind = (
        "worker"
        if isinstance(runner, WorkerRunner)
        else "master"
        if isinstance(runner, MasterRunner)
        else "local"
    )


def _grant(runner: MasterRunner, run: LoadRun, msg: Any) -> None:
    """The master's answer to a worker's `installo_ask`: a ticket of `--checkouts N`, or none."""
    granted = run.quota is not None and run.quota.grant(msg.node_id)
    runner.send_message(
        "installo_grant", {"id": msg.data["id"], "granted": granted}, client_id=msg.node_id
    )


def _count(environment: Environment, run: LoadRun) -> None:
    """Wire `--checkouts N` (0: the run stops by time): where the quota is, and who asks it."""
    total = int(getattr(environment.parsed_options, "installo_checkouts", 0) or 0)
    if total <= 0:
        return
    runner = environment.runner
    if isinstance(runner, MasterRunner):
        run.quota = CheckoutQuota(total)
    elif isinstance(runner, WorkerRunner):
        run.ask = lambda ident: runner.send_message("installo_ask", {"id": ident})
        run.on_exhausted = lambda: gevent.spawn(_answer, environment)
    else:
        run.count_locally(total)
        run.on_exhausted = lambda: run.receive("local", run.finish())


@events.test_start.add_listener
def _start(environment: Environment, **_: Any) -> None:
    run = _run_of(environment)
    options = environment.parsed_options
    _count(environment, run)  # before a shopper runs: workers learn N with the spawn message
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
    """The master's (or only process's) clock: finish after the scenario's duration or, with
    `--checkouts N`, once N journeys ended (or the duration, when one was given, passed)."""
    run = _run_of(environment)
    runner = environment.runner
    seconds = float(getattr(environment.parsed_options, "installo_duration", 0) or 0)
    if run.quota is not None:
        run.wait_for_count(seconds, lambda: _connected(runner))
    else:
        gevent.sleep(seconds or run.scenario.load.duration_s)
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


def _connected(runner: Any) -> set[str]:
    """The processes still in the run: the master's live workers, or this process alone."""
    if isinstance(runner, MasterRunner):
        clients = runner.clients
        return {c.id for c in clients.ready + clients.spawning + clients.running}
    return {"local"}


class ScenarioShopper(User):
    """One concurrent shopper slot: a new shopper's journey each iteration."""

    def wait_time(self) -> float:
        """Pacing that makes all users together start `load.arrival_rate` journeys a second."""
        return _run_of(self.environment).pace(self)

    @task
    def shop(self) -> None:
        """Run one shopper's journey (none once the run is finishing or the tickets ran out)."""
        run = _run_of(self.environment)
        result: JourneyResult | None = run.shop()
        if result is None:
            raise StopUser()
