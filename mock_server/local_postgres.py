"""A throwaway local PostgreSQL cluster for development, tests and benchmarks.

`LocalPostgres` runs `initdb` into a temporary directory and `pg_ctl start` on a free loopback
port, as an unprivileged user (initdb refuses root: as root it runs them as the `postgres` user),
with trust authentication on 127.0.0.1 only and fsync off (the data is thrown away). It needs the
PostgreSQL server binaries (`initdb`, `pg_ctl`) on PATH or under /usr/lib/postgresql/*/bin.

`python -m mock_server.local_postgres` starts one and prints its URL until interrupted;
`python -m mock_server.local_postgres --workers 2` serves a sandbox with two workers on it
(`make server-pg`), and removes the cluster when the sandbox stops.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import pwd
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
from pathlib import Path
from types import TracebackType

from sqlalchemy import create_engine, text

__all__ = ["LocalPostgres", "PostgresUnavailable", "free_port"]


class PostgresUnavailable(RuntimeError):
    """No cluster can be started here (binaries, driver or an unprivileged user missing)."""


def free_port() -> int:
    """A TCP port free on 127.0.0.1 right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _binary(name: str) -> str:
    found = shutil.which(name)
    if found:
        return found
    for candidate in sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"), reverse=True):
        return str(candidate)
    raise PostgresUnavailable(f"the PostgreSQL server binary {name} is not installed")


def _run_as() -> tuple[list[str], int | None, int | None]:
    """The command prefix, uid and gid to run the cluster as (root hands it to `postgres`)."""
    if os.geteuid() != 0:
        return [], None, None
    try:
        user = pwd.getpwnam("postgres")
    except KeyError as exc:
        raise PostgresUnavailable("running as root and there is no postgres user") from exc
    return ["runuser", "-u", "postgres", "--"], user.pw_uid, user.pw_gid


class LocalPostgres:
    """One cluster on 127.0.0.1:<free port>; `with LocalPostgres() as pg: pg.url()`."""

    def __init__(self, *, max_connections: int = 200) -> None:
        self.port = free_port()
        self.max_connections = max_connections
        self.root: Path | None = None
        self._prefix: list[str] = []
        self._counter = 0
        self._lock = threading.Lock()

    def url(self, database: str = "postgres") -> str:
        """The SQLAlchemy URL of a database in this cluster."""
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{database}"

    def start(self) -> LocalPostgres:
        """initdb and start the cluster; raise PostgresUnavailable when it cannot run here."""
        initdb, pg_ctl = _binary("initdb"), _binary("pg_ctl")
        self._prefix, uid, gid = _run_as()
        self.root = Path(tempfile.mkdtemp(prefix="installo-pg-"))
        if uid is not None and gid is not None:
            os.chown(self.root, uid, gid)
        data = self.root / "data"
        self._run(initdb, "-D", str(data), "-U", "postgres", "--auth=trust", "-E", "UTF8")
        options = (
            f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 -c fsync=off "
            f"-c synchronous_commit=off -c full_page_writes=off "
            f"-c max_connections={self.max_connections}"
        )
        log = str(self.root / "log")
        self._run(pg_ctl, "-D", str(data), "-o", options, "-l", log, "-w", "start")
        return self

    def _run(self, *command: str) -> None:
        try:
            subprocess.run([*self._prefix, *command], check=True, capture_output=True)
        except (OSError, subprocess.CalledProcessError) as exc:
            detail = getattr(exc, "stderr", b"") or b""
            raise PostgresUnavailable(
                f"{Path(command[0]).name} failed: {detail.decode(errors='replace').strip()}"
            ) from exc

    def create_database(self, name: str | None = None, template: str | None = None) -> str:
        """Create a database (a fresh name unless given); answer its URL."""
        with self._lock:
            self._counter += 1
            name = name or f"installo_{self._counter}"
        clause = f' TEMPLATE "{template}"' if template else ""
        engine = create_engine(self.url(), isolation_level="AUTOCOMMIT")
        try:
            with engine.connect() as connection:
                connection.execute(text(f'CREATE DATABASE "{name}"{clause}'))
        finally:
            engine.dispose()
        return self.url(name)

    def stop(self) -> None:
        """Stop the cluster at once and delete its files."""
        if self.root is None:
            return
        with contextlib.suppress(PostgresUnavailable):
            pg_ctl = _binary("pg_ctl")
            subprocess.run(
                [*self._prefix, pg_ctl, "-D", str(self.root / "data"), "-m", "immediate", "stop"],
                check=False,
                capture_output=True,
            )
        shutil.rmtree(self.root, ignore_errors=True)
        self.root = None

    def __enter__(self) -> LocalPostgres:
        return self.start()

    def __exit__(
        self,
        _type: type[BaseException] | None,
        _value: BaseException | None,
        _traceback: TracebackType | None,
    ) -> None:
        self.stop()


def _serve(cluster: LocalPostgres, workers: int, extra: list[str]) -> int:
    """`mock-server --workers N` on a new database of the cluster, until it exits."""
    url = cluster.create_database("sandbox")
    command = [sys.executable, "-m", "mock_server", "--db", url, "--workers", str(workers), *extra]
    server = subprocess.Popen(command)
    try:
        return server.wait()
    except KeyboardInterrupt:
        server.terminate()
        return server.wait()


def main(argv: list[str] | None = None) -> int:
    """Start a cluster and print its URL, or (`--workers N`) serve a sandbox on it; stop on
    Ctrl-C or SIGTERM. Arguments after `--` go to mock-server."""
    parser = argparse.ArgumentParser(prog="python -m mock_server.local_postgres")
    parser.add_argument("--workers", type=int, help="serve mock-server with N workers on it")
    args, extra = parser.parse_known_args(argv)
    signal.signal(signal.SIGTERM, _terminated)
    try:
        with LocalPostgres() as cluster:
            if args.workers:
                return _serve(cluster, args.workers, [a for a in extra if a != "--"])
            print(cluster.url(), flush=True)
            with contextlib.suppress(KeyboardInterrupt):
                threading.Event().wait()
    except PostgresUnavailable as exc:
        print(f"local PostgreSQL: {exc}", file=sys.stderr)
        return 2
    return 0


def _terminated(_signal: int, _frame: object) -> None:
    raise KeyboardInterrupt  # SIGTERM stops it as Ctrl-C does: the cluster is removed


if __name__ == "__main__":
    sys.exit(main())
