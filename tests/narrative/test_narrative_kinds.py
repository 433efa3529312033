"""The kinds of misreading issue 13 names, as self-written sentences in 2021 and 2018 texts: each
with the exact finding it must give, or the exact absence of one. A row is (section text, the
findings that are not passes as (rule, verdict, stated figure)); N0 notes are listed too."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from xltools.model import Report
from xltools.narrative import check_part_three, check_text
from xltools.narrative.parse import part_three

Flag = tuple[str, str, str]


@pytest.fixture(scope="module")
def sets(reports: dict[str, Report], books: dict[str, Path]) -> dict[str, Report]:
    """'2021': the 000 reference workbook; '2018': the same figures in the 2018 set (no 收入支出决算
    总表, 公开01 is the 财政拨款 one, no 公开09)."""
    from xltools.read import read_report

    return {"2021": reports["r000"], "2018": read_report(books["000_y2018"])}


def _flags(report: Report, text: str) -> list[Flag]:
    result = check_part_three(report, part_three(text.splitlines()))
    return [(o.rule, o.verdict, str(o.actual)) for o in result.outcomes if o.verdict != "pass"]


OVERALL = "一、收入支出决算总体情况说明\n"
EXPENSE = "三、支出决算情况说明\n"
GENERAL = "五、一般公共预算财政拨款支出决算情况说明\n"
ITEMS = (
    GENERAL
    + "（三）具体情况\n1、一般公共服务支出（类）政府办公厅（室）及相关机构事务（款）行政运行（项）。\n"
)
THREE = "七、一般公共预算财政拨款“三公”经费支出决算情况说明\n"
OTHER = "十四、其他重要事项情况说明\n"

# kind 1 — the prior-year figure the sentence names is the base, not this year's figure
PRIOR = [
    (  # change and rate both right against the stated 2020 figure
        "2021年度财政拨款收、支总计2225.27万元，与2020年的财政拨款收、支总计1918.74万元相比增加306.53万元，增长15.98%。",
        [],
    ),
    ("2021年度财政拨款收、支总计2225.27万元，比上年的1918.74万元增加306.53万元，增长15.98%。", []),
    ("2021年度财政拨款收、支总计2225.27万元，去年为1918.74万元，增加306.53万元，增长15.98%。", []),
    (  # the change is wrong: 2225.27 − 1918.74 = 306.53; the rate is right for the stated change
        "2021年度财政拨款收、支总计2225.27万元，与2020年的财政拨款收、支总计1918.74万元相比增加360.53万元，增长18.79%。",
        [("N1", "error", "360.53")],
    ),
    (  # the rate is wrong against the stated base (306.53 / 1918.74 = 15.976%)
        "2021年度财政拨款收、支总计2225.27万元，上年决算数1918.74万元，增加306.53万元，增长16.98%。",
        [("N2", "error", "16.98")],
    ),
    (  # the base in a sentence of its own, after this year's figure ('与2020年度的…相比')
        "2021年度财政拨款收、支总计2225.27万元。与2020年度的1918.74万元相比，增加306.53万元，增长15.98%。",
        [],
    ),
    (  # a prior-year figure with no change stated: not in the tables, listed, never an error
        "2021年度财政拨款收、支总计2225.27万元，上年为1918.74万元。",
        [("N0", "warning", "None")],
    ),
]


@pytest.mark.parametrize("fmt", ["2021", "2018"])
@pytest.mark.parametrize(("sentence", "expected"), PRIOR)
def test_prior_year_figure_is_the_base(
    sets: dict[str, Report], fmt: str, sentence: str, expected: list[Flag]
) -> None:
    assert _flags(sets[fmt], "四、财政拨款收入支出决算总体情况说明\n" + sentence) == expected


# kind 2 — a line the 2018 set lacks is not zero: 本年支出合计 from 公开03, 收支总计 not found (N0)
EXPENSE_2018 = [
    (
        EXPENSE
        + "2018年度支出合计2277.76万元，其中：基本支出1239.29万元，占54.41%；项目支出1038.47万元，占45.59%。",
        [],
    ),
    (EXPENSE + "2018年度本年支出合计2277.67万元。", [("N1", "error", "2277.67")]),
    (GENERAL + "2018年度一般公共预算财政拨款支出2225.24万元，占本年支出合计的97.69%。", []),
    (
        GENERAL + "2018年度一般公共预算财政拨款支出2225.24万元，占本年支出合计的97.96%。",
        [("N2", "error", "97.96")],
    ),
    (
        "二、收入决算情况说明\n2018年度收入合计2267.91万元，其中：财政拨款收入2211.04万元，占97.49%；"
        "其他收入56.87万元，占2.51%。",
        [],
    ),
    (  # '占本年收入合计的': a named whole, not a '合计占' of listed items
        "二、收入决算情况说明\n本年收入合计2267.91万元，其中：一般公共预算财政拨款收入2211.04万元，占本年收入合计的97.49%；"
        "政府性基金预算财政拨款收入0万元；其他收入56.87万元，占本年收入合计的2.51%。",
        [],
    ),
    (  # 财政拨款收入/支出 in section 四: 公开04's 本年收入/支出合计, in 2018 as in 2021
        "四、财政拨款收入支出决算总体情况说明\n2018年度财政拨款收入2211.04万元，财政拨款支出2225.24万元。",
        [],
    ),
    (
        "四、财政拨款收入支出决算总体情况说明\n2018年度财政拨款收入2211.04万元，财政拨款支出2252.24万元。",
        [("N1", "error", "2252.24")],
    ),
    (OVERALL + "2018年度收、支总计2282.14万元。", [("N0", "warning", "None")]),  # no 收入支出决算总表
    (OVERALL + "2018年度收、支总计0万元。", [("N0", "warning", "None")]),  # nor an all-clear for 0
]


@pytest.mark.parametrize(("text", "expected"), EXPENSE_2018)
def test_2018_lines_from_where_2018_prints_them(
    sets: dict[str, Report], text: str, expected: list[Flag]
) -> None:
    assert _flags(sets["2018"], text) == expected


STRUCTURE = GENERAL + "（二）结构情况\n{year}年度财政拨款支出2225.24万元，主要用于以下方面：{body}。"
CLASSES = [
    # kind 3 — a 类 the table does not print, stated at 0: valid, and 0 agrees
    (
        "一般公共服务（类）支出2201.98万元，占98.95%；国防（类）支出0万元，占0%；卫生健康（类）支出23.26万元，占1.05%",
        [],
    ),
    ("一般公共服务支出2201.98万元，占98.95%；外交支出（类）0万元，占0%；卫生健康支出23.26万元，占1.05%", []),
    (
        "一般公共服务（类）支出2201.98万元，占98.95%；国防（类）支出5.00万元，占0.22%",
        [("N1", "error", "5.00")],
    ),
    # kind 4 — the share of the sum of the items listed
    (
        "一般公共服务（类）支出2201.98万元，占98.95%；国防（类）支出0万元，外交（类）支出0万元，卫生健康（类）支出23.26万元，以上三类合计占1.05%",
        [],
    ),
    (
        "一般公共服务（类）支出2201.98万元，占98.95%；国防（类）支出0万元，外交（类）支出0万元，卫生健康（类）支出23.26万元，以上三类合计占1.5%",
        [("N2", "error", "1.5")],
    ),
    (
        "一般公共服务（类）支出2201.98万元，占98.95%；国防（类）支出0万元、卫生健康（类）支出23.26万元，合计占1.05%",
        [],
    ),
]


@pytest.mark.parametrize("fmt", ["2021", "2018"])
@pytest.mark.parametrize(("body", "expected"), CLASSES)
def test_classes_and_listed_sums(sets: dict[str, Report], fmt: str, body: str, expected: list[Flag]) -> None:
    assert _flags(sets[fmt], STRUCTURE.format(year=fmt, body=body)) == expected


# kind 5 — the sentence's own subject before the heading's 项
SUBJECTS = [
    ("年初预算为974.08万元，支出决算为959.07万元，完成年初预算的98.46%。", []),
    ("行政运行年初预算为974.08万元，支出决算为959.07万元，完成年初预算的98.46%。", []),
    ("年初预算为974.08万元，支出决算为995.07万元，完成年初预算的102.15%。", [("N1", "error", "995.07")]),
    (  # another 项, misspelt: about what it names, which is not determined — N0, not an error
        "一般行政管理事物年初预算为0万元，支出决算为15.99万元。",
        [("N0", "warning", "None"), ("N0", "warning", "None")],
    ),
    ("一般行政管理事务年初预算为0万元，支出决算为15.99万元。", [("N0", "warning", "None")]),  # 15.99 placed
    (  # a 类 named by the sentence: its own figure (23.26), its own execution rate
        "卫生健康支出年初预算为22.82万元，支出决算为23.26万元，完成年初预算的101.93%。",
        [],
    ),
    (
        "卫生健康支出年初预算为22.82万元，支出决算为32.26万元，完成年初预算的141.37%。",
        [("N1", "error", "32.26")],
    ),
]


@pytest.mark.parametrize("fmt", ["2021", "2018"])
@pytest.mark.parametrize(("sentence", "expected"), SUBJECTS)
def test_sentence_subject_first(
    sets: dict[str, Report], fmt: str, sentence: str, expected: list[Flag]
) -> None:
    assert _flags(sets[fmt], ITEMS + sentence) == expected


# kinds 6 and 7 — 占预算的 of the item's own budget; intervals decide 尾差 / N3 / N2
RATES = [
    # 306.53 / 1918.74 = 15.9757%: 15.97 is outside what ±0.005 allows and is the cut (N3)
    (
        "四、财政拨款收入支出决算总体情况说明\n2021年度财政拨款收、支总计2225.27万元，增加306.53万元，增长15.97%。",
        [("N3", "warning", "15.97")],
    ),
    # 56.87 / 2267.91 = 2.5076%, allowed 2.5073–2.5078: 2.5% (one decimal) passes, 2.50% is a cut
    ("二、收入决算情况说明\n2021年度收入合计2267.91万元，其中：其他收入56.87万元，占2.5%。", []),
    (
        "二、收入决算情况说明\n2021年度收入合计2267.91万元，其中：其他收入56.87万元，占2.50%。",
        [("N3", "warning", "2.50")],
    ),
]


@pytest.mark.parametrize(("text", "expected"), RATES)
def test_rates_with_intervals(sets: dict[str, Report], text: str, expected: list[Flag]) -> None:
    assert _flags(sets["2021"], text) == expected


# kind 8 — 一般性支出 and 政府采购 as subsections of 其他重要事项; 采购 金额 and 总额 are one whole
SUBSECTIONS = [
    (OTHER + "（一）一般性支出情况\n2021年本部门开支会议费0.16万元，开支培训费6.30万元。", []),
    (
        OTHER + "（一）一般性支出情况\n2021年本部门开支会议费0.61万元，开支培训费6.30万元。",
        [("N1", "error", "0.61")],
    ),
    (
        OTHER + "（二）政府采购支出情况\n本部门政府采购支出金额114.46万元，授予中小企业合同金额114.46万元，"
        "占政府采购支出总额的100%。",
        [],  # 114.46 is the whole of the share (金额 and 总额 are one), so it is checked
    ),
    (
        OTHER + "（二）政府采购支出情况\n本部门政府采购支出金额114.46万元，授予中小企业合同金额104.46万元，"
        "占政府采购支出总额的100%。",
        [("N2", "error", "100")],
    ),
]


@pytest.mark.parametrize(("text", "expected"), SUBSECTIONS)
def test_subsections_of_other_matters(sets: dict[str, Report], text: str, expected: list[Flag]) -> None:
    assert _flags(sets["2021"], text) == expected


# kind 6 (and 7) on text alone, where the 三公 total and the item's budget differ
OWN_BUDGET = "七、“三公”经费支出情况\n“三公”经费支出预算为12.00万元，支出决算为8.00万元，完成预算的66.67%。{}"
TEXT_RATES = [
    ("公务接待费支出预算数5万元，支出决算1.20万元，占预算的24%。", []),
    ("公务接待费支出预算数5万元，支出决算1.20万元，占预算的10%。", [("N2", "error", "10")]),  # 1.20/12
    ("公务接待费支出预算为3.00万元，支出决算为1.25万元，完成预算的41.6%。", [("N2", "tail", "41.6")]),
    ("公务接待费支出预算为3.00万元，支出决算为1.25万元，完成预算的41.7%。", []),
    ("公务接待费支出预算为3.00万元，支出决算为1.25万元，完成预算的45.7%。", [("N2", "error", "45.7")]),
]


@pytest.mark.parametrize(("sentence", "expected"), TEXT_RATES)
def test_share_of_own_budget_and_tails(sentence: str, expected: list[Flag]) -> None:
    result = check_text(OWN_BUDGET.format(sentence))
    assert [(o.rule, o.verdict, str(o.actual)) for o in result.outcomes if o.verdict != "pass"] == expected


def test_2018_round_trip_quotes_the_right_totals(books: dict[str, Path], tmp_path: Path) -> None:
    """2018 workbook → narrative → narrative-check: 本年支出合计 is 公开03's 合计 (2277.76, not 0.00),
    收入合计 is 公开02's (2267.91), no 国有资本经营 statement without 公开09, and the prose checks
    clean because each figure is placed on the cell that holds it."""
    from xltools.narrative import check_narrative, generate, write
    from xltools.narrative.inputs import Inputs
    from xltools.read import read_report

    report = read_report(books["000_y2018"])
    out = tmp_path / "y2018.txt"
    write(generate(report, Inputs(year=2018)), out, "txt")
    text = out.read_text(encoding="utf-8")
    assert "支出合计2277.76万元" in text and "收入合计2267.91万元" in text and "支出合计0.00万元" not in text
    assert "占本年支出合计的97.69%" in text
    assert "【待补充：国有资本经营预算财政拨款收入、支出情况（本套表没有公开09）】" in text
    assert "【待补充：收、支总计（本套表没有收入支出决算总表）】" in text
    result = check_narrative(report, out)
    assert result.errors == [] and result.flagged == [] and result.unplaced == []
    (total,) = [o for o in result.outcomes if o.actual == Decimal("2277.76") and o.rule == "N1"]
    assert total.verdict == "pass" and total.cells[0].sheet == "公开03"


PERFORMANCE = """2022年度乡村道路养护项目绩效自评报告
一、项目基本情况
2022年度乡村道路养护项目年初预算数120.00万元，年中追加预算30.00万元，全年预算数150.00万元，实际支出142.35万元，预算执行率94.90%。
二、资金使用情况
项目支出142.35万元，其中：人员经费12.35万元；公用经费130.00万元。
项目资金来源合计150.00万元，其中：财政拨款120.00万元，占80%；单位自筹30.00元，占20%。
三、与上年比较
2022年度项目支出142.35万元，与上年的支出125.40万元相比增加16.95万元，增长15.2%。
全年预算数150.00万元，年初预算数120.00万元，调增预算30.01万元。
"""


def test_text_alone_performance_report(tmp_path: Path) -> None:
    """A 绩效自评-style text with no tables: a tail (120.00 + 30.01 vs 150.00), a 元/万元 slip
    (30.00元 where the sum and the share close only in 万元) and a wrong rate (16.95/125.40 = 13.52%)."""
    result = check_text(PERFORMANCE)
    found = [(o.rule, o.verdict, str(o.actual)) for o in result.outcomes if o.verdict != "pass"]
    assert found == [("N5", "warning", "30.00"), ("N2", "error", "15.2"), ("N8", "tail", "150.00")]
    assert all("仅按文字自身核对" in o.message for o in result.outcomes if o.rule != "N0")
    passes = {(o.rule, str(o.actual)) for o in result.outcomes if o.verdict == "pass"}
    assert {("N8", "150.00"), ("N8", "142.35"), ("N2", "94.90"), ("N1", "16.95")} <= passes
    path = tmp_path / "绩效自评.txt"
    path.write_text(PERFORMANCE, encoding="utf-8")
    import subprocess
    import sys

    run = subprocess.run(
        [sys.executable, "-m", "xltools.cli", "narrative-check", str(path)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=False,
    )
    assert run.returncode == 1 and "仅按文字自身核对" in run.stdout and "格式 仅文字" in run.stdout


AMBIGUOUS = [
    (  # two figures named together and their sum: no single cell — N0, not an error against one
        "六、一般公共预算财政拨款基本支出决算情况说明\n2021年度人员经费和公用经费合计1239.29万元。",
        [("N0", "warning", "None")],
    ),
    (  # execution with the actual before the budget, in one sentence
        THREE + "公务接待费实际支出0.20万元，预算数0.20万元，预算执行率100%。",
        [],
    ),
    (THREE + "公务接待费实际支出0.20万元，预算数0.20万元，预算执行率90%。", [("N2", "error", "90")]),
]


@pytest.mark.parametrize(("text", "expected"), AMBIGUOUS)
def test_joint_names_and_reversed_execution(sets: dict[str, Report], text: str, expected: list[Flag]) -> None:
    assert _flags(sets["2021"], text) == expected
