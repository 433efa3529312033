"""The worksheet functions as plain functions: inputs as Excel passes them → exact outputs."""

from __future__ import annotations

import pytest

from xltools.excel import udfs


@pytest.mark.parametrize(
    ("total", "parts", "tolerance", "expected"),
    [
        (10, [4, 6], None, "通过"),
        (10.0, [[4.0], [6.0]], None, "通过"),  # a column range arrives as rows
        (2282.14, [2267.91, 14.22], None, "尾差 0.01"),  # reference report 000, 公开01
        (659.53, [100.01, 200.01, 359.52], None, "尾差 -0.01"),
        (100, [50, 59.02], None, "差额 -9.02"),
        (0.02, [0.01], None, "尾差 0.01"),  # 0.005 × 2 = 0.01: a difference of 0.01 is a tail …
        (0.03, [0.01], None, "差额 0.02"),  # … 0.02 is not
        (10.03, [10], None, "差额 0.03"),
        (10, [4, None, "-", "", 6], None, "通过"),  # blanks and '-' are not addends
        ("1, 022. 32", ["1,000.00", "22.32"], None, "通过"),  # OCR'd text numbers
        ("１０", ["４", "６"], None, "通过"),  # full-width digits
        (10, [4, 5.98], 0.05, "尾差 0.02"),
        (10, [4, 5.99], 0, "差额 0.01"),
        (10, [4, "合计"], None, "无法识别：合计"),
        (None, [None], None, "通过"),
    ],
)
def test_check_total(total: object, parts: object, tolerance: object, expected: str) -> None:
    assert udfs.CHECK_TOTAL(total, parts, tolerance) == expected


def test_tail_bound_grows_with_addends() -> None:
    # 3 addends + total: 0.005 × 4 = 0.02
    assert udfs.CHECK_TOTAL(1.02, [0.33, 0.33, 0.34]) == "尾差 0.02"
    assert udfs.CHECK_TOTAL(1.03, [0.33, 0.33, 0.34]) == "差额 0.03"
    assert udfs.CHECK_TOTAL(0.02, [0.011]) == "尾差 0.009"


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        (2225.27, 2225.26, "尾差 0.01"),  # reference report 000, 公开04
        (2225.27, "2,225.27", "通过"),
        (5, 7, "差额 -2.00"),
        ([1, 2], [3], "通过"),
    ],
)
def test_check_equal(a: object, b: object, expected: str) -> None:
    assert udfs.CHECK_EQUAL(a, b) == expected


CODES = [[201.0], ["20101"], [2010101], [2010102], ["2010350"], [205], [20502], [2050201], [None]]
AMOUNTS = [[100.0], [60], [20], [40], [40], [30], [30], [30.01], [None]]


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        (201, "通过"),  # 20101 + 2010350 (its 款 20103 is not printed: the 项 counts)
        ("20101", "通过"),
        (205, "通过"),
        (20502, "尾差 -0.01"),
        (2010101, "无下级"),
        (206, "无此科目：206"),
        ("abc", "科目编码无法识别：abc"),
    ],
)
def test_check_rollup(code: object, expected: str) -> None:
    assert udfs.CHECK_ROLLUP(CODES, AMOUNTS, code) == expected


def test_check_rollup_error() -> None:
    assert udfs.CHECK_ROLLUP([201, 20101, 20102], [100, 60, 49.02], 201) == "差额 -9.02"
    assert udfs.CHECK_ROLLUP([201, 20101], [100], 201) == "编码与金额区域行数不同"


@pytest.mark.parametrize(
    ("yuan", "expected"),
    [
        (12345678, 1234.57),
        (12345, 1.23),
        (125, 0.01),  # 0.0125 → 0.01
        (150, 0.02),  # 0.015 half up (a float would round to 0.01 or 0.02 by accident)
        ("1,234,500.00", 123.45),
        (-150, -0.02),
        (None, ""),
        ("-", ""),
    ],
)
def test_wanyuan(yuan: object, expected: object) -> None:
    assert udfs.WANYUAN(yuan) == expected


@pytest.mark.parametrize(
    ("part", "whole", "digits", "expected"),
    [
        (1, 8, None, "12.50%"),
        (1, 3, 1, "33.3%"),
        (2, 3, None, "66.67%"),
        (0.125, 1, 1, "12.5%"),
        (0.1235, 1, 2, "12.35%"),  # half up, in decimal
        (5, 0, None, "—"),
        (5, None, None, "—"),
        (0, 100, 0, "0%"),
    ],
)
def test_pct(part: object, whole: object, digits: object, expected: str) -> None:
    assert udfs.PCT(part, whole, digits) == expected


def test_check_rule_without_a_workbook() -> None:
    udfs._formulas_book = None
    assert udfs.CHECK_RULE("05-E1") == "无工作簿"


def test_docstrings_are_chinese() -> None:
    for name, fn in udfs.UDFS.items():
        assert fn.__doc__ and any("\u4e00" <= ch <= "\u9fff" for ch in fn.__doc__), name
