"""The headless scenario runner: scenario files, the engine, reports.

```python
from merchant_sim.runner import load_scenario, run_scenario

scenario = load_scenario("merchant_sim/scenarios/holiday_rush.yaml")
run, report = asyncio.run(run_scenario(scenario, customers=500))
```
"""

from merchant_sim.runner.cli import run_cli, run_scenario
from merchant_sim.runner.engine import ScenarioRun, ScenarioRunError
from merchant_sim.runner.faults import FaultInjector
from merchant_sim.runner.loader import ScenarioError, ScenarioIssue, load_scenario, parse_scenario
from merchant_sim.runner.report import build_report, print_summary, write_json, write_junit
from merchant_sim.runner.schema import METRICS, TIERS, Expectation, Scenario
from merchant_sim.runner.stats import (
    CheckoutRecord,
    ExpectationResult,
    RunStats,
    check_expectations,
)

__all__ = [
    "METRICS",
    "TIERS",
    "CheckoutRecord",
    "Expectation",
    "ExpectationResult",
    "FaultInjector",
    "RunStats",
    "Scenario",
    "ScenarioError",
    "ScenarioIssue",
    "ScenarioRun",
    "ScenarioRunError",
    "build_report",
    "check_expectations",
    "load_scenario",
    "parse_scenario",
    "print_summary",
    "run_cli",
    "run_scenario",
    "write_json",
    "write_junit",
]
