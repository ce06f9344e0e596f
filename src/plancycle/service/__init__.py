"""The plan service (issue 9): followed terms in a database behind a JSON API, the feeds and the
planner's page, as one ASGI application. Needs the ``service`` extra (FastAPI, uvicorn,
SQLAlchemy); ``import plancycle`` does not import this package.

- :func:`create_app` (``create_app(ServiceConfig(clock=...), Store.open(url))``): the
  application, to mount in another ASGI application or run on any ASGI server;
- :func:`app_from_env`: the same for ``uvicorn --factory plancycle.service:app_from_env``, on
  the database of ``PLANCYCLE_DATABASE``;
- ``plancycle serve``: runs it on uvicorn (:mod:`plancycle.commands.serve`).

The file-based WSGI feed server stays as it was: ``plancycle.feed.application``.

Modules: :mod:`.app` (the application), :mod:`.api` (the JSON API), :mod:`.service` (what the
routes call: access, records, caches), :mod:`.sources` (the database as the feeds' source),
:mod:`.front` (the lean feed path and body limits), :mod:`.handlers` (statuses and one-line
errors), :mod:`.models` (bodies), :mod:`.config`, :mod:`.settings` (uvicorn and the worker
environment), :mod:`.page` (the planner's web page).
"""

from __future__ import annotations

from plancycle.service.app import app_from_env, create_app
from plancycle.service.config import ServiceConfig
from plancycle.service.models import FactIn
from plancycle.service.service import AuthRequired, Forbidden, NotFound, Service

__all__ = ["AuthRequired", "FactIn", "Forbidden", "NotFound", "Service", "ServiceConfig",
           "app_from_env", "create_app"]
