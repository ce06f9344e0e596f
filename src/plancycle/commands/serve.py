"""``plancycle serve``: the plan service (:mod:`plancycle.service`) on uvicorn.

The database comes from ``--database`` (default: ``PLANCYCLE_DATABASE``, else
``sqlite:///plancycle.db``). A SQLite file that does not exist yet is created at the schema's
head (so ``plancycle serve`` works with nothing else set up); any other database must be at the
head already: otherwise one line naming ``plancycle db upgrade``, exit 2. ``--register`` and
``--terms-dir`` are imported into the database before the workers start (idempotent: a fact
already stored is not stored again), so the feeds they gave keep coming. ``--workers N``
processes share one listening socket (``--port 0``: any free port; the URL is printed). The
file-based WSGI feed server remains importable as ``plancycle.feed.application``.
"""

from __future__ import annotations

import argparse
import os
import socket
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from plancycle.clock import utc_now, utc_today
from plancycle.commands._options import (
    add_feed_config,
    feed_config_from_args,
    nonempty,
    parse_year,
    warn,
)
from plancycle.commands._texts import help_text
from plancycle.commands.db import DATABASE_ENV, DEFAULT_DATABASE, database_url, open_store
from plancycle.commands.publish import add_terms_options, with_terms
from plancycle.errors import InputError
from plancycle.i18n import LANGUAGES, Language, label

if TYPE_CHECKING:
    from plancycle.service import ServiceConfig
    from plancycle.store import Store

__all__ = ["MAX_WORKERS", "register", "run_serve"]

#: The most worker processes ``--workers`` may ask for.
MAX_WORKERS = 64


def register(commands: Any) -> None:
    serve = commands.add_parser("serve", help=help_text("command_serve"),
                                description=help_text("serve_description"))
    serve.add_argument("--database", type=nonempty, metavar="URL",
                       help=help_text("serve_database", variable=DATABASE_ENV, default=DEFAULT_DATABASE))
    serve.add_argument("--workers", type=int, default=1, metavar="N",
                       help=help_text("serve_workers"))
    serve.add_argument("--host", default="127.0.0.1",
                       help=help_text("serve_host"))
    serve.add_argument("--port", type=int, default=8080, help=help_text("serve_port"))
    serve.add_argument("--election-year", type=parse_year, metavar="YEAR",
                       help=help_text("serve_election_year"))
    serve.add_argument("--cache-size", type=int, default=512, metavar="N",
                       help=help_text("serve_cache_size"))
    serve.add_argument("--lang", choices=LANGUAGES, default="nb",
                       help=help_text("serve_lang"))
    serve.add_argument("--quiet", action="store_true", help=help_text("serve_quiet"))
    add_feed_config(serve)
    add_terms_options(serve, per_request=True)
    serve.set_defaults(handler=run_serve)


def run_serve(args: argparse.Namespace) -> int:
    from plancycle.service.settings import SETTINGS_VARIABLE, settings_env

    lang: Language = args.lang
    config = service_config(args)
    if not 1 <= args.workers <= MAX_WORKERS:
        raise InputError(key="service_workers", workers=args.workers, most=MAX_WORKERS)
    url = database_url(args)
    store = open_service_store(args, lang)
    try:
        import_files(store, args, lang)
        shown = store.url
    finally:
        store.close()
    sock = bind(args.host, args.port)
    host, port = sock.getsockname()[:2]
    address = f"http://{'[' + host + ']' if ':' in host else host}:{port}/"
    os.environ[DATABASE_ENV] = url
    os.environ[SETTINGS_VARIABLE] = settings_env(config, today_clock=args.today == "clock")
    print(label("service_serving", lang, url=address, workers=args.workers, database=shown),
          file=sys.stderr, flush=True)
    try:
        run_uvicorn(sock, workers=args.workers, quiet=args.quiet)
    except KeyboardInterrupt:
        pass
    finally:
        sock.close()
    return 0


def service_config(args: argparse.Namespace) -> ServiceConfig:
    """The service's settings from the options, checked now (a wrong folder fails at start)."""
    from plancycle.service import ServiceConfig

    feed = with_terms(feed_config_from_args(args, election_year=args.election_year,
                                            cache_size=args.cache_size), args)
    return ServiceConfig(base_url=feed.base_url, meetings_dir=feed.meetings_dir,
                         meeting_pattern=feed.meeting_pattern, election_year=feed.election_year,
                         cache_size=feed.cache_size, today=feed.today,
                         today_clock=utc_today if feed.clock is not None else None,
                         clock=utc_now)


def open_service_store(args: argparse.Namespace, lang: Language) -> Store:
    """The store of ``--database`` (:func:`plancycle.commands.db.open_store`) at the schema's
    head: a SQLite file that does not exist yet is created so (and said, unless ``--quiet``); any
    other database not at the head is refused (``plancycle db upgrade``)."""
    from sqlalchemy.engine import make_url

    store = open_store(args, checked=False)
    try:
        parsed = make_url(store.engine.url)
        fresh = (parsed.get_backend_name() == "sqlite" and parsed.database is not None
                 and not Path(parsed.database).exists())
        if fresh:
            revision = store.upgrade()
            if not args.quiet:
                print(label("service_upgraded", lang, database=store.url, revision=revision),
                      file=sys.stderr)
        store.check_revision()
    except BaseException:
        store.close()
        raise
    return store


def import_files(store: Store, args: argparse.Namespace, lang: Language) -> None:
    """``--register`` and the term files of ``--terms-dir`` into the database (idempotent); a
    term file that cannot be read or stored is named in a warning and the others go in; the
    counts are said unless ``--quiet``."""
    from plancycle.errors import PlanCycleError
    from plancycle.feed.register import load_register
    from plancycle.feed.terms import load_terms

    if args.register is None and args.terms_dir is None:
        return
    now = utc_now()
    decisions = facts = terms = 0
    if args.register is not None:
        decisions = store.import_register(load_register(args.register), now=now)
    if args.terms_dir is not None:
        index = load_terms(args.terms_dir)
        for problem in index.problems:
            warn(problem.message(lang))
        for entry in index.terms.values():
            try:
                facts += store.put_term(entry.term, now=now)
            except PlanCycleError as exc:
                warn(f"{entry.file}: {exc.in_language(lang)}")
                continue
            terms += 1
    if not args.quiet:
        print(label("service_imported", lang, facts=facts, terms=terms, decisions=decisions),
              file=sys.stderr)


def bind(host: str, port: int) -> socket.socket:
    """A listening socket on ``host``:``port`` (0: any free port), shared by the workers."""
    try:
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        sock = socket.socket(family, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
            sock.listen(2048)
        except BaseException:
            sock.close()
            raise
    except (OSError, OverflowError) as exc:
        reason = getattr(exc, "strerror", None) or str(exc)
        raise InputError(key="feed_listen", host=host, port=port, reason=reason) from None
    sock.set_inheritable(True)
    return sock


def run_uvicorn(sock: socket.socket, *, workers: int, quiet: bool) -> None:
    """Serve ``plancycle.service:app_from_env`` on ``sock`` with the limits of
    :mod:`plancycle.service.settings`; ``workers`` processes when more than one."""
    import uvicorn
    from uvicorn.supervisors import Multiprocess

    from plancycle.service import settings
    from plancycle.service.protocol import BoundedHttpToolsProtocol

    config = uvicorn.Config(
        "plancycle.service:app_from_env", factory=True, workers=workers,
        http=BoundedHttpToolsProtocol, lifespan="off",
        log_config=settings.log_config(quiet=quiet), access_log=not quiet,
        timeout_keep_alive=settings.KEEP_ALIVE, limit_concurrency=settings.CONCURRENCY,
        server_header=False)
    if workers == 1:
        uvicorn.Server(config).run(sockets=[sock])
    else:
        Multiprocess(config, sockets=[sock]).run()


