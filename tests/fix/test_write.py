"""Write-back: the fixed file re-checks clean, a second fix changes nothing, and nothing else is lost."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import pytest
from helpers import make_xlsm, snapshot, vba_of, vba_project

from xltools.errors import WriteError
from xltools.fix import apply, plan
from xltools.fix.write import LOG_HEADER, LOG_SHEET
from xltools.read import read_report
from xltools.rules.engine import evaluate


def _fix(src: Path, out: Path, **kw: bool) -> tuple[object, object]:
    p = plan(read_report(src), accept_typos=bool(kw.get("accept_typos")))
    return p, apply(src, p, out, **kw)


def _errors(path: Path) -> list[str]:
    return sorted(
        f.rule for f in evaluate(read_report(path)).findings if f.verdict in ("error", "warning", "tail")
    )


BOOKS = [
    "000_std",
    "000_titles",
    "000_stacked",
    "000_export",
    "001_std",
    "001_titles",
    "001_stacked",
    "001_export",
    "000_y2018",
    "000_v7income",
    "000_v04nosoe",
]


@pytest.mark.parametrize("name", BOOKS)
def test_fix_then_check_passes_and_is_idempotent(books: dict[str, Path], tmp_path: Path, name: str) -> None:
    out = tmp_path / f"{name}.xlsx"
    p, done = _fix(books[name], out)
    assert done.out == out and _errors(out) == []
    again = plan(read_report(out))
    assert again.changes == () and again.reviews == ()
    before, after = snapshot(books[name]), snapshot(out)
    changed = {(c.cell.sheet, c.cell.coordinate) for c in p.changes}
    assert {k for k in before if before[k] != after.get(k)} == changed


@pytest.mark.parametrize("name", ["digit_swap", "x15_reception", "a2_grand_total", "d8_fund_balance"])
def test_typos_only_with_accept(planted: dict[str, Path], tmp_path: Path, name: str) -> None:
    out = tmp_path / "no.xlsx"
    p, _ = _fix(planted[name], out)
    typo = next(c for c in p.changes if c.kind == "typo")
    again = plan(read_report(out))
    assert _errors(out) != [] and again.applicable() == () and typo in again.changes  # only the typo is left
    fixed = tmp_path / "yes.xlsx"
    accepted, _ = _fix(planted[name], fixed, accept_typos=True)
    typo = [c for c in accepted.changes if c.cell == typo.cell][-1]  # a tail may move it a cent further
    assert _errors(fixed) == [] and plan(read_report(fixed), accept_typos=True).changes == ()
    from openpyxl import load_workbook

    cell = load_workbook(fixed)[typo.cell.sheet].cell(typo.cell.row, typo.cell.col)
    assert str(cell.value) == f"{typo.new.normalize():f}" or float(cell.value) == float(typo.new)


def test_genuine_error_is_not_changed(planted: dict[str, Path], tmp_path: Path) -> None:
    out = tmp_path / "g2.xlsx"
    p, _ = _fix(planted["g2_item_off"], out)
    assert _errors(out) == ["06-G2"] and [r.rule for r in p.reviews] == ["06-G2"]


def test_in_place_backup_log_and_comment(books: dict[str, Path], tmp_path: Path) -> None:
    from openpyxl import load_workbook

    book = shutil.copy(books["000_std"], tmp_path / "b.xlsx")
    p, done = _fix(Path(book), Path(book))
    assert (
        done.backup is not None
        and done.backup.exists()
        and snapshot(done.backup) == snapshot(books["000_std"])
    )
    wb = load_workbook(book)
    log = list(wb[LOG_SHEET].values)
    assert log[0] == LOG_HEADER and len(log) == 1 + len(p.changes)
    c = wb["公开06"]["C9"]
    assert c.value == 243.37 and c.fill.fgColor.rgb == "FFFFEB9C" and "06-G1" in c.comment.text
    assert c.number_format == "#,##0.00"
    # a later run that changes something appends below the earlier rows
    ws = wb["公开06"]
    ws["C9"] = 243.38
    wb.save(book)
    p2, _ = _fix(Path(book), Path(book))
    assert len(list(load_workbook(book)[LOG_SHEET].values)) == 1 + len(p.changes) + len(p2.changes)


def _chattr(path: Path, flag: str) -> bool:
    """Set or clear a file attribute (chattr +i: immutable, even to root); False where unsupported."""
    if shutil.which("chattr") is None:
        return False
    return subprocess.run(["chattr", flag, str(path)], capture_output=True).returncode == 0


def test_locked_and_readonly_files_are_refused(books: dict[str, Path], tmp_path: Path) -> None:
    book = Path(shutil.copy(books["000_std"], tmp_path / "c.xlsx"))
    p = plan(read_report(book))
    lock = tmp_path / "~$c.xlsx"
    lock.write_bytes(b"x")
    data = book.read_bytes()
    with pytest.raises(WriteError, match="正被 Excel/WPS 打开"):
        apply(book, p, book)
    lock.unlink()
    assert book.read_bytes() == data and list(tmp_path.glob("c.bak-*")) == []
    os.chmod(book, 0o444)
    # root writes past file modes (CI runs as root): there, make the file immutable, as on a read-only disk
    immutable = os.access(book, os.W_OK) and _chattr(book, "+i")
    try:
        if os.access(book, os.W_OK):
            pytest.skip("root without chattr: no file here is read-only to this process")
        with pytest.raises(WriteError, match="只读"):
            apply(book, p, book)
    finally:
        if immutable:
            _chattr(book, "-i")
        os.chmod(book, 0o644)
    assert book.read_bytes() == data


def test_everything_else_survives(books: dict[str, Path], tmp_path: Path) -> None:
    """Merges, widths, formulas, conditional formats, validation, comments, names, print settings,
    an image, a chart and the macros of an .xlsm."""
    from openpyxl import load_workbook
    from openpyxl.chart import BarChart, Reference
    from openpyxl.comments import Comment
    from openpyxl.drawing.image import Image
    from openpyxl.formatting.rule import CellIsRule
    from openpyxl.styles import PatternFill
    from openpyxl.workbook.defined_name import DefinedName
    from openpyxl.worksheet.datavalidation import DataValidation
    from PIL import Image as PILImage

    wb = load_workbook(books["000_std"])
    ws = wb["公开07"]
    ws["N2"] = "=SUM(A8:F8)"
    ws["N3"] = "备注"
    ws["N3"].comment = Comment("原有批注", "clerk")
    ws.conditional_formatting.add(
        "A8:L8", CellIsRule(operator="lessThan", formula=["0"], fill=PatternFill("solid", "FFFF0000"))
    )
    dv = DataValidation(type="decimal", operator="greaterThanOrEqual", formula1="0")
    ws.add_data_validation(dv)
    dv.add("A8:L8")
    wb.defined_names["三公合计"] = DefinedName("三公合计", attr_text="'公开07'!$A$8")
    ws.print_options.gridLines = True
    ws.page_setup.orientation = "landscape"
    png = tmp_path / "logo.png"
    PILImage.new("RGB", (8, 8), "red").save(png)
    ws.add_image(Image(str(png)), "N5")
    chart = BarChart()
    chart.add_data(Reference(ws, min_col=1, max_col=6, min_row=8, max_row=8))
    ws.add_chart(chart, "N10")
    xlsx = tmp_path / "rich.xlsx"
    wb.save(xlsx)
    xlsm = make_xlsm(xlsx, tmp_path / "rich.xlsm", vba_project())
    out = tmp_path / "rich_out.xlsm"
    p, _ = _fix(xlsm, out)
    assert vba_of(out) == vba_of(xlsm)
    before, after = snapshot(xlsm), snapshot(out)
    changed = {(c.cell.sheet, c.cell.coordinate) for c in p.changes}
    assert {k for k in before if before[k] != after.get(k)} == changed
    got = load_workbook(out, keep_vba=True)
    g = got["公开07"]
    assert g["N2"].value == "=SUM(A8:F8)" and g["N3"].comment.text == "原有批注"
    assert len(g.conditional_formatting) == 1 and len(g.data_validations.dataValidation) == 1
    assert (
        "三公合计" in got.defined_names
        and g.page_setup.orientation == "landscape"
        and g.print_options.gridLines
    )
    assert len(g._images) == 1 and len(g._charts) == 1
    assert _errors(out) == []


def test_cli_dry_run_and_write(books: dict[str, Path], tmp_path: Path) -> None:
    run = [sys.executable, "-m", "xltools.cli", "fix"]
    dry = subprocess.run(
        [*run, str(books["000_titles"]), "--dry-run", "--only", "tail"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert dry.returncode == 0
    assert dry.stdout.splitlines()[0].split() == ["类型", "单元格", "原值", "新值", "规则", "原因"]
    assert dry.stdout.count("尾差调整  ") == 7 and "文本数字" not in dry.stdout.split("\n", 1)[1]
    out = tmp_path / "o.xlsx"
    done = subprocess.run(
        [*run, str(books["000_titles"]), "-o", str(out)], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0 and "已写入" in done.stdout and _errors(out) == []
    usage = subprocess.run([*run, str(books["000_std"])], capture_output=True, text=True, check=False)
    assert usage.returncode == 2 and "--in-place" in usage.stderr


def test_apply_with_nothing_to_do_writes_nothing(books: dict[str, Path], tmp_path: Path) -> None:
    out = tmp_path / "n.xlsx"
    p = plan(read_report(books["000_std"]))
    done = apply(books["000_std"], p, out, kinds={"blank"}, when=datetime(2024, 1, 1))
    assert done.out is None and not out.exists()
