"""``plancycle serve``: the feed server on the standard library's threading WSGI server."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from plancycle.commands._options import add_feed_config, feed_config_from_args, parse_year
from plancycle.commands.publish import add_terms_options, with_terms
from plancycle.errors import InputError
from plancycle.feed import feed_server, make_app
from plancycle.i18n import LANGUAGES, label


def register(commands: Any) -> None:
    serve = commands.add_parser("serve", help="serve every calendar as a subscribable feed")
    serve.add_argument("--host", default="127.0.0.1",
                       help="address to listen on (default: 127.0.0.1)")
    serve.add_argument("--port", type=int, default=8080, help="port (default: 8080; 0: any free)")
    serve.add_argument("--election-year", type=parse_year, metavar="YEAR",
                       help="term shown when a request names none (default: the coming term "
                            "when the rules were last checked)")
    serve.add_argument("--cache-size", type=int, default=512, metavar="N",
                       help="generated feeds kept in memory (default: 512; 0: none)")
    serve.add_argument("--lang", choices=LANGUAGES, default="nb",
                       help="language of the start-up message (default: nb)")
    serve.add_argument("--quiet", action="store_true", help="no access log on stderr")
    add_feed_config(serve)
    add_terms_options(serve, per_request=True)
    serve.set_defaults(handler=run_serve)


def run_serve(args: argparse.Namespace) -> int:
    config = with_terms(feed_config_from_args(args, election_year=args.election_year,
                                              cache_size=args.cache_size), args)
    app = make_app(config)
    app.builder.terms()  # term files left out are named at start, not on a subscriber's request
    for problem in app.builder.take_problems():
        print(f"plancycle: warning: {problem.message(args.lang)}", file=sys.stderr)
    try:
        server = feed_server(app, args.host, args.port, quiet=args.quiet)
    except (OSError, OverflowError) as exc:
        reason = getattr(exc, "strerror", None) or str(exc)
        raise InputError(key="feed_listen", host=args.host, port=args.port, reason=reason) from None
    host, port = str(server.server_address[0]), server.server_port
    url = f"http://{'[' + host + ']' if ':' in host else host}:{port}/"
    print(label("feed_serving", args.lang, url=url), file=sys.stderr, flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0
