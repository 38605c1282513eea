"""`mock-server` / `python -m mock_server`: run the lending sandbox on uvicorn.

The sandbox itself (FastAPI, SQLAlchemy, the routes) is imported inside `main`, with the cyclic
garbage collector paused until the app is built: start-up allocates some 140,000 objects that live
as long as the process, and every collection on the way scanned them again (~0.1 s of a start,
two of them full collections). They are then frozen out of later collections (`gc.freeze`), and
the youngest generation is collected after 10,000 new objects instead of 700: a request frees
almost all it allocates by reference counting, yet at 700 the collector ran about once per
write for next to nothing (300 checkouts created and confirmed in process: 412 young and 37
middle-generation collections, ~0.6 ms a pair; at 10,000: 5 young ones, ~0.12 ms a pair).
"""

from __future__ import annotations

import argparse
import gc
import logging
import os
import secrets
import socket
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING

from pydantic import ValidationError

from mock_server.settings import IN_MEMORY_DB, Settings

if TYPE_CHECKING:
    import uvicorn

__all__ = ["build_parser", "main", "settings_from_args"]

WORKER_HEALTHCHECK_S = 60


def build_parser() -> argparse.ArgumentParser:
    """The command line (every flag also has an INSTALLO_* environment variable)."""
    parser = argparse.ArgumentParser(
        prog="mock-server",
        description="Installo lending sandbox: the lending API (docs/api.md) with sandbox controls "
        "(docs/sandbox.md). `mock-server db upgrade|current|revision` manages the database's "
        "schema migrations.",
    )
    parser.add_argument("--host", help="interface to listen on (default 127.0.0.1)")
    parser.add_argument("--port", type=int, help="port (default 8787; 0 picks a free one)")
    parser.add_argument("--db", help="SQLAlchemy URL, e.g. sqlite:///sandbox.db (default: memory)")
    parser.add_argument("--seed", type=int, help="seed for the persona generator (default 0)")
    parser.add_argument(
        "--log-level", choices=["critical", "error", "warning", "info", "debug"], default=None
    )
    parser.add_argument(
        "--max-body", type=int, metavar="BYTES", help="largest request body (default 1048576)"
    )
    parser.add_argument("--rate-limit", type=int, help="requests per second per key (0: off)")
    parser.add_argument(
        "--workers",
        type=int,
        help="sandbox processes sharing one PostgreSQL database (default 1; SQLite: 1 only)",
    )
    parser.add_argument(
        "--db-pool-size",
        type=int,
        metavar="N",
        help="PostgreSQL connections each process keeps open (default 20; as many again in "
        "a burst)",
    )
    parser.add_argument(
        "--chaos",
        "--chaos-rate",
        dest="chaos_rate",
        type=float,
        metavar="RATE",
        help="share of /v1 requests answered 503 at random, before anything runs (0-1)",
    )
    parser.add_argument(
        "--webhook-mode",
        choices=["normal", "duplicate", "reorder"],
        help="deliver each webhook twice, or batches in reverse order, to test receivers",
    )
    parser.add_argument(
        "--no-upgrade",
        dest="upgrade_on_start",
        action="store_const",
        const=False,
        help="refuse a database with an older schema instead of upgrading it at start",
    )
    parser.add_argument(
        "--public-url",
        help="base URL of hosted page links (QR codes, SMS) when shoppers reach the sandbox "
        "through another address (default: the URL the API was called on)",
    )
    parser.add_argument(
        "--webhook-allow-private",
        action="store_true",
        default=None,
        help="let webhook URLs reach private and loopback addresses (loopback is allowed "
        "anyway while the sandbox listens on loopback)",
    )
    parser.add_argument("--demo-key", dest="demo_secret_key", help="the demo merchant's key")
    parser.add_argument("--admin-key", dest="admin_key", help="the admin key")
    parser.add_argument(
        "--secrets-key",
        dest="secrets_key",
        help="key sealing secrets at rest (default: a key file beside a SQLite database)",
    )
    return parser


def settings_from_args(argv: Sequence[str] | None = None) -> Settings:
    """Settings from flags over environment over defaults."""
    args = vars(build_parser().parse_args(argv))
    given = {name: value for name, value in args.items() if value is not None}
    return Settings(**given)


def _banner(settings: Settings, port: int) -> str:
    """The start-up lines; a key appears only while it is the public demo default."""
    where = "in memory" if settings.db == IN_MEMORY_DB else _safe_url(settings.db)
    base = f"http://{settings.host}:{port}"
    processes = f", {settings.workers} workers" if settings.workers > 1 else ""
    defaults = Settings.model_fields
    demo_key = settings.demo_secret_key
    if demo_key != defaults["demo_secret_key"].default:
        demo_key = "<the --demo-key you set>"
    admin = settings.admin_key
    if admin != defaults["admin_key"].default:
        admin = "<the --admin-key you set>"
    return (
        f"Installo lending sandbox on {base} (database {where}{processes}, seed {settings.seed})\n"
        f"  docs:     {base}/docs\n"
        f"  try:      curl -H 'Authorization: Bearer {demo_key}' {base}/v1/merchants/me\n"
        f"  admin:    Authorization: Bearer {admin}"
    )


def _safe_url(url: str) -> str:
    """The database URL with any password hidden."""
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


def _settings_or_problem(arguments: Sequence[str]) -> Settings | str:
    try:
        return settings_from_args(arguments)
    except ValidationError as exc:
        return "; ".join(str(error["msg"]).removeprefix("Value error, ") for error in exc.errors())


def main(argv: Sequence[str] | None = None) -> int:
    """Start the sandbox and serve until interrupted (or run a `db` verb)."""
    arguments = list(sys.argv[1:] if argv is None else argv)
    if arguments[:1] == ["db"]:
        from mock_server.db_cli import run_db_command  # Alembic's verbs: loaded only for them

        return run_db_command(arguments[1:])
    settings = _settings_or_problem(arguments)
    if isinstance(settings, str):
        print(f"mock-server: {settings}", file=sys.stderr)
        return 2
    logging.basicConfig(
        level=settings.log_level.upper(), format="%(asctime)s %(levelname)s %(name)s %(message)s"
    )
    if settings.log_level != "debug":  # Alembic says "Context impl ..." at INFO on every start
        logging.getLogger("alembic").setLevel(logging.WARNING)
    settings = _shared_secrets_key(settings)
    with _collector_paused():
        import uvicorn

        from mock_server.app import build_sandbox, create_app
        from mock_server.serving import server_config
        from mock_server.storage.schema import OutdatedSchema

        try:
            sandbox = build_sandbox(settings)  # schema and demo merchant, once, before any worker
        except OutdatedSchema as exc:
            print(f"mock-server: {exc}", file=sys.stderr)
            return 2
        if settings.workers > 1:
            sandbox.close()  # each worker process builds its own
        app = create_app(sandbox=sandbox) if settings.workers == 1 else None
    if app is None:
        return _serve_workers(settings)
    config = server_config(
        app,
        settings,
        # Live event streams (`installo listen`) never end by themselves: at shutdown they get
        # this long to finish before they are cut, so the server always stops.
        timeout_graceful_shutdown=5,
    )
    sock = _listening(config, settings)
    uvicorn.Server(config).run(sockets=[sock])
    return 0


# New container objects between two collections of the youngest generation (Python's default 700).
YOUNG_GENERATION_THRESHOLD = 10_000


@contextmanager
def _collector_paused() -> Iterator[None]:
    """No cyclic garbage collection while the sandbox starts; what the start built is then
    frozen (`gc.freeze`): it lives as long as the process, and no later collection scans it.
    A start leaves under a thousand unreachable objects behind (measured), kept by the freeze."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
        gc.freeze()
        gc.set_threshold(YOUNG_GENERATION_THRESHOLD, *gc.get_threshold()[1:])
    finally:
        if was_enabled:
            gc.enable()


def _shared_secrets_key(settings: Settings) -> Settings:
    """With `--workers` and no `--secrets-key`, one key for this run that every process seals
    and opens with (each would otherwise make its own and not open the others' secrets)."""
    if settings.workers == 1 or settings.secrets_key:
        return settings
    logging.getLogger("mock_server").warning(
        "no --secrets-key: secrets are sealed with a key for this run only (set "
        "INSTALLO_SECRETS_KEY so webhook secrets and stored answers open after a restart)"
    )
    return settings.model_copy(update={"secrets_key": secrets.token_urlsafe(32)})


def _listening(config: uvicorn.Config, settings: Settings) -> socket.socket:
    """Bind and listen before saying where: a client that read the banner can connect at once
    (its connection waits in the backlog until the server accepts), even with `--port 0`."""
    sock = config.bind_socket()
    sock.listen(config.backlog)
    print(_banner(settings, sock.getsockname()[1]), flush=True)
    return sock


def _serve_workers(settings: Settings) -> int:
    """Serve with `settings.workers` processes on one socket (uvicorn's supervisor)."""
    from uvicorn.supervisors import Multiprocess

    from mock_server.serving import server_config

    os.environ.update(settings.as_environment())  # each process builds its app from these
    config = server_config(
        "mock_server.app:app_from_environment",
        settings,
        factory=True,
        workers=settings.workers,
        # The supervisor restarts a worker that does not answer its ping in time; a worker still
        # importing on a busy machine is slow, not hung (5 s, uvicorn's default, restarts it
        # over and over there).
        timeout_worker_healthcheck=WORKER_HEALTHCHECK_S,
    )
    sock = _listening(config, settings)
    Multiprocess(config, sockets=[sock]).run()
    return 0


if __name__ == "__main__":
    sys.exit(main())
