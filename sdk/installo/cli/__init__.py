"""`installo`: developer tools for the sandbox (listen, trigger, events tail, logs tail).

Needs the `tools` extra (`pip install 'installo[tools]'`); without it the command says so. The
SDK itself never imports this package.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

__all__ = ["INSTALL_HINT", "main"]

INSTALL_HINT = (
    "the installo command needs the tools extra: pip install 'installo[tools]'"
    " (it adds rich and httpx-sse)"
)


def main(argv: Sequence[str] | None = None) -> int:
    """Run one `installo` command; answer the process's exit status."""
    try:
        import httpx_sse  # noqa: F401
        import rich  # noqa: F401
    except ImportError:
        print(INSTALL_HINT, file=sys.stderr)
        return 1
    from ._commands import run

    return run(list(sys.argv[1:] if argv is None else argv))
