"""The reader on hand-made grids and files: the layouts and cell forms of tables.md, one by one."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import Workbook

from xltools.read import SheetGrid, read_grids, read_report
from xltools.read.locate import match_marker, match_title
from xltools.text import label_key, parse_amount, parse_code

D = Decimal


@pytest.mark.parametrize(
    ("raw", "value", "blank", "text"),
    [
        (None, D(0), True, False),
        ("", D(0), True, False),
        ("-", D(0), True, True),
        ("—", D(0), True, True),
        (0, D(0), False, False),
        ("0.00", D(0), False, True),
        (2211.04, D("2211.04"), False, False),
        ("2,267.91", D("2267.91"), False, True),
        ("1, 022. 32", D("1022.32"), False, True),
        ("\u3000979.88", D("979.88"), False, True),
        ("\u00a0979.88\u00a0", D("979.88"), False, True),
        ("２，２１１．０４", D("2211.04"), False, True),
        ("(12.50)", D("-12.50"), False, True),
        ("行政运行", None, False, False),
    ],
)
def test_parse_amount(raw: object, value: Decimal | None, blank: bool, text: bool) -> None:
    parsed = parse_amount(raw)
    assert parsed.value == value
    if value is not None:
        assert parsed.blank is blank and (parsed.text is not None) is text


@pytest.mark.parametrize(
    ("raw", "code", "name"),
    [
        (2010301.0, "2010301", ""),
        ("2010301", "2010301", ""),
        ("2010301 行政运行", "2010301", "行政运行"),
        ("201", "201", ""),
        ("合计", None, ""),
        ("1", None, ""),
        ("20103011", None, ""),
    ],
)
def test_parse_code(raw: object, code: str | None, name: str) -> None:
    assert parse_code(raw) == (code, name)


@pytest.mark.parametrize(
    ("text", "title"),
    [
        ("一般公共预算财政拨款支出决算表", "一般公共预算财政拨款支出决算表"),  # not 公开03's 支出决算表
        ("2021年度醴陵市行政审批服务局收入支出决算总表", "收入支出决算总表"),
        ("财政拨款收入支出决算总表", "财政拨款收入支出决算总表"),
        ("部门收支决算总表", "部门收支决算总表"),
        ("一般公共预算财政拨款“三公”经费支出决算表", '一般公共预算财政拨款"三公"经费支出决算表'),
        ("注：本表反映部门本年度各项支出情况。", None),
        ("行政运行", None),
    ],
)
def test_match_title(text: str, title: str | None) -> None:
    assert match_title(text) == (label_key(title) if title else None)


@pytest.mark.parametrize(("text", "n"), [("公开01表", 1), ("公开 05 表", 5), ("公开09", 9), ("表1", None)])
def test_match_marker(text: str, n: int | None) -> None:
    assert match_marker(text) == n


def _table05(
    rows: list[list[object]], unit: str = "单位：万元", dept: list[object] | None = None
) -> SheetGrid:
    head: list[list[object]] = [
        [None],
        [None],
        ["一般公共预算财政拨款支出决算表"],
        dept or ["部门：", "某某局", unit],
        ["项目", None, "本年支出"],
        ["功能分类科目编码", "科目名称", "小计", "基本支出", "项目支出"],
        ["栏次", None, 1, 2, 3],
    ]
    return SheetGrid("Sheet1", head + rows, merges=[(5, 1, 5, 2), (5, 3, 5, 5)])


def test_grid_department_in_two_cells_and_derived_class() -> None:
    grid = _table05(
        [
            ["合计", None, "1,000.00", 600, 400],
            ["2010301", "行政运行", 600, 600, "-"],
            ["2010302", "一般行政管理事务", 400, None, 400],
        ]
    )
    report = read_grids([grid], "mem")
    t = report.tables["公开05"]
    assert t.department == "某某局" and t.unit == "万元"
    assert t.rows["total"].values["total"].text == "1,000.00"
    assert t.rows["2010301"].values["project"].blank
    term = t.term("201", "total")  # 类 201 is not printed: the sum of its 项
    assert term is not None and term.derived and term.value == D(1000) and len(term.cells) == 2


def test_grid_unit_yuan_is_scaled() -> None:
    grid = _table05([["合计", None, 12345678.9, 12345678.9, 0]], unit="单位：元")
    t = read_grids([grid], "mem").tables["公开05"]
    assert t.unit == "元" and t.scale == D("0.0001")
    assert t.rows["total"].values["total"].value == D("1234.56789")


def _book05(path: Path, body: list[list[object]], extra_header: str | None = None) -> Path:
    """A one-table 公开05 workbook written by openpyxl (so its formulas carry no cached values)."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "公开05"
    header = ["功能分类科目编码", "科目名称", "小计", "基本支出", "项目支出"]
    for row in [
        ["一般公共预算财政拨款支出决算表"],
        ["部门：某某局", None, "单位：万元"],
        header + ([extra_header] if extra_header else []),
        ["栏次", None, 1, 2, 3],
        *body,
    ]:
        ws.append(row)
    wb.save(path)
    return path


def test_uncached_formula_outside_the_fast_path_is_computed_by_formulas(tmp_path: Path) -> None:
    path = _book05(
        tmp_path / "f.xlsx",
        [
            ["合计", None, "=ROUND(SUM(C6:C7),2)", "=SUM(D6:D7)", "=E6+E7"],
            ["2010301", "行政运行", 600.004, 600.004, 0],
            ["2010302", "一般行政管理事务", 400, 0, 400],
        ],
    )
    t = read_report(path).tables["公开05"]
    total = t.rows["total"].values
    assert (total["total"].value, total["basic"].value, total["project"].value) == (
        D("1000.00"),
        D("600.00"),
        D(400),
    )
    assert total["total"].formula == "=ROUND(SUM(C6:C7),2)"


def test_new_variant_needs_no_code(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, books: dict[str, Path]
) -> None:
    from xltools import formats

    (tmp_path / "mine.toml").write_text(
        'id = "2021-local"\nname = "本省格式"\nextends = "2021"\n'
        '[drop_rows]\n"公开01" = ["inc_soe", "inc_affiliated"]\n',
        encoding="utf-8",
    )
    monkeypatch.setenv("XLTOOLS_FORMATS", str(tmp_path))
    formats.load_formats.cache_clear()
    try:
        assert "2021-local" in formats.load_formats()
        assert formats.get_format("2021-local").tables["公开01"].row("inc_soe") is None
    finally:
        monkeypatch.delenv("XLTOOLS_FORMATS")
        formats.load_formats.cache_clear()


def test_broken_format_file_is_a_clear_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from xltools import formats
    from xltools.errors import FormatError

    (tmp_path / "bad.toml").write_text('id = "x"\nname = "坏格式"\nextends = "nope"\n', encoding="utf-8")
    monkeypatch.setenv("XLTOOLS_FORMATS", str(tmp_path))
    formats.load_formats.cache_clear()
    try:
        with pytest.raises(FormatError, match="基础格式不存在"):
            formats.load_formats()
    finally:
        monkeypatch.delenv("XLTOOLS_FORMATS")
        formats.load_formats.cache_clear()


def test_workbook_using_xltools_udfs_is_computed(tmp_path: Path) -> None:
    """A clerk's =CHECK_TOTAL() beside the table, saved without cached values (openpyxl): computed."""
    from xltools.read.grid import load_grids

    path = _book05(
        tmp_path / "udf.xlsx",
        [
            ["合计", None, 1000, 600, 400, "=CHECK_TOTAL(C5,D5:E5)"],
            ["2010301", "行政运行", 600, 600, 0, "=WANYUAN(6000000)"],
        ],
        "核对",
    )
    grid = load_grids(path)[0]
    assert grid.value(5, 6) == "通过"
    assert grid.value(6, 6) == 600
    assert read_report(path).tables["公开05"].rows["total"].values["total"].value == D(1000)
