"""Print a SheetPlan on a worksheet: title, marker, 部门/单位 line, merged headers, body, notes, page setup.

Returns the Placement: where every value cell of the table went, so fill (and the formulas
renderer) can address cells by (row key, column key) instead of by coordinates.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.properties import PageSetupProperties

from xltools.fill.plan import BodyRow, SheetPlan
from xltools.io import put_text

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

NUMBER_FORMAT = "#,##0.00"
TITLE_FONT = Font(name="黑体", size=18)
HEADER_FONT = Font(name="宋体", size=10, bold=True)
BODY_FONT = Font(name="宋体", size=10)
BOLD_FONT = Font(name="宋体", size=10, bold=True)
INFO_FONT = Font(name="宋体", size=11)
_THIN = Side(style="thin")
BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
LEFT = Alignment(horizontal="left", vertical="center")
INDENT = Alignment(horizontal="left", vertical="center", indent=1)
RIGHT = Alignment(horizontal="right", vertical="center")
NOTE = Alignment(horizontal="left", vertical="top", wrap_text=True)
HEADER_TOP = 4  # first header row: title, marker, 部门/单位 lines above


@dataclass
class Placement:
    """Where one table was printed. `cells` maps (row key, column key) → 'C12'."""

    table: str
    sheet: str
    cells: dict[tuple[str, str], str] = field(default_factory=dict)
    lines: dict[str, int] = field(default_factory=dict)  # row key → 行次 (公开01/04)
    header_rows: tuple[int, int] = (HEADER_TOP, HEADER_TOP)
    body_rows: tuple[int, int] = (0, 0)
    note_rows: tuple[int, ...] = ()
    department_cell: str = "A3"


def _merge(ws: Worksheet, r1: int, c1: int, r2: int, c2: int) -> None:
    if (r1, c1) != (r2, c2):
        ws.merge_cells(start_row=r1, start_column=c1 + 1, end_row=r2, end_column=c2 + 1)


def _box(ws: Worksheet, r1: int, r2: int, ncols: int) -> None:
    for r in range(r1, r2 + 1):
        for c in range(1, ncols + 1):
            ws.cell(r, c).border = BORDER


def _top(ws: Worksheet, plan: SheetPlan, department: str, unit: str, year: int | None) -> None:
    n = len(plan.headers)
    last = n - 1
    ws.cell(1, 1, plan.table.title).font = TITLE_FONT
    ws.cell(1, 1).alignment = CENTER
    _merge(ws, 1, 0, 1, last)
    ws.row_dimensions[1].height = 30
    marker = ws.cell(2, n, f"{plan.table.id}表")
    marker.font, marker.alignment = INFO_FONT, RIGHT
    if year:  # a filled table says which year's accounts it shows; a blank template does not
        stated = ws.cell(2, 1, f"{year}年度")
        stated.font, stated.alignment = INFO_FONT, LEFT
    dept = ws.cell(3, 1, f"部门：{department}")
    dept.font, dept.alignment = INFO_FONT, LEFT
    _merge(ws, 3, 0, 3, max(0, n // 2 - 1))
    u = ws.cell(3, n, f"单位：{unit}")
    u.font, u.alignment = INFO_FONT, RIGHT


def _headers(ws: Worksheet, paths: Sequence[tuple[str, ...]], top: int) -> int:
    """Write the header rows from `top`; returns the last header row."""
    depth = max(len(p) for p in paths)
    n = len(paths)
    for level in range(depth):
        c = 0
        while c < n:
            p = paths[c]
            if level >= len(p):
                c += 1
                continue
            final = level == len(p) - 1
            e = c
            while (
                e + 1 < n
                and len(paths[e + 1]) > level
                and paths[e + 1][: level + 1] == p[: level + 1]
                and (len(paths[e + 1]) - 1 == level) == final
            ):
                e += 1
            cell = ws.cell(top + level, c + 1, p[level])
            cell.font, cell.alignment = HEADER_FONT, CENTER
            _merge(ws, top + level, c, top + (depth - 1 if final else level), e)
            c = e + 1
    bottom = top + depth - 1
    _box(ws, top, bottom, n)
    return bottom


def _lanci(ws: Worksheet, plan: SheetPlan, r: int) -> None:
    assert plan.lanci is not None
    for c, v in enumerate(plan.lanci):
        cell = ws.cell(r, c + 1, v)
        cell.font, cell.alignment = HEADER_FONT, CENTER
    for c1, c2 in plan.lanci_merges:
        _merge(ws, r, c1, r, c2)
    _box(ws, r, r, len(plan.headers))


def _body_row(ws: Worksheet, plan: SheetPlan, row: BodyRow, r: int, placement: Placement) -> None:
    font = BOLD_FONT if row.bold else BODY_FONT
    for c in range(len(plan.headers)):
        cell = ws.cell(r, c + 1)
        cell.border, cell.font = BORDER, font
        if c in row.values:
            cell.number_format, cell.alignment = NUMBER_FORMAT, RIGHT
            placement.cells[row.values[c]] = cell.coordinate
        elif c in row.labels:
            put_text(cell, row.labels[c])
            is_text = c in plan.text_columns and isinstance(row.labels[c], str)
            cell.alignment = (INDENT if c in row.indent else LEFT) if is_text else CENTER
        else:
            cell.alignment = CENTER
    for c1, c2 in row.merges:
        _merge(ws, r, c1, r, c2)
    placement.lines.update(row.lines)


def _notes(ws: Worksheet, notes: Sequence[str], r: int, ncols: int) -> tuple[int, ...]:
    rows = []
    for text in notes:
        cell = ws.cell(r, 1, text)
        cell.font, cell.alignment = BODY_FONT, NOTE
        _merge(ws, r, 0, r, ncols - 1)
        # a long note wraps: give it the lines it needs at ~6 characters per width unit of the sheet
        per_line = max(
            20,
            int(
                sum(ws.column_dimensions[get_column_letter(c)].width or 10 for c in range(1, ncols + 1)) / 1.9
            ),
        )
        ws.row_dimensions[r].height = 15 * (1 + len(text) // per_line)
        rows.append(r)
        r += 1
    return tuple(rows)


def _page(ws: Worksheet, header_top: int, header_bottom: int, last_row: int, ncols: int) -> None:
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 1
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.5
    ws.page_margins.top = ws.page_margins.bottom = 0.6
    ws.print_title_rows = f"{header_top}:{header_bottom}"
    ws.print_area = f"A1:{get_column_letter(ncols)}{last_row}"


def render(
    ws: Worksheet,
    plan: SheetPlan,
    *,
    department: str = "",
    unit: str = "万元",
    notes: Sequence[str] = (),
    year: int | None = None,
) -> Placement:
    """Print `plan` on the empty worksheet `ws`; returns where every value cell went."""
    n = len(plan.headers)
    for c, w in enumerate(plan.widths, 1):
        ws.column_dimensions[get_column_letter(c)].width = w
    _top(ws, plan, department, unit, year)
    bottom = _headers(ws, plan.headers, HEADER_TOP)
    placement = Placement(plan.table.id, ws.title, header_rows=(HEADER_TOP, bottom))
    r = bottom + 1
    if plan.lanci is not None:
        _lanci(ws, plan, r)
        r += 1
    first = r
    for row in plan.body:
        _body_row(ws, plan, row, r, placement)
        r += 1
    placement.body_rows = (first, r - 1)
    placement.note_rows = _notes(ws, notes, r, n)
    _page(ws, HEADER_TOP, bottom + (plan.lanci is not None), r - 1 + len(notes), n)
    ws.sheet_view.showGridLines = False
    return placement
