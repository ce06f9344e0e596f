"""``plancycle token``: the plan service's bearer tokens (issue 9). ``create`` prints a new random
token once (alone on the first line of stdout) and stores only its hash; ``list`` shows what is
stored (never a token); ``revoke`` ends one. Writes need a token for the owner, or an admin one."""

from __future__ import annotations

import argparse
from typing import Any

from plancycle.clock import utc_now
from plancycle.commands._options import nonempty, parse_integer
from plancycle.commands._texts import help_text
from plancycle.commands.db import add_database, open_store
from plancycle.i18n import label


def register(commands: Any) -> None:
    token = commands.add_parser("token", help=help_text("command_token"),
                                description=help_text("token_description"))
    actions = token.add_subparsers(dest="token_command", required=True, metavar="ACTION",
                                   parser_class=type(token))
    create = actions.add_parser(
        "create", help=help_text("token_create"),
        description=help_text("token_create_description"))
    owner = create.add_mutually_exclusive_group(required=True)
    owner.add_argument("--municipality", type=nonempty, metavar="NUMBER",
                       help=help_text("token_municipality"))
    owner.add_argument("--county", type=nonempty, metavar="NUMBER",
                       help=help_text("token_county"))
    owner.add_argument("--admin", action="store_true", help=help_text("token_admin"))
    create.add_argument("--label", type=nonempty, metavar="TEXT",
                        help=help_text("token_label"))
    add_database(create)
    create.set_defaults(handler=run_create)
    listing = actions.add_parser("list", help=help_text("token_list"),
                                 description=help_text("token_list"))
    add_database(listing)
    listing.set_defaults(handler=run_list)
    revoke = actions.add_parser("revoke", help=help_text("token_revoke"),
                                 description=help_text("token_revoke"))
    revoke.add_argument("token_id", type=parse_integer, metavar="ID", help=help_text("token_id"))
    add_database(revoke)
    revoke.set_defaults(handler=run_revoke)


def run_create(args: argparse.Namespace) -> int:
    store = open_store(args)
    try:
        if args.admin:
            token, info = store.create_token("admin", label=args.label, now=utc_now())
        elif args.municipality is not None:
            token, info = store.create_token("municipality", args.municipality, label=args.label,
                                             now=utc_now())
        else:
            token, info = store.create_token("county", args.county, label=args.label, now=utc_now())
    finally:
        store.close()
    print(token)
    print(label("token_created", args.lang, id=info.id, scope=info.scope, owner=info.owner or "*"))
    return 0


def run_list(args: argparse.Namespace) -> int:
    store = open_store(args)
    try:
        tokens = store.tokens()
    finally:
        store.close()
    if not tokens:
        print(label("token_list_empty", args.lang, url=store.url))
        return 0
    print(label("token_list_header", args.lang))
    for info in tokens:
        print("\t".join((str(info.id), info.scope, info.owner or "*", info.label or "",
                         info.created.isoformat(),
                         info.revoked.isoformat() if info.revoked else "")))
    return 0


def run_revoke(args: argparse.Namespace) -> int:
    store = open_store(args)
    try:
        info = store.revoke_token(args.token_id, now=utc_now())
    finally:
        store.close()
    assert info.revoked is not None
    print(label("token_revoked", args.lang, id=info.id, scope=info.scope, owner=info.owner or "*",
                revoked=info.revoked.isoformat()))
    return 0
