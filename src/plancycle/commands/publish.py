"""``plancycle publish``: every municipality's and county authority's feed, and the index page,
as files for any static web host (``index.html``, ``feeds/<number>.ics``,
``feeds/fylke/<number>.ics``). The bytes equal what ``plancycle serve`` answers for the same
options; feeds are built on all cores and each file is written atomically. With ``--terms-dir``,
a followed term's calendar replaces the plan feed of its owner for the published year."""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import os
import sys
from concurrent.futures import ProcessPoolExecutor, as_completed
from pathlib import Path
from typing import Any, TextIO

from plancycle.commands._options import (
    add_feed_config,
    feed_config_from_args,
    parse_year,
    warn,
)
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
from plancycle.output import write_atomic
from plancycle.processes import PROCESS_MODELS

Owner = tuple[str, str]  # ("k", kommunenummer) or ("f", fylkesnummer)


def register(commands: Any) -> None:
    publish = commands.add_parser("publish", help="write every feed and the index page as files")
    publish.add_argument("--election-year", type=parse_year, required=True, metavar="YEAR",
                         help="municipal election year of the term to publish")
    publish.add_argument("--out-dir", type=Path, required=True, metavar="DIR",
                         help="folder to write into (created if missing)")
    publish.add_argument("--model", choices=PROCESS_MODELS, default="samskaping",
                         help="process model (default: samskaping)")
    publish.add_argument("--lang", choices=LANGUAGES, default="nb",
                         help="language of the calendars and the index (default: nb)")
    publish.add_argument("--alarms", default="", metavar="DAYS",
                         help="reminders, days before each deadline, e.g. 14,1 (default: none)")
    publish.add_argument("--jobs", type=int, metavar="N",
                         help="processes to use (default: all cores)")
    publish.add_argument("--quiet", action="store_true", help="no progress or summary on stderr")
    add_feed_config(publish)
    add_terms_options(publish, per_request=False)
    publish.set_defaults(handler=run_publish)


def add_terms_options(parser: argparse.ArgumentParser, *, per_request: bool) -> None:
    """``--terms-dir`` and ``--today`` (``clock``: the UTC date when publishing, or, for the
    server, at each request)."""
    parser.add_argument("--terms-dir", type=Path, metavar="DIR",
                        help="folder of term files (*.toml): a followed term's calendar (done "
                             "milestones on their actual dates) replaces the plan feed of its "
                             "municipality or county and election year")
    parser.add_argument("--today", metavar="YYYY-MM-DD|clock",
                        help="flag the followed terms' milestones overdue as of this day (clock: "
                             + ("the UTC date of each request" if per_request
                                else "today's UTC date") + "; default: none flagged)")
    parser.set_defaults(today_per_request=per_request)


def with_terms(config: FeedConfig, args: argparse.Namespace) -> FeedConfig:
    """``config`` with the folder of term files and the day of ``--today``, checked now."""
    folder: Path | None = args.terms_dir
    if folder is not None and not folder.is_dir():
        raise InputError(key="feed_terms_dir", folder=str(folder))
    today: dt.date | None = None
    clock = False
    text: str | None = args.today
    if text == "clock" and args.today_per_request:
        clock = True
    elif text == "clock":
        today = dt.datetime.now(dt.UTC).date()
    elif text is not None:
        try:
            today = dt.date.fromisoformat(text)
        except ValueError:
            raise InputError(key="feed_today", value=text[:20]) from None
    return dataclasses.replace(config, terms_dir=folder.resolve() if folder else None,
                               today=today, today_from_clock=clock)


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
    jobs = args.jobs if args.jobs is not None else (os.cpu_count() or 1)
    if jobs < 1:
        raise InputError(key="publish_jobs", jobs=jobs)
    out_dir: Path = args.out_dir
    try:
        (out_dir / "feeds" / "fylke").mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(key="publish_out_dir", folder=str(out_dir),
                         reason=exc.strerror or str(exc)) from None
    todo = owners()
    progress = Progress(len(todo), sys.stderr, enabled=sys.stderr.isatty() and not args.quiet)
    warnings = publish_feeds(config, options, out_dir, todo, jobs, progress)
    progress.finish()
    if config.terms_dir is not None:  # term files left out: their owners' feeds are the plan
        warnings[:0] = [p.message(args.lang) for p in load_terms(config.terms_dir).problems]
    index = render_index(options, "", base_url=config.base_url, default_year=options.election_year,
                         revised=dtstamp().date(), static=True)
    write_atomic(out_dir / "index.html", index)
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
    if jobs == 1:
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
    size = max(1, min(32, len(todo) // (jobs * 4)))
    chunks = [todo[i:i + size] for i in range(0, len(todo), size)]
    with ProcessPoolExecutor(max_workers=jobs, initializer=_start_worker,
                             initargs=(config, options, out_dir)) as pool:
        futures = {pool.submit(_publish, chunk): len(chunk) for chunk in chunks}
        for future in as_completed(futures):
            warnings.update(dict.fromkeys(future.result()))
            progress.advance(futures[future])
    return list(warnings)


_worker: tuple[FeedBuilder, FeedOptions, Path] | None = None


def _owner(kind: str, number: str) -> Municipality | County:
    return find_municipality(number) if kind == "k" else find_county(number)


def _start_worker(config: FeedConfig, options: FeedOptions, out_dir: Path) -> None:
    global _worker
    _worker = (FeedBuilder(config), options, out_dir)


def _publish(chunk: list[Owner]) -> list[str]:
    """Build and write the feeds of ``chunk`` (in a worker process); their warnings."""
    assert _worker is not None, "worker not started"
    builder, options, out_dir = _worker
    warnings: list[str] = []
    for kind, number in chunk:
        document = builder.feed(_owner(kind, number), options)
        write_atomic(feed_path(out_dir, (kind, number)), document.body)
        warnings.extend(document.warnings)
    return warnings
