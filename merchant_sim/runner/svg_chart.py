"""Small inline SVG charts for the HTML report: lines (with gaps) and stacked bars.

Written here rather than taken from a charting package: the report needs three plain charts, and
the SVG libraries on PyPI either pull a browser bundle in or patch the import system (pygal adds a
legacy `sys.meta_path` finder at import). Every label is escaped; nothing is fetched.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from html import escape

__all__ = ["line_chart", "stacked_bars"]

WIDTH, HEIGHT = 900, 300
LEFT, RIGHT, TOP, BOTTOM = 60, 150, 36, 40
PALETTE = ("#2463eb", "#d97706", "#16a34a", "#9333ea", "#dc2626", "#0891b2")


def _frame(title: str, x_labels: Sequence[str], y_max: float, y_title: str) -> list[str]:
    """The title, the axes, the y scale (0, half, max) and a few x labels."""
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'role="img" aria-label="{escape(title)}" font-family="sans-serif" font-size="12">',
        f'<text x="{LEFT}" y="20" font-size="15" font-weight="bold">{escape(title)}</text>',
        f'<line x1="{LEFT}" y1="{TOP + plot_h}" x2="{LEFT + plot_w}" y2="{TOP + plot_h}" '
        'stroke="#555"/>',
        f'<line x1="{LEFT}" y1="{TOP}" x2="{LEFT}" y2="{TOP + plot_h}" stroke="#555"/>',
        f'<text x="12" y="{TOP + plot_h / 2}" transform="rotate(-90 12 {TOP + plot_h / 2})" '
        f'text-anchor="middle">{escape(y_title)}</text>',
    ]
    for fraction in (0.0, 0.5, 1.0):
        y = TOP + plot_h * (1 - fraction)
        parts.append(
            f'<text x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end">{y_max * fraction:g}</text>'
        )
    step = max(1, len(x_labels) // 8)
    for index in range(0, len(x_labels), step):
        x = LEFT + plot_w * (index + 0.5) / max(1, len(x_labels))
        parts.append(
            f'<text x="{x:.1f}" y="{TOP + plot_h + 16}" text-anchor="middle">'
            f"{escape(x_labels[index])}</text>"
        )
    parts.append(
        f'<text x="{LEFT + plot_w / 2}" y="{HEIGHT - 6}" text-anchor="middle">'
        "seconds into the run</text>"
    )
    return parts


def _legend(names: Sequence[str]) -> list[str]:
    x = WIDTH - RIGHT + 16
    return [
        f'<rect x="{x}" y="{TOP + 18 * i}" width="10" height="10" fill="{PALETTE[i % 6]}"/>'
        f'<text x="{x + 16}" y="{TOP + 18 * i + 9}">{escape(name)}</text>'
        for i, name in enumerate(names)
    ]


def _nice_max(values: Sequence[float]) -> float:
    top = max(values, default=0.0)
    return float(top) if top > 0 else 1.0


def line_chart(
    title: str, x_labels: Sequence[str], series: Mapping[str, Sequence[float | None]], y_title: str
) -> str:
    """Lines over the intervals; a None value breaks its line (nothing measured there)."""
    known = [v for values in series.values() for v in values if v is not None]
    y_max = _nice_max(known)
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    parts = _frame(title, x_labels, y_max, y_title)
    for index, values in enumerate(series.values()):
        runs: list[list[str]] = [[]]
        for i, value in enumerate(values):
            if value is None:
                runs.append([])
                continue
            x = LEFT + plot_w * (i + 0.5) / max(1, len(values))
            y = TOP + plot_h * (1 - value / y_max)
            runs[-1].append(f"{x:.1f},{y:.1f}")
        for run in (r for r in runs if r):
            points = " ".join(run if len(run) > 1 else [*run, run[0]])
            parts.append(
                f'<polyline fill="none" stroke="{PALETTE[index % 6]}" stroke-width="2" '
                f'points="{points}"/>'
            )
    return "".join([*parts, *_legend(list(series)), "</svg>"])


def stacked_bars(
    title: str, x_labels: Sequence[str], series: Mapping[str, Sequence[int]], y_title: str
) -> str:
    """One bar per interval, stacked by series (counts)."""
    totals = [sum(values[i] for values in series.values()) for i in range(len(x_labels))]
    y_max = _nice_max(totals)
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    slot = plot_w / max(1, len(x_labels))
    parts = _frame(title, x_labels, y_max, y_title)
    for i in range(len(x_labels)):
        base = 0.0
        for index, values in enumerate(series.values()):
            if values[i] <= 0:
                continue
            height = plot_h * values[i] / y_max
            y = TOP + plot_h - base - height
            parts.append(
                f'<rect x="{LEFT + slot * i + slot * 0.1:.1f}" y="{y:.1f}" '
                f'width="{slot * 0.8:.1f}" height="{height:.1f}" fill="{PALETTE[index % 6]}"/>'
            )
            base += height
    return "".join([*parts, *_legend(list(series)), "</svg>"])
