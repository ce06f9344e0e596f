"""Running the service on uvicorn: the server's limits, the access log without query strings,
and the settings ``plancycle serve`` hands its worker processes through the environment.

Limits (issue 9: bounded headers and bodies, idle connections time out): a request head (request
line and headers) of at most :data:`MAX_HEADER_BYTES`, sent within :data:`HEAD_TIMEOUT` seconds
(httptools, with the bounds :class:`plancycle.service.protocol.BoundedHttpToolsProtocol` adds:
uvicorn gives httptools neither), :data:`KEEP_ALIVE` seconds for an idle connection
(``timeout_keep_alive``), at most :data:`CONCURRENCY` connections per worker
(``limit_concurrency``: more get 503), the body limit of :class:`ServiceConfig`. The access log
never shows a query string (a token sent there by mistake is refused and not logged) and
uvicorn logs no headers, so an ``Authorization`` header never reaches a log.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import logging
import os
from pathlib import Path
from typing import Any

from plancycle.errors import InputError
from plancycle.service.config import ServiceConfig

MAX_HEADER_BYTES = 16_384
KEEP_ALIVE = 5
#: Seconds a connection has to send a whole request head, from connecting or the last answer.
HEAD_TIMEOUT = 10
CONCURRENCY = 1000
#: The environment variable carrying the settings to the workers (JSON, see :func:`settings_env`).
SETTINGS_VARIABLE = "PLANCYCLE_SERVICE_SETTINGS"


class RedactQuery(logging.Filter):
    """Drops the query string from uvicorn's access-log lines (``?…`` stays as a mark)."""

    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args
        if isinstance(args, tuple) and len(args) >= 3 and isinstance(args[2], str) \
                and "?" in args[2]:
            record.args = (*args[:2], args[2].split("?", 1)[0] + "?…", *args[3:])
        return True


def log_config(*, quiet: bool) -> dict[str, Any]:
    """uvicorn's logging configuration with :class:`RedactQuery` on the access log, all on
    stderr; ``quiet``: warnings only."""
    from uvicorn.config import LOGGING_CONFIG

    config = copy.deepcopy(LOGGING_CONFIG)
    config["filters"] = {"redact": {"()": f"{__name__}.RedactQuery"}}
    config["handlers"]["access"]["filters"] = ["redact"]
    config["handlers"]["access"]["stream"] = "ext://sys.stderr"
    if quiet:
        for name in ("uvicorn", "uvicorn.error", "uvicorn.access"):
            config["loggers"][name]["level"] = "WARNING"
    return config


def settings_env(config: ServiceConfig, *, today_clock: bool) -> str:
    """The JSON of ``config``'s settings for :func:`config_from_env` (``today_clock``: the day
    is read at each request)."""
    return json.dumps({
        "base_url": config.base_url,
        "meetings_dir": str(config.meetings_dir) if config.meetings_dir else None,
        "meeting_pattern": config.meeting_pattern,
        "election_year": config.election_year,
        "cache_size": config.cache_size,
        "today": "clock" if today_clock else (config.today.isoformat() if config.today else None),
        "max_body_bytes": config.max_body_bytes,
    })


def config_from_env() -> ServiceConfig:
    """The :class:`ServiceConfig` of ``PLANCYCLE_SERVICE_SETTINGS`` (defaults without it), with
    the system clock (this is the process's edge, as the command line is)."""
    from plancycle.clock import utc_now, utc_today

    text = os.environ.get(SETTINGS_VARIABLE) or "{}"
    try:
        data = json.loads(text)
        if not isinstance(data, dict):
            raise ValueError(text[:40])
    except ValueError:
        raise InputError(key="service_settings", variable=SETTINGS_VARIABLE) from None
    today = data.get("today")
    return ServiceConfig(
        base_url=data.get("base_url"),
        meetings_dir=Path(data["meetings_dir"]) if data.get("meetings_dir") else None,
        meeting_pattern=data.get("meeting_pattern"),
        election_year=data.get("election_year"),
        cache_size=data.get("cache_size", 512),
        today=dt.date.fromisoformat(today) if today and today != "clock" else None,
        today_clock=utc_today if today == "clock" else None,
        max_body_bytes=data.get("max_body_bytes", ServiceConfig.max_body_bytes),
        clock=utc_now,
    )
