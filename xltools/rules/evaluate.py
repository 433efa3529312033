"""The Python backend: a concrete check → a Finding, in Decimal, telling rounding tails from errors.

A relation between printed two-decimal amounts is consistent when the intervals [v − 0.005, v + 0.005]
of its printed values can meet: |left − right| ≤ 0.005 × (number of printed values). Within that bound
the difference is a 尾差 (tail), beyond it an error (rules.md, “Rounding: a tail or an error?”).
"""

from __future__ import annotations

from decimal import Decimal

from xltools.model import CENT
from xltools.rules.expand import Check, Operand
from xltools.rules.results import Finding
from xltools.vocabulary import Severity, Verdict

HALF = Decimal("0.5")


def side_value(ops: tuple[Operand, ...]) -> Decimal:
    return sum((op.sign * op.term.value for op in ops), Decimal(0))


def tail_bound(printed: int, quantum: Decimal = CENT) -> Decimal:
    """The rounding bound of a relation between `printed` printed values: each may be half its
    precision off, so |difference| ≤ quantum/2 × printed (at least two values are compared)."""
    return quantum * HALF * max(printed, 2)


def tolerance(check: Check) -> Decimal:
    """The tail bound of a check: its printed values at the coarsest precision among them."""
    ops = (*check.left, *check.right)
    quantum = max((op.term.quantum for op in ops if op.term.cells), default=CENT)
    return tail_bound(sum(op.term.addends for op in ops), quantum)


def verdict(check: Check, difference: Decimal, tol: Decimal) -> Verdict:
    """'pass', 'tail', or — beyond the bound — 'error'/'warning' by the rule's severity; a soft rule
    (`hard`) whose hard relation still holds is a warning."""
    holds = difference == 0 if check.relation == "=" else difference >= 0
    if holds:
        return Verdict.PASS
    if abs(difference) <= tol:
        return Verdict.TAIL
    if check.hard == ">=" and difference > 0:
        return Verdict.WARNING
    return Verdict.ERROR if check.rule.severity == Severity.ERROR or check.hard else Verdict.WARNING


def evaluate_check(check: Check) -> Finding:
    actual = side_value(check.left)
    expected = side_value(check.right)
    difference = actual - expected
    tol = tolerance(check)
    v = verdict(check, difference, tol)
    return Finding(
        rule=check.rule_id,
        severity=check.rule.severity,
        verdict=v,
        cells=check.cells,
        expected=expected,
        actual=actual,
        difference=difference,
        message=_message(check, v, difference, tol),
    )


def _message(check: Check, v: Verdict, difference: Decimal, tol: Decimal) -> str:
    text = f"{check.subject}：{check.rule.text}"
    if v == Verdict.TAIL:
        return f"{text}；差额 {difference:f} 在尾数误差范围（±{tol.normalize():f}）内"
    if v in (Verdict.ERROR, Verdict.WARNING):
        relation = "应不小于" if check.relation == ">=" else "应等于"
        parts = " ＋ ".join(_operand_name(op) for op in check.right[:6]) + (
            " …" if len(check.right) > 6 else ""
        )
        return f"{text}；{_operand_name(check.left[0])} {relation} {parts}"
    return text


def _operand_name(op: Operand) -> str:
    where = (
        op.term.cells[0].a1()
        if len(op.term.cells) == 1
        else (
            f"{op.term.cells[0].a1()} 等 {len(op.term.cells)} 格之和" if op.term.cells else "（未列示，按 0）"
        )
    )
    return ("－" if op.sign < 0 else "") + where
