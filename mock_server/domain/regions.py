"""ISO 3166-1 countries: the one table every country code in the sandbox is checked against.

Currencies have theirs in `mock_server.domain.money.CURRENCIES` (the ISO 4217 codes the sandbox
lends in); countries come from pycountry's copy of the ISO 3166 standard.
"""

from __future__ import annotations

from typing import Final

import pycountry

__all__ = ["COUNTRIES", "is_country"]

COUNTRIES: Final[frozenset[str]] = frozenset(c.alpha_2 for c in pycountry.countries)


def is_country(code: str) -> bool:
    """Whether `code` is an ISO 3166-1 alpha-2 country code (upper case)."""
    return code in COUNTRIES
