"""The ribbon's entry points: one handler a button, each `handler(book) -> None` on the open workbook.

The VBA dispatcher sends the button id: RunPython("import xltools.excel.ribbon as r; r.dispatch('check')").
A handler reads the book, calls the library and writes the result back into the open workbook
(values, coloured cells with the reason in a note, a status message). It never saves the workbook."""

from __future__ import annotations

import sys
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

from xltools.excel import book as wb
from xltools.excel.buttons import FILL_DATA_SHEETS, FILL_REQUIRED, FUNCTIONS, HELP, TAB, quoted
from xltools.rules.render_sheet import UNIT
from xltools.rules.results import HEADERS
from xltools.vocabulary import FAILURES, SEVERITY_LABELS, VERDICT_LABELS, Verdict

SEVERITY = SEVERITY_LABELS
VERDICT = VERDICT_LABELS
# the same words as `xltools check` prints (xltools/rules/results.py)
RESULT_HEADER = HEADERS


def _number(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def result_rows(findings: list[Any]) -> list[list[object]]:
    """The 校验结果 table: a header, one row a finding that is not a pass, and a count line."""
    shown = [f for f in findings if f.verdict in FAILURES]
    rows: list[list[object]] = [list(RESULT_HEADER)]
    for f in shown:
        rows.append(
            [
                f.rule,
                SEVERITY[f.severity],
                VERDICT[f.verdict],
                "，".join(c.a1() for c in f.cells),
                _number(f.expected),
                _number(f.actual),
                _number(f.difference),
                f.message,
            ]
        )
    counts = {v: sum(1 for f in shown if f.verdict == v) for v in FAILURES}
    passed = sum(1 for f in findings if f.verdict == Verdict.PASS)
    rows.append([summary(counts, passed)])
    return rows


def summary(counts: dict[Verdict, int], passed: int) -> str:
    parts = [f"{VERDICT[v]} {n} 处" for v, n in counts.items() if n]
    if not parts:
        return f"校验完成：全部通过（{passed} 项）。"
    return f"校验完成：{'，'.join(parts)}；通过 {passed} 项。"


def unit_rows(results: list[Any]) -> list[list[object]]:
    """The 校验结果 table of every unit: one unit's result_rows as they are; several units each a block
    headed “单位：<name>”, a blank row between blocks."""
    if len(results) == 1:
        return result_rows(results[0].findings)
    rows: list[list[object]] = []
    for r in results:
        if rows:
            rows.append([])
        rows.append([f"{UNIT}{r.department or '未注明'}"])
        rows += result_rows(r.findings)
    return rows


def check(book: Any) -> None:
    """校验: read every sheet, judge every unit, write 校验结果 and colour the cells of what failed."""
    from xltools.rules.engine import evaluate

    results = [evaluate(report) for report in wb.read_units(book)]
    rows = unit_rows(results)
    sheet = wb.output_sheet(book, wb.RESULT_SHEET)
    wb.write_table(sheet, rows)
    sheets = {s.name for s in book.sheets}
    for f in (f for r in results for f in r.findings):
        colour = wb.COLOURS.get(f.verdict)
        if colour is None:
            continue
        for c in f.cells:
            if c.sheet in sheets:
                wb.mark(wb.cell_range(book, c), colour, f"{f.rule} {VERDICT[f.verdict]}：{f.message}")
    sheet.activate()
    if len(results) == 1:
        wb.status(book, str(rows[-1][0]))
    else:
        wb.status(book, "；".join(f"{r.department or '未注明'}：{_verdict_line(r)}" for r in results))


def _verdict_line(result: Any) -> str:
    return str(result_rows(result.findings)[-1][0])


def fix(book: Any) -> None:
    """修正: the library's fixes written into the cells, each coloured green with its reason."""
    from xltools.excel.adapters import fix_edits

    edits, reviews = fix_edits(wb.read_book(book))
    n = wb.apply_edits(book, edits)
    left = f"；另有 {reviews} 处需人工核实（请点“校验”查看）" if reviews else ""
    wb.status(book, f"已修正 {n} 个单元格（绿色标出，批注为原因）{left}；工作簿未保存，请核对后自行保存。")


def fill(book: Any) -> None:
    """填表: fill the 公开 sheets from the data sheets of this workbook (单位信息, 功能科目 …)."""
    from xltools.excel.adapters import fill_grids

    names = [s.name for s in book.sheets]
    if not set(FILL_REQUIRED) <= set(names):
        wb.status(
            book,
            f"请先建立{quoted(FILL_REQUIRED)}等数据工作表（格式见 xltools/fill/README.md），再点“填表”。",
        )
        return
    data = [wb.sheet_grid(book.sheets[n]) for n in FILL_DATA_SHEETS if n in names]
    grids = fill_grids(data)
    for grid in grids:
        wb.write_table(wb.output_sheet(book, grid.name), grid.rows)
    wb.status(
        book,
        f"已填写 {len(grids)} 张公开表（{grids[0].name}–{grids[-1].name}）；工作簿未保存，请核对后自行保存。",
    )


def add_formulas(book: Any) -> None:
    """添加校验公式: worksheet formulas that Excel, WPS and LibreOffice compute without the add-in."""
    from xltools.excel.adapters import formula_grid
    from xltools.read import read_grid_reports

    grids = wb.book_grids(book)
    grid = formula_grid(grids, read_grid_reports(grids, book.fullname))
    sheet = wb.output_sheet(book, grid.name)
    wb.write_table(sheet, grid.rows)
    sheet.activate()
    wb.status(book, f"已在“{grid.name}”工作表写入校验公式，WPS 与 LibreOffice 同样可以计算。")


def narrative(book: Any) -> None:
    """生成说明: the 情况说明 prose, one paragraph a row, in the sheet 情况说明."""
    from xltools.excel.adapters import narrative_text

    text = narrative_text(wb.read_book(book))
    sheet = wb.output_sheet(book, wb.NARRATIVE_SHEET)
    wb.write_table(sheet, [[p] for p in text.splitlines() if p.strip()])
    sheet.activate()
    wb.status(book, f"情况说明已写入“{wb.NARRATIVE_SHEET}”工作表，请核对后复制到文稿。")


def new_template(book: Any) -> None:
    """新建模板: add the empty 公开01–09 sheets to this workbook (sheets that exist are left alone)."""
    from xltools.excel.adapters import template_grids

    existing = {s.name for s in book.sheets}
    added, kept = [], []
    for grid in template_grids(None):
        if grid.name in existing:
            kept.append(grid.name)
            continue
        sheet = book.sheets.add(grid.name, after=book.sheets[len(book.sheets) - 1])
        wb.write_table(sheet, grid.rows)
        added.append(grid.name)
    note = f"；已有的 {'、'.join(kept)} 未改动" if kept else ""
    wb.status(book, f"已新建 {len(added)} 张表{note}。")


def export_pdf(book: Any) -> None:
    """导出PDF: the 公开 sheets to a PDF next to the workbook."""
    folder = Path(book.fullname).parent
    if not book.fullname or str(folder) in ("", "."):
        wb.status(book, "请先保存工作簿，PDF 将导出到工作簿所在文件夹。")
        return
    sheets = [s.name for s in book.sheets if s.name not in wb.OWN_SHEETS]
    target = folder / f"{Path(book.name).stem}.pdf"
    try:
        book.to_pdf(str(target), include=sheets, show=False)
    except NotImplementedError:
        wb.status(book, "当前环境不能导出 PDF，请在 Excel 中用“文件→导出→PDF”。")
        return
    wb.status(book, f"已导出 PDF：{target}")


def settings(book: Any) -> None:
    """设置: what runs the add-in, where its settings live."""
    import xlwings

    from xltools import __version__

    lines = [
        f"xltools {__version__}，xlwings {xlwings.__version__}",
        f"Python：{sys.executable}",
        f"设置保存在加载项的 {wb.CONFIG_SHEET} 工作表，或用户目录下 .xltools\\{wb.CONFIG_SHEET}；"
        "重新运行 “xltools addin install” 可更新。",
        f"点击“设置”时，加载项会重新导入{FUNCTIONS}并保存加载项，重启 Excel 后仍可使用"
        "（需在信任中心勾选“信任对 VBA 工程对象模型的访问”）。",
    ]
    book.app.alert("\n".join(lines), title=f"{TAB} · 设置")


def show_help(book: Any) -> None:
    """帮助: what each button does."""
    book.app.alert(HELP, title=f"{TAB} · 帮助")


HANDLERS: dict[str, Callable[[Any], None]] = {
    "new_template": new_template,
    "fill": fill,
    "check": check,
    "add_formulas": add_formulas,
    "fix": fix,
    "narrative": narrative,
    "export_pdf": export_pdf,
    "settings": settings,
    "help": show_help,
}


def run(button_id: str, book: Any) -> None:
    """Run the handler of `button_id` on `book`; problems the user can act on become a message box."""
    from xltools.errors import XltoolsError, printable, user_message

    handler = HANDLERS.get(button_id)
    if handler is None:
        book.app.alert(f"未知按钮：{button_id}", title=TAB)
        return
    try:
        handler(book)
    except XltoolsError as exc:
        book.app.alert(printable(exc.render()), title=TAB)
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException as exc:  # the one boundary: a typed file problem, or a fault of ours, in Chinese
        import os

        if os.environ.get("XLTOOLS_DEBUG"):
            raise
        book.app.alert(user_message(exc, getattr(book, "fullname", None)), title=TAB)


def dispatch(button_id: str) -> None:
    """Called by the VBA dispatcher with the button's id: runs its handler on the calling workbook."""
    import xlwings as xw

    run(button_id, xw.Book.caller())
