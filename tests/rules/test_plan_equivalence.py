"""Property: the compiled plan judges exactly as the per-check Decimal evaluator it replaced.

The reference below is that evaluator as it stood (commit 35b1ac7, xltools/rules/evaluate.py): each
check's sides summed in Decimal from its operands, the verdict and message from those sums. Generated
cases start from every fixture book (all layouts, 万元 and 元, 2018 and 2021 formats) and change
amounts in memory: random cells by a cent or by much; one operand of a check set so that the check's
difference lands exactly on its tail bound or one cent beyond it, on either side; a row or an amount
removed (a layout the plan cache has not seen). Verdicts, amounts (value and printed form),
differences, locations and messages must be identical for every check.
"""

from __future__ import annotations

import random
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest

from xltools.model import CENT, Amount, Report
from xltools.read import read_report
from xltools.rules.evaluate import tolerance
from xltools.rules.expand import Check, Operand
from xltools.rules.findings import relation_findings
from xltools.rules.kinds import expand
from xltools.rules.plan import plan_for
from xltools.rules.results import Finding

CASES = 1000


def _reference(check: Check) -> tuple[str, str, str, str, str, tuple[str, ...]]:
    """What the replaced evaluator gave for `check`: verdict, actual, expected, difference, message, cells."""
    actual = _side(check.left)
    expected = _side(check.right)
    difference = actual - expected
    tol = tolerance(check)
    holds = difference == 0 if check.relation == "=" else difference >= 0
    if holds:
        v = "pass"
    elif abs(difference) <= tol:
        v = "tail"
    elif check.hard == ">=" and difference > 0:
        v = "warning"
    else:
        v = "error" if check.rule.severity == "error" or check.hard else "warning"
    text = f"{check.subject}：{check.rule.text}"
    if v == "tail":
        message = f"{text}；差额 {difference:f} 在尾数误差范围（±{tol.normalize():f}）内"
    elif v in ("error", "warning"):
        relation = "应不小于" if check.relation == ">=" else "应等于"
        parts = " ＋ ".join(_name(op) for op in check.right[:6]) + (" …" if len(check.right) > 6 else "")
        message = f"{text}；{_name(check.left[0])} {relation} {parts}"
    else:
        message = text
    cells = tuple(c.a1() for c in check.cells)
    return v, f"{actual:f}", f"{expected:f}", f"{difference:f}", message, cells


def _side(ops: tuple[Operand, ...]) -> Decimal:
    return sum((op.sign * op.term.value for op in ops), Decimal(0))


def _name(op: Operand) -> str:
    cells = op.term.cells
    if len(cells) == 1:
        where = cells[0].a1()
    else:
        where = f"{cells[0].a1()} 等 {len(cells)} 格之和" if cells else "（未列示，按 0）"
    return ("－" if op.sign < 0 else "") + where


def _mine(f: Finding) -> tuple[str, str, str, str, str, tuple[str, ...]]:
    assert f.actual is not None and f.expected is not None and f.difference is not None
    cells = tuple(c.a1() for c in f.cells)
    return f.verdict, f"{f.actual:f}", f"{f.expected:f}", f"{f.difference:f}", f.message, cells


def _refresh(checks: list[Check], report: Report) -> list[Check]:
    """`checks` with each operand's value summed anew from its cells' amounts now (what expand gives
    after a change of values only: an operand is the sum of its printed cells)."""
    now = {a.cell: a.value for *_x, a in report.amounts()}

    def op(o: Operand) -> Operand:
        total = sum((now[c] for c in o.term.cells), o.term.value * 0)
        return replace(o, term=replace(o.term, value=total))

    return [replace(c, left=tuple(map(op, c.left)), right=tuple(map(op, c.right))) for c in checks]


def _compare(report: Report, checks: list[Check]) -> list[str]:
    """The verdict of every check, after asserting both evaluators agree on all of it."""
    plan = plan_for(report)
    findings = relation_findings(plan, plan.outcomes(plan.values(report)))
    assert [f.rule for f in findings] == [c.rule_id for c in checks]
    expected = [_reference(c) for c in checks]
    got = [_mine(f) for f in findings]
    wrong = [(c.rule_id, e, g) for c, e, g in zip(checks, expected, got, strict=True) if e != g]
    assert not wrong, wrong[:3]
    return [e[0] for e in expected]


def _set(report: Report, cell_amounts: dict, cell: object, value: Decimal) -> None:
    table_id, row_key, col = cell_amounts[cell]
    row = report.tables[table_id].rows[row_key]
    old = row.values[col]
    row.values[col] = replace(old, value=value.quantize(old.quantum))  # as the reader keeps it


def _index(report: Report) -> dict:
    return {a.cell: (t.id, r.key, col) for t, r, col, a in report.amounts()}


def _on_bound(report: Report, checks: list[Check], rng: random.Random, beyond: bool) -> None:
    """Move one cell of a random check so its difference is exactly ± its bound (or a cent beyond)."""
    check = rng.choice([c for c in checks if c.cells])
    coefs: dict = {}
    for side, ops in ((1, check.left), (-1, check.right)):
        for op in ops:
            for c in op.term.cells:
                coefs[c] = coefs.get(c, 0) + side * op.sign
    amounts = {a.cell: a for *_x, a in report.amounts()}
    movable = [c for c, k in coefs.items() if abs(k) == 1]
    if not movable:
        return
    cell = min(movable, key=lambda c: (amounts[c].quantum, rng.random()))
    diff = _side(check.left) - _side(check.right)  # `checks` carry the values as they are now
    tol = tolerance(check)
    step = min(amounts[c].quantum for c in coefs)
    target = (tol + (step if beyond else 0)) * rng.choice((1, -1))
    delta = (target - diff) / coefs[cell]
    if delta % amounts[cell].quantum == 0:
        _set(report, _index(report), cell, amounts[cell].value + delta)


def _scatter(report: Report, rng: random.Random) -> None:
    index = _index(report)
    amounts = {a.cell: a for *_x, a in report.amounts()}
    for cell in rng.sample(sorted(index), k=min(len(index), rng.choice((1, 2, 5)))):
        a: Amount = amounts[cell]
        units = rng.choice((1, -1, 2, 1000, -123456, rng.randrange(-(10**9), 10**9)))
        _set(report, index, cell, a.value + units * a.quantum)


def _remove(report: Report, rng: random.Random) -> None:
    """Remove a row or one amount: a layout the plan cache has not seen."""
    table = rng.choice(list(report.tables.values()))
    if not table.rows:
        return
    key = rng.choice(list(table.rows))
    row = table.rows[key]
    if row.values and rng.random() < 0.5:
        del row.values[rng.choice(list(row.values))]
    else:
        del table.rows[key]
    table._children = None


@pytest.fixture(scope="module")
def paths(books: dict[str, Path], planted: dict[str, Path]) -> list[Path]:
    return [*books.values(), *planted.values()]


def test_plan_equals_reference_evaluator(paths: list[Path]) -> None:
    rng = random.Random(20261128)
    seen: dict[str, int] = {}
    report = read_report(paths[0])
    checks = expand(report)
    for case in range(CASES):
        if case % 10 == 0:  # a fresh book; within ten cases the changes pile up
            report = read_report(rng.choice(paths))
            checks = expand(report)
        kind = rng.random()
        if kind < 0.45:
            _on_bound(report, checks, rng, beyond=rng.random() < 0.5)
            checks = _refresh(checks, report)
        elif kind < 0.9:
            _scatter(report, rng)
            checks = _refresh(checks, report)
        else:
            _remove(report, rng)
            checks = expand(report)
        for v in _compare(report, checks):
            seen[v] = seen.get(v, 0) + 1
    assert {"pass", "tail", "error", "warning"} <= set(seen), seen


def test_amounts_in_yuan_keep_their_precision(books: dict[str, Path]) -> None:
    """A 元 table's amounts are millionths of 万元: the plan's unit follows the finest precision."""
    report = read_report(books["000_yuan"])
    plan = plan_for(report)
    assert plan.unit == -6
    assert min(a.quantum for *_x, a in report.amounts()) == CENT * Decimal("0.0001")
    assert _compare(report, expand(report)).count("pass") > 100
