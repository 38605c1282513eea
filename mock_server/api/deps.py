"""Named dependencies: the sandbox, the authenticated caller, pagination."""

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Query, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from starlette.concurrency import run_in_threadpool

from mock_server.api.auth import credentials_of, remembered_merchant
from mock_server.api.errors import request_id_of
from mock_server.api.faults import BUREAU_DOWN_STATE
from mock_server.services.context import Caller, MerchantAccount, Sandbox
from mock_server.services.merchants import authenticate

__all__ = [
    "ApplicantDep",
    "CallerDep",
    "PageDep",
    "PageParams",
    "SandboxDep",
    "current_applicant",
    "current_caller",
    "get_sandbox",
]

_bearer = HTTPBearer(auto_error=False, description="A merchant's secret key: sk_test_...")


async def get_sandbox(request: Request) -> Sandbox:
    """The sandbox this app serves (a coroutine: reading it needs no worker thread)."""
    sandbox: Sandbox = request.app.state.sandbox
    return sandbox


SandboxDep = Annotated[Sandbox, Depends(get_sandbox)]


async def current_caller(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Caller:
    """The merchant whose secret key authorizes this request (401 otherwise): the one a write's
    transaction already authenticated, else read now (a worker thread). The sandbox is read
    from the app, not as a dependency of its own: FastAPI solves each declared dependency on
    every request, cached or not."""
    del credentials  # declared for the OpenAPI security scheme; parsed once by the middleware
    merchant = remembered_merchant(request.scope)
    if merchant is None:
        key = credentials_of(request.scope).token
        sandbox: Sandbox = request.app.state.sandbox
        merchant = await run_in_threadpool(_authenticate, sandbox, key)
    request.state.merchant_id = merchant.id  # for the merchant's request log
    bureau_down = bool(getattr(request.state, BUREAU_DOWN_STATE, False))
    return Caller(merchant=merchant, request_id=request_id_of(request), bureau_down=bureau_down)


def _authenticate(sandbox: Sandbox, key: str | None) -> MerchantAccount:
    with sandbox.db.reader() as session:
        return authenticate(session, key)


CallerDep = Annotated[Caller, Depends(current_caller)]


def current_applicant(
    request: Request,
    sandbox: SandboxDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Caller:
    """The merchant whose secret or onboarding key authorizes this request (its own
    application only)."""
    del credentials  # declared for the OpenAPI security scheme; parsed once by the middleware
    key = credentials_of(request.scope).token
    with sandbox.db.reader() as session:
        merchant = authenticate(session, key, onboarding=True)
    return Caller(merchant=merchant, request_id=request_id_of(request))


ApplicantDep = Annotated[Caller, Depends(current_applicant)]


@dataclass(frozen=True, slots=True)
class PageParams:
    """`limit` (1-100) and `starting_after` (an id)."""

    limit: int
    starting_after: str | None


def page_params(
    limit: Annotated[int, Query(ge=1, le=100, description="page size")] = 10,
    starting_after: Annotated[
        str | None, Query(max_length=64, description="answer objects older than this id")
    ] = None,
) -> PageParams:
    """Read the pagination parameters."""
    return PageParams(limit=limit, starting_after=starting_after)


PageDep = Annotated[PageParams, Depends(page_params)]
