"""Generated prose: figures from the tables, 【待补充】 for missing inputs, and no finding when
narrative-check reads it back."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from xltools.errors import DataError
from xltools.model import Report
from xltools.narrative import (
    Inputs,
    NarrativeCheck,
    check_part_three,
    generate,
    inputs_from_mapping,
    load_inputs,
    narrative_text,
    write,
)
from xltools.narrative.parse import part_three, read_part_three

DATA = Path(__file__).parent / "data"
YEAR = Inputs(year=2021)


@pytest.fixture(scope="module")
def inputs000() -> Inputs:
    return load_inputs(DATA / "r000_inputs.toml")


def _check(report: Report, inputs: Inputs | None, check_inputs: Inputs | None = None) -> NarrativeCheck:
    return check_part_three(report, part_three(narrative_text(report, inputs).splitlines()), check_inputs)


def test_sections_in_standard_order(reports: dict[str, Report]) -> None:
    titles = [s.title for s in generate(reports["r000"]).sections]
    assert titles[0] == "一、收入支出决算总体情况说明"
    assert titles[4] == "五、一般公共预算财政拨款支出决算情况说明"
    assert titles[6] == "七、一般公共预算财政拨款“三公”经费支出决算情况说明"
    assert len(titles) == 15 and titles[-1] == "十五、其他重要事项情况说明"


@pytest.mark.parametrize("name", ["r000", "r001"])
def test_generated_without_inputs_checks_clean(reports: dict[str, Report], name: str) -> None:
    result = _check(reports[name], None)
    assert result.outcomes and all(o.verdict == "pass" for o in result.outcomes)


def test_generated_with_inputs_has_no_error_or_warning(reports: dict[str, Report], inputs000: Inputs) -> None:
    result = _check(reports["r000"], inputs000)
    assert result.flagged == []
    # checked without the inputs, only figures no table holds are listed (政府采购, 节庆活动,
    # a 年初预算 of 0 with no rate)
    assert {o.rule for o in result.outcomes if o.verdict != "pass"} == {"N0"}


def test_round_trip_with_the_same_inputs_gives_no_finding(
    reports: dict[str, Report], inputs000: Inputs
) -> None:
    """Checked with the inputs it was written from, every figure is placed: no N0 either."""
    result = _check(reports["r000"], inputs000, inputs000)
    assert result.outcomes and all(o.verdict == "pass" for o in result.outcomes)
    c = result.counts()
    assert c["found"] == c["placed"] and c["unplaced"] == 0
    on_inputs = [o for o in result.outcomes if o.rule == "N1" and "表外数据" in o.message]
    assert len(on_inputs) >= 10  # changes vs prior year, 年初预算 of each 项, 政府采购, 节庆活动


def test_reference_sentences_reproduced(reports: dict[str, Report], inputs000: Inputs) -> None:
    text = narrative_text(reports["r000"], inputs000)
    assert "2021年度收、支总计2282.14万元。与上年相比，增加354.34万元，增长18.38%" in text
    assert "财政拨款收入2211.04万元，占97.49%" in text
    assert "增加306.53万元，增长15.98%" in text  # the report printed the truncated 15.97%
    assert "一般公共服务支出（类）政府办公厅（室）及相关机构事务（款）行政运行（项）。" in text
    assert "年初预算为974.08万元，支出决算为959.07万元，完成年初预算的98.46%" in text
    assert "人员经费659.53万元，占基本支出的53.22%" in text


def test_missing_inputs_are_marked_never_invented(reports: dict[str, Report]) -> None:
    n = generate(reports["r001"])
    text = "\n".join(n.lines())
    assert "【待补充：上年收、支总计决算数】" in text
    assert "【待补充：年度】年度收、支总计" in text  # the workbook carries no year
    assert "年初预算数为【待补充：年初预算数数】" not in text
    assert n.pending()
    assert "增长" not in text  # no prior year: no rate at all


@pytest.mark.parametrize(
    ("workbook", "inputs", "cli", "expected"),
    [
        (None, None, None, "【待补充：年度】"),
        (2020, None, None, "2020"),
        (2020, 2021, None, "2021"),
        (2020, 2021, 2022, "2022"),
    ],
)
def test_year_precedence(
    reports: dict[str, Report],
    tmp_path: Path,
    workbook: int | None,
    inputs: int | None,
    cli: int | None,
    expected: str,
) -> None:
    """--year, else the inputs file's year (`year` or `年度`), else the workbook's."""
    from argparse import Namespace

    from xltools.commands.narrative import load_args_inputs

    path = None
    if inputs is not None:
        path = tmp_path / "in.toml"
        path.write_text(f'"年度" = {inputs}\n', encoding="utf-8")  # TOML: a non-ASCII key is quoted
    report = replace(reports["r001"], year=workbook)
    n = generate(report, load_args_inputs(Namespace(inputs=path, year=cli)))
    assert n.title == f"{expected}年度部门决算情况说明"
    assert n.sections[1].paragraphs[0].text.startswith(f"{expected}年度收入合计")


def test_prior_year_zero_gives_no_percentage(reports: dict[str, Report]) -> None:
    inputs = inputs_from_mapping({"prior": {"reception": 0}, "reasons": {"reception": "接待增加"}})
    text = narrative_text(reports["r001"], inputs)
    line = next(ln for ln in text.splitlines() if ln.startswith("公务接待费支出预算"))
    assert "增加0.24万元，主要原因是：接待增加" in line and "增长" not in line


@pytest.mark.parametrize("fmt", ["docx", "md", "txt"])
def test_writers_round_trip_through_the_checker(reports: dict[str, Report], fmt: str, tmp_path: Path) -> None:
    report = reports["r001"]
    path = tmp_path / f"out.{fmt}"
    write(generate(report), path)
    result = check_part_three(report, read_part_three(path))
    assert result.claims and result.flagged == [] and result.unplaced == []


def _east_asia(run: Any) -> str | None:
    """The w:eastAsia font of a python-docx run (what Word uses for Chinese)."""
    from docx.oxml.ns import qn

    fonts = run._element.rPr.rFonts
    return None if fonts is None else fonts.get(qn("w:eastAsia"))


def test_docx_fonts(reports: dict[str, Report], tmp_path: Path) -> None:
    from docx import Document

    path = tmp_path / "out.docx"
    write(generate(reports["r000"], YEAR), path)
    doc = Document(str(path))
    body = next(p for p in doc.paragraphs if p.text.startswith("2021年度收入合计"))
    run = body.runs[0]
    size, indent = run.font.size, body.paragraph_format.first_line_indent
    assert size is not None and size.pt == 16 and run.font.name == "仿宋_GB2312"
    assert _east_asia(run) == "仿宋_GB2312"
    assert indent is not None and indent.pt == 32
    heading = next(p for p in doc.paragraphs if p.text.startswith("一、"))
    assert _east_asia(heading.runs[0]) == "黑体"


def test_inputs_yaml_equals_toml(tmp_path: Path) -> None:
    y = tmp_path / "in.yaml"
    y.write_text(
        'prior:\n  total: 1927.80\nbudget:\n  items:\n    "2010301": 974.08\ncounts:\n  vehicles_held: 0\n',
        encoding="utf-8",
    )
    inputs = load_inputs(y)
    assert inputs.prior["total"] == Decimal("1927.80") and inputs.budget_items["2010301"] == Decimal("974.08")
    assert inputs.counts == {"vehicles_held": 0}
    assert load_inputs(DATA / "r000_inputs.toml").prior["total"] == Decimal("1927.80")


@pytest.mark.parametrize(("data", "year"), [({"year": 2021}, 2021), ({"年度": "2021"}, 2021), ({}, None)])
def test_inputs_year(data: dict, year: int | None) -> None:
    assert inputs_from_mapping(data).year == year


@pytest.mark.parametrize(
    ("data", "words"),
    [
        ({"prior": {"totl": 1}}, "totl"),
        ({"prior": {"total": "abc"}}, "应为数字"),
        ({"extra": {}}, "未知的部分"),
        ({"counts": {"vehicles_held": 1.5}}, "整数"),
        ({"year": 21}, "四位年份"),
        ({"year": True}, "四位年份"),
        ({"year": 2021, "年度": 2021}, "只能写一个"),
    ],
)
def test_inputs_errors_name_the_key(data: dict, words: str) -> None:
    with pytest.raises(DataError, match=words):
        inputs_from_mapping(data)
