"""The plan service as an ASGI application: :func:`create_app` for a store, or
:func:`app_from_env` for ``uvicorn --factory``.

One application serves the feed server's routes (the same URLs, options and bytes, now with the
followed terms and the register from the database), the JSON API (:mod:`.api`), the planner's
page (:mod:`.page`), ``/openapi.json`` and ``/docs``. Mount it in another ASGI application
(``outer.mount("/plan", create_app(config, store))``) or run ``plancycle serve``.
"""

from __future__ import annotations

import importlib.util
import os
from typing import TYPE_CHECKING

from fastapi import FastAPI

from plancycle import __version__
from plancycle.service import handlers
from plancycle.service.api import router
from plancycle.service.config import ServiceConfig
from plancycle.service.front import FrontMiddleware, Receive, Scope, Send, is_feed_path
from plancycle.service.service import Service

if TYPE_CHECKING:
    from plancycle.store import Store

#: The environment variable naming the database (as ``plancycle serve --database``).
DATABASE_VARIABLE = "PLANCYCLE_DATABASE"


class ServiceApp(FastAPI):
    """FastAPI with the feed routes answered first, before FastAPI's own layers (error
    middleware, telemetry, routing): a subscriber's poll of an unchanged feed costs a lookup
    (:meth:`plancycle.service.front.FrontMiddleware.feed`). Every other request goes through
    FastAPI and the body limit as before."""

    front: FrontMiddleware | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        front = self.front
        if front is not None and scope["type"] == "http" and is_feed_path(scope["path"]):
            await front.feed(scope, send)
            return
        await super().__call__(scope, receive, send)


def create_app(config: ServiceConfig, store: Store) -> FastAPI:
    """The service for ``store`` (at the schema's head: checked here, a
    :class:`~plancycle.store.SchemaMismatchError` otherwise) and ``config``;
    ``app.state.service`` is its :class:`~plancycle.service.service.Service`."""
    store.check_revision()
    service = Service(config, store)
    app = ServiceApp(title="plancycle plan service", version=__version__,
                  description="Followed terms of Norwegian municipalities and county "
                              "authorities: status, recorded facts, audit trail and calendar "
                              "feeds. Reads are public; writes need a bearer token.")
    app.state.service = service
    app.include_router(router)
    if importlib.util.find_spec("plancycle.service.page") is not None:
        from plancycle.service.page import router as page_router

        app.include_router(page_router)
    app.include_router(importlib.import_module("plancycle.service.plans_page").router)
    handlers.install(app)
    app.add_middleware(FrontMiddleware, feeds=service.feeds,
                       max_body_bytes=config.max_body_bytes)  # the body limit, for the rest
    app.front = FrontMiddleware(app.router, feeds=service.feeds,
                                max_body_bytes=config.max_body_bytes, stamp=service.feed_stamp,
                                cache_size=config.cache_size)
    return app


def app_from_env() -> FastAPI:
    """The service on the database of ``PLANCYCLE_DATABASE`` (default
    ``sqlite:///plancycle.db``) with the settings ``plancycle serve`` passes its workers
    (:func:`plancycle.service.settings.config_from_env`); for ``uvicorn --factory
    plancycle.service:app_from_env``."""
    from plancycle.service.settings import config_from_env
    from plancycle.store import DEFAULT_DATABASE, Store

    store = Store.open(os.environ.get(DATABASE_VARIABLE) or DEFAULT_DATABASE)
    return create_app(config_from_env(), store)
