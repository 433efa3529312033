"""Planted mistakes, one rule each, and reading whole reports and .docx files."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from shared import REFERENCE

from xltools.model import Report
from xltools.narrative import check_narrative, check_part_three
from xltools.narrative.parse import UnreadableDocument, part_three


@pytest.fixture(scope="module")
def r000(reports: dict[str, Report]) -> Report:
    return reports["r000"]


def _flags(report: Report, text: str) -> list[tuple[str, str]]:
    result = check_part_three(report, part_three(text.splitlines()))
    return [(o.rule, o.verdict) for o in result.outcomes if o.verdict != "pass"]


SECTION2 = (
    "二、收入决算情况说明\n"
    "2021年度收入合计{total}，其中：财政拨款收入2211.04万元，占97.49%；其他收入56.87万元，占{share}。"
)


@pytest.mark.parametrize(
    ("total", "share", "expected"),
    [
        ("2267.91万元", "2.51%", []),
        ("2282.14万元", "2.51%", [("N1", "error")]),  # 总计 where 收入合计 is meant
        ("2267.91万元", "2.50%", [("N3", "warning")]),  # cut: 2.5076…
        ("2267.91万元", "2.52%", [("N2", "warning")]),  # off by one in the last digit
        ("2267.91万元", "3.51%", [("N2", "error"), ("N7", "warning")]),  # and 97.49% + 3.51% = 101%
        ("2267.91万元", "2.61%", [("N2", "error"), ("N7", "warning")]),
        ("2267.91元", "2.51%", [("N5", "warning")]),
    ],
)
def test_planted(r000: Report, total: str, share: str, expected: list[tuple[str, str]]) -> None:
    assert _flags(r000, SECTION2.format(total=total, share=share)) == expected


def test_wrong_cell_is_named(r000: Report) -> None:
    result = check_part_three(
        r000, part_three(SECTION2.format(total="2282.14万元", share="2.51%").splitlines())
    )
    (error,) = result.errors
    assert "'公开01'!C" in error.message and "疑取错了单元格" in error.message


def test_shares_of_one_whole_add_to_100(r000: Report) -> None:
    """N7: the shares listed for one whole sum to 100.10%, beyond the ±0.01% their rounding allows."""
    result = check_part_three(
        r000, part_three(SECTION2.format(total="2267.91万元", share="2.61%").splitlines())
    )
    (n7,) = [o for o in result.outcomes if o.rule == "N7"]
    assert (n7.severity, n7.verdict, n7.expected, n7.actual) == ("warning", "warning", 100, Decimal("100.10"))
    assert n7.message.startswith(
        "所列占比97.49%+2.61%合计100.10%，应为100%（2个占比四舍五入的尾差至多±0.01%）"
    )
    assert "财政拨款收入2211.04万元,占97.49%…其他收入56.87万元,占2.61%" in n7.message
    assert n7.location == "第三部分 二、收入决算情况说明 第2段"
    assert [c.a1() for c in n7.cells] == ["'公开01'!C16"]


@pytest.mark.parametrize(
    "text",
    [
        # partial lists: the parts stated do not make up the whole
        "三、支出决算情况说明\n2021年度支出合计2277.76万元，其中：基本支出1239.29万元，占54.41%；上缴上级支出0万元，占0%。",
        "六、一般公共预算财政拨款基本支出决算情况说明\n基本支出1239.29万元，其中：人员经费659.53万元，占基本支出的53.22%。",
        # shares of different wholes in one paragraph
        "十二、政府采购支出说明\n本部门政府采购支出总额114.46万元。授予中小企业合同金额114.46万元，"
        "占政府采购支出总额的100%，其中：授予小微企业合同金额0万元，占授予中小企业合同金额的0%。",
    ],
)
def test_partial_lists_are_not_summed(r000: Report, text: str) -> None:
    result = check_part_three(r000, part_three(text.splitlines()))
    assert [o for o in result.outcomes if o.rule == "N7"] == []


@pytest.mark.parametrize(
    ("heading", "verdict"),
    [
        ("1、一般公共服务支出（类）政府办公厅(室)及相关机构事务（款）行政运行（项）。", "pass"),
        ("1、一般公共服务支出（类）人大事务（款）行政运行（项）。", "error"),  # wrong 款
        (
            "1、一般公共服务支出（类）政府办公厅（室）及相关机构事务（款）机关服务（项）。",
            "error",
        ),  # no such 项
    ],
)
def test_headings(r000: Report, heading: str, verdict: str) -> None:
    text = (
        f"五、一般公共预算财政拨款支出决算情况说明\n（三）具体情况\n{heading}\n"
        "年初预算为974.08万元，支出决算为959.07万元。"
    )
    result = check_part_three(r000, part_three(text.splitlines()))
    (h,) = [o for o in result.outcomes if o.rule == "N4"]
    assert h.verdict == verdict


def test_class_the_table_does_not_print_is_zero(r000: Report) -> None:
    """教育支出 is a 类 of the catalogue that 公开05 does not list: it spent nothing, so 23.26 is
    wrong (N1) and 0 is right; a name no catalogue knows is a heading error (N4)."""
    text = "五、一般公共预算财政拨款支出决算情况说明\n2021年度财政拨款支出2225.24万元，主要用于以下方面：{}。"
    assert _flags(r000, text.format("教育支出（类）23.26万元")) == [("N1", "error")]
    assert _flags(r000, text.format("教育支出（类）0万元")) == []
    assert _flags(r000, text.format("教书育人支出（类）23.26万元")) == [("N4", "error")]


def test_percentage_on_zero_budget(r000: Report) -> None:
    text = (
        "十、机关运行经费支出说明\n本部门机关运行经费支出579.76万元，比上年决算数增加579.76万元，增长100%。"
    )
    assert _flags(r000, text) == [("N6", "warning")]


def test_unplaced_numbers_are_listed(r000: Report) -> None:
    text = "十二、政府采购支出说明\n本部门政府采购支出总额114.46万元。"
    assert _flags(r000, text) == [("N0", "warning")]


@pytest.mark.skipif(not REFERENCE.exists(), reason="reference reports not present")
@pytest.mark.parametrize("name", ["000", "001"])
def test_whole_report_finds_part_three(reports: dict[str, Report], name: str) -> None:
    """The table of contents also says 第三部分: the part with the prose is chosen."""
    whole = next(REFERENCE.glob(f"{name}_*.txt"))
    from_whole = check_narrative(reports[f"r{name}"], whole)
    alone = check_narrative(reports[f"r{name}"], Path(__file__).parent / "data" / f"r{name}_part3.txt")
    assert from_whole.counts() == alone.counts()


def test_unreadable(r000: Report, tmp_path: Path) -> None:
    bad = tmp_path / "x.docx"
    bad.write_bytes(b"not a zip")
    with pytest.raises(UnreadableDocument):
        check_narrative(r000, bad)
    empty = tmp_path / "empty.txt"
    empty.write_text("没有数字", encoding="utf-8")
    with pytest.raises(UnreadableDocument):
        check_narrative(r000, empty)
