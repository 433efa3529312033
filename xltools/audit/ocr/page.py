"""A scanned page → the shapes of cells.py: ruled tables as TableGrid, the text around them as Line.

Cells carry source="ocr" and the recogniser's confidence; bboxes are PDF points on the straightened
page (origin top-left), so a crop of the original can be cut for a look.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import cv2
import numpy as np

from xltools.audit.cells import Cell, Line, TableGrid
from xltools.audit.ocr import engine
from xltools.audit.ocr.grid import Grid, find_grids
from xltools.audit.ocr.raster import PageImage

_INSET = 1  # px kept off each rule when a cell is cut out


@dataclass(frozen=True)
class ScannedPage:
    """What OCR made of one page."""

    page: int
    angle: float  # degrees the page was turned to straighten it
    tables: tuple[TableGrid, ...]
    lines: tuple[Line, ...]
    turn: int = 0  # degrees clockwise it was turned first, to stand upright


def cell_crop(image: PageImage, inner: tuple[int, int, int, int]) -> np.ndarray:
    x0, y0, x1, y1 = inner
    return image.pixels[
        y0 + _INSET : max(y0 + _INSET + 1, y1 - _INSET), x0 + _INSET : max(x0 + _INSET + 1, x1 - _INSET)
    ]


def _table(image: PageImage, grid: Grid) -> TableGrid:
    readings = engine.read_cells([cell_crop(image, c.inner) for c in grid.cells])
    slots: list[list[Cell | None]] = [[None] * grid.n_cols for _ in range(grid.n_rows)]
    for gc, reading in zip(grid.cells, readings, strict=True):
        bbox = image.to_points(gc.inner)
        slots[gc.row][gc.col] = Cell(
            reading.text, image.page, bbox, source="ocr", confidence=reading.confidence
        )
    for gc in grid.cells:  # a cell nobody starts at is inside a merged one; a slot outside all is blank
        for r in range(gc.row, gc.row + gc.rows):
            for c in range(gc.col, gc.col + gc.cols):
                if (r, c) != (gc.row, gc.col):
                    slots[r][c] = None
    return TableGrid(image.page, image.to_points(grid.box), tuple(tuple(row) for row in slots))


def _strips(image: PageImage, grids: list[Grid]) -> list[tuple[int, int]]:
    """The bands of the page above, between and below the tables (row ranges), where lines of text
    are looked for; a table page's title, 部门/单位 and notes, a prose page whole."""
    spans, top = [], 0
    for g in sorted(grids, key=lambda g: g.box[1]):
        spans.append((top, max(top, g.box[1])))
        top = g.box[3]
    spans.append((top, image.pixels.shape[0]))
    return [(a, b) for a, b in spans if b - a >= 8]


def _pieces(image: PageImage, grids: list[Grid]) -> list[tuple[tuple[int, int, int, int], str, float]]:
    """Detected text boxes (page pixels) with their text and score, band by band, inked part only."""
    out = []
    for y0, y1 in _strips(image, grids):
        band = image.pixels[y0:y1]
        inked = np.flatnonzero(np.count_nonzero(band < 128, axis=1) >= 3)
        if inked.size == 0:
            continue
        a, b = max(0, int(inked[0]) - 6), min(band.shape[0], int(inked[-1]) + 7)
        framed = cv2.copyMakeBorder(band[a:b], 10, 10, 0, 0, cv2.BORDER_CONSTANT, value=255)
        found = engine.detect_and_read(cv2.cvtColor(framed, cv2.COLOR_GRAY2BGR))
        top = y0 + a - 10
        out += [
            ((x0, max(y0, top + t), x1, min(y1, top + u)), text, score)
            for (x0, t, x1, u), text, score in found
        ]
    return out


def _lines(image: PageImage, grids: list[Grid]) -> list[Line]:
    """The text outside the tables (titles, 部门/单位, notes, prose), one Line per printed line:
    boxes on one baseline a short gap apart are joined, lines in reading order."""
    merged: list[list[Any]] = []
    for box, text, score in sorted(_pieces(image, grids), key=lambda p: (p[0][1] + p[0][3]) / 2):
        height = box[3] - box[1]
        row = [m for m in merged if abs((m[0][1] + m[0][3]) - (box[1] + box[3])) < height]
        last = max(row, key=lambda m: m[0][2]) if row else None
        if last and 0 <= box[0] - last[0][2] < height * 2:
            last[0] = (last[0][0], min(last[0][1], box[1]), box[2], max(last[0][3], box[3]))
            last[1] += text
            last[2] = min(last[2], score)
        else:
            merged.append([box, text, score])
    return [
        Line(t, image.page, image.to_points(b), source="ocr", confidence=s)
        for b, t, s in _reading_order(merged)
    ]


def _reading_order(pieces: list[list[Any]]) -> list[list[Any]]:
    """Top to bottom by rows (centres within half a line height), left to right in a row."""
    rows: list[list[list[Any]]] = []
    for p in sorted(pieces, key=lambda m: m[0][1] + m[0][3]):
        centre, half = (p[0][1] + p[0][3]) / 2, (p[0][3] - p[0][1]) / 2
        if rows and abs(centre - (rows[-1][0][0][1] + rows[-1][0][0][3]) / 2) <= half:
            rows[-1].append(p)
        else:
            rows.append([p])
    return [p for row in rows for p in sorted(row, key=lambda m: m[0][0])]


def read_page(image: PageImage) -> ScannedPage:
    """OCR one straightened page: every ruled table cell by cell, then the lines around them."""
    grids = find_grids(image.pixels)
    tables = tuple(_table(image, g) for g in grids)
    return ScannedPage(image.page, image.angle, tables, tuple(_lines(image, grids)), image.turn)
