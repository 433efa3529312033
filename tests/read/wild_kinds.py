"""Layouts of the wild that need more than a tidy sheet per table: several tables side by side, the
two-sided tables printed as stacked blocks, 公开07 transposed, hidden stale rows and columns, empty
tables without a 合计 row, uncached formulas (CHECK_RULE among them). Each is a transform of a clean
reference book; `plant` marks one amount as a planted error beforehand, found afterwards by value."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.worksheet.worksheet import Worksheet

Transform = Callable[[Workbook], None]
PLANT_OFFSET = Decimal("111.11")  # far beyond any rounding tail


def _unmerge(ws: Worksheet) -> None:
    for r in [str(r) for r in ws.merged_cells.ranges]:
        ws.unmerge_cells(r)


def _copy_into(src: Worksheet, dst: Worksheet, row0: int, col0: int) -> None:
    """Values and merged ranges of `src`, placed with its A1 at (row0, col0) of `dst`."""
    for row in src.iter_rows():
        for c in row:
            if c.value is not None:
                dst.cell(c.row + row0 - 1, c.column + col0 - 1, c.value)
    for m in src.merged_cells.ranges:
        dst.merge_cells(
            start_row=m.min_row + row0 - 1,
            start_column=m.min_col + col0 - 1,
            end_row=m.max_row + row0 - 1,
            end_column=m.max_col + col0 - 1,
        )


def side_by_side(groups: list[list[int]]) -> Transform:
    """The tables of each group (1-based positions of the sheets) in one row on one sheet, a blank
    column between neighbours."""

    def transform(wb: Workbook) -> None:
        sheets = list(wb.worksheets)
        for n, group in enumerate(groups, 1):
            combined = wb.create_sheet(f"合并{n}")
            col = 1
            for i in group:
                src = sheets[i - 1]
                _copy_into(src, combined, 1, col)
                col += src.max_column + 1
        for ws in sheets:
            wb.remove(ws)

    return transform


def two_units(other: Workbook) -> Transform:
    """Each table of the book with the same table of `other` (another unit) beside it."""

    def transform(wb: Workbook) -> None:
        for ws, theirs in zip(list(wb.worksheets), other.worksheets, strict=True):
            _copy_into(theirs, ws, 1, ws.max_column + 2)

    return transform


def two_unit_book(department: Path, unit: Path, out: Path, planted: tuple[str, str] | None = None) -> Path:
    """The book at `department` with the tables of `unit` beside its own (two_units), saved to `out`;
    `planted` (sheet, coordinate) adds PLANT_OFFSET to that amount of `unit` beforehand."""
    from openpyxl import load_workbook

    wb, theirs = load_workbook(department), load_workbook(unit)
    if planted:
        plant(theirs, *planted)
    two_units(theirs)(wb)
    wb.save(out)
    return out


def stacked_ledgers(wb: Workbook) -> None:
    """公开01 and 公开04 with the expenditure block below the income block, each with its own header."""
    for name in ("公开01", "公开04"):
        ws = wb[name]
        _unmerge(ws)
        head = next(c.row for c in ws["A"] if c.value == "项目")
        split = next(c.column for c in ws[head] if c.value == "项目" and c.column > 1)
        top = head - 1 if ws.cell(head - 1, 1).value == "收入" else head
        last = max(r for r in range(head, ws.max_row + 1) if ws.cell(r, split).value not in (None, ""))
        block = [[ws.cell(r, c).value for c in range(split, ws.max_column + 1)] for r in range(top, last + 1)]
        for r in range(top, last + 1):
            for c in range(split, ws.max_column + 1):
                ws.cell(r, c).value = None
        ws.insert_rows(last + 1, len(block) + 1)
        for i, values in enumerate(block):
            for j, v in enumerate(values, 1):
                ws.cell(last + 2 + i, j, v)


def transposed_07(wb: Workbook) -> None:
    """公开07 with the items down the rows and 预算数 / 决算数 across."""
    ws = wb["公开07"]
    _unmerge(ws)
    data = next(r for r in range(1, ws.max_row + 1) if isinstance(ws.cell(r, 1).value, (int, float)))
    values = [ws.cell(data, c).value for c in range(1, 13)]
    notes = [ws.cell(r, 1).value for r in range(data + 1, ws.max_row + 1)]
    for r in range(4, ws.max_row + 1):
        for c in range(1, 13):
            ws.cell(r, c).value = None
    ws.cell(4, 1, "项目")
    ws.cell(4, 2, "预算数")
    ws.cell(4, 3, "决算数")
    items = ["合计", "因公出国（境）费", "公务用车购置及运行费"]
    items += ["其中：公务用车购置费", "公务用车运行费", "公务接待费"]
    for i, item in enumerate(items):
        ws.cell(5 + i, 1, item)
        ws.cell(5 + i, 2, values[i])
        ws.cell(5 + i, 3, values[6 + i])
    for i, note in enumerate(notes):
        ws.cell(5 + len(items) + i, 1, note)


def hidden_stale(wb: Workbook) -> None:
    """A hidden old row in 公开05, a hidden 上年决算数 column in 公开06 and a hidden old 本年支出合计
    column in 公开03, all holding figures that are not the published ones."""
    ws = wb["公开05"]
    _unmerge(ws)
    row = next(c.row for c in ws["A"] if c.value == "2010301")
    ws.insert_rows(row + 1)
    ws.cell(row + 1, 1, "2010398")
    ws.cell(row + 1, 2, "一般行政管理事务（旧）")
    ws.cell(row + 1, 3, 55.5)
    ws.cell(row + 1, 4, 55.5)
    ws.row_dimensions[row + 1].hidden = True
    stale = (("公开06", 4, "上年决算数", "编码"), ("公开03", 3, "本年支出合计", "本年支出合计"))
    for name, col, header, word in stale:
        ws = wb[name]
        _unmerge(ws)
        head = next(c.row for row in ws.iter_rows(max_row=10) for c in row if word in str(c.value or ""))
        ws.insert_cols(col)
        ws.cell(head, col, header)
        beside = col - 1 if name == "公开06" else col + 1  # the published amount column
        for r in range(head + 1, ws.max_row + 1):
            if isinstance(ws.cell(r, beside).value, (int, float)):
                ws.cell(r, col, 9.99)
        ws.column_dimensions[ws.cell(1, col).column_letter].hidden = True


def empty_without_total(wb: Workbook) -> None:
    """公开08 and 公开09 as title, header and note only: no 合计 row."""
    for name in ("公开08", "公开09"):
        ws = wb[name]
        _unmerge(ws)
        ws.delete_rows(next(c.row for c in ws["A"] if c.value == "合计"))


def empty_total_with_remark(wb: Workbook) -> None:
    """公开08 and 公开09 with a 合计 row blank but for a remark beside the word 合计."""
    for name in ("公开08", "公开09"):
        ws = wb[name]
        _unmerge(ws)
        row = next(c.row for c in ws["A"] if c.value == "合计")
        for col in range(2, ws.max_column + 1):
            ws.cell(row, col).value = None
        ws.cell(row, 2, "备注：本单位无此项收支")


def uncached_formulas(wb: Workbook) -> None:
    """Uncached formulas: 公开05's 合计 row as SUMs just after an empty styled cell (the self-closed
    <c/> the old regular expressions misplaced), one the fast path cannot compute (ROUND), and
    =CHECK_RULE cells — a check's output, never an input — beside the table."""
    ws = wb["公开05"]
    _unmerge(ws)
    row = next(c.row for c in ws["A"] if c.value == "合计")
    classes = [c.row for c in ws["A"] if isinstance(c.value, str) and c.value.isdigit() and len(c.value) == 3]
    ws.cell(row, 2).value = None
    ws.cell(row, 2).font = Font(bold=True)  # an empty cell with a style: <c r="B7" s="1"/>
    for col in "CDE":
        ws[f"{col}{row}"] = "=SUM(" + ",".join(f"{col}{r}" for r in classes) + ")"
    first = classes[0]
    ws[f"C{first}"] = f"=ROUND({ws[f'C{first}'].value},2)"
    for i, rule in enumerate(("05-E1", "X2", "X3", "01-A1"), 1):
        ws.cell(i, 8, f'=CHECK_RULE("{rule}")')


def plant(wb: Workbook, sheet: str, coordinate: str) -> Decimal:
    """Add PLANT_OFFSET to the amount at `coordinate`; returns the new, workbook-unique value."""
    cell = wb[sheet][coordinate]
    value = Decimal(str(cell.value or 0)) + PLANT_OFFSET
    cell.value = float(value)
    return value


def find_value(wb: Workbook, value: Decimal) -> tuple[str, str]:
    """(sheet, coordinate) of the one cell holding `value`."""
    found = [
        (ws.title, c.coordinate)
        for ws in wb.worksheets
        for row in ws.iter_rows()
        for c in row
        if isinstance(c.value, (int, float)) and Decimal(str(c.value)) == value
    ]
    assert len(found) == 1, found
    return found[0]


KINDS: dict[str, Transform] = {
    "side_by_side_2": side_by_side([[1, 2], [3, 4], [5, 6], [7, 8], [9]]),
    "side_by_side_3": side_by_side([[1, 2, 3], [4, 5, 6], [7, 8, 9]]),
    "side_by_side_9": side_by_side([[1, 2, 3, 4, 5, 6, 7, 8, 9]]),
    "stacked_ledgers": stacked_ledgers,
    "transposed_07": transposed_07,
    "hidden_stale": hidden_stale,
    "empty_without_total": empty_without_total,
    "empty_total_with_remark": empty_total_with_remark,
    "uncached_formulas": uncached_formulas,
}
# the amount each kind plants an error at (table sheet, coordinate in the plain std book)
PLANTS: dict[str, tuple[str, str]] = {
    "side_by_side_2": ("公开05", "D10"),
    "side_by_side_3": ("公开03", "D10"),
    "side_by_side_9": ("公开06", "C6"),
    "stacked_ledgers": ("公开01", "F16"),
    "transposed_07": ("公开07", "L8"),
    "hidden_stale": ("公开06", "C7"),
    "empty_without_total": ("公开02", "C8"),
    "empty_total_with_remark": ("公开05", "D16"),
    "uncached_formulas": ("公开03", "D11"),
}
