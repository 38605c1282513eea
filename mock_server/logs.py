"""What the sandbox writes to its logs: one line per event, never a forged one.

Request text (paths, header values) is logged with control characters escaped (`\\n` as
`\\x0a`), so `%0A` in a URL cannot start a fake log line. An injected connection reset is one
line from the sandbox, not uvicorn's traceback of the exception that drops the connection.
"""

from __future__ import annotations

import logging
import re
from typing import Final

__all__ = ["InjectedResetFilter", "escape_controls"]

_CONTROLS: Final = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def escape_controls(text: str) -> str:
    """`text` with every control character shown as `\\xNN` (one line, nothing forged)."""
    return _CONTROLS.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


class InjectedResetFilter(logging.Filter):
    """Drop the server's traceback for a connection dropped on purpose by fault injection
    (the sandbox has already logged it in one line); every other record passes."""

    def __init__(self, exception: type[BaseException]) -> None:
        super().__init__()
        self.exception = exception

    def filter(self, record: logging.LogRecord) -> bool:
        """False for the record of an injected reset."""
        exc = record.exc_info[1] if record.exc_info else None
        return not isinstance(exc, self.exception)
