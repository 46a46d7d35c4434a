"""The geometry's measuring and fitting helpers, and the height of a gradient written on an edge.

Pinned here: `segment_distance` against a distance measured independently (the closest pair of
many points spread along both segments, exact to within the spacing of those points) on random
segments at every scale and on grid points, where touching, collinear and crossing cases are
frequent, and on the cases at its edges (crossings whose cross products are tiny or exactly 1,
a point-sized segment, a segment of length 1); `polyline_distance` the same way on polylines
of several pieces; `isotonic` as the weighted least-squares fit that keeps the gaps, checked by
the conditions that characterise that fit (not by the algorithm that finds it); and a gradient
written on an edge is as tall as its lines of EDGE_PT text plus its pads.
"""

from __future__ import annotations

import itertools
import math
import random

import matplotlib.pyplot as plt
import numpy as np
import pytest
import torch

from autograd_lessons import backward_steps, draw
from autograd_lessons.drawing.geometry import isotonic, polyline_distance, segment_distance
from autograd_lessons.drawing.sizes import EDGE_PT, LABEL_PAD, LINE_EM

SAMPLES = 101  # points along each segment for the independent measure
POINTS_PER_INCH = 72.0


def spread(points, count: int = SAMPLES) -> np.ndarray:
    """`count` evenly spaced points along each piece of a polyline, ends included."""
    t = np.linspace(0.0, 1.0, count)[:, None]
    pieces = [
        np.asarray(a, float) + t * (np.asarray(b, float) - np.asarray(a, float)) for a, b in itertools.pairwise(points)
    ]
    return np.concatenate(pieces)


def sampled_distance(a, b) -> tuple[float, float]:
    """(closest distance between the sampled points of polylines a and b, how far that can be
    above the true distance: half a spacing on each side)."""
    pa, pb = spread(a), spread(b)
    gaps = np.sqrt(((pa[:, None, :] - pb[None, :, :]) ** 2).sum(axis=2))
    longest = max(math.dist(p, q) for line in (a, b) for p, q in itertools.pairwise(line))
    return float(gaps.min()), longest / (SAMPLES - 1)


def assert_measured(measured: float, a, b) -> None:
    sampled, slack = sampled_distance(a, b)
    assert sampled - slack - 1e-12 <= measured <= sampled + 1e-12, (a, b, measured, sampled)


def random_point(rng: random.Random, scale: float, grid: bool):
    if grid:
        return (rng.randint(-2, 2) * scale, rng.randint(-2, 2) * scale)
    return (rng.uniform(-scale, scale), rng.uniform(-scale, scale))


@pytest.mark.parametrize("scale", [0.01, 0.3, 1.0, 5.0])
@pytest.mark.parametrize("grid", [False, True], ids=["anywhere", "grid"])
def test_segment_distance_agrees_with_points_sampled_along_both_segments(scale, grid):
    """At every scale (cross products far below 1 included), and on a grid where segments
    touch, overlap and cross at their ends."""
    rng = random.Random(int(scale * 1000) + grid)
    for _ in range(100):
        p, q, r, s = (random_point(rng, scale, grid) for _ in range(4))
        assert_measured(segment_distance(p, q, r, s), (p, q), (r, s))


@pytest.mark.parametrize(
    ("p", "q", "r", "s", "expected"),
    [
        pytest.param((0, -1), (0, 1), (-0.5, 0), (0.5, 0), 0.0, id="crossing, cross products of exactly 1"),
        pytest.param((0, -0.1), (0, 0.1), (-0.1, 0), (0.1, 0), 0.0, id="small crossing"),
        pytest.param((0, -1), (0, 1), (0, 0), (1, 0), 0.0, id="an end on the other segment"),
        pytest.param((0, 0), (1, 0), (2, 0), (3, 0), 1.0, id="collinear, one apart"),
        pytest.param((0, 0), (2, 0), (1, 0), (3, 0), 0.0, id="collinear, overlapping"),
        pytest.param((0, 1), (2, 1), (0, 0), (2, 0), 1.0, id="parallel"),
        pytest.param((0.5, 1), (0.5, 2), (0, 0), (1, 0), 1.0, id="above the middle of a segment of length 1"),
        pytest.param((1.5, 1), (1.5, 2), (0, 0), (1, 0), math.hypot(0.5, 1), id="beyond the end of a segment"),
        pytest.param((3, 4), (3, 4), (0, 0), (0, 0), 5.0, id="two points"),
        pytest.param((1, 1), (1, 1), (0, 0), (2, 0), 1.0, id="a point above a segment"),
    ],
)
def test_segment_distance_at_its_edges(p, q, r, s, expected):
    assert segment_distance(p, q, r, s) == pytest.approx(expected, abs=1e-12)
    assert segment_distance(r, s, p, q) == pytest.approx(expected, abs=1e-12)
    assert segment_distance(q, p, s, r) == pytest.approx(expected, abs=1e-12)


def test_polyline_distance_is_the_closest_approach_of_any_two_pieces():
    """Polylines of two to four points, closest at any of their pieces (the last ones included)."""
    rng = random.Random(12)
    for _ in range(60):
        a = [random_point(rng, 1.0, False) for _ in range(rng.randint(2, 4))]
        b = [random_point(rng, 1.0, False) for _ in range(rng.randint(2, 4))]
        assert_measured(polyline_distance(a, b), a, b)


def test_polyline_distance_reaches_the_last_piece_of_each():
    """Two bent lines that only come close at their last pieces."""
    a = [(0, 0), (0, 5), (3, 5)]
    b = [(10, 0), (10, 5), (4, 5)]
    assert polyline_distance(a, b) == pytest.approx(1.0)
    assert polyline_distance(b, a) == pytest.approx(1.0)


def assert_least_squares_fit(desired, weights, gaps, x, tolerance=1e-9) -> None:
    """x minimises Σ w·(x − desired)² under x[i+1] − x[i] ≥ gaps[i]: it keeps the gaps, and in
    every run of items pushed together (gaps exactly kept) the items sit, as a block, at their
    weighted mean place, and no first part of a run wants to be further left (nor a last part
    further right) than the run is."""
    n = len(desired)
    assert len(x) == n
    offsets = [0.0]
    for gap in gaps:
        offsets.append(offsets[-1] + gap)
    for i in range(n - 1):
        assert x[i + 1] - x[i] >= gaps[i] - tolerance, "a gap is not kept"
    level = [x[i] - offsets[i] for i in range(n)]  # a block's items share one level
    wanted = [desired[i] - offsets[i] for i in range(n)]
    start = 0
    for end in range(1, n + 1):
        if end < n and abs(x[end] - x[end - 1] - gaps[end - 1]) <= tolerance:
            continue
        block = range(start, end)
        value = level[start]

        def mean(items):
            return sum(weights[i] * wanted[i] for i in items) / sum(weights[i] for i in items)

        assert all(abs(level[i] - value) <= tolerance for i in block)
        assert mean(block) == pytest.approx(value, abs=tolerance)
        for k in range(start + 1, end):
            assert mean(range(start, k)) >= value - tolerance, "a first part would rather move left"
            assert mean(range(k, end)) <= value + tolerance, "a last part would rather move right"
        start = end


def test_isotonic_fits_random_wishes_under_random_gaps():
    rng = random.Random(4)
    for _ in range(300):
        n = rng.randint(1, 8)
        desired = [rng.uniform(-3, 3) for _ in range(n)]
        weights = [rng.choice([0.05, 0.1, 1.0, 4.0, 16.0]) for _ in range(n)]
        gaps = [rng.uniform(0.1, 1.5) for _ in range(n - 1)]
        assert_least_squares_fit(desired, weights, gaps, isotonic(desired, weights, gaps))


@pytest.mark.parametrize(
    ("desired", "weights", "gaps", "expected"),
    [
        pytest.param([2.0], [1.0], [], [2.0], id="one item stays"),
        pytest.param([0.0, 3.0], [1.0, 1.0], [1.0], [0.0, 3.0], id="far enough apart already"),
        pytest.param([1.0, 1.0], [1.0, 1.0], [1.0], [0.5, 1.5], id="two on one place part evenly"),
        pytest.param([0.0, 0.0], [3.0, 1.0], [2.0], [-0.5, 1.5], id="the heavier moves less"),
        pytest.param([1.0, 0.0, 2.0], [1.0, 1.0, 1.0], [0.5, 0.5], [0.25, 0.75, 2.0], id="a pair pooled, one free"),
    ],
)
def test_isotonic_small_cases(desired, weights, gaps, expected):
    assert isotonic(desired, weights, gaps) == pytest.approx(expected)


def test_a_gradient_on_an_edge_is_as_tall_as_its_lines_plus_its_pads():
    """Each gradient written on an edge of a scalar graph is one line: LINE_EM lines of EDGE_PT
    points, plus the label's pad above and below."""
    x = torch.tensor(2.0, requires_grad=True)
    steps = backward_steps(torch.sin(x) * x)
    one_line = LINE_EM * EDGE_PT / POINTS_PER_INCH + 2 * LABEL_PAD[1]
    heights = []
    for k in range(1, len(steps) + 1):
        fig = draw(steps, step=k)
        heights += [box[3] - box[1] for _, box in fig.lesson_drawing.edge_labels]
        plt.close(fig)
    assert heights
    assert heights == pytest.approx([one_line] * len(heights), abs=1e-12)
