"""The formula renderer: exact formula strings, cell forms, the 校验 sheet, and the formulas/demo commands."""

from __future__ import annotations

import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook

from xltools.model import Amount, Cell
from xltools.read import read_report
from xltools.rules.kinds import expand
from xltools.rules.plan import plan_for
from xltools.rules.render import cell_expr, literal, ref, relation_rows
from xltools.rules.render_sheet import MARKER, SHEET, add_check_sheet, check_rows, report_of

C = Cell("公开05", 8, 3)


@pytest.mark.parametrize(
    ("amount", "raw", "expected"),
    [
        (Amount(Decimal("959.07"), C), 959.07, "'公开05'!C8"),
        (Amount(Decimal("0"), C, blank=True), None, "'公开05'!C8"),
        (Amount(Decimal("0"), C, text="-", blank=True), "-", "N('公开05'!C8)"),
        (
            Amount(Decimal("1022.32"), C, text="1,022.32"),
            "1,022.32",
            'IFERROR(VALUE(SUBSTITUTE(\'公开05\'!C8,",","")),0)',
        ),
        (
            Amount(Decimal("1022.32"), C, text="\u30001022.32"),
            "\u30001022.32",
            'IFERROR(VALUE(SUBSTITUTE(SUBSTITUTE(\'公开05\'!C8,",",""),"\u3000","")),0)',
        ),
        (Amount(Decimal("12.00"), C, text="１２.００"), "１２.００", "12"),
        (Amount(Decimal("3.00"), C), "=1+2", "ROUND('公开05'!C8,2)"),
        (Amount(Decimal("1.01"), C), 1.005, "ROUND('公开05'!C8,2)"),
    ],
)
def test_cell_forms(amount: Amount, raw: object, expected: str) -> None:
    assert cell_expr(C, amount, lambda _: raw) == expected


def test_ref_quotes_and_literals() -> None:
    assert ref(Cell("O'Brien", 1, 28)) == "'O''Brien'!AB1"
    assert [literal(Decimal(x)) for x in ("0.015", "0.0100", "150.000", "2")] == ["0.015", "0.01", "150", "2"]


def test_sample_rule_formula_shape(books: dict[str, Path], manifests: dict) -> None:
    """05-E1 on the 合计 row of the std book: the exact formulas."""
    report = read_report(books["000_std"])
    cells = manifests["000_std"]["tables"]["公开05"]["cells"]
    rows = [r for r in relation_rows(report, plan_for(report)) if r.rule == "05-E1"]
    first = rows[0]
    assert first.left == f"'公开05'!{cells['total|total']}"
    assert first.right == f"'公开05'!{cells['total|basic']}+'公开05'!{cells['total|project']}"
    assert first.verdict == 'IF({d}=0,"通过",IF(ABS({d})<=0.015,"尾差","不通过"))'


def test_ge_soft_and_subtraction_shapes(books: dict[str, Path]) -> None:
    report = read_report(books["000_std"])
    rows = {r.rule: r for r in relation_rows(report, plan_for(report))}
    assert rows["X13"].verdict == 'IF({d}>=0,"通过",IF(ABS({d})<=0.01,"尾差","不通过"))'
    assert rows["X15"].verdict == 'IF({d}=0,"通过",IF(ABS({d})<=0.01,"尾差",IF({d}>0,"提示","不通过")))'
    d8 = rows["04-D8"]
    assert d8.right is not None and d8.right.count("-") == 1 and "+" in d8.right


def test_yuan_book_compares_in_yuan(books: dict[str, Path]) -> None:
    report = read_report(books["000_yuan"])
    row = next(r for r in relation_rows(report, plan_for(report)) if r.rule == "05-E1")
    assert "<=0.015," in row.verdict  # 元 tables print to 0.01 元: the bound stays in 元
    assert "*" not in (row.left or "") + (row.right or "")  # one unit: no scaling factor


def test_sheet_layout_and_refresh(books: dict[str, Path], tmp_path: Path) -> None:
    report = read_report(books["001_std"])
    wb = load_workbook(books["001_std"])
    n = add_check_sheet(wb, report)
    ws = wb[SHEET]
    assert n == len(check_rows(report)) and ws["A3"].value == MARKER
    assert [c.value for c in ws[4]] == ["规则", "说明", "左边", "右边", "差额", "结论", "位置"]
    assert ws["E5"].value == "=ROUND(C5-D5,2)" and str(ws["F5"].value).startswith("=IFERROR(IF(E5=0,")
    assert ws["B1"].value.startswith("=IF(COUNTIF(F5:F")
    cf_count = sum(len(cf.rules) for s in wb.worksheets for cf in s.conditional_formatting)
    assert add_check_sheet(wb, report) == n  # refresh: replaced, not added twice
    assert wb.sheetnames.count(SHEET) == 1
    assert sum(len(cf.rules) for s in wb.worksheets for cf in s.conditional_formatting) == cf_count


def test_user_sheet_named_like_ours_is_refused(books: dict[str, Path]) -> None:
    from xltools.errors import UsageError

    wb = load_workbook(books["000_std"])
    wb.create_sheet(SHEET)["A1"] = "我的校验"
    with pytest.raises(UsageError):
        add_check_sheet(wb, read_report(books["000_std"]))


def test_report_of_in_memory_workbook(books: dict[str, Path]) -> None:
    wb = load_workbook(books["000_std"])
    assert len(expand(report_of(wb))) == len(expand(read_report(books["000_std"])))


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "xltools.cli", *args], capture_output=True, text=True, check=False
    )


def _cells(path: Path) -> dict[tuple[str, str], tuple[object, str]]:
    wb = load_workbook(path)
    return {
        (ws.title, c.coordinate): (c.value, repr(c.font) + repr(c.fill) + repr(c.border) + c.number_format)
        for ws in wb.worksheets
        if ws.title != SHEET
        for row in ws.iter_rows()
        for c in row
    }


def test_formulas_command_keeps_every_user_cell(books: dict[str, Path], tmp_path: Path) -> None:
    src = books["000_export"]
    out = tmp_path / "out.xlsx"
    done = _cli("formulas", str(src), "-o", str(out))
    assert done.returncode == 0, done.stderr
    assert "校验" in done.stdout
    assert _cells(out) == _cells(src)
    wb_in, wb_out = load_workbook(src), load_workbook(out)
    for ws in wb_in.worksheets:
        assert str(ws.merged_cells) == str(wb_out[ws.title].merged_cells)
    assert load_workbook(out).sheetnames[-1] == SHEET


def test_formulas_command_usage(books: dict[str, Path], tmp_path: Path) -> None:
    copy = tmp_path / "book.xlsx"
    copy.write_bytes(books["000_std"].read_bytes())
    assert _cli("formulas", str(copy)).returncode == 2
    assert _cli("formulas", str(copy), "-o", str(copy)).returncode == 2
    done = _cli("formulas", str(copy), "--in-place")
    assert done.returncode == 0, done.stderr
    assert list(tmp_path.glob("book.bak-*.xlsx"))
    assert SHEET in load_workbook(copy).sheetnames


def test_demo_command(tmp_path: Path) -> None:
    out = tmp_path / "demo"
    done = _cli("demo", "-o", str(out))
    assert done.returncode == 0, done.stderr
    assert "全部通过" in done.stdout
    for name in ("示例部门决算公开表.xlsx", "校验报告.txt", "校验报告.json"):
        assert (out / name).exists(), name
    assert SHEET in load_workbook(out / "示例部门决算公开表.xlsx").sheetnames
