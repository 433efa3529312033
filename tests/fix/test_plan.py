"""The plans for the reference workbooks in every layout and for the planted copies, exactly."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from xltools.fix import plan
from xltools.model import Cell
from xltools.read import read_report
from xltools.text import parse_amount

D = Decimal
# 000: 总计 2282.14 (01, both sides) and 2225.27 (04, 合计 and 一般公共预算) → the sums of their parts;
# 06 301 and 302 keep their totals (both are parts of 人员/公用经费合计 and so of 05): the largest item
# of each takes the cent.
STD_000 = [
    ("公开01", 19, 3, "2282.14", "2282.13", "01-A2"),
    ("公开01", 19, 6, "2282.14", "2282.13", "01-A4"),
    ("公开04", 21, 3, "2225.27", "2225.26", "04-D3"),
    ("公开04", 21, 6, "2225.27", "2225.26", "04-D6"),
    ("公开04", 21, 7, "2225.27", "2225.26", "04-D6"),
    ("公开06", 9, 3, "243.38", "243.37", "06-G1"),
    ("公开06", 11, 6, "164.85", "164.86", "06-G2"),
]
STD_001 = [("公开06", 6, 3, "38.17", "38.18", "06-G1"), ("公开06", 26, 6, "413.44", "413.43", "06-G2")]


def _tails(path: Path) -> list[tuple[str, int, int, str, str, str]]:
    p = plan(read_report(path))
    assert not p.reviews and not p.unresolved
    return [
        (c.cell.sheet, c.cell.row, c.cell.col, str(parse_amount(c.old).value), f"{c.new:f}", c.rule)
        for c in p.changes
        if c.kind == "tail"
    ]


def _norm(rows: list[tuple[str, int, int, str, str, str]]) -> list[tuple[int, int, str, str, str]]:
    """Without the sheet name (layouts name sheets differently) and with old values as numbers."""
    return sorted((r, c, str(D(o).normalize()), n, rule) for _s, r, c, o, n, rule in rows)


def test_000_std_exact_plan(books: dict[str, Path]) -> None:
    got = _tails(books["000_std"])
    assert [(s, r, c, str(D(o).quantize(D("0.01"))), n, rule) for s, r, c, o, n, rule in got] == STD_000


def test_001_std_exact_plan(books: dict[str, Path]) -> None:
    got = _tails(books["001_std"])
    assert [(s, r, c, str(D(o).quantize(D("0.01"))), n, rule) for s, r, c, o, n, rule in got] == STD_001


@pytest.mark.parametrize("name", ["000_v04nosoe", "000_v7income"])
def test_variants_resolve_the_same_tails(books: dict[str, Path], name: str) -> None:
    got = {(n, rule) for *_x, n, rule in _tails(books[name])}
    assert got == {(n, rule) for *_x, n, rule in STD_000}


def test_2018_keeps_01_equal_to_04(books: dict[str, Path]) -> None:
    got = _tails(books["000_y2018"])
    assert sorted((s, r, c, n) for s, r, c, _o, n, _rule in got) == [
        ("公开01", 32, 3, "2225.26"),
        ("公开01", 32, 6, "2225.26"),
        ("公开01", 32, 7, "2225.26"),
        ("公开04", 32, 3, "2225.26"),
        ("公开04", 32, 6, "2225.26"),
        ("公开04", 32, 7, "2225.26"),
        ("公开06", 9, 3, "243.37"),
        ("公开06", 11, 6, "164.86"),
    ]


def test_titles_converts_every_text_number_without_changing_a_value(books: dict[str, Path]) -> None:
    report = read_report(books["000_titles"])
    p = plan(report)
    texts = {c.cell: c for c in p.changes if c.kind == "text"}
    expected = {a.cell for _t, _r, _c, a in report.amounts() if a.text is not None and not a.blank}
    assert set(texts) == expected and len(texts) == 115
    for _t, _r, _c, a in report.amounts():
        if a.cell in texts:
            assert texts[a.cell].new == a.value and texts[a.cell].old == a.text
    assert len([c for c in p.changes if c.kind == "tail"]) == 7


@pytest.mark.parametrize("name", ["000_export", "001_export", "000_stacked", "001_stacked", "001_titles"])
def test_other_layouts(books: dict[str, Path], name: str) -> None:
    p = plan(read_report(books[name]))
    assert not p.reviews and not p.unresolved and not [c for c in p.changes if c.kind in ("typo", "blank")]
    tails = sorted(f"{c.new:f}" for c in p.changes if c.kind == "tail")
    if name.startswith("001"):
        assert tails == ["38.18", "413.43"]
    elif name == "000_export":  # formula totals: only 06 has tails
        assert tails == ["164.86", "243.37"]
    else:
        assert tails == sorted(n for *_x, _o, n, _r in STD_000)


def test_yuan_tails_are_errors_left_for_review(books: dict[str, Path]) -> None:
    p = plan(read_report(books["000_yuan"]))
    assert not p.changes
    assert sorted(r.rule for r in p.reviews) == [
        "01-A2",
        "01-A4",
        "04-D3",
        "04-D6",
        "04-D6",
        "06-G1",
        "06-G2",
    ]
    g1 = next(r for r in p.reviews if r.rule == "06-G1")
    assert Cell("公开06", 5, 3) not in g1.suspects and len(g1.suspects) == 13  # 301 agrees with 人员经费合计


TYPOS = {
    "digit_swap": ("公开05", 10, 3, "959.70", "959.07", "05-E1"),
    "a1_income_line": ("公开01", 7, 3, "1032.32", "1022.32", "01-A1"),
    "a2_grand_total": ("公开01", 19, 3, "2292.14", "2282.14", "01-A2"),
    "b1_row_sum": ("公开02", 9, 3, "25.99", "15.99", "02-B1"),
    "d8_fund_balance": ("公开04", 17, 7, "10.02", "0.02", "04-D4"),
    "x11_05_vs_04": ("公开05", 7, 3, "2235.24", "2225.24", "05-E1"),
    "x13_03_lt_05": ("公开03", 8, 4, "950.07", "959.07", "03-C1"),
    "x15_reception": ("公开06", 21, 6, "0.30", "0.20", "X15"),
    "x17_soe": ("公开09", 7, 3, "5.00", "0.00", "09-I1"),
}


@pytest.mark.parametrize("name", sorted(TYPOS))
def test_planted_slips_are_typos(planted: dict[str, Path], name: str) -> None:
    p = plan(read_report(planted[name]))
    typos = [c for c in p.changes if c.kind == "typo"]
    assert [
        (c.cell.sheet, c.cell.row, c.cell.col, f"{D(str(c.old)):.2f}", f"{c.new:f}", c.rule) for c in typos
    ] == [TYPOS[name]]
    assert not p.reviews  # explained by the slip: nothing else to review


def test_genuine_errors_are_localised(planted: dict[str, Path]) -> None:
    g2 = plan(read_report(planted["g2_item_off"]))
    (review,) = g2.reviews
    assert (
        review.rule == "06-G2" and Cell("公开06", 5, 6) not in review.suspects and len(review.suspects) == 24
    )
    assert not [c for c in g2.changes if c.cell.sheet == "公开06" and c.cell.col == 6]
    kuan = plan(read_report(planted["h_kuan_off"]))
    assert {r.suspects for r in kuan.reviews} == {(Cell("公开05", 9, 3),)}
    k1 = plan(read_report(planted["k1_budget_total"]))
    (review,) = k1.reviews  # three single slips explain it equally: no typo, three suspects
    assert review.suspects == (Cell("公开07", 8, 1), Cell("公开07", 8, 2), Cell("公开07", 8, 6))
    assert not [c for c in k1.changes if c.kind == "typo"]


def test_tail_plants(planted: dict[str, Path]) -> None:
    basic = plan(read_report(planted["tail_05_basic"]))
    assert [(c.cell, f"{c.new:f}") for c in basic.changes if c.cell.sheet == "公开05"] == [
        (Cell("公开05", 7, 4), "1239.29")
    ]
    p301 = plan(read_report(planted["tail_06_301_001"]))
    assert [(c.cell, f"{c.new:f}") for c in p301.changes] == [
        (Cell("公开06", 5, 3), "126.27"),
        (Cell("公开06", 6, 3), "38.18"),
        (Cell("公开06", 26, 6), "413.43"),
    ]
