"""The `installo` command line: argparse subcommands, each a function of its arguments."""

from __future__ import annotations

import argparse
import os

from rich.console import Console

from .._constants import API_KEY_ENV, BASE_URL_ENV, DEFAULT_BASE_URL
from . import listen, tail, trigger

__all__ = ["build_parser", "run"]


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--api-key",
        default=os.environ.get(API_KEY_ENV),
        help=f"the merchant's secret key (default: ${API_KEY_ENV})",
    )
    parser.add_argument(
        "--base-url",
        default=os.environ.get(BASE_URL_ENV, DEFAULT_BASE_URL),
        help=f"the sandbox's address (default: ${BASE_URL_ENV} or {DEFAULT_BASE_URL})",
    )


def build_parser() -> argparse.ArgumentParser:
    """The parser of every subcommand."""
    parser = argparse.ArgumentParser(
        prog="installo", description="Developer tools for the Installo sandbox."
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    listen.add_parser(commands, _common)
    trigger.add_parser(commands, _common)
    tail.add_parsers(commands, _common)
    return parser


def run(argv: list[str]) -> int:
    """Parse the arguments and run the chosen command."""
    args = build_parser().parse_args(argv)
    console = Console(highlight=False, soft_wrap=True)
    if not args.api_key:
        console.print(f"[red]no API key: pass --api-key or set ${API_KEY_ENV}[/]")
        return 2
    try:
        status: int = args.handler(args, console)
    except KeyboardInterrupt:
        return 130
    return status
