"""The app factory: `create_app(settings)` builds the sandbox and its FastAPI app, seeded and ready.

Start-up work (schema, demo merchant) happens here rather than in a lifespan, so the app works the
same when driven in-process through `httpx.ASGITransport`, which runs no lifespan.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta

from fastapi import APIRouter, FastAPI
from fastapi_offline import FastAPIOffline

from mock_server.api import (
    admin,
    balance,
    checkouts,
    customers,
    events,
    furnishing,
    hosted_page,
    loans,
    merchants,
    point_of_sale,
    portfolio,
    prequalifications,
    promotions,
    request_logs,
    sandbox_controls,
    sandbox_data,
    test_clocks,
    webhook_endpoints,
)
from mock_server.api.deferred_routes import DeferredRoute
from mock_server.api.docs_policy import DocsPolicyMiddleware
from mock_server.api.errors import ERROR_RESPONSES, install_error_handlers
from mock_server.api.faults import FaultInjectionMiddleware
from mock_server.api.limits import RequestLimitsMiddleware
from mock_server.api.middleware import IdempotencyMiddleware, RequestContextMiddleware
from mock_server.api.openapi import API_DESCRIPTION, document_api
from mock_server.api.process_header import ProcessHeaderMiddleware
from mock_server.api.rate_limit import RateLimitMiddleware
from mock_server.api.schemas import Health
from mock_server.services.context import Sandbox
from mock_server.services.definitions import load_stored_definitions, share_definitions
from mock_server.services.dispatcher import WebhookDispatcher
from mock_server.services.furnishing import FURNISHING
from mock_server.services.merchant_clock import register_merchant_work
from mock_server.services.merchants import ensure_demo_merchant
from mock_server.services.outbound import OutboundPolicy, is_loopback_host
from mock_server.services.purge import IdempotencyPurge
from mock_server.serving import quiet_injected_resets
from mock_server.settings import Settings
from mock_server.storage import Database
from mock_server.storage.sealing import Sealer, sealing_key

__all__ = ["app_from_environment", "build_sandbox", "create_app"]

API_VERSION = "0.1.0"

_health = APIRouter(tags=["health"], route_class=DeferredRoute)


@_health.get("/healthz", operation_id="health-check")
async def healthz() -> Health:
    """Liveness: the process answers."""
    return Health()


def build_sandbox(settings: Settings) -> Sandbox:
    """Storage, engines and the seeded demo merchant for these settings."""
    sealer = Sealer(sealing_key(settings.db, settings.secrets_key))
    db = Database(settings.db, sealer, pool_size=settings.db_pool_size)
    try:
        db.create_schema(upgrade=settings.upgrade_on_start)
    except BaseException:
        db.dispose()  # refused: hold no connection to a database this sandbox will not serve
        raise
    outbound = OutboundPolicy(
        allow_private=settings.webhook_allow_private,
        allow_loopback=is_loopback_host(settings.host),  # a merchant's app on the same machine
    )
    dispatcher = WebhookDispatcher(
        db, background=settings.webhook_worker, mode=settings.webhook_mode, policy=outbound
    )
    db.after_commit.append(dispatcher.after_commit)
    sandbox = Sandbox(settings=settings, db=db, dispatcher=dispatcher, outbound=outbound)
    db.after_commit.append(sandbox.event_bus.after_commit)  # wakes live event streams
    sandbox.purge = IdempotencyPurge(
        db,
        every=settings.idempotency_purge_seconds,
        ttl=timedelta(hours=settings.idempotency_ttl_hours),
        wall=lambda: sandbox.wall(),  # read at each pass: a test may move the sandbox's clock
    )
    sandbox.periodic.append(FURNISHING)  # month-end Metro 2 files (services.furnishing)
    load_stored_definitions(sandbox)
    if settings.workers > 1:  # another process's uploads must reach this one's decisions
        share_definitions(sandbox)
    register_merchant_work(sandbox)
    ensure_demo_merchant(sandbox)
    if db.is_sqlite:  # one process serves an SQLite file: its leases are a dead run's
        dispatcher.release_abandoned_leases()
    if not db.in_memory:  # a new in-memory database holds no deliveries: no worker to start
        dispatcher.wake()  # deliveries left pending by a previous run of this database
    sandbox.purge.start()
    return sandbox


def create_app(settings: Settings | None = None, *, sandbox: Sandbox | None = None) -> FastAPI:
    """The lending sandbox's ASGI app (seeded on creation; no lifespan needed).

    Whoever drives it without a lifespan calls `app.state.sandbox.close()` when done, so its
    background webhook worker stops.
    """
    sandbox = sandbox or build_sandbox(settings or Settings())

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        if sandbox.dispatcher is not None:
            sandbox.dispatcher.start()  # after a previous shutdown stopped it
        if sandbox.purge is not None:
            sandbox.purge.start()
        yield  # start-up work is done above, so in-process use needs no lifespan
        if sandbox.dispatcher is not None:
            sandbox.dispatcher.stop()  # no worker outlives the server
        if sandbox.purge is not None:
            sandbox.purge.stop()
        if not sandbox.db.in_memory:  # an in-memory database lives as long as its connection
            sandbox.db.dispose()  # pooled connections reopen on demand if the app serves again

    # /docs and /redoc from assets installed with fastapi-offline: they load with no network.
    app = FastAPIOffline(
        swagger_ui_parameters={"validatorUrl": None},  # no badge fetched from an online validator
        lifespan=lifespan,
        title="Installo lending sandbox",
        version=API_VERSION,
        description=API_DESCRIPTION,
    )
    app.state.sandbox = sandbox
    install_error_handlers(app)
    documentation = list(app.router.routes)  # FastAPI's own: the schema and the docs pages
    app.include_router(_health)
    # The error answers are declared where the routers are included: FastAPI then builds their
    # two fields per route once, for the routes as included, instead of once more at import.
    reading_order = (
        merchants.router,
        customers.router,
        prequalifications.router,
        promotions.router,
        checkouts.router,
        loans.router,
        events.router,
        portfolio.router,
        sandbox_controls.router,
        webhook_endpoints.router,
        balance.router,
        admin.router,
        test_clocks.router,
        sandbox_data.router,
        request_logs.router,
        point_of_sale.router,
    )
    # FastAPI tries the routers in the order they were included, each of a router's routes in
    # turn: the write path's go first (a confirm's path was tried against 19 routes before its
    # own, ~2% of a create's instructions). The API document keeps the reading order.
    write_path = (checkouts.router, loans.router)
    for router in write_path + tuple(r for r in reading_order if r not in write_path):
        app.include_router(router, responses=ERROR_RESPONSES)
    app.include_router(hosted_page.router)
    lender = (furnishing.router, sandbox_data.admin_router)
    for router in lender:
        app.include_router(router, responses=ERROR_RESPONSES)
    document_api(app, reading_order=(*reading_order, hosted_page.router, *lender))
    # FastAPI put its own routes first, so every request was matched against the schema's and
    # the docs pages' paths before the app's: they go last (no path of the app's is theirs).
    app.router.routes[:] = [r for r in app.router.routes if r not in documentation] + documentation
    app.add_middleware(IdempotencyMiddleware, sandbox=sandbox)
    app.add_middleware(DocsPolicyMiddleware, paths=frozenset({"/docs", "/redoc"}))
    # Outside idempotency, so an answer dropped after commit replays on retry.
    app.add_middleware(
        FaultInjectionMiddleware,
        chaos_rate=sandbox.settings.chaos_rate,
        seed=sandbox.settings.seed,  # the same seed, the same requests struck
    )
    # With --workers N each process holds rate_limit / N per merchant or address (see Settings).
    app.add_middleware(
        RateLimitMiddleware, rate=sandbox.settings.rate_limit_per_process, sandbox=sandbox
    )
    app.add_middleware(RequestLimitsMiddleware, max_body=sandbox.settings.max_body)
    app.add_middleware(RequestContextMiddleware, request_log=sandbox.request_log)
    app.add_middleware(ProcessHeaderMiddleware)
    return app


def app_from_environment() -> FastAPI:
    """The app one `--workers` process serves, its settings read from INSTALLO_* variables."""
    quiet_injected_resets()  # this process's loggers are fresh
    return create_app(Settings())
