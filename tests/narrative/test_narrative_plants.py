"""Every planted mistake of plants.py and every real mistake of the references is found, and no
false error is raised — on the two 2021 references and the self-written 2018-format report."""

from __future__ import annotations

from pathlib import Path

import pytest
from plants import PLANTS, REAL, measure, measure_text


def test_plants_found_and_no_false_errors(books: dict[str, Path]) -> None:
    books_dir = books["000_std"].parent
    assert measure(books_dir) == {
        "plants": len(PLANTS),
        "plants_found": len(PLANTS),
        "real": len(REAL),
        "real_found": len(REAL),
        "false_errors": 0,
    }


def test_text_alone_finds_what_the_text_reveals_and_no_false_error() -> None:
    """Without a workbook: the real mistakes (all are rates) and every plant the text itself
    contradicts (a rate, a share, a stated sum) — 22 of 32; the others are amounts that only the
    tables can refute — and no false error."""
    assert measure_text() == {
        "plants": len(PLANTS),
        "plants_found": 22,
        "real": len(REAL),
        "real_found": len(REAL),
        "false_errors": 0,
    }


def test_2018_text_checks_clean(books: dict[str, Path]) -> None:
    """The correct 2018-format text: no error, no warning, no 尾差; what is not in the 2018 set or not
    determined is listed as N0 with its reason."""
    from xltools.narrative import check_narrative
    from xltools.read import read_report

    result = check_narrative(
        read_report(books["000_y2018"]), Path(__file__).parent / "data" / "y2018_part3.txt"
    )
    assert result.flagged == []
    assert [o.message.split("：")[0] for o in result.unplaced] == [
        "2282.14万元",  # 收、支总计: no 收入支出决算总表 in the 2018 set
        "0万元",  # 年初预算 of an item with no rate
        "15.99万元",  # 'one 一般行政管理事物' under another 项's heading: not determined
        "0万元",
        "0万元",  # 节庆活动: an input
        "114.46万元",  # 政府采购 货物、工程、服务: inputs
        "0万元",
        "0万元",
    ]
    assert "本套表没有收入支出决算总表" in result.unplaced[0].message


VARIANTS = {  # correct texts in other wordings: (file, workbook)
    "v2021a_part3.txt": "000_std",
    "v2021b_part3.txt": "000_std",
    "v2018_part3.txt": "000_y2018",
}


@pytest.mark.parametrize("name", sorted(VARIANTS))
def test_other_wordings_raise_no_error(books: dict[str, Path], name: str) -> None:
    """Correct texts worded unlike the references ('占收入合计的', '占比', '与2020年度的…相比',
    '比2017年度的…增加', 收入总计/支出总计 in 2018): no error and no warning, with the workbook or
    against the text alone."""
    from xltools.narrative import check_narrative, check_text
    from xltools.read import read_report

    path = Path(__file__).parent / "data" / name
    with_tables = check_narrative(read_report(books[VARIANTS[name]]), path)
    alone = check_text(path.read_text(encoding="utf-8"))
    assert (with_tables.flagged, alone.flagged) == ([], [])


def test_performance_report_text_alone() -> None:
    """A correct 部门整体支出绩效自评 text: nothing flagged; what it cannot check is listed (N0)."""
    from xltools.narrative import check_text

    result = check_text((Path(__file__).parent / "data" / "perf_2021.txt").read_text(encoding="utf-8"))
    assert result.flagged == [] and len(result.unplaced) == 8
