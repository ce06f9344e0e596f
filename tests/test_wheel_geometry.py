"""Readable at the default size: no two texts overlap, labels stay off the wheel, everything is
inside the picture — for many municipalities, years, languages and models. Boxes come from the
SVG alone, text widths from the character-width estimate (an upper bound for the fonts asked
for, checked against Chromium in test_wheel_and_timeline_render.py)."""

from __future__ import annotations

import math
import xml.etree.ElementTree as ET

import pytest
from hypothesis import given
from hypothesis import strategies as st

from plancycle import ElectionPeriod, build_schedule, find_municipality
from plancycle.models import Schedule
from plancycle.svg import timeline_svg, wheel_svg
from plancycle.svg.check import PlacedText, overlapping, placed_texts, size
from plancycle.svg.layout import pack_lanes, stack, stack_around
from plancycle.svg.metrics import Box, text_box, text_width

NS = {"svg": "http://www.w3.org/2000/svg"}

# (election year, municipality or None, model, language): long and parallel names, no name,
# official and customary election days, all three models and languages.
CASES = [
    (2027, "Stavanger", "samskaping", "nb"),
    (2027, "Storfjord", "classic", "nn"),
    (2023, "Porsanger", "reform", "en"),
    (2019, "Trondheim", "samskaping", "en"),
    (2015, None, "classic", "nb"),
    (2011, "Kautokeino", "reform", "nn"),
    (2031, "Bærum", "samskaping", "nn"),
    (2099, "Oslo", "classic", "en"),
]


def _schedule(year: int, name: str | None, model: str, lang: str) -> Schedule:
    municipality = find_municipality(name) if name else None
    return build_schedule(ElectionPeriod.for_year(year), municipality, model, lang=lang)  # type: ignore[arg-type]


def _describe(pairs: list[tuple[PlacedText, PlacedText]]) -> list[tuple[str, str]]:
    return [(a.text, b.text) for a, b in pairs[:5]]


def _inside(svg: bytes, texts: list[PlacedText]) -> None:
    width, height = size(svg)
    for text in texts:
        left, top, right, bottom = text.box.bounds()
        assert left >= -0.5 and top >= -0.5 and right <= width + 0.5 and bottom <= height + 0.5, \
            text.text


def _distance_to_box(x: float, y: float, box: Box) -> float:
    """Distance from the point to the rectangle (0 inside it)."""
    cos, sin = math.cos(math.radians(box.angle)), math.sin(math.radians(box.angle))
    dx, dy = x - box.cx, y - box.cy
    local_x, local_y = dx * cos + dy * sin, -dx * sin + dy * cos
    out_x = max(abs(local_x) - box.width / 2, 0.0)
    out_y = max(abs(local_y) - box.height / 2, 0.0)
    return math.hypot(out_x, out_y)


def _wheel_rim(svg: bytes) -> tuple[float, float, float]:
    """Centre and outer radius of the wheel (its outermost band)."""
    circles = ET.fromstring(svg).findall(".//svg:g[@class='scale']/svg:circle", NS)
    rim = max(circles, key=lambda c: float(c.get("r", "0")))
    outer = float(rim.get("r", "0")) + float(rim.get("stroke-width", "0")) / 2
    return float(rim.get("cx", "0")), float(rim.get("cy", "0")), outer


@pytest.mark.parametrize(("year", "name", "model", "lang"), CASES)
def test_no_two_texts_of_any_wheel_overlap_and_labels_stay_off_the_wheel(
        year: int, name: str | None, model: str, lang: str) -> None:
    schedule = _schedule(year, name, model, lang)
    for view in [{"term": True}, *({"year": y} for y in range(year, year + 5))]:
        svg = wheel_svg(schedule, **view)  # type: ignore[arg-type]
        texts = placed_texts(svg)
        assert overlapping(texts) == [], (view, _describe(overlapping(texts)))
        _inside(svg, texts)
        cx, cy, outer = _wheel_rim(svg)
        labels = [t for t in texts if t.milestone is not None]
        assert labels
        for text in labels:
            assert _distance_to_box(cx, cy, text.box) >= outer, (view, text.text)


@pytest.mark.parametrize(("year", "name", "model", "lang"), CASES)
def test_no_two_texts_of_the_timeline_overlap(year: int, name: str | None, model: str,
                                              lang: str) -> None:
    svg = timeline_svg(_schedule(year, name, model, lang))
    texts = placed_texts(svg)
    assert overlapping(texts) == [], _describe(overlapping(texts))
    _inside(svg, texts)


def test_overlap_check_finds_touching_and_turned_boxes() -> None:
    a = text_box(100, 100, "Budsjett vedtatt", 12)
    assert a.overlaps(text_box(150, 105, "x", 12))
    assert not a.overlaps(text_box(100, 116, "Budsjett vedtatt", 12))
    assert a.overlaps(text_box(120, 80, "turned", 12, angle=90))
    assert not a.overlaps(text_box(100 + text_width("Budsjett vedtatt", 12) + 10, 60, "turned",
                                   12, angle=90))
    pairs = overlapping([PlacedText("a", a, None), PlacedText("b", text_box(101, 101, "b", 12), None)])
    assert len(pairs) == 1


def test_width_estimate_grows_with_wide_letters_and_bold() -> None:
    assert text_width("iiii", 12) < text_width("mmmm", 12) < text_width("mmmm", 12, bold=True)
    assert text_width("Årshjul", 20) == 2 * text_width("Årshjul", 10)


@given(st.lists(st.tuples(st.floats(-500, 500), st.floats(1, 40)), max_size=40),
       st.floats(-600, 0), st.floats(0, 600))
def test_stacked_labels_keep_their_order_never_overlap_and_stay_in_bounds_when_they_fit(
        items: list[tuple[float, float]], low: float, high: float) -> None:
    items.sort()
    wants = [w for w, _ in items]
    heights = [h for _, h in items]
    tops = stack(wants, heights, low, high)
    for i in range(1, len(tops)):
        assert tops[i] >= tops[i - 1] + heights[i - 1] - 1e-6
    if sum(heights) <= high - low:
        assert all(low - 1e-6 <= t and t + h <= high + 1e-6 for t, h in zip(tops, heights, strict=True))


def test_a_lone_label_sits_where_it_wants_and_a_crowd_is_centred_on_its_wants() -> None:
    assert stack([10.0], [5.0], 0, 100) == [10.0]
    tops = stack([50.0, 50.0, 50.0], [10.0, 10.0, 10.0], 0, 100)
    assert tops == [40.0, 50.0, 60.0]


@given(st.lists(st.floats(0, 359.99), min_size=1, max_size=60), st.floats(0.5, 5.5))
def test_labels_around_a_circle_keep_a_label_size_apart(wants: list[float], size_deg: float) -> None:
    angles = sorted(stack_around(wants, [size_deg] * len(wants)))
    gaps = [(angles[(i + 1) % len(angles)] - angles[i]) % 360 for i in range(len(angles))]
    if len(angles) > 1:
        assert min(gaps) >= size_deg - 1e-6


def test_lanes_never_hold_overlapping_intervals() -> None:
    intervals = [(0.0, 10.0), (5.0, 8.0), (9.0, 20.0), (10.0, 11.0), (12.0, 13.0)]
    lanes = pack_lanes(intervals, gap=1.0)
    assert lanes == [0, 1, 1, 2, 0]
    for i, (a0, a1) in enumerate(intervals):
        for j, (b0, b1) in enumerate(intervals[:i]):
            if lanes[i] == lanes[j]:
                assert b1 + 1.0 <= a0 or a1 + 1.0 <= b0
