"""Fixtures for the simulator's tests."""

from __future__ import annotations

import html
import re
from collections.abc import Callable

import pytest

_TAG = re.compile(r"<[^>]+>")


def _svg_text(svg: str) -> str:
    """The visible text of an exported SVG screenshot, one string per terminal line."""
    lines = re.findall(r"<text[^>]*>(.*?)</text>", svg, flags=re.S)
    text = "".join(_TAG.sub("", chunk) for chunk in lines)
    return html.unescape(text).replace("\xa0", " ")


@pytest.fixture
def svg_text() -> Callable[[str], str]:
    """Turn an SVG screenshot into searchable text."""
    return _svg_text
