"""One statement executed for thousands of rows, without SQLAlchemy's per-row parameter work.

`Session.execute(statement, rows)` builds each row's parameters through the compiled
statement (`construct_params`) and runs every value through its type's processor; for the
clock's bulk writes (an event per loan payment, a bureau account and a furnished record per
loan and month) that was most of the write. `execute_many` compiles the statement once per
dialect, processes each column's values with the same processors (a value that repeats, such as
the day's date, once) and hands the rows to the driver's `executemany` in one call: the rows
stored are the same.

`GrowingJsonList` serves the same writes' JSON columns: a clock advance stores a loan's
history again in every event of that loan, grown by an entry or two since the last, so each
entry is serialized once and later documents carry the history's text as an `orjson.Fragment`,
which orjson writes out verbatim: the stored text is the same.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, Final

import orjson
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session
from sqlalchemy.sql.dml import Insert, Update

from mock_server.storage.driver import Processor, compiled, execute

__all__ = ["GrowingJsonList", "execute_many"]

_REPEATING: Final = (date, str, int)  # values worth processing once (hashable, often repeated)


def _processed(values: list[Any], process: Processor) -> list[Any]:
    """One column's values through its processor, a repeated value once."""
    if process is None:
        return values
    done: dict[Any, Any] = {}
    processed = []
    for value in values:
        if isinstance(value, _REPEATING):
            hit = done.get((type(value), value), done)
            if hit is done:
                hit = done[(type(value), value)] = process(value)
            processed.append(hit)
        else:
            processed.append(process(value))
    return processed


def execute_many(
    session: Session,
    statement: Insert | Update,
    rows: Sequence[Mapping[str, Any]],
    *,
    flush: bool = True,
    connection: Connection | None = None,
) -> None:
    """Execute `statement` (an INSERT or UPDATE with bound parameters named like the rows' keys)
    once for every row, in one driver call, in the session's transaction. What the session holds
    unflushed is flushed first, as `Session.execute` would, unless `flush` is False (the
    caller writes those rows itself). Rows that leave a column to its default take the usual
    way through SQLAlchemy, which fills the defaults in. A caller writing several statements
    in a row passes the session's `connection` it already holds."""
    if not rows:
        return
    keys = tuple(rows[0])
    if connection is None:
        connection = session.connection()
    plan = compiled(statement, connection.dialect, keys)
    if plan is None:
        if flush:
            session.execute(statement, list(rows))
        else:
            connection.execute(statement, list(rows))
        return
    names, processors = plan.names, plan.processors
    if flush:
        session.flush()
    if len(rows) == 1:  # a request's row: each value processed as it is, nothing to share
        row = rows[0]
        columns = [
            [row[name] if process is None else process(row[name])]
            for name, process in zip(names, processors, strict=True)
        ]
    else:
        columns = [
            _processed([row[name] for row in rows], process)
            for name, process in zip(names, processors, strict=True)
        ]
    if plan.positional:
        parameters: list[Any] = list(zip(*columns, strict=True))
    else:
        wire = plan.wire_names
        parameters = [dict(zip(wire, values, strict=True)) for values in zip(*columns, strict=True)]
    execute(connection, plan, parameters, many=True)


@dataclass(slots=True)
class GrowingJsonList:
    """An append-only list of read-only dicts shown again and again (a loan's history) as
    JSON: while the entry at the place of the last one shown is that same object, the list
    only grew (as the domain's own history entries guarantee, `Loan._history_entries`), and
    only the new entries are serialized; otherwise the whole list is."""

    _count: int = 0
    _last: object = None
    _text: bytes = b"[]"

    def fragment(self, entries: list[Any]) -> orjson.Fragment:
        """The list's JSON text, exactly as `orjson.dumps(entries)` writes it, as a fragment
        (entries must not change once shown here, as the domain's wire entries do not)."""
        count = self._count
        if count and (len(entries) < count or entries[count - 1] is not self._last):
            count = 0  # replaced, not grown: start again
        new = [orjson.dumps(entry) for entry in entries[count:]]
        if not new:
            text = self._text if count else b"[]"
        elif count:
            text = self._text[:-1] + b"," + b",".join(new) + b"]"
        else:
            text = b"[" + b",".join(new) + b"]"
        self._count, self._text = len(entries), text
        self._last = entries[-1] if entries else None
        return orjson.Fragment(text)
