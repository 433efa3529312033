"""Rounding, shares and rates: table-driven."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from xltools.narrative.numbers import growth, money, pct, percent, ratio
from xltools.narrative.phrases import change, numeral


@pytest.mark.parametrize(
    ("part", "whole", "expected"),
    [
        ("2211.04", "2267.91", "97.49"),
        ("306.53", "1918.74", "15.98"),
        ("1022.32", "951.03", "107.50"),
        ("1", "8", "12.50"),
        ("0", "5", "0.00"),
    ],
)
def test_percent_rounds_half_up(part: str, whole: str, expected: str) -> None:
    assert percent(D(part), D(whole)) == D(expected)


def test_percent_of_zero_is_none() -> None:
    assert percent(D("1"), D("0")) is None


@pytest.mark.parametrize(("value", "text"), [("97.49", "97.49%"), ("100.00", "100%"), ("0.00", "0%")])
def test_pct(value: str, text: str) -> None:
    assert pct(D(value)) == text


def test_money_two_decimals() -> None:
    assert money(D("1025.9")) == "1025.90万元"


def test_ratio_range_allows_yuan_rounding_but_not_a_wrong_digit() -> None:
    r = ratio(D("100.76"), D("925.14"))
    assert r is not None
    assert r.allows(D("10.89"), 2) and not r.allows(D("10.93"), 2)


def test_growth_against_zero_prior_is_undefined() -> None:
    assert growth(D("0.24"), D("0.24"), increase=True) is None
    r = growth(D("796.81"), D("12.11"), increase=False)  # 比年初预算数减少12.11万元
    assert r is not None and r.rounded(2) == D("1.50")


def test_change_clause() -> None:
    assert (
        change(D("0.24"), D("0"), "公务接待费", "接待增加")
        == "与上年相比，增加0.24万元，主要原因是：接待增加"
    )
    assert change(D("5"), D("5"), "x", None) == "与上年相比持平"
    assert "【待补充：上年x决算数】" in change(D("5"), None, "x", None)
    assert change(D("90"), D("100"), "x", "y").startswith("与上年相比，减少10.00万元，下降10%")


def test_numeral() -> None:
    assert [numeral(n) for n in (1, 10, 11, 15)] == ["一", "十", "十一", "十五"]
