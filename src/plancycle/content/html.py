"""The thread report as a page for the council (``plancycle thread --format html``).

One self-contained HTML file with no script: the thread as a picture (an SVG flow from the
challenge themes to the guidelines to the focus areas to the budget years, a broken thread drawn
red and dashed), a grid of the 17 SDGs (coloured: touched by the challenge picture), then each
focus area as a card. The SVGs are drawn 360 units wide and scale to the page, so they are read
at their own size on a 390-pixel phone and larger on a desktop; nothing is wider than the screen.
A Content-Security-Policy (as in :mod:`plancycle.feed.index`) allows only the page's own style.
"""

from __future__ import annotations

import base64
import hashlib
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from html import escape

from plancycle.content.models import ContentSet
from plancycle.content.report_text import share_text, yes_no
from plancycle.content.thread import ThreadReport
from plancycle.i18n import Language, label
from plancycle.sdgs import goal
from plancycle.svg.metrics import wrap

SVG_NS = "http://www.w3.org/2000/svg"
WIDTH = 360.0
FONT = 9.0
LINE = 11.0
#: The UN's colour of each goal (the SDG communication guidelines).
SDG_COLOURS = ("#E5243B", "#DDA63A", "#4C9F38", "#C5192D", "#FF3A21", "#26BDE2", "#FCC30B",
               "#A21942", "#FD6925", "#DD1367", "#FD9D24", "#BF8B2E", "#3F7E44", "#0A97D9",
               "#56C02B", "#00689D", "#19486A")
BROKEN = "#c0362c"
EDGE = "#8a94a0"

_STYLE = """
body{margin:0;font:16px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1f2328;
background:#fff}main{max-width:760px;margin:0 auto;padding:12px}h1{font-size:1.4em;margin:.4em 0}
h2{font-size:1.15em;margin:1.2em 0 .4em}svg{display:block;width:100%;height:auto}
.card{border:1px solid #d0d7de;border-radius:6px;padding:8px 10px;margin:8px 0;
overflow-wrap:anywhere}.card.broken{border-color:#c0362c;border-style:dashed}
.card h3{font-size:1em;margin:0 0 4px}dl{margin:0;display:grid;grid-template-columns:auto 1fr;
gap:2px 8px}dt{color:#57606a}dd{margin:0}ul{padding-left:1.2em}.warn{color:#c0362c}
p,li{overflow-wrap:anywhere}
""".strip()


def _hash(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


#: Nothing but the page's own inline style.
CONTENT_SECURITY_POLICY = (f"default-src 'none'; style-src {_hash(_STYLE)}; base-uri 'none'; "
                           "form-action 'none'")


@dataclass
class _Node:
    key: str
    lines: list[str]
    tooltip: str
    x: float
    width: float
    broken: bool = False
    y: float = 0.0

    @property
    def height(self) -> float:
        return len(self.lines) * LINE + 6

    @property
    def middle(self) -> float:
        return self.y + self.height / 2


def _lines(text: str, width: float, limit: int = 3) -> list[str]:
    lines = wrap(text, FONT, width - 6)
    if len(lines) > limit:
        lines = lines[:limit]
        lines[-1] = lines[-1].rstrip(".,;: ") + "…"
    return lines


def flow_svg(report: ThreadReport, content: ContentSet, lang: Language) -> str:
    """The thread as an SVG flow (themes → guidelines → focus areas → budget years)."""
    columns = ((0.0, 95.0), (105.0, 95.0), (210.0, 95.0), (315.0, 45.0))
    picture, guidelines = content.challenge_picture, content.guidelines
    nodes: list[list[_Node]] = [[], [], [], []]
    x, w = columns[0]
    for theme in picture.themes if picture else ():
        nodes[0].append(_Node(f"t:{theme.id}", _lines(theme.title, w), theme.statement, x, w))
    x, w = columns[1]
    for line in guidelines.guidelines if guidelines else ():
        nodes[1].append(_Node(f"g:{line.id}", _lines(line.statement, w), line.statement, x, w))
    x, w = columns[2]
    for thread in report.focus_areas:
        nodes[2].append(_Node(f"f:{thread.id}", _lines(thread.title, w), thread.title, x, w,
                              broken=thread.broken))
    x, w = columns[3]
    for year in sorted({*report.term_years, *report.budget_years}):
        nodes[3].append(_Node(f"y:{year}", [str(year)], label("thread_budget_year", lang,
                                                               year=year), x, w))
    top = 16.0
    for column in nodes:
        y = top
        for node in column:
            node.y = y
            y += node.height + 6
    height = max((c[-1].y + c[-1].height for c in nodes if c), default=top) + 6
    by_key = {n.key: n for column in nodes for n in column}
    edges: list[tuple[str, str, bool]] = []
    for line in guidelines.guidelines if guidelines else ():
        edges += [(f"t:{t}", f"g:{line.id}", False) for t in line.themes]
    for thread in report.focus_areas:
        edges += [(f"g:{g}", f"f:{thread.id}", False) for g in thread.guidelines]
        edges += [(f"f:{thread.id}", f"y:{y.year}", False) for y in thread.years]
    svg = ET.Element("svg", {"xmlns": SVG_NS, "viewBox": f"0 0 {WIDTH:g} {height:g}",
                             "role": "img", "aria-labelledby": "flow-title",
                             "class": "flow", "font-family": "sans-serif"})
    ET.SubElement(svg, "title", {"id": "flow-title"}).text = label("thread_flow_title", lang)
    for (x, _), key in zip(columns, ("thread_col_themes", "thread_col_guidelines",
                                     "thread_col_focus_area", "thread_col_budget"), strict=True):
        ET.SubElement(svg, "text", {"x": f"{x:g}", "y": "10", "font-size": "8",
                                    "font-weight": "bold", "fill": "#57606a"}).text = label(key, lang)
    for source, target, _ in edges:
        a, b = by_key.get(source), by_key.get(target)
        if a is None or b is None:
            continue
        x0, y0, x1, y1 = a.x + a.width, a.middle, b.x, b.middle
        mid = (x0 + x1) / 2
        ET.SubElement(svg, "path", {
            "d": f"M{x0:g},{y0:.1f} C{mid:g},{y0:.1f} {mid:g},{y1:.1f} {x1:g},{y1:.1f}",
            "fill": "none", "stroke": EDGE, "stroke-width": "0.8", "class": "edge"})
    for column in nodes:
        for node in column:
            group = ET.SubElement(svg, "g", {"class": "node broken" if node.broken else "node",
                                             "data-node": node.key})
            ET.SubElement(group, "title").text = node.tooltip
            attrs = {"x": f"{node.x:g}", "y": f"{node.y:.1f}", "width": f"{node.width:g}",
                     "height": f"{node.height:g}", "rx": "3", "fill": "#f6f8fa",
                     "stroke": BROKEN if node.broken else "#57606a", "stroke-width": "0.8"}
            if node.broken:
                attrs |= {"stroke-dasharray": "3 2", "fill": "#fff1f0", "stroke-width": "1.2"}
            ET.SubElement(group, "rect", attrs)
            for i, text in enumerate(node.lines):
                ET.SubElement(group, "text", {
                    "x": f"{node.x + 3:g}", "y": f"{node.y + 3 + (i + 0.8) * LINE:.1f}",
                    "font-size": f"{FONT:g}", "fill": "#1f2328"}).text = text
    return ET.tostring(svg, encoding="unicode")


def sdg_grid_svg(report: ThreadReport, lang: Language) -> str:
    """The 17 goals as a grid: coloured when the challenge picture touches the goal, grey when
    it leaves it out; a dot when the samfunnsdel cites it."""
    covered = set(report.breadth.covered) if report.breadth else set()
    side, gap, per_row = 54.0, 6.0, 6
    rows = (17 + per_row - 1) // per_row
    height = rows * (side + gap)
    svg = ET.Element("svg", {"xmlns": SVG_NS, "viewBox": f"0 0 {WIDTH:g} {height:g}",
                             "role": "img", "aria-labelledby": "sdg-title", "class": "sdgs",
                             "font-family": "sans-serif"})
    ET.SubElement(svg, "title", {"id": "sdg-title"}).text = label("thread_sdg_title", lang)
    for number in range(1, 18):
        row, col = divmod(number - 1, per_row)
        x, y = col * (side + gap), row * (side + gap)
        hit = number in covered
        name = goal(number).names[lang]
        group = ET.SubElement(svg, "g", {"class": "goal covered" if hit else "goal missing",
                                         "data-goal": str(number)})
        ET.SubElement(group, "title").text = (
            f"{number}. {name}: " + label("thread_covered" if hit else "thread_missing", lang))
        ET.SubElement(group, "rect", {"x": f"{x:g}", "y": f"{y:g}", "width": f"{side:g}",
                                      "height": f"{side:g}", "rx": "3",
                                      "fill": SDG_COLOURS[number - 1] if hit else "#e6e8eb"})
        ink = "#ffffff" if hit else "#57606a"
        ET.SubElement(group, "text", {"x": f"{x + 4:g}", "y": f"{y + 15:g}", "font-size": "13",
                                      "font-weight": "bold", "fill": ink}).text = str(number)
        for i, text in enumerate(wrap(name, 6.5, side - 6)[:4]):
            ET.SubElement(group, "text", {"x": f"{x + 4:g}", "y": f"{y + 25 + i * 7.5:g}",
                                          "font-size": "6.5", "fill": ink}).text = text
        if number in report.samfunnsdel_sdg_goals:
            ET.SubElement(group, "circle", {"cx": f"{x + side - 7:g}", "cy": f"{y + 8:g}",
                                            "r": "3.5", "fill": "#ffffff", "stroke": "#1f2328",
                                            "stroke-width": "0.8"})
    return ET.tostring(svg, encoding="unicode")


def to_html(report: ThreadReport, content: ContentSet, lang: Language) -> str:
    """The whole page."""
    def t(key: str, **fields: object) -> str:
        return escape(label(key, lang, **fields))

    title = t("thread_title", owner=report.municipality or "–", first=report.election_year,
              last=report.election_year + 4)
    parts = [
        "<!DOCTYPE html>", f'<html lang="{"nn" if lang == "nn" else "nb" if lang == "nb" else "en"}">',
        "<head>", '<meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{CONTENT_SECURITY_POLICY}">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{title}</title>", f"<style>{_STYLE}</style>", "</head>", "<body><main>",
        f"<h1>{title}</h1>",
    ]
    part = content.samfunnsdel
    if part is not None:
        parts.append(f"<p><strong>{t('thread_vision')}:</strong> {escape(part.vision)}</p>")
    if report.breadth is not None:
        covered = ", ".join(map(str, report.breadth.covered)) or "–"
        missing = ", ".join(map(str, report.breadth.missing)) or "–"
        parts.append(f"<p>{t('thread_breadth', count=len(report.breadth.covered), goals=covered)} "
                     f"{t('thread_breadth_missing', goals=missing)}</p>")
    parts += [f"<h2>{t('thread_flow_title')}</h2>", flow_svg(report, content, lang),
              f"<h2>{t('thread_sdg_title')}</h2>", sdg_grid_svg(report, lang),
              f"<p>{t('thread_sdg_legend')}</p>", f"<h2>{t('thread_col_focus_area')}</h2>"]
    for thread in report.focus_areas:
        rows = [(t("thread_col_kind"), t(f"thread_kind_{thread.kind}")),
                (t("thread_col_guidelines"), escape(", ".join(thread.guidelines) or "–")),
                (t("thread_col_themes"), escape(", ".join(thread.themes) or "–"))]
        rows += [(str(y.year), escape(", ".join(y.measures))) for y in thread.years]
        rows += [(t("thread_col_first"), str(thread.first_budget_year) if thread.first_budget_year
                  else f'<span class="warn">{t("thread_broken")}</span>'),
                 (t("thread_col_share"), share_text(thread.term_share)),
                 (t("thread_col_after"), escape(yes_no(thread.adopted_after_samfunnsdel, lang)))]
        items = "".join(f"<dt>{k}</dt><dd>{v}</dd>" for k, v in rows)
        css = "card broken" if thread.broken else "card"
        parts.append(f'<section class="{css}" data-focus="{escape(thread.id)}">'
                     f"<h3>{escape(thread.title)} ({escape(thread.id)})</h3><dl>{items}</dl></section>")
    parts.append(f"<p>{t('thread_broken_list', ids=', '.join(report.broken) or '–')}</p>")
    orphans = "; ".join(f"{o.year} {o.id} ({o.title})" for o in report.orphans)
    parts.append(f"<p>{t('thread_orphans', items=orphans or '–')}</p>")
    for reach in report.scenario:
        first = reach.first_budget_after_samfunnsdel
        areas = ", ".join(f"{k} {v or '–'}" for k, v in reach.reach.items())
        year = first if first is not None else "–"
        parts.append(f"<p>{t('thread_scenario_line', model=reach.model, year=year, areas=areas or '–')}</p>")
    parts += ["</main></body>", "</html>", ""]
    return "\n".join(parts)
