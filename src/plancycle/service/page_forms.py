"""The page's form posts: a bounded URL-encoded body, the same-host check and the fields.

CSRF defence is two layers: the token cookie is ``SameSite=Strict`` (a cross-site post carries no
token), and every post must carry an ``Origin`` (or, without it, a ``Referer``) naming the host it
was sent to; a post with neither is refused too (every current browser sends ``Origin`` on a form
post). Bodies are read up to a limit and never parsed beyond a few fields.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from urllib.parse import parse_qsl, urlsplit

from starlette.requests import Request

from plancycle.errors import InputError

#: The fields a page form may carry, and how long each may be (characters).
FIELD_LIMITS = {"token": 200, "milestone": 120, "date": 10, "end": 10, "replace": 5,
                "source": 500}
_MAX_FIELDS = 12
_ISO_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


class FormRefused(Exception):
    """A post the page does not accept: the HTTP status and the error (a catalogue key)."""

    def __init__(self, status: int, error: InputError) -> None:
        super().__init__(str(error))
        self.status = status
        self.error = error


def check_same_host(request: Request) -> None:
    """Refuse (403) a post whose ``Origin`` (else ``Referer``) is not this request's host."""
    host = request.headers.get("host", "")
    origin = request.headers.get("origin") or request.headers.get("referer") or ""
    seen = urlsplit(origin).netloc if origin and origin != "null" else ""
    if not host or seen.lower() != host.lower():
        raise FormRefused(403, InputError(key="page_cross_site", origin=(origin or "-")[:80],
                                          host=host[:80] or "-"))


async def read_form(request: Request, limit: int) -> dict[str, str]:
    """The URL-encoded form of ``request``: at most ``limit`` bytes, only the known fields, each
    within :data:`FIELD_LIMITS` (413, 415, 400 otherwise)."""
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if kind != "application/x-www-form-urlencoded":
        raise FormRefused(415, InputError(key="page_form_type", given=kind[:60] or "-"))
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise FormRefused(413, InputError(key="page_form_too_big", limit=limit))
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > limit:
            raise FormRefused(413, InputError(key="page_form_too_big", limit=limit))
    try:
        pairs = parse_qsl(bytes(body).decode("utf-8"), keep_blank_values=True,
                          max_num_fields=_MAX_FIELDS, errors="strict")
    except (UnicodeDecodeError, ValueError) as exc:
        raise FormRefused(400, InputError(key="page_form_unreadable")) from exc
    form: dict[str, str] = {}
    for name, value in pairs:
        allowed = FIELD_LIMITS.get(name)
        if allowed is None:
            continue
        if len(value) > allowed:
            raise FormRefused(400, InputError(key="page_field_too_long", field=name,
                                              limit=allowed))
        form[name] = value.strip()
    return form


def form_date(form: Mapping[str, str], name: str, *, required: bool) -> dt.date | None:
    """The ``YYYY-MM-DD`` field ``name`` (None when empty and not required)."""
    text = form.get(name, "")
    if not text:
        if required:
            raise InputError(key="page_field_missing", field=name)
        return None
    return parse_day(text, name)


def parse_day(text: str, name: str) -> dt.date:
    """``YYYY-MM-DD`` as a date, or an :class:`InputError` naming ``name``."""
    if _ISO_DAY.fullmatch(text):
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            pass
    raise InputError(key="page_bad_date", field=name, value=text[:20])
