"""The part three of both reference reports checked against their tables: the mistakes
narrative.md describes are found, and nothing else is called an error."""

from __future__ import annotations

from pathlib import Path

import pytest

from xltools.model import Report
from xltools.narrative import NarrativeCheck, check_narrative, check_part_three, load_inputs
from xltools.narrative.parse import part_three

DATA = Path(__file__).parent / "data"

# (rule, verdict, the stated figure) — the findings that are not passes or N0 notes
EXPECTED = {
    "r000": {("N3", "warning", "15.97%")},
    "r001": {
        ("N2", "error", "10.93%"),  # 收支总计 sentence: 100.76 / 925.14 = 10.89%
        ("N2", "tail", "107.49%"),  # 1022.32/951.03 = 107.496%, but ±0.005万元 allows 107.49499%: 尾差
        ("N6", "warning", "100%"),  # 公务接待费 增加0.24万元，100% on a prior year of 0
        ("N3", "warning", "1.49%"),  # 机关运行经费 比年初预算数减少12.11万元 → 1.497%
    },
}
ERRORS = {"r000": set(), "r001": {"一、收入支出决算总体情况说明"}}
COUNTS = {  # claims found, placed (on a cell or by arithmetic), flagged, not placed (N0)
    "r000": {"found": 120, "placed": 106, "flagged": 1, "errors": 0, "unplaced": 14},
    "r001": {"found": 148, "placed": 139, "flagged": 4, "errors": 1, "unplaced": 9},
}


def _flagged(result: NarrativeCheck) -> set[tuple[str, str, str]]:
    return {(o.rule, o.verdict, o.message.split(" ", 1)[0].split("：", 1)[0]) for o in result.flagged}


def _run(name: str, report: Report) -> NarrativeCheck:
    return check_narrative(report, DATA / f"{name}_part3.txt")


@pytest.mark.parametrize("name", ["r000", "r001"])
def test_reference_findings(name: str, reports: dict[str, Report]) -> None:
    result = _run(name, reports[name])
    assert _flagged(result) == EXPECTED[name]
    assert {o.location.split(" ")[1] for o in result.errors} == ERRORS[name]


@pytest.mark.parametrize("name", ["r000", "r001"])
def test_reference_shares_add_to_100(name: str, reports: dict[str, Report]) -> None:
    """N7: each complete breakdown (收入, 支出, 类 structure, 人员/公用经费, “三公” shares) adds up."""
    result = _run(name, reports[name])
    sums = [o for o in result.outcomes if o.rule == "N7"]
    assert [o.location.split(" ")[1][:2] for o in sums] == ["二、", "三、", "五、", "六、", "七、"]
    assert all(o.verdict == "pass" and o.actual == 100 for o in sums)


def test_planted_share_breaks_the_sum(reports: dict[str, Report]) -> None:
    """000's 收入 sentence with 2.61% for 2.51%: the share is wrong (N2) and the six shares of 本年收入合计
    now add to 100.10% (N7); nothing else changes."""
    text = (DATA / "r000_part3.txt").read_text(encoding="utf-8").replace("占2.51%", "占2.61%")
    result = check_part_three(reports["r000"], part_three(text.splitlines()))
    added = sorted((o.rule, o.verdict, o.message) for o in result.flagged if o.rule != "N3")
    assert [(rule, verdict) for rule, verdict, _ in added] == [("N2", "error"), ("N7", "warning")]
    assert added[1][2].startswith("所列占比97.49%+0%+0%+0%+0%+2.61%合计100.10%，应为100%")
    assert result.counts() == {"found": 120, "placed": 106, "flagged": 3, "errors": 1, "unplaced": 14}


def test_the_wrong_rate_names_the_right_one(reports: dict[str, Report]) -> None:
    result = _run("r001", reports["r001"])
    (error,) = result.errors
    assert error.expected is not None and str(error.expected) == "10.89"
    assert "100.76万元/(1025.9万元−100.76万元)" in error.message


def test_headings_are_placed_on_their_items(reports: dict[str, Report]) -> None:
    result = _run("r001", reports["r001"])
    headings = [o for o in result.outcomes if o.rule == "N4"]
    assert [o.verdict for o in headings] == ["pass"] * 4
    assert [o.cells[0].row for o in headings] == sorted(o.cells[0].row for o in headings)


@pytest.mark.parametrize("name", ["r000", "r001"])
def test_claim_counts(name: str, reports: dict[str, Report]) -> None:
    """The numbers the lead quotes: claims found, placed (on a cell or by arithmetic), flagged."""
    result = _run(name, reports[name])
    c = result.counts()
    assert c == COUNTS[name]
    assert c["found"] == c["placed"] + c["unplaced"]
    assert c["placed"] >= 0.85 * c["found"]
    assert {o.rule for o in result.unplaced} == {"N0"}


def test_reference_with_its_inputs(reports: dict[str, Report]) -> None:
    """With the inputs file, the changes against the prior year, the 年初预算 of each 项, 政府采购
    and 节庆活动 are placed too; what is left is the 绩效 paragraph (amounts neither the tables nor
    the inputs hold) and a share of 货物支出 whose numerator the sentence does not state."""
    result = check_narrative(reports["r000"], DATA / "r000_part3.txt", load_inputs(DATA / "r000_inputs.toml"))
    assert result.counts() == {"found": 120, "placed": 112, "flagged": 1, "errors": 0, "unplaced": 8}
    assert _flagged(result) == EXPECTED["r000"]
    assert {o.location.split(" ")[1] for o in result.unplaced} == {
        "十一、政府采购支出说明",
        "十三、2021年度预算绩效情况说明",
    }
    (general,) = [o for o in result.outcomes if o.message.startswith("314.85万元")]
    assert general.verdict == "pass" and "上年一般公共预算财政拨款支出决算数" in general.message
