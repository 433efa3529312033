"""Between the ribbon and the library: each function takes what an open workbook holds (its Report,
its sheets as grids) and returns what the handler writes back (edits, or whole sheets as grids).

The library never imports xlwings; neither does this module."""

from __future__ import annotations

import csv
import tempfile
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

from xltools.model import Cell

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

    from xltools.model import Report
    from xltools.read import SheetGrid


@dataclass(frozen=True)
class CellEdit:
    """Put `value` into `cell`, because `reason`."""

    cell: Cell
    value: object
    reason: str


def _grid(ws: Worksheet) -> SheetGrid:
    """The sheet's values as xlwings can write them (Decimal amounts as floats)."""
    from xltools.read import SheetGrid

    grid = SheetGrid.of_worksheet(ws)
    grid.rows = [[_plain(v) for v in row] for row in grid.rows]
    return grid


def _plain(v: object) -> object:
    return float(v) if isinstance(v, Decimal) else v


def template_grids(year: int | None = None) -> list[SheetGrid]:
    """新建模板: the 2021 template's sheets (values and labels; styles stay in `xltools template`)."""
    from openpyxl import Workbook

    from xltools.fill.template import write_template

    wb = Workbook()
    if wb.active is not None:
        wb.remove(wb.active)
    write_template("2021", wb, year=year)
    return [_grid(ws) for ws in wb.worksheets]


def fill_grids(data_sheets: list[SheetGrid]) -> list[SheetGrid]:
    """填表: the filled 公开 sheets from the data sheets of the open workbook (单位信息, 功能科目 …,
    the sheets of the documented data file). Raises DataError naming the sheet and row."""
    from xltools.fill.fill import fill

    with tempfile.TemporaryDirectory(prefix="xltools-fill-") as folder:
        for grid in data_sheets:
            rows = [r for r in grid.rows if any(v not in (None, "") for v in r)]
            with (Path(folder) / f"{grid.name}.csv").open("w", encoding="utf-8", newline="") as fh:
                csv.writer(fh).writerows([["" if v is None else _csv(v) for v in r] for r in rows])
        filled = fill(Path(folder))
    return [_grid(ws) for ws in filled.workbook.worksheets]


def _csv(v: object) -> str:
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)


def formula_grid(grids: list[SheetGrid], report: Report | list[Report]) -> SheetGrid:
    """添加校验公式: the 校验 sheet's cells (formulas as '=…' text, which Excel enters as formulas),
    rendered from the same checks `xltools check` evaluates, a block per unit when given several. The
    conditional formats that colour failing cells come with `xltools formulas` on a file; through
    xlwings only the sheet is written."""
    from openpyxl import Workbook

    from xltools.rules.render_sheet import SHEET, add_check_sheet

    wb = Workbook()
    if wb.active is not None:
        wb.remove(wb.active)
    for grid in grids:  # a copy of the open book's values: the renderer reads how each cell is typed
        ws = wb.create_sheet(grid.name)
        for r, row in enumerate(grid.rows, 1):
            for c, v in enumerate(row, 1):
                if v not in (None, ""):
                    ws.cell(r, c, v)
    add_check_sheet(wb, report)
    return _grid(wb[SHEET])


def fix_edits(report: Report) -> tuple[list[CellEdit], int]:
    """修正: the safe changes of the fix planner (text numbers, blanks, tails — typing slips are only
    proposed, never applied from the ribbon) and how many cells are left for a person to verify."""
    from xltools.fix import plan

    p = plan(report)
    edits = [
        CellEdit(c.cell, float(c.new), f"{c.label}：{c.reason}") for c in p.applicable(accept_typos=False)
    ]
    return edits, len(p.reviews)


def narrative_text(report: Report) -> str:
    """生成说明: the 情况说明 draft as text, one paragraph a line."""
    from xltools.narrative import narrative_text as text

    return text(report)
