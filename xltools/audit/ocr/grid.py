"""The ruled grid of a straightened scan: table regions, their rules, and the (merged) cells they enclose.

Rules are long runs of ink: horizontal ones survive an opening with a long flat kernel, vertical ones
with a short upright kernel. A boundary between two neighbouring slots of the grid exists where ink
covers (nearly) all of it, so a merged header cell is one cell, and stray strokes of text make no rule.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import pairwise

import cv2
import numpy as np

from xltools.audit.ocr.raster import horizontal_rules, ink

Box = tuple[int, int, int, int]  # x0, y0, x1, y1 in pixels
_COVER = 0.96  # share of a slot boundary that must be ink for it to be a rule (text strokes stop short)
_MIN_ROWS = 2


@dataclass(frozen=True)
class GridCell:
    """One cell: its slot (row, col), how many slots it spans, and its inside (rules excluded)."""

    row: int
    col: int
    rows: int
    cols: int
    inner: Box


@dataclass(frozen=True)
class Grid:
    """A ruled table on the page: its outer box, slot counts and cells in reading order."""

    box: Box
    n_rows: int
    n_cols: int
    cells: tuple[GridCell, ...]


def _runs(profile: np.ndarray, minimum: float) -> list[tuple[int, int]]:
    """Clusters of consecutive indexes where profile ≥ minimum: [(first, last), …]."""
    idx = np.flatnonzero(profile >= minimum)
    if idx.size == 0:
        return []
    breaks = np.flatnonzero(np.diff(idx) > 1)
    starts = np.concatenate(([idx[0]], idx[breaks + 1]))
    ends = np.concatenate((idx[breaks], [idx[-1]]))
    return [(int(a), int(b)) for a, b in zip(starts, ends, strict=True)]


def _vertical_rules(mask: np.ndarray, length: int) -> np.ndarray:
    kernel = cv2.getStructuringElement(cv2.MORPH_RECT, (1, length))
    return cv2.morphologyEx(mask, cv2.MORPH_OPEN, kernel)


def table_boxes(horiz: np.ndarray, vert: np.ndarray) -> list[Box]:
    """The boxes of the ruled tables: connected frames of rules, wide and at least two rules tall."""
    frame = cv2.dilate(cv2.bitwise_or(horiz, vert), np.ones((5, 5), np.uint8))
    n, _, stats, _ = cv2.connectedComponentsWithStats(frame, connectivity=8)
    width = horiz.shape[1]
    boxes = []
    for i in range(1, n):
        x, y, w, h = (int(v) for v in stats[i, :4])
        if w >= width // 5 and h >= 15:
            boxes.append((x + 2, y + 2, x + w - 2, y + h - 2))
    return sorted(boxes, key=lambda b: (b[1], b[0]))


def _covered(segment: np.ndarray) -> bool:
    return segment.size > 0 and float(np.count_nonzero(segment.max(axis=0))) >= _COVER * segment.shape[1]


def _cells(mask: np.ndarray, ys: list[tuple[int, int]], xs: list[tuple[int, int]]) -> list[GridCell]:
    """Union the slots not separated by a rule; one GridCell per group (its bounding slots)."""
    nr, nc = len(ys) - 1, len(xs) - 1
    parent = list(range(nr * nc))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for r in range(nr):
        top, bottom = ys[r][1] + 1, ys[r + 1][0]
        for c in range(nc):
            left, right = xs[c][1] + 1, xs[c + 1][0]
            if c + 1 < nc and not _covered(mask[top:bottom, xs[c + 1][0] : xs[c + 1][1] + 1].T):
                parent[find(r * nc + c)] = find(r * nc + c + 1)
            if r + 1 < nr and not _covered(mask[ys[r + 1][0] : ys[r + 1][1] + 1, left:right]):
                parent[find(r * nc + c)] = find((r + 1) * nc + c)
    groups: dict[int, list[int]] = {}
    for i in range(nr * nc):
        groups.setdefault(find(i), []).append(i)
    out = []
    for members in groups.values():
        r0, r1 = min(m // nc for m in members), max(m // nc for m in members)
        c0, c1 = min(m % nc for m in members), max(m % nc for m in members)
        inner = (xs[c0][1] + 1, ys[r0][1] + 1, xs[c1 + 1][0], ys[r1 + 1][0])
        out.append(GridCell(r0, c0, r1 - r0 + 1, c1 - c0 + 1, inner))
    return sorted(out, key=lambda g: (g.row, g.col))


def _prune_columns(
    mask: np.ndarray, ys: list[tuple[int, int]], xs: list[tuple[int, int]]
) -> list[tuple[int, int]]:
    """Keep the vertical rule candidates that separate two slots in at least one row (and the edges):
    a tall stroke of text is not a rule."""
    keep = [xs[0]]
    for x in xs[1:-1]:
        band = mask[:, x[0] : x[1] + 1]
        if any(_covered(band[a[1] + 1 : b[0]].T) for a, b in pairwise(ys)):
            keep.append(x)
    return [*keep, xs[-1]]


def _thick(rules: list[tuple[int, int]], sliver: int | None = None) -> list[tuple[int, int]]:
    """Rules a sliver apart (a double or heavy rule under a header) as one rule: no row is that thin
    (by default: a quarter of the median gap)."""
    if len(rules) < 3:
        return rules
    if sliver is None:
        gaps = sorted(b[0] - a[1] - 1 for a, b in pairwise(rules))
        sliver = max(3, gaps[len(gaps) // 2] // 4)
    out = [rules[0]]
    for r in rules[1:]:
        if r[0] - out[-1][1] - 1 < sliver:
            out[-1] = (out[-1][0], r[1])
        else:
            out.append(r)
    return out


def _lines(rules: np.ndarray, axis: int, minimum: int) -> list[tuple[int, int]]:
    """Rule positions along the other axis: runs of rows (axis=1) or columns (axis=0) with ink."""
    return _runs(np.count_nonzero(rules, axis=axis).astype(np.float64), minimum)


def find_grids(grey: np.ndarray) -> list[Grid]:
    """Every ruled table of a straightened page, with its cells."""
    mask = ink(grey)
    dark = cv2.bitwise_or(mask, (cv2.GaussianBlur(grey, (3, 3), 0) < 170).astype(np.uint8) * 255)
    horiz = horizontal_rules(mask, max(40, grey.shape[1] // 40))
    vert = _vertical_rules(mask, max(30, grey.shape[0] // 40))  # the frame: rules over 2+ rows
    grids = []
    for box in table_boxes(horiz, vert):
        grid = _grid(dark, horiz, box)
        if grid is not None:
            grids.append(grid)
    return grids


def _grid(dark: np.ndarray, horiz: np.ndarray, box: Box) -> Grid | None:
    """The grid inside one table box: rules, then slots merged where no rule parts them."""
    x0, y0, x1, y1 = box
    least = max(20, (x1 - x0) // 30)  # a rule under one header cell at least
    ys = _thick([(a + y0, b + y0) for a, b in _lines(horiz[y0 : y1 + 1, x0 : x1 + 1], 1, least)])
    if len(ys) < _MIN_ROWS + 1:
        return None
    gap = min(b[0] - a[1] - 1 for a, b in pairwise(ys))
    # a vertical rule crosses at least one whole row; no stroke of text is that tall
    vert = _vertical_rules(dark[y0 : y1 + 1, x0 : x1 + 1], max(8, gap + 2))
    xs = [(a + x0, b + x0) for a, b in _lines(vert, 0, max(8, gap))]
    if len(xs) < 2:
        return None
    xs = _thick(_prune_columns(dark, ys, xs), sliver=3)  # a stroke beside a rule is not part of it
    cells = _cells(dark, ys, xs)
    ruled = (xs[0][0], ys[0][0], xs[-1][1] + 1, ys[-1][1] + 1)
    return Grid(ruled, len(ys) - 1, len(xs) - 1, tuple(cells))
