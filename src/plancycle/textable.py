"""Plain-text tables that fit a width: the terminal tables of ``schedule``, ``status``,
``measures``, ``plans``, ``simulate``, ``compare`` and ``thread``.

A table is a header row and data rows of text cells. :func:`fit` lays it out in at most
``width`` characters, trying in turn:

1. every column as wide as its widest cell (when that fits);
2. the *wrapping* columns (a title, names) wrapped onto continuation lines, indented to their
   column, while the other columns (dates, ids, numbers) keep their width and are never cut;
3. a single wrapping column on lines of its own under the other columns (above them when it
   is the first column), when the room left for it is under :data:`MIN_WRAP`;
4. one block per row, ``header  value`` a line (a *stacked* table), when even the fixed columns
   do not fit.

Widths count what a terminal shows: a combining accent takes no column and an East Asian wide
character two (:func:`text_width`); cells are NFC-normalised first. Below about
:data:`MIN_WIDTH` columns a table cannot be made to fit in every case: a date or an id longer
than the width is never cut.

The width comes from :func:`terminal_width`: ``COLUMNS`` when set, else the terminal's width
when the output is a terminal, else :data:`DEFAULT_WIDTH`.
"""

from __future__ import annotations

import datetime as dt
import os
import textwrap
import unicodedata
from collections.abc import Mapping, Sequence
from typing import TextIO

from plancycle.i18n import Language

#: The width of a table that goes to a file or a pipe (no terminal to measure).
DEFAULT_WIDTH = 120
#: The narrowest width a table is laid out for; narrower asks are taken as this.
MIN_WIDTH = 40
#: The widest width taken from ``COLUMNS`` or ``--width``.
MAX_WIDTH = 1000
#: The narrowest a wrapping column gets before it moves to lines of its own.
MIN_WRAP = 16
#: The narrowest each of several wrapping columns gets.
MIN_WRAP_MANY = 10
#: A word longer than this may be split when its column wraps.
LONG_WORD = 16
#: Between two columns.
GAP = "  "
#: Where the wrapping column starts when it has lines of its own.
OWN_LINE_INDENT = "    "


def text_width(text: str) -> int:
    """The columns ``text`` takes in a terminal: 0 for a combining mark, 2 for a wide (East
    Asian) character, 1 otherwise."""
    return sum(0 if unicodedata.combining(c) else
               2 if unicodedata.east_asian_width(c) in ("W", "F") else 1 for c in text)


def pad(text: str, width: int) -> str:
    """``text`` padded with spaces to ``width`` columns."""
    return text + " " * max(width - text_width(text), 0)


def wrap(text: str, width: int) -> list[str]:
    """``text`` in lines of at most ``width`` columns (words kept whole where they fit, ids such
    as ``planstrategi-deadline`` and paragraphs such as ``10-1`` included: no break at a hyphen;
    a word longer than a line is split); ``[""]`` for an empty text."""
    width = max(width, 1)
    out: list[str] = []
    for line in textwrap.wrap(text, width, break_long_words=True, break_on_hyphens=False) or [""]:
        while text_width(line) > width:  # wide characters: textwrap counts characters
            cut = len(line)
            while cut > 1 and text_width(line[:cut]) > width:
                cut -= 1
            out.append(line[:cut])
            line = line[cut:]
        out.append(line)
    return out


def terminal_width(environ: Mapping[str, str] | None = None, stream: TextIO | None = None) -> int:
    """The width tables are laid out for: ``COLUMNS`` when it is a whole number of 1 or more,
    else the width of ``stream``'s terminal when it is one, else :data:`DEFAULT_WIDTH`; kept
    within :data:`MIN_WIDTH` and :data:`MAX_WIDTH`."""
    environ = os.environ if environ is None else environ
    columns = environ.get("COLUMNS", "").strip()
    if columns.isascii() and columns.isdigit() and int(columns) > 0:
        return clamp(int(columns))
    if stream is not None:
        try:
            if stream.isatty():
                return clamp(os.get_terminal_size(stream.fileno()).columns)
        except (OSError, ValueError, AttributeError):
            pass
    return DEFAULT_WIDTH


def clamp(width: int) -> int:
    """``width`` within :data:`MIN_WIDTH` and :data:`MAX_WIDTH`."""
    return min(max(width, MIN_WIDTH), MAX_WIDTH)


def date_cell(day: dt.date | None, lang: Language) -> str:
    """A date as a table shows it: ``02.03.2028`` in bokmål and nynorsk, ``2028-03-02`` in
    English; ``""`` for no date."""
    if day is None:
        return ""
    return day.isoformat() if lang == "en" else f"{day.day:02d}.{day.month:02d}.{day.year:04d}"


def paragraph(text: str, width: int | None, indent: str = "") -> list[str]:
    """A line of prose (a heading, a note, a legend) wrapped to ``width``; continuation lines
    are indented two more columns than the first."""
    if width is None:
        return [indent + text]
    room = max(width - text_width(indent), MIN_WRAP)
    first, *rest = wrap(text, room)
    more = wrap(" ".join(rest), room - 2) if rest else []
    return [indent + first] + [f"{indent}  {line}" for line in more if line]


def fit(rows: Sequence[Sequence[str]], width: int | None, *,
        wrapping: int | Sequence[int] = (), indent: str = "") -> list[str]:
    """``rows`` (a header row first) as aligned lines of at most ``width`` columns (``None``:
    no limit), each starting with ``indent``; ``wrapping`` is the index (or indexes) of the
    columns that may wrap (see the module's text)."""
    cells = [[unicodedata.normalize("NFC", cell) for cell in row] for row in rows]
    if not cells:
        return []
    count = len(cells[0])
    natural = [max(text_width(row[i]) for row in cells) for i in range(count)]
    room = None if width is None else max(width, MIN_WIDTH) - text_width(indent)
    if room is None or _total(natural) <= room:
        return [indent + _line(row, natural) for row in cells]
    wraps = sorted({wrapping} if isinstance(wrapping, int) else set(wrapping))
    if wraps:
        others = [i for i in range(count) if i not in wraps]
        fixed = _total([natural[i] for i in others])
        left = room - fixed - len(GAP) * (len(wraps) - (0 if others else 1))
        words = [max((text_width(word) for row in cells for word in row[i].split()), default=0)
                 for i in wraps]
        shares = _shares([natural[i] for i in wraps], words, left)
        if shares is not None:
            widths = [*natural]
            for column, share in zip(wraps, shares, strict=True):
                widths[column] = share
            return _wrapped(cells, widths, wraps, indent)
        if len(wraps) == 1 and fixed <= room:
            return _own_lines(cells, natural, wraps[0], others, room, indent)
    return _stacked(cells, room, indent)


def _shares(natural: Sequence[int], words: Sequence[int], room: int) -> list[int] | None:
    """Widths for the wrapping columns in ``room`` columns: each at least its longest word (up
    to :data:`LONG_WORD`) and :data:`MIN_WRAP` (with several, :data:`MIN_WRAP_MANY`), or its
    whole width when less, the rest of the room shared evenly up to each column's whole width;
    None when the least widths do not fit."""
    least = MIN_WRAP if len(natural) == 1 else MIN_WRAP_MANY
    shares = [min(need, max(least, min(word, LONG_WORD))) for need, word in zip(natural, words,
                                                                                  strict=True)]
    left = room - sum(shares)
    if left < 0:
        return None
    waiting = sorted(range(len(natural)), key=lambda i: natural[i] - shares[i])
    for done, index in enumerate(waiting):
        more = min(natural[index] - shares[index], left // (len(waiting) - done))
        shares[index] += more
        left -= more
    return shares


def _total(widths: Sequence[int]) -> int:
    return sum(widths) + len(GAP) * max(len(widths) - 1, 0)


def _line(cells: Sequence[str], widths: Sequence[int]) -> str:
    return GAP.join(pad(cell, width) for cell, width in zip(cells, widths, strict=True)).rstrip()


def _wrapped(cells: list[list[str]], widths: list[int], columns: list[int],
             indent: str) -> list[str]:
    out = []
    for row in cells:
        parts = {column: wrap(row[column], widths[column]) for column in columns}
        for k in range(max(len(p) for p in parts.values())):
            shown = [cell if k == 0 else "" for cell in row]
            for column, lines in parts.items():
                shown[column] = lines[k] if k < len(lines) else ""
            out.append(indent + _line(shown, widths))
    return out


def _own_lines(cells: list[list[str]], natural: list[int], column: int, others: list[int],
               room: int, indent: str) -> list[str]:
    """The wrapping column on lines of its own: under the other columns, or above them
    (indented) when it is the first column, as a name is."""
    widths = [natural[i] for i in others]
    first = column == 0 and _total(widths) + len(OWN_LINE_INDENT) <= room
    out = []
    for row in cells:
        rest = _line([row[i] for i in others], widths)
        text = [part for part in wrap(row[column], room - len(OWN_LINE_INDENT)) if part]
        if first:
            out += [indent + part for part in text]
            out.append(indent + OWN_LINE_INDENT + rest if rest else indent)
        else:
            out.append(indent + rest)
            out += [indent + OWN_LINE_INDENT + part for part in text]
    return [line.rstrip() for line in out]


def _stacked(cells: list[list[str]], room: int | None, indent: str) -> list[str]:
    assert room is not None
    header, body = cells[0], cells[1:]
    names = max(text_width(name) for name in header)
    left = room - names - len(GAP)
    out: list[str] = []
    for row in body:
        if out:
            out.append("")
        for name, value in zip(header, row, strict=True):
            if not value:
                continue
            if left >= MIN_WRAP:
                parts = wrap(value, left)
                out.append(indent + (pad(name, names) + GAP + parts[0]).rstrip())
                out += [indent + " " * (names + len(GAP)) + part for part in parts[1:]]
            else:
                out.append(indent + name)
                out += [indent + GAP + part for part in wrap(value, room - len(GAP))]
    return out
