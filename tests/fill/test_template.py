"""The printed templates: sheets, titles, merged headers, 行次, print setup; workbooks/ is current."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.utils import get_column_letter

from xltools.fill.template import TableWriter, write_template
from xltools.formats import get_format

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module", params=["2021", "2018"])
def built(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> tuple[str, Path, dict]:
    path = tmp_path_factory.mktemp("tpl") / f"{request.param}.xlsx"
    cells = write_template(request.param, path)
    return request.param, path, cells


def test_sheets_titles_markers(built: tuple[str, Path, dict]) -> None:
    fmt_id, path, cells = built
    fmt = get_format(fmt_id)
    wb = load_workbook(path)
    assert wb.sheetnames == list(fmt.table_ids)
    for tid in fmt.table_ids:
        ws = wb[tid]
        assert ws["A1"].value == fmt.tables[tid].title
        assert ws["A1"].font.name == "黑体" and ws["A1"].font.sz == 18
        assert f"A1:{get_column_letter(ws.max_column)}1" in {str(r) for r in ws.merged_cells.ranges}
        assert ws.cell(2, ws.max_column).value == f"{tid}表"
        assert ws["A3"].value == "部门："
        assert ws.cell(3, ws.max_column).value == "单位：万元"
        assert any(str(ws.cell(r, 1).value or "").startswith("注") for r in range(1, ws.max_row + 1))
        assert set(cells[tid].values()) and all(
            ws[c].number_format == "#,##0.00" for c in cells[tid].values()
        )


def test_print_setup(built: tuple[str, Path, dict]) -> None:
    _, path, _ = built
    for ws in load_workbook(path):
        assert ws.page_setup.orientation == "landscape"
        assert int(ws.page_setup.paperSize) == int(ws.PAPERSIZE_A4)
        assert ws.sheet_properties.pageSetUpPr.fitToPage
        assert (ws.page_setup.fitToWidth, ws.page_setup.fitToHeight) == (1, 1)
        assert ws.print_title_rows and ws.print_area


def _lines(ws, col: int, first: int, last: int) -> list[int]:
    return [ws.cell(r, col).value for r in range(first, last + 1)]


def test_ledger_lines_are_continuous(built: tuple[str, Path, dict]) -> None:
    fmt_id, path, _ = built
    fmt = get_format(fmt_id)
    wb = load_workbook(path)
    for tid in ("公开01", "公开04"):
        ws = wb[tid]
        writer = TableWriter(fmt)
        placement = writer.write(Workbook().active, tid)
        first, last = placement.body_rows
        income_cols = 2 + len(fmt.tables[tid].sides[0].columns)
        left = _lines(ws, 2, first, last)
        right = _lines(ws, income_cols + 2, first, last)
        assert left + right == list(range(1, 2 * (last - first + 1) + 1))
        classes = [ws.cell(r, income_cols + 1).value for r in range(first, last + 1)]
        assert classes[0] == "一、一般公共服务支出"
        if fmt_id == "2018":
            assert sum(1 for c in classes if c and "、" in c) == 21
            assert "九、医疗卫生与计划生育支出" in classes


def test_headers_are_merged(built: tuple[str, Path, dict]) -> None:
    fmt_id, path, _ = built
    wb = load_workbook(path)
    merges = {tid: {str(r) for r in wb[tid].merged_cells.ranges} for tid in wb.sheetnames}
    assert {"A4:C4", "D4:F4"} <= merges["公开01"] if fmt_id == "2021" else "A4:C4" in merges["公开01"]
    assert "A4:B4" in merges["公开02"]  # 项目 over 编码 + 名称
    assert "C4:E4" in merges["公开05"]  # 本年支出 over 小计/基本/项目
    assert "E4:G4" in merges["公开08"]  # 本年支出 over 小计/基本/项目 in 08
    ws7 = wb["公开07"]
    assert {"A4:F4", "G4:L4", "C5:E5", "I5:K5"} <= merges["公开07"]
    assert [ws7.cell(7, c).value for c in range(1, 13)] == list(range(1, 13))
    ws6 = wb["公开06"]
    assert [ws6.cell(5, c).value for c in (1, 4, 7)] == ["301", "302", "307"]
    footer = [ws6.cell(ws6.max_row - 1, c).value for c in (1, 4)]
    assert footer == ["人员经费合计", "公用经费合计"]


def _snapshot(path: Path) -> dict:
    wb = load_workbook(path)
    out = {}
    for ws in wb:
        cells = {
            c.coordinate: (
                c.value,
                c.font.name,
                c.font.sz,
                c.font.b,
                c.number_format,
                c.border.left.style,
                c.alignment.horizontal,
            )
            for row in ws.iter_rows()
            for c in row
        }
        out[ws.title] = (
            cells,
            sorted(str(r) for r in ws.merged_cells.ranges),
            ws.print_title_rows,
            ws.print_area,
            ws.page_setup.orientation,
            {k: d.width for k, d in ws.column_dimensions.items()},
        )
    return out


@pytest.mark.parametrize("fmt_id", ["2021", "2018"])
def test_committed_workbooks_are_current(fmt_id: str, tmp_path: Path) -> None:
    committed = ROOT / "workbooks" / f"xltools-{fmt_id}-template.xlsx"
    fresh = tmp_path / "fresh.xlsx"
    write_template(fmt_id, fresh)
    assert _snapshot(fresh) == _snapshot(committed), "请运行 python scripts/build_workbooks.py"
