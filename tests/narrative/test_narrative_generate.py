"""Generated prose: figures from the tables, 【待补充】 for missing inputs, and no finding when
narrative-check reads it back."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from narrative_figures import report as figures_report

from xltools.errors import DataError
from xltools.narrative import (
    Inputs,
    check_part_three,
    generate,
    inputs_from_mapping,
    load_inputs,
    narrative_text,
    write,
)
from xltools.narrative.parse import part_three, read_part_three

DATA = Path(__file__).parent / "data"


def _check(name: str, inputs: Inputs | None):
    report = figures_report(name)
    return check_part_three(report, part_three(narrative_text(report, inputs).splitlines()))


def test_sections_in_standard_order() -> None:
    titles = [s.title for s in generate(figures_report("r000")).sections]
    assert titles[0] == "一、收入支出决算总体情况说明"
    assert titles[4] == "五、一般公共预算财政拨款支出决算情况说明"
    assert titles[6] == "七、一般公共预算财政拨款“三公”经费支出决算情况说明"
    assert len(titles) == 15 and titles[-1] == "十五、其他重要事项情况说明"


@pytest.mark.parametrize("name", ["r000", "r001"])
def test_generated_without_inputs_checks_clean(name: str) -> None:
    result = _check(name, None)
    assert result.outcomes and all(o.verdict == "pass" for o in result.outcomes)


def test_generated_with_inputs_has_no_error_or_warning() -> None:
    result = _check("r000", load_inputs(DATA / "r000_inputs.toml"))
    assert result.flagged == []
    # only figures no table holds are listed (政府采购, 节庆活动, a 年初预算 of 0 with no rate)
    assert all(o.rule == "N0" for o in result.outcomes if o.verdict != "pass")


def test_reference_sentences_reproduced() -> None:
    text = narrative_text(figures_report("r000"), load_inputs(DATA / "r000_inputs.toml"))
    assert "2021年度收、支总计2282.14万元。与上年相比，增加354.34万元，增长18.38%" in text
    assert "财政拨款收入2211.04万元，占97.49%" in text
    assert "增加306.53万元，增长15.98%" in text  # the report printed the truncated 15.97%
    assert "一般公共服务支出（类）政府办公厅（室）及相关机构事务（款）行政运行（项）。" in text
    assert "年初预算为974.08万元，支出决算为959.07万元，完成年初预算的98.46%" in text
    assert "人员经费659.53万元，占基本支出的53.22%" in text


def test_missing_inputs_are_marked_never_invented() -> None:
    n = generate(figures_report("r001"))
    text = "\n".join(n.lines())
    assert "【待补充：上年收、支总计决算数】" in text
    assert "年初预算数为【待补充：年初预算数数】" not in text
    assert n.pending()
    assert "增长" not in text  # no prior year: no rate at all


def test_prior_year_zero_gives_no_percentage() -> None:
    inputs = inputs_from_mapping({"prior": {"reception": 0}, "reasons": {"reception": "接待增加"}})
    text = narrative_text(figures_report("r001"), inputs)
    line = next(ln for ln in text.splitlines() if ln.startswith("公务接待费支出预算"))
    assert "增加0.24万元，主要原因是：接待增加" in line and "增长" not in line


@pytest.mark.parametrize("fmt", ["docx", "md", "txt"])
def test_writers_round_trip_through_the_checker(fmt: str, tmp_path: Path) -> None:
    report = figures_report("r001")
    path = tmp_path / f"out.{fmt}"
    write(generate(report), path)
    result = check_part_three(report, read_part_three(path))
    assert result.claims and result.flagged == [] and result.unplaced == []


def test_docx_fonts(tmp_path: Path) -> None:
    from docx import Document
    from docx.oxml.ns import qn

    path = tmp_path / "out.docx"
    write(generate(figures_report("r000")), path)
    doc = Document(str(path))
    body = next(p for p in doc.paragraphs if p.text.startswith("2021年度收入合计"))
    run = body.runs[0]
    assert run.font.size.pt == 16 and run.font.name == "仿宋_GB2312"
    assert run._element.rPr.rFonts.get(qn("w:eastAsia")) == "仿宋_GB2312"
    assert body.paragraph_format.first_line_indent.pt == 32
    heading = next(p for p in doc.paragraphs if p.text.startswith("一、"))
    assert heading.runs[0]._element.rPr.rFonts.get(qn("w:eastAsia")) == "黑体"


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


@pytest.mark.parametrize(
    ("data", "words"),
    [
        ({"prior": {"totl": 1}}, "totl"),
        ({"prior": {"total": "abc"}}, "应为数字"),
        ({"extra": {}}, "未知的部分"),
        ({"counts": {"vehicles_held": 1.5}}, "整数"),
    ],
)
def test_inputs_errors_name_the_key(data: dict, words: str) -> None:
    with pytest.raises(DataError, match=words):
        inputs_from_mapping(data)
