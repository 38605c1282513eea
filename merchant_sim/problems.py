"""What went wrong, in words that name the cause: a refused key is not a sandbox that is down."""

from __future__ import annotations

from dataclasses import dataclass

from installo._exceptions import (
    APIConnectionError,
    APIError,
    APIStatusError,
    APITimeoutError,
    AuthenticationError,
    InternalServerError,
    PermissionDeniedError,
    RateLimitError,
)

__all__ = ["Problem", "describe"]


@dataclass(frozen=True)
class Problem:
    """A failure's cause (a short title) and what to do or know about it."""

    title: str
    detail: str

    def __str__(self) -> str:
        return f"{self.title}: {self.detail}"


def _where(exc: APIError) -> str:
    url = exc.request.url
    return f"{url.scheme}://{url.netloc.decode()}"


def _api_problem(exc: APIError) -> Problem:
    """An SDK error: the key, the sandbox being down or failing, or the request itself."""
    if isinstance(exc, AuthenticationError):
        return Problem("Invalid API key", f"the sandbox refused the key (401). {exc.message}")
    if isinstance(exc, PermissionDeniedError):
        return Problem("Key not allowed", f"this key may not do that (403). {exc.message}")
    if isinstance(exc, APITimeoutError):
        return Problem("Sandbox not answering", f"no answer in time from {_where(exc)}")
    if isinstance(exc, APIConnectionError):
        return Problem("Sandbox down", f"nothing answers at {_where(exc)} ({exc.message})")
    if isinstance(exc, RateLimitError):
        return Problem("Rate limited", exc.message)
    if isinstance(exc, InternalServerError):
        return Problem("Sandbox error", f"the sandbox failed ({exc.status_code}). {exc.message}")
    if isinstance(exc, APIStatusError):
        return Problem(f"Refused ({exc.status_code})", exc.message)
    return Problem("Unexpected answer", exc.message)


def describe(exc: BaseException) -> Problem:
    """Name the cause of ``exc``: an invalid key, a sandbox that is down or failing, a refused
    request, or a sandbox that could not start."""
    if isinstance(exc, APIError):
        return _api_problem(exc)
    if isinstance(exc, ImportError):
        return Problem(
            "Sandbox not installed",
            f"{exc}. Install the server extra (pip install 'installo[server]') or pass --api-url",
        )
    return Problem("Sandbox could not start", str(exc) or type(exc).__name__)
