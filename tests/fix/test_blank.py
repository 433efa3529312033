"""Blank totals, subtotals and cross-table copies: planned exactly, written back, re-checked clean; a
blank part is left for review. And the fix command as a user runs it (dry run, -o, --in-place, lock)."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from xltools.fix import plan
from xltools.fix.write import apply
from xltools.model import Cell
from xltools.read import read_report
from xltools.rules.engine import evaluate

D = Decimal
# (book, table, 'row|col') cleared → (cell, new, rule, reason)
FILLS = {
    "05_total": (
        "001_std",
        "公开05",
        "total|total",
        Cell("公开05", 7, 3),
        "1022.32",
        "05-E1",
        "该格为空（按 0 计）使 05-E1（公开05 合计 小计）不成立；由 '公开05'!D7、'公开05'!E7 推得 1022.32",
    ),
    "05_total_basic": (
        "000_std",
        "公开05",
        "total|basic",
        Cell("公开05", 7, 4),
        "1239.29",
        "H1",
        "该格为空（按 0 计）使 H1（公开05 合计 基本支出）不成立；由 '公开05'!D8、'公开05'!D15 推得 1239.29",
    ),
    "02_kuan": (
        "001_std",
        "公开02",
        "20103|total",
        Cell("公开02", 9, 3),
        "975.18",
        "H3",
        "该格为空（按 0 计）使 H3（公开02 20103 政府办公厅（室）及相关机构事务 本年收入合计）不成立；"
        "由 '公开02'!C10、'公开02'!C11 推得 975.18",
    ),
    "07_reception_001": (
        "001_std",
        "公开07",
        "actual|reception",
        Cell("公开07", 8, 12),
        "0.24",
        "X15",
        "该格为空（按 0 计）使 X15（公开07 决算数 公务接待费）不成立；由 '公开06'!F21 推得 0.24",
    ),
    "07_reception_000": (
        "000_std",
        "公开07",
        "actual|reception",
        Cell("公开07", 8, 12),
        "0.20",
        "X15",
        "该格为空（按 0 计）使 X15（公开07 决算数 公务接待费）不成立；由 '公开06'!F21 推得 0.20",
    ),
    # most income lines are empty: they count as printed zeros, and 01's own lines are cited, not 02
    "01_income_total": (
        "001_std",
        "公开01",
        "income_total|amount",
        Cell("公开01", 16, 3),
        "1022.32",
        "01-A1",
        "该格为空（按 0 计）使 01-A1（公开01 本年收入合计 决算数）不成立；"
        "由 '公开01'!C7（其余 7 格为空，按 0 计）推得 1022.32",
    ),
}


def _cleared(
    books: dict[str, Path], manifests: dict[str, Any], tmp: Path, book: str, *keys: tuple[str, str]
) -> Path:
    """A copy of `book` with the cells of `keys` ((table, 'row|col')) set to None."""
    from openpyxl import load_workbook

    wb = load_workbook(books[book])
    for table, key in keys:
        spec = manifests[book]["tables"][table]
        wb[spec["sheet"]][spec["cells"][key]].value = None
    out = tmp / f"{book}_cleared.xlsx"
    wb.save(out)
    return out


def _problems(path: Path) -> list[str]:
    return sorted(f.rule for f in evaluate(read_report(path)).findings if f.verdict in ("error", "warning"))


@pytest.mark.parametrize("name", sorted(FILLS))
def test_blank_is_filled_exactly_and_rechecks_clean(
    books: dict[str, Path], manifests: dict[str, Any], tmp_path: Path, name: str
) -> None:
    from openpyxl import load_workbook

    book, table, key, cell, new, rule, reason = FILLS[name]
    src = _cleared(books, manifests, tmp_path, book, (table, key))
    p = plan(read_report(src))
    blanks = [c for c in p.changes if c.kind == "blank"]
    assert [(c.cell, c.old, f"{c.new:f}", c.rule, c.reason) for c in blanks] == [
        (cell, None, new, rule, reason)
    ]
    assert not p.reviews and not [c for c in p.changes if c.kind == "typo"]
    out = tmp_path / "fixed.xlsx"
    done = apply(src, p, out)
    assert done.out == out
    got = load_workbook(out)[cell.sheet].cell(cell.row, cell.col)
    was = load_workbook(books[book])[cell.sheet].cell(cell.row, cell.col)
    assert D(repr(got.value)) == D(new) and got.number_format == was.number_format == "#,##0.00"
    assert got.comment is not None and "空白补填" in got.comment.text and rule in got.comment.text
    assert _problems(out) == [] and plan(read_report(out)).changes == ()
    cli = subprocess.run(
        [sys.executable, "-m", "xltools.cli", "check", str(out)], capture_output=True, text=True, check=False
    )
    assert cli.returncode == 0, cli.stdout + cli.stderr


def test_several_blanks_at_once(books: dict[str, Path], manifests: dict[str, Any], tmp_path: Path) -> None:
    """A total and its copy both blank (01 本年收入合计 and 02 合计), a 合计 and one of its 类 rows."""
    src = _cleared(
        books,
        manifests,
        tmp_path,
        "000_std",
        ("公开01", "income_total|amount"),
        ("公开02", "total|total"),
        ("公开05", "total|total"),
        ("公开05", "201|total"),
    )
    p = plan(read_report(src))
    assert sorted((c.cell.a1(), f"{c.new:f}") for c in p.changes if c.kind == "blank") == [
        ("'公开01'!C16", "2267.91"),
        ("'公开02'!C7", "2267.91"),
        ("'公开05'!C7", "2225.24"),
        ("'公开05'!C8", "2201.98"),
    ]
    out = tmp_path / "fixed.xlsx"
    apply(src, p, out)
    assert not p.reviews and _problems(out) == []


def test_blank_part_is_listed_for_review_not_filled(
    books: dict[str, Path], manifests: dict[str, Any], tmp_path: Path
) -> None:
    """05 2010301 基本支出 is one of several parts (of its row's 小计 and of 20103): never guessed."""
    src = _cleared(books, manifests, tmp_path, "001_std", ("公开05", "2010301|basic"))
    p = plan(read_report(src))
    d10 = Cell("公开05", 10, 4)
    assert not [c for c in p.changes if c.kind in ("blank", "typo")]
    assert sorted(r.rule for r in p.reviews) == ["05-E1", "H3"]
    assert all(r.suspects == (d10,) and r.message.endswith("差额 376.62") for r in p.reviews)
    assert all("最可能有误：'公开05'!D10" in r.reason for r in p.reviews)
    out = tmp_path / "fixed.xlsx"
    apply(src, p, out)  # the tails are still written; D10 stays blank and the errors stay
    from openpyxl import load_workbook

    assert load_workbook(out)["公开05"]["D10"].value is None and _problems(out) == ["05-E1", "H3"]
    dry = subprocess.run(
        [sys.executable, "-m", "xltools.cli", "fix", str(src), "--dry-run"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert dry.returncode == 1 and dry.stdout.count("需人工核实  ") == 2


RUN = [sys.executable, "-m", "xltools.cli", "fix"]


def _run(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*RUN, *map(str, args)], capture_output=True, text=True, check=False)


def test_cli_dry_run_output_in_place_and_lock(books: dict[str, Path], tmp_path: Path) -> None:
    book = Path(shutil.copy(books["000_titles"], tmp_path / "t.xlsx"))
    data = book.read_bytes()
    dry = _run(book, "--dry-run")
    lines = dry.stdout.splitlines()
    assert dry.returncode == 0 and book.read_bytes() == data and not list(tmp_path.glob("t.bak-*"))
    assert lines[-1] == "共 122 处修改（文本数字 115，尾差调整 7）；需人工核实 0 项。"
    assert lines[0].split() == ["类型", "单元格", "原值", "新值", "规则", "原因"]
    assert any(line.startswith("文本数字") and "改为数值" in line for line in lines)

    out = tmp_path / "o.xlsx"
    done = _run(book, "-o", out)
    assert done.returncode == 0 and book.read_bytes() == data
    assert f"已写入 {out}（122 处修改，已着色并加批注，见工作表“修正记录”）。" in done.stdout
    assert _problems(out) == []

    lock = tmp_path / "~$t.xlsx"
    lock.write_bytes(b"x")
    locked = _run(book, "--in-place")
    assert locked.returncode == 2 and "正被 Excel/WPS 打开" in locked.stderr and "关闭" in locked.stderr
    assert (
        book.read_bytes() == data and not list(tmp_path.glob("t.bak-*")) and not list(tmp_path.glob(".t.*"))
    )
    lock.unlink()

    inplace = _run(book, "--in-place")
    (bak,) = tmp_path.glob("t.bak-*")
    assert re.fullmatch(r"t\.bak-\d{8}-\d{6}\.xlsx", bak.name) and bak.read_bytes() == data
    assert inplace.returncode == 0 and f"原文件已备份为 {bak}" in inplace.stdout
    assert book.read_bytes() != data and _problems(book) == []
    again = _run(book, "--in-place")
    assert again.returncode == 0 and "没有需要写入的修改，文件未改动。" in again.stdout
    assert len(list(tmp_path.glob("t.bak-*"))) == 1
