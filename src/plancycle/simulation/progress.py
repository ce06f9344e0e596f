"""A progress bar on stderr for long batches: only on a terminal, never with ``--quiet``."""

from __future__ import annotations

from typing import TextIO

from plancycle.i18n import Language, label


class ProgressBar:
    """Call with ``(done, total)`` after each run; redraws only when the percentage changes."""

    def __init__(self, stream: TextIO, *, width: int = 30, lang: Language = "nb") -> None:
        self.stream, self.width, self._shown, self.lang = stream, width, -1, lang

    def __call__(self, done: int, total: int) -> None:
        if total < 2:
            return
        percent = done * 100 // total
        if percent == self._shown and done != total:
            return
        self._shown = percent
        filled = self.width * done // total
        runs = label("sim13_progress_runs", self.lang, done=done, total=total)
        self.stream.write(f"\r[{'#' * filled}{'.' * (self.width - filled)}] {percent:3d} % {runs}")
        if done == total:
            self.stream.write("\n")
        self.stream.flush()


def progress_bar(stream: TextIO, *, quiet: bool, lang: Language = "nb") -> ProgressBar | None:
    """A bar on ``stream`` if it is a terminal and ``quiet`` is off; otherwise none."""
    isatty = getattr(stream, "isatty", None)
    if quiet or isatty is None or not isatty():
        return None
    return ProgressBar(stream, lang=lang)
