"""``plancycle db``: the plan service's database (issue 9): ``upgrade`` migrates it to this
plancycle's schema, ``current`` shows its revision, ``import`` loads the feed register and term
files into it (idempotent: a second import writes nothing and says so; a bad file is one line,
exit 2, and nothing is written).

SQLAlchemy is imported only when a ``db`` or ``token`` command runs (the ``service`` extra), so
the rest of the command line works without it.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from plancycle.clock import utc_now
from plancycle.commands._options import add_language, is_folder, nonempty, nonempty_path
from plancycle.commands._texts import help_text
from plancycle.errors import DataError, InputError
from plancycle.i18n import check_language, label
from plancycle.output import shown

if TYPE_CHECKING:
    from plancycle.feed.terms import TermProblem
    from plancycle.store import Store
    from plancycle.term import Term

#: :data:`plancycle.store.DEFAULT_DATABASE` (not imported: that would import SQLAlchemy).
DEFAULT_DATABASE = "sqlite:///plancycle.db"
#: The environment variable that names the database when ``--database`` is not given.
DATABASE_ENV = "PLANCYCLE_DATABASE"
#: At most this many term files in one import (371 municipalities and 15 counties, a few terms).
MAX_IMPORT_FILES = 10_000


def add_database(parser: argparse.ArgumentParser) -> None:
    """``--database URL`` and ``--lang``, the options of every database command."""
    parser.add_argument("--database", type=nonempty, metavar="URL",
                        help=help_text("db_database", variable=DATABASE_ENV, default=DEFAULT_DATABASE))
    add_language(parser)


def database_url(args: argparse.Namespace) -> str:
    """The database of ``--database``, else of ``$PLANCYCLE_DATABASE``, else the default."""
    given: str | None = getattr(args, "database", None)
    return given or os.environ.get(DATABASE_ENV) or DEFAULT_DATABASE


def open_store(args: argparse.Namespace, *, checked: bool = True) -> Store:
    """The store of :func:`database_url`; with ``checked``, refused unless at this plancycle's
    schema revision (one line naming the revision found, the one expected and the command)."""
    try:
        from plancycle.store import Store
    except ImportError as exc:
        raise InputError(key="db_needs_service", module=exc.name or "sqlalchemy") from None
    store = Store.open(database_url(args))
    if checked:
        try:
            store.check_revision()
        except BaseException:
            store.close()
            raise
    return store


def register(commands: Any) -> None:
    db = commands.add_parser("db", help=help_text("command_db"),
                             description=help_text("db_description"))
    actions = db.add_subparsers(dest="db_command", required=True, metavar="ACTION",
                                parser_class=type(db))
    upgrade = actions.add_parser("upgrade", help=help_text("db_upgrade"),
                                 description=help_text("db_upgrade"))
    add_database(upgrade)
    upgrade.set_defaults(handler=run_upgrade)
    current = actions.add_parser("current", help=help_text("db_current"),
                                 description=help_text("db_current"))
    add_database(current)
    current.set_defaults(handler=run_current)
    load = actions.add_parser(
        "import", help=help_text("db_import"),
        description=help_text("db_import_description"))
    load.add_argument("--register", type=nonempty_path, metavar="FILE",
                      help=help_text("db_register"))
    load.add_argument("--terms-dir", type=nonempty_path, metavar="DIR",
                      help=help_text("db_terms_dir"))
    load.add_argument("term_files", nargs="*", type=nonempty_path, metavar="TERM_FILE",
                      help=help_text("db_term_files"))
    add_database(load)
    load.set_defaults(handler=run_import)


def run_upgrade(args: argparse.Namespace) -> int:
    store = open_store(args, checked=False)
    try:
        revision = store.upgrade()
        print(label("db_upgraded", args.lang, url=store.url, revision=revision))
    finally:
        store.close()
    return 0


def run_current(args: argparse.Namespace) -> int:
    from plancycle.store.schema import head

    store = open_store(args, checked=False)
    try:
        revision = store.revision()
        if revision is None:
            print(label("db_no_schema", args.lang, url=store.url))
        else:
            print(label("db_current", args.lang, url=store.url, revision=revision, head=head()))
    finally:
        store.close()
    return 0


class TermFileProblem(DataError):
    """A term file of ``--terms-dir`` that cannot be imported: the folder reader's one line."""

    def __init__(self, problem: TermProblem) -> None:
        self.problem = problem
        super().__init__(problem.message("en"))

    def in_language(self, lang: str) -> str:
        return self.problem.message(check_language(lang))


def read_terms(args: argparse.Namespace) -> list[Term]:
    """The terms of ``--terms-dir`` (read as the feed server reads it) and of the TERM_FILEs,
    each file checked; the first bad one is an error."""
    from plancycle.feed.terms import load_terms
    from plancycle.termfile import load_term

    terms: list[Term] = []
    folder: Path | None = args.terms_dir
    if folder is not None:
        if not is_folder(folder, "--terms-dir"):
            raise InputError(key="db_terms_dir", folder=shown(folder))
        index = load_terms(folder)
        if index.problems:
            raise TermFileProblem(index.problems[0])
        entries = sorted(index.terms.values(), key=lambda entry: entry.file)
        terms.extend(entry.term for entry in entries)
    terms.extend(load_term(path, lang=args.lang) for path in args.term_files)
    if len(terms) > MAX_IMPORT_FILES:
        raise InputError(key="db_too_many_files", folder=shown(folder or "."), count=len(terms),
                         limit=MAX_IMPORT_FILES)
    return terms


def run_import(args: argparse.Namespace) -> int:
    from plancycle.feed.register import load_register

    if args.register is None and args.terms_dir is None and not args.term_files:
        raise InputError(key="db_import_nothing_given")
    register = load_register(args.register) if args.register is not None else None
    terms = read_terms(args)
    store = open_store(args)
    try:
        outcome = store.import_all(terms, register, now=utc_now())
        if outcome.changed:
            print(label("db_imported", args.lang, url=store.url, facts=outcome.facts,
                        terms=len(terms), register=outcome.register_rows))
        else:
            print(label("db_import_unchanged", args.lang, url=store.url, terms=len(terms)))
    finally:
        store.close()
    return 0
