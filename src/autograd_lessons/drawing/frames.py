"""Frames around groups of boxes (submodules, repeated blocks) in a labelled picture.

`Frames` sees the groups of a laid-out graph row by row: which slots each group holds, the rows
it spans, its children. `geometry` asks it to keep frames apart while slots are placed
(`separate`, `compact`) and, once rows have heights, where each frame and its label go (`place`).
"""

from __future__ import annotations

import itertools
import math

from autograd_lessons.drawing.layout import Layout, common
from autograd_lessons.drawing.scene import Box
from autograd_lessons.drawing.sizes import FRAME_GAP, FRAME_PAD, REPAIR_ROUNDS, STUB_CLEAR
from autograd_lessons.drawing.text import frame_label_size
from autograd_lessons.graph_data import Graph


class Frames:
    """The groups of a laid-out graph, seen row by row: which slots each group holds, the rows it
    spans, its children; and `spans(x)`, the horizontal extent of every frame for slot centres x."""

    def __init__(self, view: Graph, lay: Layout, width: list[float]):
        self.view, self.lay, self.width = view, lay, width
        paths = lay.paths
        count = len(view.groups)
        self.slots: list[list[int]] = [[] for _ in range(count)]
        self.row_of: dict[int, int] = {}
        for k, row in enumerate(lay.rows):
            for i in row:
                self.row_of[i] = k
                for g in paths[i]:
                    self.slots[g].append(i)
        self.drawn = [g for g in range(count) if self.slots[g]]
        self.depth = {g: len(paths[self.slots[g][0]][: paths[self.slots[g][0]].index(g) + 1]) for g in self.drawn}
        self.rows = {
            g: (min(self.row_of[i] for i in self.slots[g]), max(self.row_of[i] for i in self.slots[g]))
            for g in self.drawn
        }
        self.inner_first = sorted(self.drawn, key=lambda g: (-self.depth[g], g))
        self.parent = {
            g: (paths[self.slots[g][0]][self.depth[g] - 2] if self.depth[g] > 1 else None) for g in self.drawn
        }
        self.label_w = {g: frame_label_size(view.groups[g].label)[0] for g in self.drawn}
        # Per row: each group's first and last rank there.
        self.block: dict[tuple[int, int], tuple[int, int]] = {}
        for k, row in enumerate(lay.rows):
            for r, i in enumerate(row):
                for g in paths[i]:
                    first, _ = self.block.get((g, k), (r, r))
                    self.block[(g, k)] = (first, r)

    def spans(self, x: list[float]) -> dict[int, list[float]]:
        """[x0, x1] of every frame drawn: FRAME_PAD around its slots and inner frames, and wide
        enough for its label."""
        paths, width = self.lay.paths, self.width
        span: dict[int, list[float]] = {}
        for g in self.inner_first:
            lo, hi = math.inf, -math.inf
            for i in self.slots[g]:
                if paths[i][-1] == g:
                    lo, hi = min(lo, x[i] - width[i] / 2), max(hi, x[i] + width[i] / 2)
            for c in self.drawn:
                if self.parent[c] == g:
                    lo, hi = min(lo, span[c][0]), max(hi, span[c][1])
            lo, hi = lo - FRAME_PAD, hi + FRAME_PAD
            span[g] = [lo, max(hi, lo + self.label_w[g] + 2 * FRAME_PAD)]
        return span

    def separate(self, x: list[float], gap) -> None:
        """Push slots to the right until, in every row a frame spans, every slot outside it
        keeps FRAME_GAP from it, and frames that are not nested keep FRAME_GAP from each other
        (the layout puts groups in the same order in every row, so pushing right settles).
        What moves is the largest unit that may: a slot moves with the outermost frame it sits
        in that the other side is not in, so frames keep their shape and stay compact."""
        rows, paths, width = self.lay.rows, self.lay.paths, self.width
        group_path = {g: paths[self.slots[g][0]][: self.depth[g]] for g in self.drawn}

        def push(path: tuple[int, ...], other: tuple[int, ...], slot: int | None, by: float) -> None:
            """Move right by `by` the outermost frame of `path` not in `other` (else `slot`)."""
            shared = len(common(path, other))
            if len(path) > shared:
                for i in self.slots[path[shared]]:
                    x[i] += by
            elif slot is not None:
                x[slot] += by

        for _ in range(REPAIR_ROUNDS):
            moved = False
            for row in rows:  # neighbours in a row keep their gaps (frame pads included)
                for a, b in itertools.pairwise(row):
                    short = x[a] + gap(a, b) - x[b]
                    if short > 1e-9:
                        push(paths[b], paths[a], b, short)
                        moved = True
            span = self.spans(x)
            for g in self.drawn:
                top, bottom = self.rows[g]
                for k in range(top, bottom + 1):
                    block = self.block.get((g, k))
                    for r, i in enumerate(rows[k]):
                        if g in paths[i]:
                            continue
                        # What must keep clear of g: the slot, or the outermost frame it sits in
                        # that g is not in (a frame with no slot in a row g spans has no frame
                        # pair to part it from g below, only its slots here).
                        own = next((h for h in paths[i] if h not in group_path[g]), None)
                        low, high = span[own] if own is not None else (x[i] - width[i] / 2, x[i] + width[i] / 2)
                        left = r < block[0] if block else x[i] < (span[g][0] + span[g][1]) / 2
                        if left and high + FRAME_GAP > span[g][0] + 1e-9:
                            push(group_path[g], paths[i], None, high + FRAME_GAP - span[g][0])
                            span, moved = self.spans(x), True
                        elif not left and low < span[g][1] + FRAME_GAP - 1e-9:
                            push(paths[i], group_path[g], i, span[g][1] + FRAME_GAP - low)
                            span, moved = self.spans(x), True
            for e in self.drawn:
                for f in self.drawn:
                    if e == f or e in group_path[f] or f in group_path[e]:
                        continue
                    shared = [
                        k
                        for k in range(self.rows[e][0], self.rows[e][1] + 1)
                        if (e, k) in self.block and (f, k) in self.block
                    ]
                    if not shared or self.block[(e, shared[0])][0] > self.block[(f, shared[0])][0]:
                        continue  # e is the left one of the pair
                    if span[e][1] + FRAME_GAP > span[f][0] + 1e-9:
                        push(group_path[f], group_path[e], None, span[e][1] + FRAME_GAP - span[f][0])
                        span, moved = self.spans(x), True
            if not moved:
                return

    def compact(self, x: list[float], gap) -> None:
        """Pack to the left: every frame of the top level (and every slot in none) starts at
        x = 0 with its inside unchanged, then `separate` pushes each just as far right as it
        must: the narrowest arrangement of these units in their order."""
        paths, width = self.lay.paths, self.width
        span = self.spans(x)
        for g in self.drawn:
            if self.depth[g] == 1:
                for i in self.slots[g]:
                    x[i] -= span[g][0]
        for i in range(len(x)):
            if not paths[i]:
                x[i] = width[i] / 2
        self.separate(x, gap)

    def place(self, x, band_top, band_bottom, runs) -> list[tuple[int, Box, Box]]:
        """(group, frame, label box) of every frame drawn, innermost first. A frame reaches
        FRAME_PAD above its top row plus a band for its label (above any inner frame that
        starts in the same row) and FRAME_PAD below its bottom row. The label sits at the
        frame's left, moved right past the edges running down through its band (`runs[k]`: the
        x of every edge crossing the space above row k) when the frame is wide enough."""
        span = self.spans(x)
        tops: dict[int, float] = {}
        bottoms: dict[int, float] = {}
        out = []
        for g in self.inner_first:
            top_row, bottom_row = self.rows[g]
            content_top, content_bottom = band_top[top_row], band_bottom[bottom_row]
            for c in self.drawn:
                if self.parent[c] == g:
                    content_top, content_bottom = max(content_top, tops[c]), min(content_bottom, bottoms[c])
            label_w, label_h = frame_label_size(self.view.groups[g].label)
            tops[g] = content_top + FRAME_PAD + label_h
            bottoms[g] = content_bottom - FRAME_PAD
            x0, x1 = span[g]
            start = x0 + FRAME_PAD
            for at in sorted(runs[top_row]):
                if start - STUB_CLEAR <= at <= start + label_w + STUB_CLEAR and at < x1:
                    start = at + STUB_CLEAR
            if start + label_w > x1 - FRAME_PAD:
                start = x0 + FRAME_PAD
            y0 = content_top + FRAME_PAD / 2
            out.append((g, (x0, bottoms[g], x1, tops[g]), (start, y0, start + label_w, y0 + label_h)))
        return out

    def opening(self) -> dict[int, int]:
        """Per row: how many frames start there one inside the other (each needs a label band)."""
        return self._nesting(0)

    def closing(self) -> dict[int, int]:
        """Per row: how many frames end there one inside the other (each needs FRAME_PAD)."""
        return self._nesting(1)

    def _nesting(self, end: int) -> dict[int, int]:
        levels: dict[int, int] = {}
        per_row: dict[int, int] = {}
        for g in self.inner_first:
            k = self.rows[g][end]
            inner = [levels[c] for c in self.drawn if self.parent[c] == g and self.rows[c][end] == k]
            levels[g] = 1 + max(inner, default=0)
            per_row[k] = max(per_row.get(k, 0), levels[g])
        return per_row


__all__ = ["Frames"]
