"""The planner's page as HTML: a followed term at a glance and, with a write token, the record form.

Pure rendering (no request, no clock, no database): :class:`PageView` in, one HTML5 document out.
The page has no script at all and one inline style, allowed by its hash in
:data:`CONTENT_SECURITY_POLICY` (like the index page, :mod:`plancycle.feed.index`); it fits a
390-pixel screen (tables reflow into labelled blocks below 40rem). Every text comes from the
catalogue (``texts_page.toml``); everything from the term or the request is escaped.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from html import escape
from urllib.parse import urlencode

from plancycle.i18n import LANGUAGES, Language, label
from plancycle.machine import Violation
from plancycle.term import TermMilestone, TermStatus

#: How many planned milestones "next" shows.
NEXT_COUNT = 5

_STYLE = """
*,*::before,*::after{box-sizing:border-box}[hidden]{display:none!important}
body{font-family:system-ui,sans-serif;margin:0 auto;max-width:60rem;padding:1rem 1.5rem;color:#1b1b1b;
background:#fff;line-height:1.45}
h1{font-size:1.5rem;margin:.5rem 0}h2{font-size:1.2rem;margin:2rem 0 .4rem}
a{color:#0b5394;overflow-wrap:anywhere}code{overflow-wrap:anywhere;font-size:.8rem;color:#555}
nav ul,ul.counts{list-style:none;padding:0;display:flex;flex-wrap:wrap;gap:.4rem 1rem}
ul.counts li{background:#eef3f8;border-radius:.4rem;padding:.4rem .7rem;min-width:6.5rem}
ul.counts b{display:block;font-size:1.4rem}ul.counts li.bad{background:#fbe9e7}
.notice,.error{padding:.6rem .8rem;border-radius:.4rem;margin:1rem 0}
.notice{background:#e6f4ea;border-left:.3rem solid #1e7d3a}
.error{background:#fbe9e7;border-left:.3rem solid #b3261e}
table{border-collapse:collapse;width:100%}
th,td{text-align:left;vertical-align:top;padding:.3rem .5rem;border-bottom:1px solid #d8dee4}
td{overflow-wrap:anywhere}
th{background:#f6f8fa}td.day{white-space:nowrap;font-variant-numeric:tabular-nums}
.note{color:#555;font-size:.9rem}
form{background:#eef3f8;padding:.8rem;border-radius:.4rem;margin:.6rem 0;display:flex;
flex-direction:column;gap:.6rem;align-items:flex-start}
label{display:flex;flex-direction:column;font-size:.9rem;width:100%;max-width:36rem}
label.check{flex-direction:row;gap:.5rem;align-items:center}
input,select,button{font:inherit;padding:.3rem .4rem;max-width:100%}
input[type=checkbox]{width:auto}select,input[type=text],input[type=password],input[type=date]{width:100%}
button{background:#0b5394;color:#fff;border:0;border-radius:.3rem;padding:.4rem 1rem}
button.quiet{background:#fff;color:#0b5394;border:1px solid #0b5394}
footer{margin-top:2rem;font-size:.85rem;color:#555}
@media (max-width:40rem){body{padding:.75rem}
thead{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}
table,tbody,tr,td{display:block;width:auto}tr{border-bottom:1px solid #d8dee4;padding:.4rem 0}
td{border:0;padding:.1rem 0}td:empty{display:none}
td[data-label]::before{content:attr(data-label) ": ";color:#555}}
""".strip()


def _hash(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


#: The page's Content-Security-Policy: its own inline style and nothing else (no script).
CONTENT_SECURITY_POLICY = (f"default-src 'none'; style-src {_hash(_STYLE)}; form-action 'self'; "
                           "base-uri 'none'; frame-ancestors 'none'")


@dataclass(frozen=True)
class PagePaths:
    """The page's own URL paths (with the app's root path, without a query)."""

    page: str
    api: str
    index: str

    @property
    def token(self) -> str:
        return self.page + "/token"

    @property
    def record(self) -> str:
        return self.page + "/record"

    @property
    def logout(self) -> str:
        return self.page + "/logout"


@dataclass(frozen=True)
class PageView:
    """What one rendering of the page shows.

    ``writer``: the label of the cookie's token when it may write for this owner ("" for a token
    without a label), None when there is no usable token; ``cookie_unusable`` when the cookie
    holds a token that cannot write here (unknown, revoked, another owner's): the page offers
    to forget it. ``notice``/``error``: the one-line outcome of the last action.
    ``form``: values to put back in the record form (after a refused fact).
    """

    status: TermStatus
    lang: Language
    paths: PagePaths
    links: Mapping[str, str]
    today: dt.date | None = None
    writer: str | None = None
    cookie_unusable: bool = False
    notice: str | None = None
    error: str | None = None
    form: Mapping[str, str] = field(default_factory=dict)


def long_date(day: dt.date, lang: Language) -> str:
    """``15. juni 2028`` (nb, nn) or ``15 June 2028`` (en)."""
    months = label("month_names", lang).split()
    return (f"{day.day}. {months[day.month - 1]} {day.year}" if lang != "en"
            else f"{day.day} {months[day.month - 1]} {day.year}")


def owner_name(status: TermStatus, lang: Language) -> str:
    """``Stavanger kommune`` / ``Rogaland fylkeskommune`` (unescaped)."""
    if status.county is not None:
        return label("page_owner_county", lang, name=status.county.name)
    assert status.municipality is not None  # a stored term always has an owner
    return label("page_owner_municipality", lang, name=status.municipality.name)


def page_query(lang: Language, today: dt.date | None, **extra: str) -> str:
    """The page's query string (``?lang=en&today=…``), empty for the defaults."""
    fields: dict[str, str] = {"lang": lang} if lang != "nb" else {}
    if today is not None:
        fields["today"] = today.isoformat()
    fields.update(extra)
    return "?" + urlencode(fields) if fields else ""


def render_page(view: PageView) -> str:
    """The whole page (see the module doc)."""
    status, lang = view.status, view.lang
    owner = owner_name(status, lang)
    period_end = status.election_year + 4
    heading = label("page_heading", lang, owner=owner, start=status.election_year, end=period_end)
    by_status: dict[str, list[TermMilestone]] = {"done": [], "in_progress": [], "overdue": [],
                                                 "planned": []}
    for m in status.milestones:
        by_status[m.status].append(m)
    planned = sorted(by_status["planned"], key=lambda m: (m.start, m.id))
    out = _head(lang, heading)
    out += [
        "<header>",
        _languages(view),
        f"<h1>{escape(heading)}</h1>",
        "<p>" + escape(label("page_as_of", lang, date=long_date(status.today, lang),
                             year=status.election_year)) + "</p>",
        "</header>",
        "<main>",
    ]
    if view.notice:
        out.append(f'<p class="notice" role="status">{escape(view.notice)}</p>')
    if view.error:
        out.append(f'<p class="error" role="alert">{escape(view.error)}</p>')
    out += _counts(view, by_status)
    out += _milestone_section("overdue", lang, by_status["overdue"], ("date", "what", "due"),
                              intro=label("page_overdue_intro", lang))
    out += _milestone_section("in_progress", lang, by_status["in_progress"],
                              ("opened", "what", "until"))
    out += _milestone_section("next", lang, planned[:NEXT_COUNT], ("date", "what", "due"))
    if len(planned) > NEXT_COUNT:
        more = label("page_next_more", lang, count=len(planned) - NEXT_COUNT)
        out.append(f'<p class="note">{escape(more)}</p>')
    out += _violation_section("forecast", lang, status.forecast)
    out += _violation_section("violations", lang, status.violations)
    out += _milestone_section("done", lang, by_status["done"], ("date", "what"))
    if any(m.inferred for m in by_status["done"]):
        out.append(f'<p class="note">{escape(label("page_inferred_mark", lang))} '
                   f'{escape(label("page_inferred", lang))}</p>')
    out += _subscribe(view)
    out += _write_access(view, owner, by_status)
    out += [
        "</main>",
        "<footer><p>"
        f'<a href="{escape(view.paths.api + page_query("nb", view.today))}">'
        f'{escape(label("page_json", lang))}</a> · '
        f'<a href="{escape(view.paths.index + page_query(lang, None))}">'
        f'{escape(label("page_index", lang))}</a></p></footer>',
        "</body>",
        "</html>",
        "",
    ]
    return "\n".join(out)


def render_error(message: str, lang: Language, index: str) -> str:
    """A small page with one line: what was wrong (a 4xx answer)."""
    title = label("page_error_title", lang)
    return "\n".join([
        *_head(lang, title),
        "<main>",
        f"<h1>{escape(title)}</h1>",
        f'<p class="error" role="alert">{escape(message)}</p>',
        f'<p><a href="{escape(index + page_query(lang, None))}">{escape(label("page_index", lang))}</a></p>',
        "</main>",
        "</body>",
        "</html>",
        "",
    ])


def _head(lang: Language, title: str) -> list[str]:
    return [
        "<!doctype html>",
        f'<html lang="{lang}">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{escape(title)}</title>",
        f"<style>{_STYLE}</style>",
        "</head>",
        "<body>",
    ]


def _languages(view: PageView) -> str:
    items = []
    for code in LANGUAGES:
        name = escape(label(f"page_lang_{code}", view.lang))
        if code == view.lang:
            items.append(f'<li><span lang="{code}" aria-current="page">{name}</span></li>')
        else:
            href = escape(view.paths.page + page_query(code, view.today))
            items.append(f'<li><a lang="{code}" hreflang="{code}" href="{href}">{name}</a></li>')
    return (f'<nav aria-label="{escape(label("page_languages", view.lang))}"><ul>'
            + "".join(items) + "</ul></nav>")


def _counts(view: PageView, by_status: Mapping[str, Sequence[TermMilestone]]) -> list[str]:
    lang = view.lang
    items = [(key, len(by_status[key]), key == "overdue" and bool(by_status[key]))
             for key in ("done", "in_progress", "overdue", "planned")]
    items += [("violations", len(view.status.violations), bool(view.status.violations)),
              ("forecast", len(view.status.forecast), bool(view.status.forecast))]
    cells = "".join(
        ('<li class="bad">' if bad else "<li>")
        + f'<b>{count}</b>{escape(label(f"page_count_{key}", lang))}</li>'
        for key, count, bad in items)
    return ['<section aria-labelledby="h-summary">',
            f'<h2 id="h-summary">{escape(label("page_summary", lang))}</h2>',
            f'<ul class="counts">{cells}</ul>', "</section>"]


def _milestone_section(key: str, lang: Language, milestones: Sequence[TermMilestone],
                       columns: tuple[str, ...], intro: str | None = None) -> list[str]:
    out = [f'<section id="{key}" aria-labelledby="h-{key}">',
           f'<h2 id="h-{key}">{escape(label(f"page_{key}", lang))}</h2>']
    if not milestones:
        return [*out, f'<p class="note">{escape(label(f"page_none_{key}", lang))}</p>', "</section>"]
    if intro:
        out.append(f'<p class="note">{escape(intro)}</p>')
    heads = {name: escape(label(f"page_col_{name}", lang)) for name in columns}
    out += ["<table>", "<thead><tr>" + "".join(f'<th scope="col">{h}</th>' for h in heads.values())
            + "</tr></thead>", "<tbody>"]
    for m in milestones:
        cells = []
        for name in columns:
            cell = _cell(name, m, lang)
            css = ' class="day"' if name != "what" else ""
            cells.append(f'<td{css} data-label="{heads[name]}">{cell}</td>' if name != "what"
                         else f"<td>{cell}</td>")
        out.append(f'<tr id="m-{escape(m.id)}" data-status="{m.status}">' + "".join(cells) + "</tr>")
    return [*out, "</tbody>", "</table>", "</section>"]


def _cell(name: str, m: TermMilestone, lang: Language) -> str:
    if name == "what":
        return f"{escape(m.title)}<br><code>{escape(m.id)}</code>"
    if name == "due":
        return escape(long_date(m.due, lang)) if m.due else ""
    if name == "until":
        return escape(long_date(m.end, lang))
    if name == "opened":
        return escape(long_date(m.actual_start or m.start, lang))
    # "date": a done milestone's actual dates, else its current (re-planned) dates
    start = (m.actual_start or m.start) if m.status == "done" else m.start
    end = (m.actual_end or m.end) if m.status == "done" else m.end
    text = escape(long_date(start, lang))
    if m.kind == "phase" and end != start:
        text += "–<br>" + escape(long_date(end, lang))
    if m.inferred:
        text += f' <span class="note">{escape(label("page_inferred_mark", lang))}</span>'
    return text


def _violation_section(key: str, lang: Language, found: Sequence[Violation]) -> list[str]:
    out = [f'<section id="{key}" aria-labelledby="h-{key}">',
           f'<h2 id="h-{key}">{escape(label(f"page_{key}", lang))}</h2>']
    if not found:
        return [*out, f'<p class="note">{escape(label(f"page_none_{key}", lang))}</p>', "</section>"]
    date_head, rule_head = escape(label("page_col_date", lang)), escape(label("page_col_rule", lang))
    fix_head = escape(label("page_col_fix", lang))
    out += ["<table>", f'<thead><tr><th scope="col">{date_head}</th><th scope="col">{rule_head}'
            f'</th><th scope="col">{fix_head}</th></tr></thead>', "<tbody>"]
    for v in found:
        rule = escape(v.message)
        out.append(f'<tr data-rule="{escape(v.rule)}"><td class="day" data-label="{date_head}">'
                   f"{escape(long_date(v.date, lang))}</td><td>{rule}</td>"
                   f'<td data-label="{fix_head}">{escape(v.fix)}</td></tr>')
    return [*out, "</tbody>", "</table>", "</section>"]


def _subscribe(view: PageView) -> list[str]:
    lang = view.lang
    out = ['<section id="subscribe" aria-labelledby="h-subscribe">',
           f'<h2 id="h-subscribe">{escape(label("page_subscribe", lang))}</h2>',
           f'<p class="note">{escape(label("page_subscribe_intro", lang))}</p>', "<ul>"]
    for kind in ("webcal", "https"):
        url = view.links.get(kind)
        if url:
            out.append(f'<li><a href="{escape(url)}">{escape(label(f"page_{kind}", lang))}</a>'
                       f"<br><code>{escape(url)}</code></li>")
    return [*out, "</ul>", "</section>"]


def _write_access(view: PageView, owner: str,
                  by_status: Mapping[str, Sequence[TermMilestone]]) -> list[str]:
    lang = view.lang
    query = escape(page_query(lang, view.today))
    out = ['<section id="write" aria-labelledby="h-write">',
           f'<h2 id="h-write">{escape(label("page_token", lang))}</h2>']
    if view.writer is None:
        out += [
            f'<p>{escape(label("page_token_intro", lang, owner=owner))}</p>',
            f'<form method="post" action="{escape(view.paths.token)}{query}">',
            f'<label for="token">{escape(label("page_token_field", lang))}'
            '<input id="token" name="token" type="password" autocomplete="off" required '
            'maxlength="200"></label>',
            f'<button type="submit">{escape(label("page_token_submit", lang))}</button>',
            "</form>",
        ]
        if view.cookie_unusable:
            out += _logout(view, query)
        return [*out, "</section>"]
    active = (label("page_token_active", lang, label=view.writer) if view.writer
              else label("page_token_active_unlabelled", lang))
    out += [f"<p>{escape(active)}</p>", *_logout(view, query), "</section>"]
    out += ['<section id="record" aria-labelledby="h-record">',
            f'<h2 id="h-record">{escape(label("page_record", lang))}</h2>',
            f'<form method="post" action="{escape(view.paths.record)}{query}">',
            _milestone_select(view, by_status),
            _input("date", "date", label("page_field_date", lang), view.form.get("date", ""),
                   required=True),
            _input("end", "date", label("page_field_end", lang), view.form.get("end", "")),
            '<label class="check" for="replace"><input id="replace" name="replace" '
            f'type="checkbox" value="1"{" checked" if view.form.get("replace") else ""}>'
            f'{escape(label("page_field_replace", lang))}</label>',
            _input("source", "text", label("page_field_source", lang),
                   view.form.get("source", ""), maxlength=500),
            f'<button type="submit">{escape(label("page_record_submit", lang))}</button>',
            "</form>", "</section>"]
    return out


def _logout(view: PageView, query: str) -> list[str]:
    return [f'<form method="post" action="{escape(view.paths.logout)}{query}">',
            f'<button class="quiet" type="submit">{escape(label("page_logout", view.lang))}</button>',
            "</form>"]


def _input(name: str, kind: str, caption: str, value: str, *, required: bool = False,
           maxlength: int | None = None) -> str:
    extra = (" required" if required else "") + (f' maxlength="{maxlength}"' if maxlength else "")
    return (f'<label for="{name}">{escape(caption)}<input id="{name}" name="{name}" type="{kind}" '
            f'value="{escape(value)}"{extra}></label>')


def _milestone_select(view: PageView, by_status: Mapping[str, Sequence[TermMilestone]]) -> str:
    lang = view.lang
    chosen = view.form.get("milestone")
    if chosen is None:  # the first thing that is waiting to be recorded
        waiting = [*by_status["overdue"], *by_status["in_progress"], *by_status["planned"]]
        chosen = waiting[0].id if waiting else None
    groups = []
    for key in ("overdue", "in_progress", "planned", "done"):
        if not by_status[key]:
            continue
        options = "".join(
            f'<option value="{escape(m.id)}"{" selected" if m.id == chosen else ""}>'
            + escape(label("page_option", lang, title=m.title, date=long_date(
                (m.actual_start or m.start) if key == "done" else m.start, lang)))
            + "</option>" for m in by_status[key])
        groups.append(f'<optgroup label="{escape(label(f"page_group_{key}", lang))}">'
                      f"{options}</optgroup>")
    return (f'<label for="milestone">{escape(label("page_field_milestone", lang))}'
            f'<select id="milestone" name="milestone">{"".join(groups)}</select></label>')
