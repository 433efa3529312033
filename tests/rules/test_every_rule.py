"""Every rule of the catalogue, on passing and on failing data: a clean reference report passes it,
and one targeted change to one amount makes it fail at that amount's cell."""

from __future__ import annotations

import dataclasses
from decimal import Decimal
from pathlib import Path

import pytest

from xltools.model import Report, Row
from xltools.read import read_report
from xltools.rules.catalogue import load_rules
from xltools.rules.engine import evaluate

D = Decimal
# rule → (book, table, row, col, new value or +delta, expected verdict)
BREAKS: dict[str, tuple[str, str, str, str, str, str]] = {
    "01-A1": ("001_std", "公开01", "inc_other", "amount", "+5", "error"),
    "01-A2": ("001_std", "公开01", "income_grand_total", "amount", "+5", "error"),
    "01-A3": ("001_std", "公开01", "206", "amount", "+5", "error"),
    "01-A4": ("001_std", "公开01", "expense_grand_total", "amount", "+5", "error"),
    "01-A5": ("001_std", "公开01", "expense_grand_total", "amount", "+5", "error"),
    "01-A6": ("001_std", "公开01", "closing_balance", "amount", "+5", "error"),
    "02-B1": ("001_std", "公开02", "2010301", "fiscal", "+5", "error"),
    "03-C1": ("001_std", "公开03", "2010301", "basic", "+5", "error"),
    "05-E1": ("001_std", "公开05", "2010301", "basic", "+5", "error"),
    "08-H1": ("001_std", "公开08", "total", "basic", "+5", "error"),
    "08-H2": ("001_std", "公开08", "total", "closing", "+5", "error"),
    "09-I1": ("001_std", "公开09", "total", "basic", "+5", "error"),
    "H1": ("001_std", "公开02", "total", "fiscal", "+5", "error"),
    "H2": ("001_std", "公开05", "201", "basic", "+5", "error"),
    "H3": ("001_std", "公开05", "20103", "basic", "+5", "error"),
    "04-D1": ("001_std", "公开04", "income_total", "amount", "+5", "error"),
    "04-D2": ("001_std", "公开04", "opening_general", "amount", "+5", "error"),
    "04-D3": ("001_std", "公开04", "income_grand_total", "amount", "+5", "error"),
    "04-D4": ("001_std", "公开04", "201", "general", "+5", "error"),
    "04-D5": ("001_std", "公开04", "expense_total", "total", "+5", "error"),
    "04-D6": ("001_std", "公开04", "expense_grand_total", "general", "+5", "error"),
    "04-D7": ("001_std", "公开04", "income_grand_total", "amount", "+5", "error"),
    "04-D8": ("001_std", "公开04", "closing_fiscal", "general", "+5", "error"),
    "06-G1": ("001_std", "公开06", "30101", "amount", "+5", "error"),
    "06-G2": ("001_std", "公开06", "30201", "amount", "+5", "error"),
    "06-G3": ("001_std", "公开06", "30309", "amount", "+5", "error"),
    "06-G4": ("000_std", "公开06", "30701", "amount", "5", "error"),
    "06-G5": ("001_std", "公开06", "31002", "amount", "+5", "error"),
    "06-G6": ("000_std", "公开06", "39999", "amount", "5", "error"),
    "06-G7": ("001_std", "公开06", "personnel_total", "amount", "+5", "error"),
    "06-G8": ("001_std", "公开06", "public_total", "amount", "+5", "error"),
    "07-K1": ("001_std", "公开07", "budget", "total", "+5", "error"),
    "07-K2": ("001_std", "公开07", "budget", "vehicle", "5", "error"),
    "07-K3": ("001_std", "公开07", "actual", "total", "+5", "error"),
    "07-K4": ("001_std", "公开07", "actual", "vehicle_operation", "5", "error"),
    "X1": ("001_std", "公开02", "total", "total", "+5", "error"),
    "X2": ("001_std", "公开02", "total", "fiscal", "+5", "error"),
    "X3": ("001_std", "公开02", "total", "other", "5", "error"),
    "X4": ("001_std", "公开03", "total", "total", "+5", "error"),
    "X5": ("001_std", "公开03", "206", "total", "+5", "error"),
    "X6": ("001_std", "公开04", "opening_fiscal", "amount", "100", "error"),
    "X7": ("001_std", "公开04", "closing_fiscal", "total", "100", "error"),
    "X8": ("001_std", "公开04", "inc_general", "amount", "+5", "error"),
    "X9": ("001_std", "公开04", "income_total", "amount", "+5", "error"),
    "X10": ("001_std", "公开04", "expense_total", "total", "2000", "error"),
    "X11": ("001_std", "公开05", "total", "total", "+5", "error"),
    "X12": ("001_std", "公开05", "206", "total", "+5", "error"),
    "X13": ("001_std", "公开05", "2010301", "basic", "+5", "error"),
    "X14": ("001_std", "公开06", "personnel_total", "amount", "+5", "error"),
    "X15": ("001_std", "公开07", "actual", "reception", "0.10", "error"),
    "X16": ("001_std", "公开08", "total", "income", "5", "error"),
    "X17": ("001_std", "公开09", "total", "total", "5", "error"),
    "X18": ("000_y2018", "公开04", "201", "general", "+5", "error"),
}


def _mutate(report: Report, table: str, row: str, col: str, change: str) -> str:
    amount = report.tables[table].rows[row].values[col]
    value = amount.value + D(change[1:]) if change.startswith("+") else D(change)
    report.tables[table].rows[row].values[col] = dataclasses.replace(amount, value=value, blank=False)
    return amount.cell.a1()


@pytest.fixture(scope="module")
def clean(books: dict[str, Path]) -> dict[str, dict[str, set[str]]]:
    """verdicts per rule on the clean books."""
    out: dict[str, dict[str, set[str]]] = {}
    for name in ("001_std", "000_std", "000_y2018"):
        result = evaluate(read_report(books[name]))
        for f in result.findings:
            out.setdefault(name, {}).setdefault(f.rule, set()).add(f.verdict)
    return out


def test_every_relation_rule_has_a_breaking_case() -> None:
    ids = set()
    for rule in load_rules():
        if rule.kind == "economic":
            ids |= set(rule.classes.values())
        elif rule.kind != "format":
            ids.add(rule.id)
    assert ids == set(BREAKS)


@pytest.mark.parametrize("rule", sorted(BREAKS))
def test_rule_passes_then_fails(books: dict[str, Path], clean: dict, rule: str) -> None:
    book, table, row, col, change, verdict = BREAKS[rule]
    assert clean[book].get(rule, set()) <= {"pass", "tail"}, f"{rule} does not pass on clean {book}"
    assert clean[book][rule], f"{rule} was not checked on clean {book}"
    report = read_report(books[book])
    cell = _mutate(report, table, row, col, change)
    hits = [f for f in evaluate(report).findings if f.rule == rule and f.verdict == verdict]
    assert hits, f"{rule} did not fire"
    assert any(cell in (c.a1() for c in f.cells) for f in hits)
    assert all(f.message and f.difference is not None for f in hits)


def test_soft_rule_x15_is_a_warning_when_07_exceeds_06(books: dict[str, Path]) -> None:
    report = read_report(books["001_std"])
    _mutate(report, "公开07", "actual", "reception", "0.50")
    x15 = [f for f in evaluate(report).findings if f.rule == "X15" and f.verdict != "pass"]
    assert [f.verdict for f in x15] == ["warning"]


def _format_verdicts(report: Report, rule: str) -> list[str]:
    return [f.verdict for f in evaluate(report).findings if f.rule == rule and f.verdict != "pass"]


def test_format_rules(books: dict[str, Path]) -> None:
    clean = evaluate(read_report(books["001_std"]))
    assert not [f for f in clean.findings if f.rule.startswith("F") and f.verdict not in ("pass", "n/a")]

    r = read_report(books["001_std"])
    r.tables["公开03"].unit = None
    assert _format_verdicts(r, "F1") == ["format"]

    r = read_report(books["001_std"])
    r.tables["公开02"].department = "株洲"
    (f2,) = [f for f in evaluate(r).findings if f.rule == "F2" and f.verdict == "format"]
    assert "名称不完整" in f2.message

    r = read_report(books["001_std"])
    del r.tables["公开08"]
    assert _format_verdicts(r, "F3") == ["format"]
    assert any(f.verdict == "n/a" and f.rule == "08-H1" for f in evaluate(r).findings)

    r = read_report(books["001_std"])
    del r.tables["公开05"].rows["20103"]
    r.tables["公开05"]._children = None
    assert _format_verdicts(r, "F4") == ["format", "format"]

    r = read_report(books["001_std"])
    r.tables["公开03"].rows["2010301"].label = "行政运行经费"
    assert _format_verdicts(r, "F5") == ["format"]

    r = read_report(books["001_std"])
    side, n, cell = r.tables["公开04"].lines[3]
    r.tables["公开04"].lines[3] = (side, n + 1, cell)
    assert _format_verdicts(r, "F6") == ["format", "format"]  # the gap before it and the one after

    r = read_report(books["001_std"])
    del r.tables["公开04"].rows["206"]
    assert _format_verdicts(r, "F7") == ["format"]

    r = read_report(books["001_std"])
    r.tables["公开09"].notes = []
    assert _format_verdicts(r, "F8") == ["format"]

    r = read_report(books["001_std"])
    r.tables["公开05"].rows["2999999"] = Row("2999999", "不存在的科目", code="2999999")
    assert _format_verdicts(r, "F9") == ["warning"]
