"""The options of the commands that print tables: ``--width`` and, where a table has internal
milestone ids, ``--ids``; and the width a table is laid out for (:mod:`plancycle.textable`)."""

from __future__ import annotations

import argparse
import sys

from plancycle.commands._texts import help_text
from plancycle.errors import InputError
from plancycle.textable import MAX_WIDTH, MIN_WIDTH, terminal_width


def add_table_options(parser: argparse.ArgumentParser, *, ids: bool = False) -> None:
    """``--width N`` and, with ``ids``, ``--ids``."""
    parser.add_argument("--width", metavar="N", help=help_text("tables_width", low=MIN_WIDTH,
                                                               high=MAX_WIDTH))
    if ids:
        parser.add_argument("--ids", action="store_true", help=help_text("tables_ids"))


def table_width(args: argparse.Namespace) -> int:
    """The width of the table: ``--width``; else, on standard output, ``COLUMNS`` or the
    terminal's width; else (``--output FILE``, a pipe) :data:`~plancycle.textable.DEFAULT_WIDTH`.
    A ``--width`` that is not a whole number from ``MIN_WIDTH`` to ``MAX_WIDTH`` is an
    :class:`InputError`."""
    given: str | None = getattr(args, "width", None)
    if given is not None:
        text = given.strip()
        if not (text.isascii() and text.isdigit() and MIN_WIDTH <= int(text[:5]) <= MAX_WIDTH):
            raise InputError(key="tables_width", value=given[:20], low=MIN_WIDTH, high=MAX_WIDTH)
        return int(text)
    if getattr(args, "output", None) is not None:
        return terminal_width({})
    return terminal_width(stream=sys.stdout)
