"""Distributed load for scenarios on Locust: `merchant-sim load SCENARIO.yaml`.

A scenario's `load` section sets the shape (merchant_sim/README.md): `users` concurrent shoppers,
started over `ramp_up_s` seconds, together starting `arrival_rate` journeys a second, for
`duration_s` seconds (or, with `--checkouts N`, until exactly N journeys ended). Install with
the `load` extra (`pip install 'installo[load]'`).
"""

from merchant_sim.load.cli import load_cli, locust_arguments

__all__ = ["load_cli", "locust_arguments"]
