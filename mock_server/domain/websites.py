"""A merchant's website as the applicant wrote it."""

from __future__ import annotations

from urllib.parse import SplitResult, urlsplit

__all__ = ["split_website"]


def split_website(website: str) -> SplitResult | None:
    """The website split as a URL (a bare domain reads as the host), or None when it cannot be
    split (an unbalanced `[` or `]`, which urlsplit takes for an IPv6 literal's brackets)."""
    try:
        return urlsplit(website if "//" in website else f"//{website}")
    except ValueError:
        return None
