"""The public plan overview page: every plan of the register, in plain words (issue 10, item 4).

The KS big-city study found plans hard to find on municipal websites; this page lists them all:
the type in plain Norwegian, the status, when the plan was last adopted, the planstrategi's
decision, the next step and its date, and a link to the plan's documents when the register has a
URL (only ``http(s)://`` addresses get there, :class:`~plancycle.plans.register.Plan`). Static
HTML without script, readable at phone width (the table turns into cards below 40rem), with a
Content-Security-Policy that allows nothing but its own inline style (by hash), as the feed
index page (:mod:`plancycle.feed.index`) does.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
from collections.abc import Collection, Mapping
from html import escape

from plancycle.i18n import Language, label
from plancycle.plans.register import PlanRegister
from plancycle.plans.report import NextStep, in_force
from plancycle.plans.words import decision_name, status_name, step_name, type_name

__all__ = ["CONTENT_SECURITY_POLICY", "render_overview"]

_STYLE = """
*,*::before,*::after{box-sizing:border-box}
body{font-family:system-ui,sans-serif;margin:0 auto;max-width:70rem;padding:1rem 1.5rem;color:#1b1b1b;
background:#fff;line-height:1.45}
h1{font-size:1.6rem;margin:.5rem 0;overflow-wrap:anywhere}
table{border-collapse:collapse;width:100%;margin-top:.5rem}
caption{text-align:left;font-weight:600;padding:.3rem 0}
th,td{text-align:left;padding:.3rem .5rem;border-bottom:1px solid #d8dee4;vertical-align:top}
th{background:#f6f8fa}td.date{font-variant-numeric:tabular-nums;white-space:nowrap}
a{color:#0b5394;overflow-wrap:anywhere}
.status-repealed{color:#6a737d}.status-under_revision{color:#8a4b00}
@media (max-width:40rem){body{padding:.75rem}
thead{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}
table,tbody,tr,td{display:block;width:auto}tr{border-bottom:1px solid #d8dee4;padding:.5rem 0}
td{border:0;padding:.1rem 0;overflow-wrap:anywhere}td.title{font-weight:600}
td[data-label]::before{content:attr(data-label) ": ";color:#555}}
""".strip()


def _hash(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


#: The page's Content-Security-Policy: its own inline style and nothing else (no script).
CONTENT_SECURITY_POLICY = (f"default-src 'none'; style-src {_hash(_STYLE)}; "
                           "form-action 'none'; base-uri 'none'")


def render_overview(register: PlanRegister, *, owner: str, today: dt.date,
                    steps: Mapping[str, NextStep | None], done: Collection[str] = frozenset(),
                    lang: Language = "nb") -> bytes:
    """The overview page of ``register`` for ``owner`` (``Eksempelby kommune``) on ``today``;
    ``steps`` from :func:`~plancycle.plans.report.next_steps`, ``done`` the milestones done (a
    repealed or merged plan shows as repealed once its decision is done)."""
    current = {plan.id for plan in in_force(register, done)}
    head = ("plans_col_title", "plans_col_type", "plans_col_status", "plans_col_adopted",
            "plans_col_decision", "plans_col_next", "plans_col_date")
    names = {key: escape(label(key, lang)) for key in head}
    title = escape(label("plans_page_title", lang, owner=owner))
    out = [
        "<!doctype html>",
        f'<html lang="{lang}">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f'<meta http-equiv="Content-Security-Policy" content="{CONTENT_SECURITY_POLICY}">',
        f"<title>{title}</title>",
        f"<style>{_STYLE}</style>",
        "</head>",
        "<body>",
        "<header>",
        f"<h1>{title}</h1>",
        f"<p>{escape(label('plans_page_intro', lang, owner=owner, date=today.isoformat()))}</p>",
        "</header>",
        "<main>",
        "<table>",
        f"<caption>{escape(label('plans_page_caption', lang))}</caption>",
        "<thead><tr>" + "".join(f'<th scope="col">{names[k]}</th>' for k in head)
        + "</tr></thead>",
        "<tbody>",
    ]
    for plan in register.plans:
        status = plan.status
        if plan.status != "repealed" and plan.id not in current:
            status = "repealed"
        step = steps.get(plan.id)
        name = escape(plan.title)
        if plan.url:
            name = (f'{name}<br><a href="{escape(plan.url)}" rel="noopener">'
                    f"{escape(label('plans_page_documents', lang))}</a>")
        cells = (
            ("title", "", name),
            ("", names["plans_col_type"], escape(type_name(plan, lang))),
            (f"status-{status}", names["plans_col_status"], escape(status_name(status, lang))),
            ("date", names["plans_col_adopted"],
             plan.adopted.isoformat() if plan.adopted else "–"),
            ("", names["plans_col_decision"],
             escape(decision_name(register.decision(plan.id), lang))),
            ("", names["plans_col_next"], escape(step_name(step, lang))),
            ("date", names["plans_col_date"], step.date.isoformat() if step else "–"),
        )
        row = "".join(
            f'<td{f" class={chr(34)}{css}{chr(34)}" if css else ""}'
            f'{f" data-label={chr(34)}{caption}{chr(34)}" if caption else ""}>{text}</td>'
            for css, caption, text in cells)
        out.append(f'<tr id="plan-{escape(plan.id)}">{row}</tr>')
    out += ["</tbody>", "</table>", "</main>", "</body>", "</html>", ""]
    return "\n".join(out).encode("utf-8")
