"""Rebuild the printed tables as a workbook the existing reader understands — one sheet a table,
its title, marker, 部门 and 单位 lines above it and its notes below — remembering for every sheet
cell the page and box it was printed in. The same reader and rule catalogue then judge it."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import IO

from xltools.audit.cells import BBox, Cell, Line, TableGrid
from xltools.audit.identify import HEADER_ROWS, FoundTable, width
from xltools.model import Cell as SheetCell
from xltools.read.grid import SheetGrid
from xltools.text import parse_amount, squash

Origin = tuple[int, BBox]  # (page, bbox)
_DECIMAL = re.compile(r"^-?[\d,\s]*\d\.\s*\d{2}$")
_NUMERIC = re.compile(r"^[-+(]?[\d,，.\s]+\)?$")


@dataclass
class Rebuilt:
    """The rebuilt sheets and, per sheet cell, where it was printed."""

    sheets: list[SheetGrid] = field(default_factory=list)
    origin: dict[SheetCell, Origin] = field(default_factory=dict)
    tables: list[FoundTable] = field(default_factory=list)

    def where(self, cell: SheetCell) -> Origin | None:
        return self.origin.get(cell)

    def save(self, path: Path | IO[bytes]) -> None:
        """The rebuilt sheets as an .xlsx (amounts as numbers, everything else as printed)."""
        from openpyxl import Workbook

        wb = Workbook()
        wb.remove(wb.active)  # type: ignore[arg-type]
        for grid in self.sheets:
            ws = wb.create_sheet(grid.name)
            for r, row in enumerate(grid.rows, start=1):
                for c, v in enumerate(row, start=1):
                    if v not in (None, ""):
                        ws.cell(r, c, v)
        wb.save(path)


def rebuild(found: list[FoundTable]) -> Rebuilt:
    out = Rebuilt(tables=found)
    used: set[str] = set()
    for table in found:
        name = _unique(table.name()[:31], used)
        out.sheets.append(_sheet(table, name, out))
    return out


def _unique(name: str, used: set[str]) -> str:
    candidate, n = name, 1
    while candidate in used:
        n += 1
        candidate = f"{name[:28]}({n})"
    used.add(candidate)
    return candidate


def _sheet(table: FoundTable, name: str, out: Rebuilt) -> SheetGrid:
    rows: list[list[object]] = []
    xs = _columns(table.grids[0]) if table.grids else [0.0]
    if table.title and not any(squash(ln.text) == squash(table.title) for ln in table.head):
        rows.append([table.title])  # known by its header: the reader needs a title line
    for group in _by_line(table.head):
        rows.append(_line_row(group, xs, name, len(rows) + 1, out))
    header = _header_rows(table.grids[0]) if table.grids else set()
    for k, grid in enumerate(table.grids):
        cols = None if width(grid) == len(xs) else _columns(grid)
        skipping = k > 0
        for row in grid.rows:
            if skipping and _row_key(row) in header:
                continue  # a repeated header row on a continuation page
            skipping = False
            rows.append(_grid_row(row, cols, xs, name, len(rows) + 1, out))
    for group in _by_line(table.notes):
        rows.append(_line_row(group, xs, name, len(rows) + 1, out))
    return SheetGrid(name, rows)


def _columns(grid: TableGrid) -> list[float]:
    """The left edge of each column of a grid."""
    xs = [float("inf")] * width(grid)
    for row in grid.rows:
        for j, c in enumerate(row):
            if c is not None:
                xs[j] = min(xs[j], c.bbox[0])
    return [x if x != float("inf") else (xs[j - 1] if j else 0.0) for j, x in enumerate(xs)]


def _column_at(x: float, xs: list[float]) -> int:
    """The 0-based column whose left edge is the last one at or left of x."""
    col = 0
    for j, left in enumerate(xs):
        if left <= x + 1:
            col = j
    return col


def _by_line(lines: list[Line]) -> list[list[Line]]:
    """Lines grouped by the printed line they stand on (same page, overlapping vertically)."""
    groups: list[list[Line]] = []
    for ln in sorted(lines, key=lambda line: (line.page, line.bbox[1], line.bbox[0])):
        last = groups[-1][-1] if groups else None
        if last is not None and last.page == ln.page and ln.bbox[1] < (last.bbox[1] + last.bbox[3]) / 2:
            groups[-1].append(ln)
        else:
            groups.append([ln])
    return groups


def _line_row(group: list[Line], xs: list[float], sheet: str, r: int, out: Rebuilt) -> list[object]:
    row: list[object] = [None] * max(1, len(xs))
    for ln in group:
        j = _column_at(ln.bbox[0], xs)
        while j < len(row) and row[j] is not None:
            j += 1
        if j >= len(row):
            row.append(None)
        row[j] = ln.text
        out.origin[SheetCell(sheet, r, j + 1)] = (ln.page, ln.bbox)
    return row


def _grid_row(
    cells: tuple[Cell | None, ...],
    cols: list[float] | None,
    xs: list[float],
    sheet: str,
    r: int,
    out: Rebuilt,
) -> list[object]:
    row: list[object] = [None] * len(xs)
    for j, c in enumerate(cells):
        if c is None:
            continue
        col = j if cols is None else _column_at(c.bbox[0], xs)
        if col >= len(row):
            row.extend([None] * (col + 1 - len(row)))
        row[col] = sheet_value(c.text)
        out.origin[SheetCell(sheet, r, col + 1)] = (c.page, c.bbox)
    return row


def _header_rows(grid: TableGrid) -> set[tuple[str, ...]]:
    """The rows above the first row that prints an amount (a continuation page repeats them)."""
    out: set[tuple[str, ...]] = set()
    for row in grid.rows[:HEADER_ROWS]:
        if any(c is not None and _DECIMAL.match(c.text.strip()) for c in row):
            break
        out.add(_row_key(row))
    return out


def _row_key(row: tuple[Cell | None, ...]) -> tuple[str, ...]:
    return tuple(squash(c.text) if c is not None else "" for c in row)


def sheet_value(text: str) -> object:
    """A printed cell as the workbook held it: amounts as numbers (so no 'number stored as text'
    is invented), wrapped labels joined, blank as None."""
    t = text.replace("\n", "").strip()
    if not t:
        return None
    if _NUMERIC.match(t):
        parsed = parse_amount(t)
        if parsed.value is not None and not parsed.blank:
            v: Decimal = parsed.value
            return int(v) if v == v.to_integral_value() and "." not in t else float(v)
    return t
