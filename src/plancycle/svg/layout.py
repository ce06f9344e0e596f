"""Label placement without collisions.

Two placements, both exact by construction (the boxes they return never overlap):

- :func:`stack`: labels in a column, each wanting to sit at a height (next to its marker); keeps
  their order, moves them as little as possible (clusters of touching labels are centred on the
  mean of what they want) and keeps them inside the given bounds when they fit.
- :func:`pack_lanes`: items on a line (a time axis or an angle), each an interval; every item goes
  into the first lane where it overlaps nothing.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass
class _Cluster:
    first: int
    wants: list[float]
    heights: list[float]
    top: float = 0.0

    @property
    def height(self) -> float:
        return sum(self.heights)

    def settle(self, low: float, high: float) -> None:
        """Put the cluster where its labels are, on average, nearest what they want."""
        offsets = [sum(self.heights[:i]) for i in range(len(self.heights))]
        ideal = sum(w - o for w, o in zip(self.wants, offsets, strict=True)) / len(self.wants)
        self.top = max(low, min(ideal, high - self.height))


def stack(wants: Sequence[float], heights: Sequence[float], low: float = -math.inf,
          high: float = math.inf) -> list[float]:
    """Tops for labels of ``heights`` wanting tops ``wants`` (in order, top to bottom): the
    labels keep their order, do not overlap, and stay within [``low``, ``high``] when their total
    height fits (otherwise they run on below ``high``)."""
    if len(wants) != len(heights):
        raise ValueError("one height per label")
    if sum(heights) > high - low:
        high = math.inf
    clusters: list[_Cluster] = []
    for index, (want, height) in enumerate(zip(wants, heights, strict=True)):
        cluster = _Cluster(index, [want], [height])
        cluster.settle(low, high)
        while clusters and clusters[-1].top + clusters[-1].height > cluster.top:
            previous = clusters.pop()
            cluster = _Cluster(previous.first, previous.wants + cluster.wants,
                               previous.heights + cluster.heights)
            cluster.settle(low, high)
        clusters.append(cluster)
    tops: list[float] = []
    for cluster in clusters:
        y = cluster.top
        for height in cluster.heights:
            tops.append(y)
            y += height
    return tops


def pack_lanes(intervals: Sequence[tuple[float, float]], gap: float = 0.0) -> list[int]:
    """A lane for each interval (start, end), in the order given: the first lane whose last
    interval ends at least ``gap`` before this one starts. Give the intervals sorted by start."""
    lane_ends: list[float] = []
    lanes: list[int] = []
    for start, end in intervals:
        for lane, lane_end in enumerate(lane_ends):
            if lane_end + gap <= start:
                lane_ends[lane] = end
                lanes.append(lane)
                break
        else:
            lane_ends.append(end)
            lanes.append(len(lane_ends) - 1)
    return lanes


def clearance(top: float, bottom: float, radius: float) -> float:
    """How far right of a circle's centre (its centre at y = 0) a box spanning [``top``,
    ``bottom``] must start to stay outside the circle of ``radius``."""
    nearest = 0.0 if top <= 0 <= bottom else min(abs(top), abs(bottom))
    return math.sqrt(radius * radius - nearest * nearest) if nearest < radius else 0.0


def stack_around(wants: Sequence[float], sizes: Sequence[float]) -> list[float]:
    """:func:`stack` on a circle: centre angles (degrees) for labels of angular ``sizes`` wanting
    centres ``wants``, in their clockwise order, cut open in the middle of the widest gap between
    two wanted angles so labels never meet across the cut. Needs ``sum(sizes) <= 360``."""
    if not wants:
        return []
    if sum(sizes) > 360:
        raise ValueError("the labels do not fit around the circle")
    order = sorted(range(len(wants)), key=lambda i: (wants[i] % 360, i))
    angles = [wants[i] % 360 for i in order]
    gaps = [(angles[(k + 1) % len(angles)] - angles[k]) % 360 for k in range(len(angles))]
    if len(angles) == 1:
        gaps = [360.0]
    widest = max(range(len(gaps)), key=lambda k: (gaps[k], -k))
    cut = (angles[widest] + gaps[widest] / 2) % 360
    rotated = order[widest + 1:] + order[:widest + 1]
    unwrapped = [(wants[i] - cut) % 360 for i in rotated]
    tops = stack([u - sizes[i] / 2 for u, i in zip(unwrapped, rotated, strict=True)],
                 [sizes[i] for i in rotated], 0.0, 360.0)
    centres = [0.0] * len(wants)
    for top, i in zip(tops, rotated, strict=True):
        centres[i] = (cut + top + sizes[i] / 2) % 360
    return centres
