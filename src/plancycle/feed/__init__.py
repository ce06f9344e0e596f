"""Calendar subscriptions: the feed server (WSGI), importable as ``plancycle.feed``.

``plancycle.feed.application`` is a ready WSGI callable with the default configuration (every
municipality and county authority, no meeting plans, no register); ``make_app(FeedConfig(...))``
builds one for a configuration. Mount either in any WSGI server, or run ``plancycle serve``.

Modules: :mod:`.app` (routes and HTTP), :mod:`.render` (feed documents, shared with
``plancycle publish``), :mod:`.index` (the index page), :mod:`.query` (URL options),
:mod:`.register` (the dated history of decisions), :mod:`.terms` (followed terms, whose
calendars replace the plan feeds of their owners), :mod:`.names` (meeting-plan names),
:mod:`.cache` (the LRU cache), :mod:`.config` and :mod:`.server` (the stdlib server).
"""

from __future__ import annotations

from plancycle.feed.app import FeedApp, make_app
from plancycle.feed.config import FeedConfig, default_election_year
from plancycle.feed.query import FeedOptions
from plancycle.feed.render import Document, FeedBuilder
from plancycle.feed.server import feed_server, serve_in_thread

__all__ = ["Document", "FeedApp", "FeedBuilder", "FeedConfig", "FeedOptions", "application",
           "default_election_year", "feed_server", "make_app", "serve_in_thread"]

#: The WSGI application with the default configuration.
application = make_app()
