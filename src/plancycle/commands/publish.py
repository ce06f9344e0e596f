"""``plancycle publish``: every municipality's and county authority's feed, and the index page,
as files for any static web host (``index.html``, ``feeds/<number>.ics``,
``feeds/fylke/<number>.ics``). The bytes equal what ``plancycle serve`` answers for the same
options; feeds are built on all cores and each file is written atomically. With ``--terms-dir``,
a followed term's calendar replaces the plan feed of its owner for the published year.

Workers: at most :func:`~plancycle.workers.max_jobs` (four per available core, and never more
than :data:`~plancycle.workers.MAX_JOBS`) unless ``--force``, and never more than there are chunks
of work. They are forked and die with the publishing process, even when it is killed with
``kill -9`` (:func:`~plancycle.workers.die_with_parent`). A file that cannot be written (no
permission, a full disk, a folder or a symlink in its place) stops the run with one line; the
files already written stay whole.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import multiprocessing
import os
import sys
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import Any, TextIO

from plancycle.clock import utc_today
from plancycle.commands._options import (
    add_feed_config,
    feed_config_from_args,
    is_folder,
    nonempty_path,
    parse_integer,
    parse_year,
    reason,
    warn,
)
from plancycle.commands._texts import help_text
from plancycle.errors import InputError
from plancycle.feed.config import FeedConfig
from plancycle.feed.index import render_index
from plancycle.feed.query import FeedOptions, parse_alarms
from plancycle.feed.render import FeedBuilder
from plancycle.feed.terms import load_terms
from plancycle.i18n import LANGUAGES, label
from plancycle.ical import dtstamp
from plancycle.municipalities import (
    County,
    Municipality,
    counties,
    find_county,
    find_municipality,
    municipalities,
)
from plancycle.output import shown, write_atomic
from plancycle.processes import PROCESS_MODELS
from plancycle.workers import (
    JOBS_PER_CORE,
    MAX_JOBS,
    available_cores,
    check_jobs,
    die_with_parent,
    max_jobs,
    stop_workers,
)

Owner = tuple[str, str]  # ("k", kommunenummer) or ("f", fylkesnummer)

__all__ = ["JOBS_PER_CORE", "MAX_JOBS", "available_cores", "max_jobs", "register",
           "run_publish"]


def register(commands: Any) -> None:
    publish = commands.add_parser("publish", help=help_text("command_publish"),
                                  description=help_text("publish_description"))
    publish.add_argument("--election-year", type=parse_year, required=True, metavar="YEAR",
                         help=help_text("publish_election_year"))
    publish.add_argument("--out-dir", type=nonempty_path, required=True, metavar="DIR",
                         help=help_text("publish_out_dir"))
    publish.add_argument("--model", choices=PROCESS_MODELS, default="samskaping",
                         help=help_text("opt_model"))
    publish.add_argument("--lang", choices=LANGUAGES, default="nb",
                         help=help_text("publish_lang"))
    publish.add_argument("--alarms", default="", metavar="DAYS",
                         help=help_text("publish_alarms"))
    publish.add_argument("--jobs", type=parse_integer, metavar="N",
                         help=help_text("publish_jobs", limit=MAX_JOBS, per_core=JOBS_PER_CORE))
    publish.add_argument("--force", action="store_true",
                         help=help_text("publish_force"))
    publish.add_argument("--quiet", action="store_true", help=help_text("publish_quiet"))
    add_feed_config(publish)
    add_terms_options(publish, per_request=False)
    publish.set_defaults(handler=run_publish)


def add_terms_options(parser: argparse.ArgumentParser, *, per_request: bool) -> None:
    """``--terms-dir`` and ``--today`` (``clock``: the UTC date when publishing, or, for the
    server, at each request)."""
    parser.add_argument("--terms-dir", type=nonempty_path, metavar="DIR",
                        help=help_text("feed_terms_dir"))
    parser.add_argument("--today", metavar="YYYY-MM-DD|clock",
                        help=help_text("feed_today_per_request" if per_request
                                       else "feed_today_once"))
    parser.set_defaults(today_per_request=per_request)


def with_terms(config: FeedConfig, args: argparse.Namespace) -> FeedConfig:
    """``config`` with the folder of term files and the day of ``--today``, checked now."""
    folder: Path | None = args.terms_dir
    if folder is not None and not is_folder(folder, "--terms-dir"):
        raise InputError(key="feed_terms_dir", folder=shown(folder))
    today: dt.date | None = None
    clock: Callable[[], dt.date] | None = None
    text: str | None = args.today
    if text == "clock" and args.today_per_request:
        clock = utc_today
    elif text == "clock":
        today = utc_today()
    elif text is not None:
        try:
            today = dt.date.fromisoformat(text)
        except ValueError:
            raise InputError(key="feed_today", value=text[:20]) from None
    return dataclasses.replace(config, terms_dir=folder.resolve() if folder else None,
                               today=today, clock=clock)


def owners() -> list[Owner]:
    """Every feed to publish: the municipalities, then the county authorities."""
    return [("k", m.number) for m in municipalities()] + [
        ("f", c.number) for c in counties() if c.has_county_authority]


def feed_path(out_dir: Path, owner: Owner) -> Path:
    kind, number = owner
    return out_dir / "feeds" / (f"{number}.ics" if kind == "k" else f"fylke/{number}.ics")


class Progress:
    """``done/total`` on one rewritten line of a terminal; silent when ``enabled`` is false."""

    def __init__(self, total: int, stream: TextIO, *, enabled: bool) -> None:
        self.total, self.stream, self.enabled, self.done = total, stream, enabled, 0

    def advance(self, count: int) -> None:
        self.done += count
        if self.enabled:
            self.stream.write(f"\rplancycle publish: {self.done}/{self.total}")
            self.stream.flush()

    def finish(self) -> None:
        if self.enabled:
            self.stream.write("\n")
            self.stream.flush()


def run_publish(args: argparse.Namespace) -> int:
    config = with_terms(feed_config_from_args(args, election_year=args.election_year,
                                              cache_size=0), args)
    options = FeedOptions(election_year=args.election_year, model=args.model, lang=args.lang,
                          alarms=parse_alarms(args.alarms))
    jobs = check_jobs(args.jobs if args.jobs is not None else min(available_cores(), MAX_JOBS),
                      force=args.force)
    out_dir: Path = args.out_dir
    try:
        (out_dir / "feeds" / "fylke").mkdir(parents=True, exist_ok=True)
    except (OSError, ValueError) as exc:
        raise InputError(key="publish_out_dir", folder=shown(out_dir),
                         reason=reason(exc)) from None
    todo = owners()
    progress = Progress(len(todo), sys.stderr, enabled=sys.stderr.isatty() and not args.quiet)
    warnings = publish_feeds(config, options, out_dir, todo, jobs, progress)
    progress.finish()
    if config.terms_dir is not None:  # term files left out: their owners' feeds are the plan
        warnings[:0] = [p.message(args.lang) for p in load_terms(config.terms_dir).problems]
    index = render_index(options, "", base_url=config.base_url, default_year=options.election_year,
                         revised=dtstamp().date(), static=True)
    _write(out_dir / "index.html", index)
    if not args.quiet:
        for message in warnings:
            warn(message)
        print(label("publish_done", args.lang, count=len(todo), folder=str(out_dir)),
              file=sys.stderr)
    return 0


def publish_feeds(config: FeedConfig, options: FeedOptions, out_dir: Path, todo: list[Owner],
                  jobs: int, progress: Progress) -> list[str]:
    """Write the feeds of ``todo``, in ``jobs`` processes; the meeting-plan warnings, once each."""
    warnings: dict[str, None] = {}
    size = max(1, min(32, len(todo) // (jobs * 4)))
    chunks = [todo[i:i + size] for i in range(0, len(todo), size)]
    jobs = min(jobs, len(chunks))  # an idle worker is a process for nothing
    if jobs <= 1:
        _start_worker(config, options, out_dir)
        for owner in todo:
            warnings.update(dict.fromkeys(_publish([owner])))
            progress.advance(1)
        return list(warnings)
    # Build one feed of each kind first: forked workers inherit the serialised events and the
    # schedules, so they mostly join bytes and write files.
    warm = FeedBuilder(config)
    for kind in dict.fromkeys(kind for kind, _ in todo):
        number = next(n for k, n in todo if k == kind)
        warm.feed(_owner(kind, number), options)
    # Forked on Linux (the workers inherit the warm builder; a forkserver would be their parent
    # instead of this process, see die_with_parent); elsewhere the platform's default.
    context = multiprocessing.get_context("fork") if sys.platform == "linux" else None
    try:
        with ProcessPoolExecutor(max_workers=jobs, mp_context=context,
                                 initializer=_start_worker,
                                 initargs=(config, options, out_dir, os.getpid())) as pool:
            try:
                futures = {pool.submit(_publish, chunk): len(chunk) for chunk in chunks}
                for future in as_completed(futures):
                    warnings.update(dict.fromkeys(future.result()))
                    progress.advance(futures[future])
            except BaseException:
                # Nothing new starts; the chunks being written finish, so no file is left
                # half-written or as a stray temporary file.
                pool.shutdown(wait=True, cancel_futures=True)
                raise
    except (OSError, BrokenProcessPool) as exc:  # a worker could not start, or was killed
        stop_workers()
        raise InputError(key="publish_workers_failed", jobs=jobs, reason=reason(exc)) from None
    return list(warnings)


def _write(path: Path, data: bytes) -> None:
    """``write_atomic``, any failure an :class:`InputError` naming the file."""
    try:
        write_atomic(path, data)
    except (OSError, ValueError) as exc:
        raise InputError(key="publish_write", file=shown(path), reason=reason(exc)) from None


_worker: tuple[FeedBuilder, FeedOptions, Path] | None = None


def _owner(kind: str, number: str) -> Municipality | County:
    return find_municipality(number) if kind == "k" else find_county(number)


def _start_worker(config: FeedConfig, options: FeedOptions, out_dir: Path,
                  parent: int | None = None) -> None:
    """Set up a worker (or this process, with ``parent`` None): its feed builder; in a worker
    process, tied to the life of ``parent``, the publishing process."""
    global _worker
    if parent is not None:
        die_with_parent(parent)
    _worker = (FeedBuilder(config), options, out_dir)


def _publish(chunk: list[Owner]) -> list[str]:
    """Build and write the feeds of ``chunk`` (in a worker process); their warnings."""
    assert _worker is not None, "worker not started"
    builder, options, out_dir = _worker
    warnings: list[str] = []
    for kind, number in chunk:
        document = builder.feed(_owner(kind, number), options)
        _write(feed_path(out_dir, (kind, number)), document.body)
        warnings.extend(document.warnings)
    return warnings
