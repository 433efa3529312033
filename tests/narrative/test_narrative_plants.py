"""Every planted mistake of plants.py and every real mistake of the references is found, and no
false error is raised — on the two 2021 references and the self-written 2018-format report."""

from __future__ import annotations

from pathlib import Path

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
