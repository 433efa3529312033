"""The table cells OCR read without sureness, listed for a look at the original: page, table, row,
column, the text read and how sure — in the text report, the HTML summary and JSON."""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from xltools.audit.cells import Cell, TableGrid
from xltools.audit.identify import HEADER_ROWS, FoundTable
from xltools.audit.ocr import SURE
from xltools.text import squash

_AMOUNT = re.compile(r"^-?[\d,]+\.\d{2}$")
_LINE_NUMBER = re.compile(r"^\d{1,2}$")  # a 行次 or 栏次 number: no name for a row or column
TITLE = f"识别把握不大的单元格（置信度低于 {SURE:.2f}，请对照原件核对）"


@dataclass(frozen=True)
class Unsure:
    """One table cell OCR was not sure of, and where it stands."""

    page: int
    table: str  # '公开04'
    row: str  # the row's code and name, '总计', or '表头'
    column: str  # the column's header, '' when none was read
    text: str  # as read ('' for a cell read blank)
    confidence: float

    def to_dict(self) -> dict[str, Any]:
        return {
            "page": self.page,
            "table": self.table,
            "row": self.row,
            "column": self.column,
            "text": self.text,
            "confidence": round(self.confidence, 3),
        }

    def describe(self) -> str:
        """'第4页 公开04 总计／一般公共预算财政拨款：识别为“2,225.27”，置信度 0.90'."""
        where = "／".join(p for p in (self.row, self.column) if p)
        read = f"“{self.text}”" if self.text else "空白"
        return f"第{self.page}页 {self.table} {where}：识别为{read}，置信度 {self.shown_confidence:.2f}"

    @property
    def shown_confidence(self) -> float:
        """Two decimals, rounded down: a cell under the threshold never shows as sure as it."""
        return math.floor(self.confidence * 100) / 100


def unsure_cells(found: Sequence[FoundTable], threshold: float = SURE) -> list[Unsure]:
    """Every OCR'd cell of the found tables read with less confidence than `threshold`, table by
    table in reading order."""
    out: list[Unsure] = []
    for table in found:
        for grid in table.grids:
            head = _header_end(grid)
            for r, row in enumerate(grid.rows):
                for j, c in enumerate(row):
                    if c is None or c.source != "ocr" or c.confidence is None or c.confidence >= threshold:
                        continue
                    label = "表头" if r < head else _row_label(row, j)
                    column = "" if r < head else _column_label(grid, head, c)
                    out.append(Unsure(c.page, table.name(), label, column, _shown(c.text), c.confidence))
    return out


def listing(unsure: Sequence[Unsure], indent: str = "  ") -> str:
    """The text report's block: a title line and one line a cell ('' when there are none)."""
    if not unsure:
        return ""
    return "\n".join([f"{indent}{TITLE}：", *(f"{indent}  {u.describe()}" for u in unsure)]) + "\n"


def _shown(text: str) -> str:
    return " ".join(text.split())


def _header_end(grid: TableGrid) -> int:
    """The first row that prints an amount (the rows above are the header)."""
    for r, row in enumerate(grid.rows[:HEADER_ROWS]):
        if any(c is not None and _AMOUNT.match(squash(c.text)) for c in row):
            return r
    return min(HEADER_ROWS, len(grid.rows))


def _named(c: Cell | None) -> bool:
    text = squash(c.text) if c is not None else ""
    return bool(text) and not _AMOUNT.match(text) and not _LINE_NUMBER.match(text)


def _row_label(row: tuple[Cell | None, ...], j: int) -> str:
    """The code and name printed left of column j, nearest first (公开06 prints three groups of
    code, name, amount side by side; 公开01 a 行次 between name and amount)."""
    names: list[str] = []
    for c in reversed(row[:j]):
        if _named(c):
            assert c is not None
            names.insert(0, _shown(c.text))
            if len(names) == 2:
                break
        elif names:
            break
    if not names:  # the code itself: its name stands right of it
        names = [_shown(c.text) for c in row[j + 1 :] if _named(c) and c is not None][:1]
    return " ".join(names)


def _column_label(grid: TableGrid, head: int, cell: Cell) -> str:
    """The lowest header text over the cell (a header merged over several columns included)."""
    x = (cell.bbox[0] + cell.bbox[2]) / 2
    over = [
        c
        for row in grid.rows[:head]
        for c in row
        if c is not None and c.bbox[0] <= x <= c.bbox[2] and _named(c) and squash(c.text) != "栏次"
    ]
    return _shown(max(over, key=lambda c: c.bbox[1]).text) if over else ""
