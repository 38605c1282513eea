"""Core statements run on the driver's cursor: compiled once, without SQLAlchemy's execution
machinery around each call.

`Connection.execute` of a statement whose compiled form SQLAlchemy has cached still builds an
execution context, a cursor result, its metadata and a row object around the driver's call;
for a one-row SELECT by key on SQLite that was ~45 us around the driver's ~4 us (and
`exec_driver_sql` of the same SQL string costs as much: the machinery is the same). A confirm
runs ten statements. Here a Core statement is compiled once per dialect and set of parameter
names, with the type processors of its parameters and of its result columns, and each call is
the driver's `execute` or `executemany` on the connection the session holds, in the session's
transaction: the same SQL, the same values written and read.

What SQLAlchemy does around a call that this keeps: listeners on the engine's
`before_cursor_execute` and `after_cursor_execute` see every statement (tests count statements
there), and a driver error is raised as SQLAlchemy's wrapped error (`IntegrityError`,
`OperationalError`, ...), a lost connection invalidated. A statement whose parameters are not
all plain binds (an expanding IN list, a literal-execute parameter) is refused when compiled.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select
from sqlalchemy.engine import Connection, Dialect
from sqlalchemy.exc import DBAPIError
from sqlalchemy.sql.dml import Delete, Insert, Update

__all__ = ["Compiled", "compiled", "execute", "fetch_all", "fetch_one"]

Processor = Callable[[Any], Any] | None
Statement = Select[Any] | Insert | Update | Delete
Row = tuple[Any, ...]


@dataclass(frozen=True, slots=True)
class Compiled:
    """A statement compiled for one dialect and one set of parameter names."""

    sql: str
    names: tuple[str, ...]  # the parameters, in the driver's order when it is positional
    wire_names: tuple[str, ...]  # the same as the driver sees them (a named paramstyle)
    processors: tuple[Processor, ...]
    fixed: Mapping[str, Any]  # parameters the statement carries itself, processed
    positional: bool
    results: tuple[Processor, ...]  # per result column (none for a write)

    def parameters(self, values: Mapping[str, Any]) -> Sequence[Any] | dict[str, Any]:
        """One call's parameters in the driver's form."""
        fixed = self.fixed
        processed = [
            fixed[name]
            if name in fixed
            else values[name]
            if process is None
            else process(values[name])
            for name, process in zip(self.names, self.processors, strict=True)
        ]
        if self.positional:
            return processed
        return dict(zip(self.wire_names, processed, strict=True))

    def rows(self, fetched: list[Any]) -> list[Row]:
        """Fetched rows with their columns' result processing."""
        results = self.results
        if not any(results):
            return [tuple(raw) for raw in fetched]
        return [
            tuple(
                value if process is None or value is None else process(value)
                for value, process in zip(raw, results, strict=True)
            )
            for raw in fetched
        ]


# (statement id, dialect name, parameter names) -> the statement and its compiled form; the
# statement is kept so that an id reused by a later object is not mistaken for it.
_COMPILED: dict[tuple[int, str, tuple[str, ...]], tuple[Statement, Compiled | None]] = {}


def compiled(statement: Statement, dialect: Dialect, keys: tuple[str, ...]) -> Compiled | None:
    """`statement` compiled for `dialect` with parameters named `keys`, once. None for an
    INSERT or UPDATE whose compiled parameters are not exactly `keys` (a column left to its
    default: SQLAlchemy fills it in, so such a write takes the usual way)."""
    memo_key = (id(statement), dialect.name, keys)
    known = _COMPILED.get(memo_key)
    if known is not None and known[0] is statement:
        return known[1]
    writes = isinstance(statement, Insert | Update)
    done = statement.compile(dialect=dialect, column_keys=list(keys) if writes else None)
    if done.literal_execute_params or done.post_compile_params:
        raise ValueError(f"not a statement of plain parameters: {done.string}")
    names = tuple(done.positiontup or ()) if done.positional else tuple(done.binds)
    result: Compiled | None
    if writes and set(names) != set(keys):
        result = None
    else:
        processors = tuple(
            done.binds[name].type.dialect_impl(dialect).bind_processor(dialect) for name in names
        )
        fixed: dict[str, Any] = {}
        for name, process in zip(names, processors, strict=True):
            if name in keys:
                continue
            bind = done.binds[name]
            if bind.required or bind.callable is not None:
                raise ValueError(f"parameter {name!r} not given: {done.string}")
            value = bind.value
            fixed[name] = value if process is None else process(value)
        results = (
            tuple(
                column.type.dialect_impl(dialect).result_processor(dialect, None)
                for column in statement.selected_columns
            )
            if isinstance(statement, Select)
            else ()
        )
        escaped = done.escaped_bind_names
        result = Compiled(
            sql=done.string,
            names=names,
            wire_names=tuple(escaped.get(name, name) for name in names),
            processors=processors,
            fixed=fixed,
            positional=done.positional,
            results=results,
        )
    _COMPILED[memo_key] = (statement, result)
    return result


def _run(
    connection: Connection,
    sql: str,
    parameters: Any,
    *,
    many: bool,
    fetch: bool,
) -> list[Any]:
    """The driver's call, as SQLAlchemy's would be seen by listeners and error handling."""
    dbapi_connection = connection.connection.dbapi_connection
    assert dbapi_connection is not None, "the connection is open"
    cursor = dbapi_connection.cursor()
    dispatch = connection.dispatch
    listened = bool(dispatch.before_cursor_execute or dispatch.after_cursor_execute)
    try:
        if listened:
            for listener in dispatch.before_cursor_execute:
                sql, parameters = listener(connection, cursor, sql, parameters, None, many)
        if many:
            cursor.executemany(sql, parameters)
        else:
            cursor.execute(sql, parameters)
        if listened:
            dispatch.after_cursor_execute(connection, cursor, sql, parameters, None, many)
        return list(cursor.fetchall()) if fetch else []
    except connection.dialect.loaded_dbapi.Error as error:
        lost = connection.dialect.is_disconnect(error, dbapi_connection, cursor)
        wrapped = DBAPIError.instance(
            sql,
            parameters,
            error,
            connection.dialect.loaded_dbapi.Error,
            hide_parameters=connection.engine.hide_parameters,
            connection_invalidated=lost,
            dialect=connection.dialect,
            ismulti=many,
        )
        if lost:
            connection.invalidate(error)
        raise wrapped from error
    finally:
        cursor.close()


def fetch_all(
    connection: Connection, statement: Select[Any], values: Mapping[str, Any]
) -> list[Row]:
    """Every row `statement` selects with these parameter values."""
    plan = compiled(statement, connection.dialect, tuple(values))
    assert plan is not None  # a SELECT always compiles
    return plan.rows(_run(connection, plan.sql, plan.parameters(values), many=False, fetch=True))


def fetch_one(
    connection: Connection, statement: Select[Any], values: Mapping[str, Any]
) -> Row | None:
    """The first row `statement` selects with these parameter values, or None."""
    found = fetch_all(connection, statement, values)
    return found[0] if found else None


def execute(connection: Connection, plan: Compiled, parameters: Any, *, many: bool) -> None:
    """Run a compiled write with parameters already in the driver's form (`executemany` when
    `many`: a sequence of them)."""
    _run(connection, plan.sql, parameters, many=many, fetch=False)
