"""The layouts of tests/read/wild_kinds.py read to the same amounts and findings as the plain book,
every planted error is found at its cell, and a table the reader cannot make out is one finding at
that table with its rules not applicable — never an error against a value it did not find."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook

from xltools.model import Cell
from xltools.read import read_report, read_reports
from xltools.rules.engine import evaluate
from xltools.rules.results import CheckResult

from .wild_kinds import KINDS, PLANTS, find_value, plant, side_by_side, two_units

HIDDEN = "隐藏的单元格"


def values(path: Path, unit: int = 0) -> dict[tuple[str, str, str], Decimal]:
    """Every printed amount; an empty table's blanks and zeros left out (it may print no 合计 row)."""
    report = read_reports(path)[unit]
    return {
        (t.id, r.key, c): a.value
        for t in report.tables.values()
        for r in t.rows.values()
        for c, a in r.values.items()
        if not a.blank and t.has_money()
    }


def judged(result: CheckResult) -> dict[str, int]:
    """The summary without passes (an empty table without 合计 row has fewer checks that pass) and
    without the 提示 about hidden cells."""
    hidden = sum(1 for f in result.findings if HIDDEN in f.message)
    out = {k: v for k, v in result.summary.items() if k != "passed"}
    out["warnings"] -= hidden
    return out


@pytest.fixture(scope="module")
def plain(books: dict[str, Path]) -> tuple[dict, dict]:
    path = books["001_std"]
    return values(path), judged(evaluate(read_report(path)))


def _build(books: dict[str, Path], tmp: Path, name: str, planted: bool) -> tuple[Path, Decimal | None]:
    wb = load_workbook(books["001_std"])
    value = plant(wb, *PLANTS[name]) if planted else None
    KINDS[name](wb)
    path = tmp / f"{name}{'_planted' if planted else ''}.xlsx"
    wb.save(path)
    return path, value


def assert_found_at(path: Path, value: Decimal) -> None:
    wb = load_workbook(path)
    sheet, coordinate = find_value(wb, value)
    cell = wb[sheet][coordinate]
    at = Cell(sheet, cell.row, cell.column)
    result = evaluate(read_report(path))
    errors = [f for f in result.findings if f.verdict == "error"]
    assert any(at in f.cells for f in errors), (at, [f.message for f in errors])


@pytest.mark.parametrize("name", sorted(KINDS))
def test_kind_reads_like_the_plain_book(
    books: dict[str, Path], plain: tuple[dict, dict], tmp_path: Path, name: str
) -> None:
    path, _ = _build(books, tmp_path, name, planted=False)
    amounts, summary = plain
    assert values(path) == amounts
    result = evaluate(read_report(path))
    assert judged(result) == summary, [f.message for f in result.failures]
    assert result.department == "株洲市荷塘区行政审批服务局"


@pytest.mark.parametrize("name", sorted(KINDS))
def test_kind_finds_the_planted_error_at_its_cell(books: dict[str, Path], tmp_path: Path, name: str) -> None:
    path, value = _build(books, tmp_path, name, planted=True)
    assert value is not None
    assert_found_at(path, value)


def test_hidden_cells_are_skipped_and_counted_once_per_table(books: dict[str, Path], tmp_path: Path) -> None:
    path, _ = _build(books, tmp_path, "hidden_stale", planted=False)
    notes = [f for f in evaluate(read_report(path)).findings if HIDDEN in f.message]
    assert sorted(f.message.split()[0] for f in notes) == ["公开03", "公开05", "公开06"]
    assert all(f.verdict == "warning" for f in notes)
    assert "公开05 有 2 个" in next(f.message for f in notes if f.message.startswith("公开05"))


def test_empty_tables_satisfy_f8(books: dict[str, Path], tmp_path: Path) -> None:
    for name in ("empty_without_total", "empty_total_with_remark"):
        path, _ = _build(books, tmp_path, name, planted=False)
        report = read_report(path)
        assert {"公开08", "公开09"} <= set(report.tables)
        result = evaluate(report)
        assert not [f for f in result.findings if f.rule in ("F0", "F8") and f.verdict != "pass"]


def test_two_units_side_by_side_give_two_results(books: dict[str, Path], tmp_path: Path) -> None:
    """A 部门 (001) and a 单位 (000) table side by side on every sheet, then also three tables of
    each in one row: one report per unit, each named and each reading like its own plain book."""
    wb = load_workbook(books["001_std"])
    two_units(load_workbook(books["000_std"]))(wb)
    pair = tmp_path / "units.xlsx"
    wb.save(pair)
    side_by_side([[1, 2, 3], [4, 5, 6], [7, 8, 9]])(wb)
    rows = tmp_path / "units_rows.xlsx"
    wb.save(rows)
    for path in (pair, rows):
        reports = read_reports(path)
        assert [r.department for r in reports] == ["株洲市荷塘区行政审批服务局", "醴陵市行政审批服务局"]
        assert values(path, 0) == values(books["001_std"])
        assert values(path, 1) == values(books["000_std"])
        for report, book in zip(reports, ("001_std", "000_std"), strict=True):
            assert judged(evaluate(report)) == judged(evaluate(read_report(books[book])))


def _garble(books: dict[str, Path], tmp_path: Path) -> Path:
    """公开01 whose headers say nothing the reader knows, and 公开03 without its 项目支出 header."""
    wb = load_workbook(books["001_std"])
    ws = wb["公开01"]
    for row in ws.iter_rows(max_row=6):
        for c in row:
            if c.value in ("项目", "行次", "收入", "支出", "栏次", "决算数"):
                c.value = "——"
    ws = wb["公开03"]
    for m in [str(m) for m in ws.merged_cells.ranges]:
        ws.unmerge_cells(m)
    col = next(c.column for row in ws.iter_rows(max_row=6) for c in row if c.value == "项目支出")
    for r in range(1, 7):  # its header words and its 栏次 number
        ws.cell(r, col).value = "其他" if ws.cell(r, col).value == "项目支出" else None
    path = tmp_path / "garbled.xlsx"
    wb.save(path)
    return path


def test_unreadable_table_is_one_finding_and_its_rules_not_applicable(
    books: dict[str, Path], tmp_path: Path
) -> None:
    report = read_report(_garble(books, tmp_path))
    assert "公开01" not in report.tables and "公开01" in report.unread
    assert "project" in report.tables["公开03"].unread_columns
    result = evaluate(report)
    assert result.summary["errors"] == 0, [f.message for f in result.failures]
    f0 = [f for f in result.findings if f.rule == "F0"]
    assert len([f for f in f0 if "公开01 无法识别" in f.message]) == 1
    (unread,) = [f for f in f0 if "公开01" in f.message]
    assert unread.cells == (Cell("公开01", 1, 1),) and "请" in unread.message
    assert any("公开03" in f.message and "项目支出" in f.message for f in f0)
    na = [f for f in result.findings if f.verdict == "n/a"]
    assert any("公开01 无法识别" in f.message for f in na)
    assert not any("未列示" in f.message for f in result.findings)


_SELF_CLOSED = b'<c r="B7" s="4"/>'


def test_uncached_formula_after_a_self_closed_cell_lands_on_its_cell(
    books: dict[str, Path], tmp_path: Path
) -> None:
    path, _ = _build(books, tmp_path, "uncached_formulas", planted=False)
    fixed = tmp_path / "selfclosed.xlsx"
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(fixed, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "xl/worksheets/sheet5.xml":
                data = data.replace(b'<c r="B7" s="4" t="n"></c>', _SELF_CLOSED)
                assert _SELF_CLOSED in data
            dst.writestr(info, data)
    report = read_report(fixed)
    total = report.tables["公开05"].rows["total"].values["total"]
    assert total.cell == Cell("公开05", 7, 3) and total.formula and total.formula.startswith("=SUM(")
    assert total.value == Decimal("1022.32")
    assert values(fixed) == values(books["001_std"])


def test_uncached_check_rule_is_never_computed_while_reading(books: dict[str, Path], tmp_path: Path) -> None:
    """A UDF's value is an output of the check: reading never evaluates one (it would read the
    workbook again). Run in a fresh process under a timeout: a reader that re-enters never ends."""
    path, _ = _build(books, tmp_path, "uncached_formulas", planted=False)
    code = (
        "import sys; from xltools.read import read_report; from xltools.excel import udfs\n"
        "r = read_report(sys.argv[1])\n"
        "assert not udfs._verdicts, 'CHECK_RULE was computed while reading'\n"
        "print(r.tables['公开05'].rows['total'].values['total'].value)"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code, str(path)], capture_output=True, text=True, timeout=60, check=False
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert proc.stdout.strip() == "1022.32"


@pytest.mark.libreoffice
@pytest.mark.slow
def test_kinds_saved_by_libreoffice_read_the_same(
    books: dict[str, Path], plain: tuple[dict, dict], tmp_path: Path
) -> None:
    from tests.engines.libreoffice import recalculate, soffice

    if soffice() is None:
        pytest.skip("LibreOffice not installed")
    names = ["side_by_side_3", "stacked_ledgers", "transposed_07", "hidden_stale", "empty_without_total"]
    built = {name: _build(books, tmp_path, name, planted=True) for name in names}
    plain_paths = {name: _build(books, tmp_path, name, planted=False)[0] for name in names}
    saved = recalculate([p for p, _ in built.values()] + list(plain_paths.values()), tmp_path / "lo")
    amounts, summary = plain
    for name in names:
        copy = saved[plain_paths[name]]
        assert values(copy) == amounts, name
        assert judged(evaluate(read_report(copy))) == summary, name
        path, value = built[name]
        assert value is not None
        assert_found_at(saved[path], value)
