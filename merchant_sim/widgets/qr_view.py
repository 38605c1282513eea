"""A QR code drawn in the terminal with half blocks: each text row holds two module rows."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.widgets import Static

__all__ = ["QrCode", "qr_lines", "qr_matrix"]

# (top module dark, bottom module dark) -> the character that draws them in dark ink.
_HALF_BLOCKS = {(True, True): "█", (True, False): "▀", (False, True): "▄", (False, False): " "}


def qr_matrix(data: str) -> list[list[bool]]:
    """The QR code of `data` (error correction M, as the sandbox serves it) as rows of modules,
    True for dark."""
    import segno  # the [server] extra, which the simulator's [sim] extra installs

    code = segno.make(data, error="m", micro=False)
    return [[bool(module) for module in row] for row in code.matrix]


def qr_lines(matrix: Sequence[Sequence[bool]], border: int = 2) -> list[str]:
    """The matrix, framed by a quiet zone of `border` modules, as half-block text lines."""
    width = len(matrix[0]) + 2 * border
    blank = [False] * width
    rows = [blank] * border
    rows += [[False] * border + list(row) + [False] * border for row in matrix]
    rows += [blank] * border
    if len(rows) % 2:
        rows.append(blank)
    return [
        "".join(_HALF_BLOCKS[(top, bottom)] for top, bottom in zip(upper, lower, strict=True))
        for upper, lower in zip(rows[::2], rows[1::2], strict=True)
    ]


class QrCode(Static):
    """A scannable QR code: dark ink on a light ground, whatever the terminal's theme."""

    DEFAULT_CSS = """
    QrCode { width: auto; height: auto; }
    """

    def show(self, data: str | None) -> None:
        """Draw the code of `data` (nothing when None)."""
        if data is None:
            self.update("")
            return
        text = Text("\n".join(qr_lines(qr_matrix(data))), style="black on white", no_wrap=True)
        self.update(text)
