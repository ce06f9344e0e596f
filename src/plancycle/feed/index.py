"""The index page: every municipality's and county authority's feed, searchable by name.

Plain HTML that works without JavaScript (``?q=`` filters on the server, a GET form sets the
options); a small inline script filters as you type. Both fold the search as
:func:`~plancycle.folding.fold` does (``tromso`` finds Tromsø, ``baerum`` Bærum, ``Nord Fron``
Nord-Fron): each row carries its folded names (``data-search``), the script folds the query.
On a static host without a known address, the script fills in the ``webcal://`` links from
the page's own location. The page carries a Content-Security-Policy that allows exactly its own
inline style and script (by hash).
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
from dataclasses import dataclass
from functools import cache
from html import escape

from plancycle.calendar_no import FIRST_ELECTION_YEAR, LAST_ELECTION_YEAR
from plancycle.feed.names import check_base_url
from plancycle.feed.query import FeedOptions
from plancycle.folding import fold
from plancycle.i18n import LANGUAGES, Language, label
from plancycle.municipalities import County, Municipality, counties, municipalities, search_key
from plancycle.processes import PROCESS_MODELS

_STYLE = """
*,*::before,*::after{box-sizing:border-box}[hidden]{display:none!important}
body{font-family:system-ui,sans-serif;margin:0 auto;max-width:60rem;padding:1rem 1.5rem;color:#1b1b1b;
background:#fff;line-height:1.45}
h1{font-size:1.6rem;margin:.5rem 0}h2{font-size:1.2rem;margin-top:2rem}
form{display:flex;flex-wrap:wrap;gap:.5rem 1rem;align-items:end;background:#eef3f8;padding:.8rem;
border-radius:.4rem}
label{display:flex;flex-direction:column;font-size:.85rem;min-width:0;max-width:100%}
input,select,button{font:inherit;padding:.25rem .4rem;max-width:100%}
button{background:#0b5394;color:#fff;border:0;border-radius:.3rem;padding:.35rem .9rem}
table{border-collapse:collapse;width:100%;margin-top:.5rem}
th,td{text-align:left;padding:.3rem .5rem;border-bottom:1px solid #d8dee4}
th{background:#f6f8fa}td.nr{font-variant-numeric:tabular-nums;width:4rem}
a{color:#0b5394;overflow-wrap:anywhere}a.webcal{font-weight:600;margin-right:.8rem}
footer{margin-top:2rem;font-size:.85rem;color:#555}
@media (max-width:40rem){body{padding:.75rem}
thead{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}
table,tbody,tr,td{display:block;width:auto}tr{border-bottom:1px solid #d8dee4;padding:.4rem 0}
td{border:0;padding:.1rem 0}td.nr,td.nr+td{display:inline-block;font-weight:600}
td.nr{width:auto;margin-right:.5rem}}
""".strip()

_SCRIPT = """
(function(){
document.documentElement.className='js';
var q=document.getElementById('q'),rows=document.querySelectorAll('tr[data-search]'),
count=document.getElementById('count'),none=document.getElementById('none');
var plain={'\\u00e6':'ae','\\u00f8':'o','\\u0111':'d','\\u0167':'t','\\u014b':'n','\\u00f0':'d',
'\\u00fe':'th','\\u0142':'l'};
function fold(s){return s.toLowerCase().replace(/[\\u00e6\\u00f8\\u0111\\u0167\\u014b\\u00f0\\u00fe\\u0142]/g,
function(c){return plain[c];}).normalize('NFKD').replace(/\\p{M}/gu,'')
.replace(/[^\\p{L}\\p{N}]+/gu,' ').trim().replace(/aa/g,'a');}
function filter(){var t=fold(q.value),n=0;
for(var i=0;i<rows.length;i++){var show=rows[i].getAttribute('data-search').indexOf(t)>=0;
rows[i].hidden=!show;if(show)n++;}
count.textContent=count.getAttribute('data-template').replace('{count}',n);none.hidden=n>0;
var sections=document.querySelectorAll('section');for(var k=0;k<sections.length;k++)
sections[k].hidden=!sections[k].querySelector('tr[data-search]:not([hidden])');}
q.addEventListener('input',filter);filter();
if(q.form.hasAttribute('data-static'))
q.form.addEventListener('submit',function(e){e.preventDefault();});
if(/^https?:$/.test(location.protocol)){var links=document.querySelectorAll('a[data-path]');
for(var j=0;j<links.length;j++){var u=new URL(links[j].getAttribute('data-path'),location.href);
links[j].href='webcal://'+u.host+u.pathname+u.search;links[j].hidden=false;}}
})();
""".strip()


def _hash(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


#: The page's Content-Security-Policy: nothing but its own inline style and script.
CONTENT_SECURITY_POLICY = (f"default-src 'none'; style-src {_hash(_STYLE)}; "
                           f"script-src {_hash(_SCRIPT)}; form-action 'self'; base-uri 'none'")


@dataclass(frozen=True)
class _Entry:
    owner: Municipality | County
    path: str
    county: str
    search: str


@cache
def _entries() -> tuple[tuple[_Entry, ...], tuple[_Entry, ...]]:
    county_names = {c.number: c.name for c in counties()}
    kommuner = tuple(
        _Entry(m, f"feeds/{m.number}.ics", county_names.get(m.county_number, ""),
               f"{search_key(m)}|{fold(county_names.get(m.county_number, ''))}")
        for m in municipalities())
    fylker = tuple(
        _Entry(c, f"feeds/fylke/{c.number}.ics", c.name, search_key(c))
        for c in counties() if c.has_county_authority)
    return kommuner, fylker


def render_index(options: FeedOptions, search: str, *, base_url: str | None,
                 default_year: int, revised: dt.date, static: bool = False) -> bytes:
    """The index page in ``options.lang``; links carry ``options``; ``search`` filters rows.

    ``base_url`` (``https://host/prefix``) makes links absolute, with a ``webcal://`` twin;
    without it links are relative and the script derives the webcal links from the location.
    A ``base_url`` without a host (``http://``) is an :class:`~plancycle.errors.InputError`.
    ``static``: for files on a static host, where the options are fixed at publishing time: the
    links carry no query and the form has only the search box (filtered by the script).
    """
    lang = options.lang
    base_url = check_base_url(base_url) if base_url else None
    query = "" if static else options.query_string(default_year)
    wanted = fold(search)
    kommuner, fylker = _entries()
    shown_k = [e for e in kommuner if wanted in e.search]
    shown_f = [e for e in fylker if wanted in e.search]
    count = len(shown_k) + len(shown_f)
    t = _texts(lang)
    out = [
        "<!doctype html>",
        f'<html lang="{lang}">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{t['title']}</title>",
        f"<style>{_STYLE}</style>",
        "</head>",
        "<body>",
        "<header>",
        f"<h1>{t['title']}</h1>",
        f"<p>{t['intro']}</p>",
        "</header>",
        f'<form method="get" role="search"{" data-static" if static else ""}>',
        f'<label for="q">{t["search"]}<input id="q" name="q" type="search" '
        f'value="{escape(search)}" autocomplete="off"></label>',
    ]
    if not static:
        out += _option_fields(options, t, default_year)
    out += [
        "</form>",
        f'<p id="count" data-template="{escape(label("feed_count", lang, count="{count}"))}">'
        f"{label('feed_count', lang, count=count)}</p>",
        f'<p id="none"{"" if count == 0 else " hidden"}>{t["none"]}</p>',
    ]
    out += _table(t["municipalities"], t, shown_k, base_url, query, county_column=True)
    out += _table(t["counties"], t, shown_f, base_url, query, county_column=False)
    out += [
        f"<footer><p>{label('feed_footer', lang, date=revised.isoformat())}</p>",
        f"<p>{escape(label(f'model_{options.model}', lang))}</p></footer>",
        f"<script>{_SCRIPT}</script>",
        "</body>",
        "</html>",
        "",
    ]
    return "\n".join(out).encode("utf-8")


def _option_fields(options: FeedOptions, t: dict[str, str], default_year: int) -> list[str]:
    lang = options.lang
    return [
        _select("election", t["term"], [(str(y), f"{y}–{y + 4}") for y in
                                          _years(default_year, options.election_year)],
                str(options.election_year)),
        _select("model", t["model"], [(m, label(f"model_{m}", lang)) for m in PROCESS_MODELS],
                options.model),
        _select("lang", t["lang"], [(code, label(f"feed_lang_{code}", lang)) for code in LANGUAGES],
                lang),
        f'<label for="alarms">{t["alarms"]}<input id="alarms" name="alarms" size="6" '
        f'value="{",".join(map(str, options.alarms))}" placeholder="7"></label>',
        f'<button type="submit">{t["show"]}</button>',
    ]


def _years(default_year: int, chosen: int) -> list[int]:
    years = {y for y in (default_year - 4, default_year, default_year + 4, chosen)
             if FIRST_ELECTION_YEAR <= y <= LAST_ELECTION_YEAR}
    return sorted(years)


def _select(name: str, caption: str, choices: list[tuple[str, str]], chosen: str) -> str:
    options = "".join(
        f'<option value="{escape(value)}"{" selected" if value == chosen else ""}>'
        f"{escape(text)}</option>" for value, text in choices)
    return f'<label for="{name}">{caption}<select id="{name}" name="{name}">{options}</select></label>'


def _table(caption: str, t: dict[str, str], entries: list[_Entry], base_url: str | None,
           query: str, *, county_column: bool) -> list[str]:
    head = f"<th>{t['number']}</th><th>{t['name']}</th>"
    head += f"<th>{t['county']}</th>" if county_column else ""
    head += f"<th>{t['subscribe']}</th>"
    hidden = "" if entries else " hidden"
    rows = [f"<section{hidden}>", f"<h2>{caption}</h2>", "<table>",
            f"<thead><tr>{head}</tr></thead>", "<tbody>"]
    for entry in entries:
        path = entry.path + query
        if base_url:  # checked: scheme://host[/prefix], no trailing slash
            https = f"{base_url}/{path}"
            webcal = f'<a class="webcal" href="{escape("webcal://" + https.partition("://")[2])}">'
        else:
            https = path
            webcal = f'<a class="webcal" href="{escape(path)}" data-path="{escape(path)}" hidden>'
        county = f"<td>{escape(entry.county)}</td>" if county_column else ""
        rows.append(
            f'<tr data-search="{escape(entry.search)}"><td class="nr">{entry.owner.number}</td>'
            f"<td>{escape(entry.owner.name)}</td>{county}"
            f"<td>{webcal}{t['webcal']}</a><a href=\"{escape(https)}\">{t['https']}</a></td></tr>")
    rows += ["</tbody>", "</table>", "</section>"]
    return rows


_KEYS = ("title", "intro", "search", "term", "model", "lang", "alarms", "show", "none",
         "municipalities", "counties", "number", "name", "county", "subscribe", "webcal", "https")


@cache
def _texts(lang: Language) -> dict[str, str]:
    return {key: escape(label(f"feed_{key}", lang)) for key in _KEYS}
