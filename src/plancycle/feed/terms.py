"""Followed terms for the feeds: a folder of term files (``--terms-dir``), one per owner and term.

A term file (``*.toml``, read with :func:`plancycle.termfile.load_term`) for municipality N (or
county authority NN) and election year Y replaces the plan feed of that owner and year: the feed
becomes the followed term's calendar (:mod:`plancycle.term_calendar`), its history the term's
recorded facts. A file that cannot be read, names no owner or an unknown one, or has facts that
cannot be, is left out with one line naming it (:class:`TermProblem`); the other files serve,
and that owner's feed stays the plan. Of two files for the same owner and year, the first by
file name serves and the other is reported. A ``.toml`` meeting plan that a term file of the
folder names (``meetings = "plan.toml"``) is not itself read as a term file. Any change to a
file of the folder (a term file or a meeting plan kept there) rereads the folder.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError

from plancycle.errors import PlanCycleError
from plancycle.i18n import Language, label
from plancycle.municipalities import County, Municipality
from plancycle.term import Term
from plancycle.termfile import load_term

Fingerprint = tuple[tuple[str, tuple[int, int, int]], ...]


@dataclass(frozen=True)
class TermProblem:
    """A term file left out and why: a plancycle error, a label ``key`` with its ``fields``, or
    the first line of an unforeseen error (``text``)."""

    file: str
    error: PlanCycleError | None = None
    key: str | None = None
    fields: tuple[tuple[str, str], ...] = ()
    text: str = ""

    def message(self, lang: Language = "en") -> str:
        """One line naming the file, in ``lang``."""
        if self.error is not None:
            reason = self.error.in_language(lang)
        elif self.key is not None:
            reason = label(self.key, lang, **dict(self.fields))
        else:
            reason = self.text
        reason = (reason.splitlines() or [""])[0]
        return label("termcal_file_ignored", lang, file=self.file, reason=reason)


@dataclass(frozen=True)
class TermEntry:
    """A usable term file: its name, the fingerprint of its folder when it was read (changes
    when a file there is edited) and the term."""

    file: str
    fingerprint: Fingerprint
    term: Term


@dataclass(frozen=True)
class TermIndex:
    """The usable term files by owner key (``k<number>``/``f<number>``) and election year, and
    the files left out."""

    terms: dict[tuple[str, int], TermEntry]
    problems: tuple[TermProblem, ...] = ()

    def get(self, owner: Municipality | County, election_year: int) -> TermEntry | None:
        prefix = "k" if isinstance(owner, Municipality) else "f"
        return self.terms.get((f"{prefix}{owner.number}", election_year))


EMPTY_TERMS = TermIndex({})


def folder_fingerprint(folder: Path) -> Fingerprint:
    """The regular files of ``folder`` and their size, modification time and inode."""
    try:
        paths = sorted(folder.iterdir())
    except OSError:
        return ()
    out: list[tuple[str, tuple[int, int, int]]] = []
    for path in paths:
        try:
            stat = path.stat()
        except OSError:
            continue
        if path.is_file():
            out.append((path.name, (stat.st_mtime_ns, stat.st_size, stat.st_ino)))
    return tuple(out)


def load_terms(folder: Path) -> TermIndex:
    """Every usable term file of ``folder``; a bad one is a :class:`TermProblem`, never an error."""
    terms: dict[tuple[str, int], TermEntry] = {}
    problems: list[TermProblem] = []
    fingerprint = folder_fingerprint(folder)
    names = [name for name, _ in fingerprint if name.endswith(".toml")]
    plans = _meeting_plans(folder, names)
    for name in names:
        if name in plans:
            continue
        try:
            term = load_term(folder / name)
            owner = term.owner()
            if owner is None:
                problems.append(TermProblem(name, key="termcal_file_no_owner"))
                continue
            term.period()
            term.check_facts()
        except PlanCycleError as exc:
            problems.append(TermProblem(name, error=exc))
            continue
        except (OSError, ValueError, TypeError, KeyError) as exc:  # a reader's unforeseen complaint
            problems.append(TermProblem(name, text=_one_line(exc)))
            continue
        prefix = "k" if isinstance(owner, Municipality) else "f"
        key = (f"{prefix}{owner.number}", term.election_year)
        if key in terms:
            problems.append(TermProblem(name, key="termcal_file_duplicate",
                                        fields=(("other", terms[key].file),)))
            continue
        terms[key] = TermEntry(name, fingerprint, term)
    return TermIndex(terms, tuple(problems))


def _meeting_plans(folder: Path, names: list[str]) -> set[str]:
    """The ``.toml`` files of ``folder`` that its term files name as their meeting plan."""
    plans: set[str] = set()
    for name in names:
        try:
            doc = tomllib.loads((folder / name).read_bytes().decode("utf-8-sig"))
        except (OSError, ValueError):
            continue  # reported when read as a term file
        meetings = doc.get("meetings")
        if isinstance(meetings, str) and (folder / meetings).parent == folder:
            plans.add(Path(meetings).name)
    return plans


def _one_line(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first.get("loc", ()))
        return f"{where}: {first.get('msg', '')}" if where else str(first.get("msg", ""))
    text = str(exc) or type(exc).__name__
    return text.splitlines()[0]
