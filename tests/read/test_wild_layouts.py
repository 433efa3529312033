"""Unseen layouts: a clean reference book, transformed the ways clerks' workbooks differ, must read
to the same amounts and the same findings."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from xltools.read import read_report
from xltools.rules.engine import evaluate

Transform = Callable[[Workbook], None]


def _sheets(wb: Workbook) -> list[Worksheet]:
    return [ws for ws in wb.worksheets if isinstance(ws, Worksheet)]


def shift_right(wb: Workbook) -> None:
    """Tables start in column C."""
    for ws in _sheets(wb):
        ranges = [str(r) for r in ws.merged_cells.ranges]
        for r in ranges:
            ws.unmerge_cells(r)
        ws.insert_cols(1, 2)


def no_lanci_no_merges(wb: Workbook) -> None:
    for ws in _sheets(wb):
        for r in [str(r) for r in ws.merged_cells.ranges]:
            ws.unmerge_cells(r)
        for row in list(ws.iter_rows()):
            if any(isinstance(c.value, str) and c.value.replace(" ", "") == "栏次" for c in row):
                ws.delete_rows(row[0].row)
                break


def decorated_titles(wb: Workbook) -> None:
    for ws in _sheets(wb):
        cell = ws.cell(1, 1)
        if isinstance(cell.value, str):
            cell.value = f"2021年度株洲市荷塘区行政审批服务局{cell.value}（公开{ws.title[-2:]}表）"


def department_words(wb: Workbook) -> None:
    for ws in _sheets(wb):
        for row in ws.iter_rows(max_row=6):
            for c in row:
                if isinstance(c.value, str) and c.value.startswith("部门："):
                    c.value = c.value.replace("部门：", "编制单位：" if ws.title < "公开05" else "单位名称：")


def codes_as_numbers(wb: Workbook) -> None:
    for ws in _sheets(wb):
        for row in ws.iter_rows(min_col=1, max_col=1):
            c = row[0]
            if isinstance(c.value, str) and c.value.isdigit() and len(c.value) in (3, 5, 7):
                c.value = int(c.value)


def sheet_names_table_n(wb: Workbook) -> None:
    for i, ws in enumerate(_sheets(wb), 1):
        ws.title = f"表{i}"


def reordered_sheets(wb: Workbook) -> None:
    sheets = _sheets(wb)
    wb._sheets = list(reversed(sheets))  # type: ignore[attr-defined]


def swapped_columns_03(wb: Workbook) -> None:
    """公开03 prints 项目支出 before 基本支出: columns map by header words, not position."""
    ws = wb["公开03"]
    for r in [str(r) for r in ws.merged_cells.ranges]:
        ws.unmerge_cells(r)
    for row in ws.iter_rows(min_col=4, max_col=5):
        row[0].value, row[1].value = row[1].value, row[0].value
    for row in ws.iter_rows():
        for c in row:
            if isinstance(c.value, (int, str)) and str(c.value) in ("2", "3") and c.column in (4, 5):
                c.value = None  # 栏次 numbers no longer in order: drop them


def blank_rows_everywhere(wb: Workbook) -> None:
    for ws in _sheets(wb):
        ws.insert_rows(1, 4)


TRANSFORMS: dict[str, Transform] = {
    "shift_right": shift_right,
    "no_lanci_no_merges": no_lanci_no_merges,
    "decorated_titles": decorated_titles,
    "department_words": department_words,
    "codes_as_numbers": codes_as_numbers,
    "sheet_names_table_n": sheet_names_table_n,
    "reordered_sheets": reordered_sheets,
    "swapped_columns_03": swapped_columns_03,
    "blank_rows_everywhere": blank_rows_everywhere,
}


def _values(path: Path) -> dict[tuple[str, str, str], Decimal]:
    report = read_report(path)
    return {
        (t.id, r.key, c): a.value
        for t in report.tables.values()
        for r in t.rows.values()
        for c, a in r.values.items()
    }


@pytest.fixture(scope="module")
def baseline(books: dict[str, Path]) -> tuple[dict, dict]:
    path = books["001_std"]
    return _values(path), evaluate(read_report(path)).summary


def split_codes_05(wb: Workbook) -> None:
    """公开05 with the classic 科目编码 类 | 款 | 项 columns, 类 not repeated below its first row."""
    ws = wb["公开05"]
    for r in [str(r) for r in ws.merged_cells.ranges]:
        ws.unmerge_cells(r)
    ws.insert_cols(2, 2)
    header = next(row[0].row for row in ws.iter_rows() if row[0].value == "功能分类科目编码")
    ws.cell(header, 1, "类")
    ws.cell(header, 2, "款")
    ws.cell(header, 3, "项")
    ws.insert_rows(header)
    ws.cell(header, 1, "科目编码")
    last_class = None
    for row in ws.iter_rows(min_row=header + 2):
        v = row[0].value
        if isinstance(v, str) and v.isdigit():
            cls, kuan, item = v[:3], v[3:5], v[5:7]
            row[0].value = None if cls == last_class and kuan else cls
            row[1].value = kuan or None
            row[2].value = item or None
            last_class = cls


def total_at_bottom(wb: Workbook) -> None:
    for name in ("公开02", "公开03", "公开05"):
        ws = wb[name]
        for r in [str(r) for r in ws.merged_cells.ranges]:
            ws.unmerge_cells(r)
        rows = list(ws.iter_rows())
        total = next(row for row in rows if row[0].value == "合计")
        last = max(row[0].row for row in rows if isinstance(row[0].value, str) and row[0].value.isdigit())
        values = [c.value for c in total]
        ws.insert_rows(last + 1)
        for i, v in enumerate(values, 1):
            ws.cell(last + 1, i, v)
        ws.delete_rows(total[0].row)


def unit_in_header_only(wb: Workbook) -> None:
    for ws in _sheets(wb):
        for row in ws.iter_rows(max_row=8):
            for c in row:
                if isinstance(c.value, str) and "单位：万元" in c.value:
                    c.value = c.value.replace("单位：万元", "").strip() or None
                if c.value in ("决算数", "金额", "金 额"):
                    c.value = f"{c.value}（万元）"
        ws.cell(1, ws.max_column + 1, "（金额：万元）")


def marker_in_title_cell(wb: Workbook) -> None:
    for ws in _sheets(wb):
        for row in ws.iter_rows(max_row=4):
            for c in row:
                if (
                    isinstance(c.value, str)
                    and c.value.startswith("公开")
                    and c.value.endswith("表")
                    and c.row > 1
                ):
                    title = ws.cell(1, 1)
                    title.value = f"{c.value}　{title.value}"
                    c.value = None


TRANSFORMS.update(
    {
        "split_codes_05": split_codes_05,
        "total_at_bottom": total_at_bottom,
        "unit_in_header_only": unit_in_header_only,
        "marker_in_title_cell": marker_in_title_cell,
    }
)


def test_unicode_minus_and_parentheses() -> None:
    from xltools.text import parse_amount

    assert parse_amount("−12.30").value == Decimal("-12.30")
    assert parse_amount("（12.30）").value == Decimal("-12.30")


@pytest.mark.parametrize("name", sorted(TRANSFORMS))
def test_transformed_book_reads_the_same(
    books: dict[str, Path], baseline: tuple[dict, dict], tmp_path: Path, name: str
) -> None:
    wb = load_workbook(books["001_std"])
    TRANSFORMS[name](wb)
    path = tmp_path / f"{name}.xlsx"
    wb.save(path)
    values, summary = baseline
    got = _values(path)
    assert got == values
    result = evaluate(read_report(path))
    assert result.department == "株洲市荷塘区行政审批服务局"
    assert {k: v for k, v in result.summary.items() if k != "passed"} == {
        k: v for k, v in summary.items() if k != "passed"
    }, [f.message for f in result.failures]


def _with_contents_sheet(wb: Workbook) -> None:
    """A 目录 sheet first, listing every title (as the published PDF's contents do)."""
    toc = wb.create_sheet("目录", 0)
    toc.append(["2021年度部门决算公开表目录"])
    for ws in _sheets(wb)[1:]:
        toc.append([ws.cell(1, 1).value])


def _with_hidden_stale_copy(wb: Workbook) -> None:
    """A hidden, older copy of 公开05 with other figures, placed before the real one."""
    stale = wb.copy_worksheet(wb["公开05"])
    stale.title = "公开05(旧)"
    for row in stale.iter_rows():
        for c in row:
            if isinstance(c.value, (int, float)) and c.value > 10:
                c.value = c.value + 1
    stale.sheet_state = "hidden"
    wb.move_sheet(stale, offset=-(len(wb.sheetnames) - 5))


@pytest.mark.parametrize("transform", [_with_contents_sheet, _with_hidden_stale_copy])
def test_decoys_are_not_read(books: dict[str, Path], tmp_path: Path, transform: Transform) -> None:
    wb = load_workbook(books["001_std"])
    transform(wb)
    path = tmp_path / "decoy.xlsx"
    wb.save(path)
    assert _values(path) == _values(books["001_std"])


def _department_above_title(wb: Workbook) -> None:
    for ws in _sheets(wb):
        for r in [str(r) for r in ws.merged_cells.ranges]:
            ws.unmerge_cells(r)
        dept = next(
            c
            for row in ws.iter_rows(max_row=6)
            for c in row
            if isinstance(c.value, str) and c.value.startswith("部门：")
        )
        text, dept.value = dept.value, None
        ws.insert_rows(1)
        ws.cell(1, 1, text.replace("部门：", "单位名称："))


def test_department_line_above_the_title(books: dict[str, Path], tmp_path: Path) -> None:
    wb = load_workbook(books["001_std"])
    _department_above_title(wb)
    path = tmp_path / "above.xlsx"
    wb.save(path)
    report = read_report(path)
    assert {t.department for t in report.tables.values()} == {"株洲市荷塘区行政审批服务局"}
    assert _values(path) == _values(books["001_std"])
