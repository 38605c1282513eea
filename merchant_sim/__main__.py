"""``merchant-sim``: open the TUI, or ``merchant-sim run SCENARIO.yaml`` for the headless runner."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from merchant_sim.connection import DEMO_ADMIN_KEY, DEMO_API_KEY, SandboxConnection

__all__ = ["main"]


def _tui_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="merchant-sim",
        description="Instant-installment storefront against the lending sandbox. "
        "Use 'merchant-sim run SCENARIO.yaml' for the headless scenario runner, and "
        "'merchant-sim load SCENARIO.yaml' for distributed load on Locust.",
    )
    parser.add_argument("--api-url", help="sandbox URL; without it an embedded sandbox starts")
    parser.add_argument("--api-key", default=DEMO_API_KEY, help="merchant secret key")
    parser.add_argument("--admin-key", default=DEMO_ADMIN_KEY, help="admin key (lender desk)")
    parser.add_argument("--seed", type=int, default=0, help="embedded sandbox seed")
    parser.add_argument("--demo", action="store_true", help="play the scripted tour")
    parser.add_argument(
        "--loop", action="store_true", help="with --demo: start the tour over when it ends"
    )
    return parser


def run_tui(argv: Sequence[str]) -> int:
    """Open the storefront TUI."""
    args = _tui_parser().parse_args(argv)
    from merchant_sim.app import MerchantSimApp

    if args.api_url:

        def connect() -> SandboxConnection:
            return SandboxConnection.connect(args.api_url, args.api_key, args.admin_key)
    else:

        def connect() -> SandboxConnection:
            return SandboxConnection.start_embedded(seed=args.seed)

    if args.loop and not args.demo:
        _tui_parser().error("--loop needs --demo")
    MerchantSimApp(connect, demo=args.demo, loop=args.loop).run()
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Console entry point."""
    args = list(sys.argv[1:] if argv is None else argv)
    if args and args[0] == "run":
        from merchant_sim.runner.cli import run_cli

        return run_cli(args[1:])
    if args and args[0] == "load":
        from merchant_sim.load.cli import load_cli

        return load_cli(args[1:])
    return run_tui(args)


if __name__ == "__main__":
    sys.exit(main())
