"""A binary format (``--format xlsx``) is never written to a terminal: it would fill the screen
with bytes and could leave the terminal in a strange state. Piped or redirected
(``> plan.xlsx``) it is written as asked; on a terminal the command asks for ``--output FILE``.
"""

from __future__ import annotations

import sys
from pathlib import Path

from plancycle.errors import InputError

#: The ``--format`` choices that are binary.
BINARY_FORMATS = ("xlsx",)


def refuse_terminal(fmt: str, output: Path | None) -> None:
    """:class:`InputError` when ``fmt`` is binary, no ``--output`` is given and standard output
    is a terminal; checked before any work is done."""
    if fmt not in BINARY_FORMATS or output is not None:
        return
    stream = sys.stdout
    try:
        terminal = stream is not None and stream.isatty()
    except ValueError:  # closed: writing fails later with its own message
        terminal = False
    if terminal:
        raise InputError(key="export_binary_terminal", format=fmt)
