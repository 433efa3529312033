"""Planted mistakes in the three texts of tests/narrative/data (the two 2021 reference reports and a
self-written 2018-format report), and the real mistakes of the references: what `narrative-check`
must find, and nothing else it may call an error. Run as a script to measure any checkout:

    cd CHECKOUT && PYTHONPATH=$PWD python3 /work/wt/i13/tests/narrative/plants.py BOOKS_DIR
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

DATA = Path(__file__).parent / "data"
TEXTS = {
    "r000": ("r000_part3.txt", "000_std"),
    "r001": ("r001_part3.txt", "001_std"),
    "y2018": ("y2018_part3.txt", "000_y2018"),
}


@dataclass(frozen=True)
class Plant:
    text: str  # key of TEXTS
    old: str  # the passage as written (unique in the text)
    new: str  # with the mistake
    figure: str  # the stated figure a finding must be on ('2277.67')


PLANTS = (
    # 2018 text: lines the 2018 set prints elsewhere, 类 not printed, prior-year bases, subsections
    Plant("y2018", "本年支出合计2277.76万元", "本年支出合计2277.67万元", "2277.67"),
    Plant("y2018", "本年收入合计2267.91万元", "本年收入合计2276.91万元", "2276.91"),
    Plant("y2018", "其他收入56.87万元，占2.51%", "其他收入56.87万元，占2.61%", "2.61"),
    Plant("y2018", "占本年支出合计的97.69%", "占本年支出合计的97.96%", "97.96"),
    Plant("y2018", "国防（类）支出0万元", "国防（类）支出3.00万元", "3.00"),
    Plant("y2018", "以上三类合计占0%", "以上三类合计占0.5%", "0.5"),
    Plant("y2018", "医疗卫生与计划生育（类）支出23.26万元", "医疗卫生与计划生育（类）支出32.26万元", "32.26"),
    Plant("y2018", "支出决算为959.07万元", "支出决算为995.07万元", "995.07"),
    Plant(
        "y2018",
        "卫生健康支出年初预算为22.82万元，支出决算为23.26万元",
        "卫生健康支出年初预算为22.82万元，支出决算为23.62万元",
        "23.62",
    ),
    Plant("y2018", "完成年初预算的125.08%", "完成年初预算的152.08%", "152.08"),
    Plant("y2018", "人员经费659.53万元", "人员经费695.53万元", "695.53"),
    Plant("y2018", "支出决算0.20万元，占预算的100%", "支出决算0.20万元，占预算的80%", "80"),
    Plant("y2018", "比上年的0.10万元增加0.10万元", "比上年的0.10万元增加0.01万元", "0.01"),
    Plant("y2018", "增加344.68万元，增长146.62%", "增加344.68万元，增长164.62%", "164.62"),
    Plant("y2018", "比上年的235.08万元增加344.68万元", "比上年的235.08万元增加334.68万元", "334.68"),
    Plant("y2018", "开支会议费0.16万元", "开支会议费0.61万元", "0.61"),
    Plant("y2018", "开支培训费6.30万元", "开支培训费6.30元", "6.30"),
    Plant("y2018", "占政府采购支出总额的100%", "占政府采购支出总额的10%", "10"),
    Plant("y2018", "增加306.53万元，增长15.98%", "增加306.53万元，增长15.97%", "15.97"),
    # 2021 references
    Plant("r000", "收入合计2267.91万元", "收入合计2276.91万元", "2276.91"),
    Plant("r000", "占本年支出合计的97.69%", "占本年支出合计的97.96%", "97.96"),
    Plant("r000", "卫生健康支出(类)23.26万元", "卫生健康支出(类)32.26万元", "32.26"),
    Plant(
        "r000", "公用经费579.76万元，占基本支出的46.78%", "公用经费579.76万元，占基本支出的47.78%", "47.78"
    ),
    Plant("r000", "开支会议费0.16万元", "开支会议费0.61万元", "0.61"),
    Plant("r000", "增加314.85万元，增长16.48%", "增加314.85万元，增长16.84%", "16.84"),
    Plant("r000", "机关运行经费支出579.76万元", "机关运行经费支出597.76万元", "597.76"),
    Plant(
        "r000",
        "支出决算为1102.23万元，完成年初预算的125.08%",
        "支出决算为1102.23万元，完成年初预算的152.08%",
        "152.08",
    ),
    Plant("r001", "收入合计1022.32万元", "收入合计1022.23万元", "1022.23"),
    Plant("r001", "基本支出975.80万元，占95.42%", "基本支出975.80万元，占95.24%", "95.24"),
    Plant("r001", "科学技术支出46.84万元", "科学技术支出48.64万元", "48.64"),
    Plant("r001", "完成年初预算的224.22%", "完成年初预算的242.22%", "242.22"),
    Plant(
        "r001",
        "公务接待费支出预算为0.3万元，支出决算为0.24万元，完成预算的80.0%",
        "公务接待费支出预算为0.3万元，支出决算为0.24万元，完成预算的85.0%",
        "85.0",
    ),
)

# the real mistakes of the references (narrative.md) as (text, stated figure)
REAL = {("r000", "15.97"), ("r001", "10.93"), ("r001", "107.49"), ("r001", "100"), ("r001", "1.49")}


def _flagged(outcomes: list, figure: str) -> bool:
    return any(
        o.verdict not in ("pass", "n/a") and o.rule != "N0" and str(o.actual) == figure for o in outcomes
    )


def measure(books: Path) -> dict[str, int]:
    """Found plants, found real mistakes, and false errors (errors on clean texts; errors in a
    planted text that are not on the planted figure or its N7 sum)."""
    from xltools.narrative import check_part_three
    from xltools.narrative.parse import part_three
    from xltools.read import read_report

    reports = {k: read_report(books / f"{book}.xlsx") for k, (_, book) in TEXTS.items()}
    texts = {k: (DATA / name).read_text(encoding="utf-8") for k, (name, _) in TEXTS.items()}
    out = {"plants": len(PLANTS), "plants_found": 0, "real": len(REAL), "real_found": 0, "false_errors": 0}
    clean_errors = {}
    for key, text in texts.items():
        result = check_part_three(reports[key], part_three(text.splitlines()))
        errors = [o for o in result.outcomes if o.verdict == "error"]
        real = {fig for k, fig in REAL if k == key}
        out["real_found"] += sum(1 for fig in real if _flagged(result.outcomes, fig))
        out["false_errors"] += sum(1 for o in errors if str(o.actual) not in real)
        clean_errors[key] = {(o.rule, str(o.actual)) for o in errors}
    for p in PLANTS:
        text = texts[p.text]
        assert text.count(p.old) == 1, p.old
        result = check_part_three(reports[p.text], part_three(text.replace(p.old, p.new).splitlines()))
        out["plants_found"] += _flagged(result.outcomes, p.figure)
        extra = [
            o
            for o in result.outcomes
            if o.verdict == "error" and str(o.actual) != p.figure and o.rule != "N7"
            and (o.rule, str(o.actual)) not in clean_errors[p.text]
        ]  # fmt: skip
        out["false_errors"] += len(extra)
    return out


def _said(outcomes: list, figure: str) -> list:
    """The findings that quote the planted figure: on text alone the text cannot say which of two
    figures that disagree is wrong, so the finding may sit on the other one."""
    marks = (f"{figure}万元", f"{figure}%", f"{figure}元")
    return [
        o
        for o in outcomes
        if o.verdict not in ("pass", "n/a") and o.rule != "N0" and any(m in o.message for m in marks)
    ]


def measure_text() -> dict[str, int]:
    """The same texts and plants checked against the text alone (no workbook): plants a text can
    reveal by itself (a rate, a share, a stated sum), real mistakes, false errors."""
    from xltools.narrative import check_text

    texts = {k: (DATA / name).read_text(encoding="utf-8") for k, (name, _) in TEXTS.items()}
    out = {"plants": len(PLANTS), "plants_found": 0, "real": len(REAL), "real_found": 0, "false_errors": 0}
    for key, text in texts.items():
        result = check_text(text)
        real = {fig for k, fig in REAL if k == key}
        out["real_found"] += sum(1 for fig in real if _flagged(result.outcomes, fig))
        out["false_errors"] += sum(
            1 for o in result.outcomes if o.verdict == "error" and str(o.actual) not in real
        )
    for p in PLANTS:
        result = check_text(texts[p.text].replace(p.old, p.new))
        said = _said(result.outcomes, p.figure)
        out["plants_found"] += bool(said)
        real = {fig for k, fig in REAL if k == p.text}
        extra = [
            o for o in result.outcomes if o.verdict == "error" and str(o.actual) not in real and o not in said
        ]
        out["false_errors"] += sum(1 for o in extra if o.rule != "N7")
    return out


if __name__ == "__main__":
    print("with the workbook:", measure(Path(sys.argv[1])))
    try:
        print("text alone:", measure_text())
    except ImportError:  # a checkout from before narrative-check could read text alone
        print("text alone: (not available in this checkout)")
