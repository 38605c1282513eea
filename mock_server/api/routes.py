"""Where a route's synchronous endpoint runs: on the event loop or in a worker thread."""

import functools
import inspect
from collections.abc import Callable
from typing import Any

from starlette.concurrency import run_in_threadpool

from mock_server.api.deferred_routes import DeferredRoute
from mock_server.storage.database import work_may_run_on_loop

__all__ = ["BoundedWorkRoute"]


class BoundedWorkRoute(DeferredRoute):
    """A route whose request works on one resource of the merchant's (a checkout, a loan, a
    customer) or one page of them, never the whole book.

    Its plain `def` endpoint runs on the event loop when the request holds an in-memory
    database's transaction (`work_may_run_on_loop`: CPU work only, under the writer lock the
    request holds anyway), which saves the two thread hops FastAPI makes for a sync endpoint
    and its answer's validation (profiled: ~1 ms of CPU per write on this machine, a quarter of
    a checkout's create). Everywhere else (a file database, PostgreSQL, reads) it runs in a
    worker thread as FastAPI runs any sync endpoint. Routes whose work grows with the book
    (a clock advance, a reset, a report) keep FastAPI's route, so a long request never holds
    the loop that also serves an embedded sandbox's terminal UI. Like every route of the
    sandbox's, it is analysed once, for the app (`DeferredRoute`).
    """

    def __init__(self, path: str, endpoint: Callable[..., Any], **kwargs: Any) -> None:
        if not (
            inspect.iscoroutinefunction(endpoint)
            or inspect.isgeneratorfunction(endpoint)
            or inspect.isasyncgenfunction(endpoint)
        ):
            endpoint = _on_loop_or_thread(endpoint)
        super().__init__(path, endpoint, **kwargs)


def _on_loop_or_thread(endpoint: Callable[..., Any]) -> Callable[..., Any]:
    """The endpoint as a coroutine function with its signature (FastAPI reads the parameters
    through `__wrapped__`)."""

    @functools.wraps(endpoint)
    async def run(**values: Any) -> Any:
        if work_may_run_on_loop():
            return endpoint(**values)
        return await run_in_threadpool(endpoint, **values)

    return run
