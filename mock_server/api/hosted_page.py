"""`/pay`: the customer's hosted application page, server-rendered HTML (no script, no CDN).

Every step is a plain form that posts and is redirected back (POST, redirect, GET), so the page
works with a keyboard, a screen reader and any phone browser. A step the shopper gets wrong is
shown again with the error beside the field (400), a step that no longer applies with the reason
(409), an unknown link as a 404 page.
"""

from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError
from starlette.concurrency import run_in_threadpool

from mock_server.api.bodies import CustomerCreate
from mock_server.api.deferred_routes import DeferredRoute
from mock_server.api.deps import SandboxDep
from mock_server.api.errors import request_id_of
from mock_server.domain import format_money
from mock_server.services import application_page
from mock_server.services.application_page import PageView
from mock_server.services.context import Sandbox
from mock_server.services.errors import Conflict, InvalidRequest, NotFound
from mock_server.services.hosted_pages import find_page_by_code

if TYPE_CHECKING:
    from fastapi.templating import Jinja2Templates

__all__ = ["router"]

router = APIRouter(include_in_schema=False, route_class=DeferredRoute)


@cache
def templates() -> "Jinja2Templates":
    """The pages' Jinja templates, loaded at the first page shown (Jinja is not needed before)."""
    from fastapi.templating import Jinja2Templates

    loaded = Jinja2Templates(directory=str(Path(__file__).with_name("templates")))
    loaded.env.filters["money"] = lambda amount, currency: format_money(int(amount), currency)
    loaded.env.filters["apr"] = lambda bps: f"{int(bps) // 100}.{int(bps) % 100:02d}%"
    return loaded


STEPS = (("identity", "You"), ("offers", "Plans"), ("consent", "Agree"), ("decided", "Decision"))
IDENTITY_FIELDS = (
    ("name", "Full name", "text", "name"),
    ("email", "Email", "email", "email"),
    ("phone", "Mobile phone", "tel", "tel"),
    ("date_of_birth", "Date of birth", "date", "bday"),
    ("national_id_last4", "Last 4 digits of your SSN", "text", "off"),
    ("line1", "Street address", "text", "address-line1"),
    ("line2", "Apartment, suite (optional)", "text", "address-line2"),
    ("city", "City", "text", "address-level2"),
    ("region", "State", "text", "address-level1"),
    ("postal_code", "ZIP code", "text", "postal-code"),
    ("country", "Country (2 letters)", "text", "country"),
)
_ADDRESS = ("line1", "line2", "city", "region", "postal_code", "country")
_REQUIRED = frozenset(f for f, *_ in IDENTITY_FIELDS) - {"line2", "region"}


def _render(request: Request, v: PageView, status: int = 200, **extra: Any) -> HTMLResponse:
    context = {"v": v, "steps": STEPS, "error": None, **extra}
    if v.step == "identity":
        context.setdefault("values", _identity_values(v.customer))
        context.setdefault("field_errors", {})
        context.update(identity_fields=IDENTITY_FIELDS, required=_REQUIRED)
    return templates().TemplateResponse(request, f"step_{v.step}.html", context, status_code=status)


def _identity_values(customer: Mapping[str, Any]) -> dict[str, str]:
    values = {k: str(customer.get(k) or "") for k in ("name", "email", "phone", "date_of_birth")}
    values["national_id_last4"] = str(customer.get("national_id_last4") or "")
    address = customer.get("address") or {}
    values.update({k: str(address.get(k) or "") for k in _ADDRESS})
    return values


def _missing(request: Request) -> HTMLResponse:
    return templates().TemplateResponse(request, "missing.html", {}, status_code=404)


def _back(token: str) -> RedirectResponse:
    return RedirectResponse(f"/pay/{token}", status_code=303)


def _refused(request: Request, sandbox: Any, token: str, exc: Exception) -> Response:
    """The page again with why the step was refused (the step it is on now)."""
    try:
        v = application_page.view(sandbox, token)
    except NotFound:
        return _missing(request)
    status = 409 if isinstance(exc, Conflict) else 400
    return _render(request, v, status, error=getattr(exc, "message", str(exc)))


@router.get("/pay", response_class=HTMLResponse)
def code_entry(request: Request) -> HTMLResponse:
    """Where an in-store shopper types the terminal's short code."""
    return templates().TemplateResponse(request, "code_entry.html", {"error": None, "code": ""})


@router.post("/pay", response_class=HTMLResponse)
def code_submit(
    request: Request, sandbox: SandboxDep, code: Annotated[str, Form(max_length=40)] = ""
) -> Response:
    """Open the page a short code names."""
    with sandbox.db.reader() as session:
        page = find_page_by_code(session, code)
        token = page.token if page is not None else None
    if token is None:
        context = {"error": "No application has this code. Check it on the terminal.", "code": code}
        return templates().TemplateResponse(request, "code_entry.html", context, status_code=404)
    return _back(token)


@router.get("/pay/{token}", response_class=HTMLResponse)
def show(request: Request, token: str, sandbox: SandboxDep, step: str | None = None) -> Response:
    """The page at the step the shopper reached (or an earlier one, to change it)."""
    try:
        return _render(request, application_page.view(sandbox, token, step=step))
    except NotFound:
        return _missing(request)


@router.post("/pay/{token}/identity", response_class=HTMLResponse)
async def identity(request: Request, token: str, sandbox: SandboxDep) -> Response:
    """The identity the shopper confirmed; a bad field is shown beside it."""
    form = await request.form()
    values = {name: str(form.get(name) or "").strip() for name, *_ in IDENTITY_FIELDS}
    # The page's database work in a worker thread, as for the page's other routes: on the event
    # loop, waiting for an in-memory database's writer lock that a request suspended at an
    # await holds would stop the loop that request needs to go on.
    return await run_in_threadpool(_submit_identity, request, token, sandbox, values)


def _submit_identity(
    request: Request, token: str, sandbox: Sandbox, values: dict[str, str]
) -> Response:
    try:
        current = application_page.view(sandbox, token)
    except NotFound:
        return _missing(request)
    body: dict[str, Any] = {k: v for k, v in values.items() if k not in _ADDRESS}
    body["address"] = {k: values[k] for k in _ADDRESS if values[k]}
    body["locale"] = current.customer.get("locale") or "en_US"
    try:
        checked = CustomerCreate.model_validate(body).model_dump(mode="json", exclude_none=True)
    except ValidationError as exc:
        errors = {str(e["loc"][-1]): str(e["msg"]) for e in exc.errors()}
        message = "Check the highlighted fields: " + ", ".join(sorted(errors))
        return _render(request, current, 400, error=message, values=values, field_errors=errors)
    try:
        application_page.submit_identity(sandbox, token, checked)
    except (Conflict, InvalidRequest) as exc:
        return _refused(request, sandbox, token, exc)
    return _back(token)


@router.post("/pay/{token}/plan", response_class=HTMLResponse)
def plan(
    request: Request,
    token: str,
    sandbox: SandboxDep,
    offer: Annotated[str, Form(max_length=64)] = "",
) -> Response:
    """The plan the shopper picked."""
    try:
        application_page.choose_offer(sandbox, token, offer)
    except NotFound:
        return _missing(request)
    except (Conflict, InvalidRequest) as exc:
        return _refused(request, sandbox, token, exc)
    return _back(token)


@router.post("/pay/{token}/consent", response_class=HTMLResponse)
def consent(
    request: Request,
    token: str,
    sandbox: SandboxDep,
    consent: Annotated[str, Form(max_length=10)] = "",
) -> Response:
    """The shopper's explicit consent: the application is decided."""
    try:
        application_page.give_consent(sandbox, token, consent == "yes", request_id_of(request))
    except NotFound:
        return _missing(request)
    except InvalidRequest as exc:
        if exc.code == "consent_required":
            exc.message = "Tick the box to agree to the loan agreement before you apply."
        return _refused(request, sandbox, token, exc)
    except Conflict as exc:
        return _refused(request, sandbox, token, exc)
    return _back(token)


@router.post("/pay/{token}/return", response_class=HTMLResponse)
def back_to_merchant(request: Request, token: str, sandbox: SandboxDep) -> Response:
    """Back to the merchant: redirected with a fresh one-time token (or shown it)."""
    try:
        url = application_page.return_url(sandbox, token)
        if url is not None:
            return RedirectResponse(url, status_code=303)
        v = application_page.view(sandbox, token)
        shown = application_page.shown_token(sandbox, token) if not v.in_store else None
    except NotFound:
        return _missing(request)
    except Conflict as exc:
        return _refused(request, sandbox, token, exc)
    return _render(request, v, shown_token=shown)
