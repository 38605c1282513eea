"""Routes whose FastAPI analysis waits until something needs it.

FastAPI analyses a route twice here: when `@router.get(...)` creates it (`APIRoute.__init__`:
the endpoint's signature, a pydantic field per parameter, the body and response fields, a
regex for the path), and again, for the route as included, when the app first routes a request
through its router (`_IncludedRouter.effective_candidates`). Every router of the sandbox is
included in the app, so only the second analysis serves requests and the OpenAPI document; the
first one was a tenth of the instructions `mock-server` ran before it could answer (and the
reason `pydantic.v1` was imported at start).

`DeferredRoute` keeps, at creation, only what including a router and building its included
routes read (the arguments, as `APIRoute` would normalise them); anything else (the dependant,
the fields, the path regex, the handler) is analysed, exactly as `APIRoute.__init__` does, the
first time it is read. A route whose analysis fails fails there, and at its router's first
request, instead of at import; the OpenAPI document builds every included route, so a test of
the document still finds it.
"""

import threading
from collections.abc import Callable
from typing import Any

from fastapi.datastructures import Default
from fastapi.responses import JSONResponse
from fastapi.routing import APIRoute
from fastapi.utils import generate_unique_id
from starlette.routing import get_name

__all__ = ["DeferredRoute"]

# APIRoute's keyword arguments and their defaults (fastapi.routing.APIRoute.__init__).
_DEFAULTS: dict[str, Any] = {
    "response_model": Default(None),
    "status_code": None,
    "summary": None,
    "description": None,
    "response_description": "Successful Response",
    "deprecated": None,
    "operation_id": None,
    "response_model_include": None,
    "response_model_exclude": None,
    "response_model_by_alias": True,
    "response_model_exclude_unset": False,
    "response_model_exclude_defaults": False,
    "response_model_exclude_none": False,
    "include_in_schema": True,
    "response_class": Default(JSONResponse),
    "dependency_overrides_provider": None,
    "callbacks": None,
    "openapi_extra": None,
    "generate_unique_id_function": Default(generate_unique_id),
    "strict_content_type": Default(True),
    "max_body_size": None,
}

# One analysis at a time: a request thread and the event loop may both reach a new route.
_ANALYSIS = threading.RLock()


class DeferredRoute(APIRoute):
    """An `APIRoute` analysed on first use of what the analysis produces."""

    def __init__(self, path: str, endpoint: Callable[..., Any], **kwargs: Any) -> None:
        if kwargs.get("form_limits") is not None:  # none of ours; analysed at once
            APIRoute.__init__(self, path, endpoint, **kwargs)
            return
        kwargs.pop("form_limits", None)
        given = {**_DEFAULTS, **kwargs}
        # What including the router and building its included routes read, normalised as
        # `APIRoute` does (fastapi.routing._populate_api_route_state); the response model,
        # streamed item type and description stay as given: the included route derives them
        # from the endpoint the same way.
        attributes = {
            **given,
            "path": path,
            "endpoint": endpoint,
            "stream_item_type": None,
            "tags": given.get("tags") or [],
            "responses": given.get("responses") or {},
            "dependencies": list(given.get("dependencies") or []),
            "name": get_name(endpoint) if given.get("name") is None else given["name"],
            "methods": {method.upper() for method in given.get("methods") or ["GET"]},
            "form_limits": {},  # what APIRoute keeps for no form limits
            "_deferred": (path, endpoint, kwargs),
        }
        self.__dict__.update(attributes)

    def __getattr__(self, name: str) -> Any:
        """Analyse the route (once) when an attribute it has not kept yet is read."""
        if name.startswith("__"):
            raise AttributeError(name)
        with _ANALYSIS:
            deferred = self.__dict__.pop("_deferred", None)
            if deferred is not None:
                path, endpoint, kwargs = deferred
                try:
                    APIRoute.__init__(self, path, endpoint, **kwargs)
                except BaseException:
                    self.__dict__["_deferred"] = deferred  # the next read raises it again
                    raise
        return object.__getattribute__(self, name)

    @property
    def analysed(self) -> bool:
        """Whether FastAPI's analysis of this route has run."""
        return "_deferred" not in self.__dict__
