"""Write the 校验 sheet into a workbook: one formula row per check, a summary at the top, and
conditional formats that colour every checked cell of the 公开 sheets whose row does not pass."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from xltools.errors import UsageError
from xltools.model import Cell, Report
from xltools.rules.kinds import judged_rows, not_applicable_text
from xltools.rules.plan import plan_for
from xltools.rules.render import FAIL, PASS, TAIL, Probe, SheetRow, quote_sheet, relation_rows
from xltools.rules.render_format import not_applicable_rows

if TYPE_CHECKING:
    from openpyxl import Workbook
    from openpyxl.worksheet.worksheet import Worksheet

SHEET = "校验"
MARKER = (
    "本表由 xltools 生成：校验公式引用各公开表单元格；修改数据后自动重算，"
    "结构变化后请重新运行 xltools formulas"
)
UNIT = "单位："  # heads each unit's block when the workbook holds several
HEADERS = ("规则", "说明", "左边", "右边", "差额", "结论", "位置")
FIRST = 5  # first data row
WARN_WORDS = (PASS, TAIL)  # a 结论 other than these colours its cells


def check_rows(report: Report, probe: Probe | None = None) -> list[SheetRow]:
    """Every row of the 校验 sheet: relation checks (catalogue order), format rules, rules not applicable."""
    plan = plan_for(report)
    return (
        relation_rows(report, plan, probe)
        + judged_rows(report, probe)
        + not_applicable_rows((r, not_applicable_text(r, report)) for r in plan.not_applicable)
    )


def workbook_probe(workbook: Workbook) -> Probe:
    """Raw values of the workbook's cells, without creating the cells it asks about."""
    sheets = {ws.title: ws for ws in workbook.worksheets}

    def probe(cell: Cell) -> object:
        ws = sheets.get(cell.sheet)
        # _cells: reading ws.cell() would create an empty cell in the user's sheet
        found = ws._cells.get((cell.row, cell.col)) if ws is not None else None
        return None if found is None else found.value

    return probe


def remove_check_sheet(workbook: Workbook) -> bool:
    """Drop a 校验 sheet that xltools wrote, and the conditional formats that point at it.

    Returns whether one was there. Raises UsageError when a sheet of that name is the user's own."""
    if SHEET not in workbook.sheetnames:
        _drop_formats(workbook)
        return False
    ws = workbook[SHEET]
    if ws["A3"].value != MARKER:
        raise UsageError(
            f"工作簿中已有名为“{SHEET}”的工作表，且不是 xltools 生成的",
            hint=f"请把该工作表改名后再运行（xltools 会新建“{SHEET}”表）",
        )
    workbook.remove(ws)
    _drop_formats(workbook)
    return True


def _drop_formats(workbook: Workbook) -> None:
    from openpyxl.formatting.formatting import ConditionalFormattingList

    needle = quote_sheet(SHEET) + "!"
    for ws in workbook.worksheets:
        kept = ConditionalFormattingList()
        changed = False
        for cf in ws.conditional_formatting:
            for rule in cf.rules:
                if any(needle in str(f) for f in rule.formula or ()):
                    changed = True
                else:
                    kept.add(str(cf.sqref), rule)
        if changed:
            ws.conditional_formatting = kept


def add_check_sheet(workbook: Workbook, report: Report | Sequence[Report]) -> int:
    """Add (or refresh) the 校验 sheet of `report` in `workbook`, an openpyxl Workbook holding the
    cells the report was read from, and colour failing cells. Changes no cell of the user's sheets.
    Given the reports of several units (read_reports), each unit's checks are a block of their own.

    Returns the number of rule rows written. Raises UsageError when the workbook already has a
    sheet named 校验 that xltools did not write."""
    return len(write_check_sheet(workbook, report))


def unit_title(report: Report) -> str:
    """The row heading a unit's block on the 校验 sheet of a workbook of several units."""
    return f"{UNIT}{report.department or '未注明'}"


def write_check_sheet(workbook: Workbook, report: Report | Sequence[Report]) -> list[SheetRow]:
    """add_check_sheet, returning the rows written (each with the Python verdict at writing time),
    every unit's in order."""
    from openpyxl.styles import Font

    reports = [report] if isinstance(report, Report) else list(report)
    remove_check_sheet(workbook)
    probe = workbook_probe(workbook)
    blocks = [(r, check_rows(r, probe)) for r in reports]
    headed = len(blocks) > 1  # one unit: no heading, the sheet as it always was
    ws = workbook.create_sheet(SHEET)
    last = FIRST - 1 + sum(len(rows) for _, rows in blocks) + (len(blocks) if headed else 0)
    _write_head(ws, last)
    placed: list[tuple[int, SheetRow]] = []
    n = FIRST
    for unit, rows in blocks:
        if headed:
            ws.cell(n, 1, unit_title(unit)).font = Font(bold=True)
            n += 1
        for row in rows:
            _write_row(ws, n, row)
            placed.append((n, row))
            n += 1
    _style(ws, last)
    _colour_cells(workbook, placed)
    return [row for _, row in placed]


def _write_head(ws: Worksheet, last: int) -> None:
    from openpyxl.styles import Font

    span = f"F{FIRST}:F{last}"
    ws["A1"] = "校验结论"
    ws["B1"] = f'=IF(COUNTIF({span},"{FAIL}")=0,"全部通过","{FAIL} "&COUNTIF({span},"{FAIL}")&" 项")'
    for col, (label, word) in zip("ACE", (("不通过", FAIL), ("尾差", TAIL), ("提示", "提示")), strict=True):
        ws[f"{col}2"] = label
        ws[f"{chr(ord(col) + 1)}2"] = f'=COUNTIF({span},"{word}")'
    ws["A3"] = MARKER
    for i, h in enumerate(HEADERS, 1):
        ws.cell(FIRST - 1, i, h).font = Font(bold=True)
    ws["A1"].font = Font(bold=True)
    ws["B1"].font = Font(bold=True, color="C00000")


def _write_row(ws: Worksheet, n: int, row: SheetRow) -> None:
    ws.cell(n, 1, row.rule)
    ws.cell(n, 2, row.text)
    if row.left is not None and row.right is not None:
        ws.cell(n, 3, f"={row.left}")
        ws.cell(n, 4, f"={row.right}")
        ws.cell(n, 5, f"=ROUND(C{n}-D{n},2)")
    if row.constant:
        ws.cell(n, 6, row.verdict)
    else:
        ws.cell(n, 6, f'=IFERROR({row.verdict.replace("{d}", f"E{n}")},"{FAIL}")')
    ws.cell(n, 7, row.location)


def _style(ws: Worksheet, last: int) -> None:
    from openpyxl.formatting.rule import CellIsRule
    from openpyxl.styles import Font

    for col, width in zip("ABCDEFG", (8, 60, 14, 14, 10, 8, 18), strict=True):
        ws.column_dimensions[col].width = width
    for r in range(1, last + 1):  # a CJK font: the default one prints as empty boxes where it lacks 汉字
        for c in range(1, 8):
            cell = ws.cell(r, c)
            cell.font = Font(name="宋体", size=10, bold=cell.font.bold, color=cell.font.color)
            if c in (3, 4, 5) and r >= FIRST:
                cell.number_format = "#,##0.00"
    ws.freeze_panes = f"A{FIRST}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    from openpyxl.worksheet.properties import PageSetupProperties

    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.print_title_rows = f"{FIRST - 1}:{FIRST - 1}"
    fill_red, fill_amber = _fills()
    ws.conditional_formatting.add(
        f"F{FIRST}:F{last}", CellIsRule(operator="equal", formula=[f'"{FAIL}"'], fill=fill_red)
    )
    ws.conditional_formatting.add(
        f"F{FIRST}:F{last}", CellIsRule(operator="equal", formula=['"尾差"'], fill=fill_amber)
    )


def _fills() -> tuple[object, object]:
    from openpyxl.styles import PatternFill

    return (
        PatternFill(start_color="FFC7CE", end_color="FFC7CE", fill_type="solid"),
        PatternFill(start_color="FFEB9C", end_color="FFEB9C", fill_type="solid"),
    )


def _colour_cells(workbook: Workbook, rows: Iterable[tuple[int, SheetRow]]) -> None:
    """A formula rule on every checked cell: coloured while its 校验 row reads neither 通过 nor 尾差."""
    from openpyxl.formatting.rule import FormulaRule

    fill_red, _ = _fills()
    target = quote_sheet(SHEET)
    for n, row in rows:
        by_sheet: dict[str, list[str]] = defaultdict(list)
        for cell in dict.fromkeys(row.cells):
            by_sheet[cell.sheet].append(cell.coordinate)
        for sheet, coords in by_sheet.items():
            if sheet not in workbook.sheetnames:
                continue
            f = f'AND({target}!$F${n}<>"{PASS}",{target}!$F${n}<>"{TAIL}")'
            workbook[sheet].conditional_formatting.add(
                " ".join(coords), FormulaRule(formula=[f], fill=fill_red)
            )


def report_of(workbook: Workbook, path: str = "<workbook>") -> Report:
    """The Report of an in-memory openpyxl workbook whose cells hold values (not formulas), e.g. one
    just filled. Raises NoTablesFound like read_report."""
    from xltools.read import SheetGrid, read_grids

    grids = [SheetGrid.of_worksheet(ws) for ws in workbook.worksheets if ws.title != SHEET]
    return read_grids([g for g in grids if g.visible], path)
