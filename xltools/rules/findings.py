"""Findings of the compiled checks: built only for the checks that did not pass (and for passes when
asked), from the plan's outcomes, with their amounts as the Decimals the user printed."""

from __future__ import annotations

from decimal import Decimal

import numpy as np

from xltools.rules.evaluate import PASS, TAIL, VERDICT_CODES
from xltools.rules.expand import Check, Operand
from xltools.rules.plan import Outcomes, Plan
from xltools.rules.results import Finding


def relation_findings(plan: Plan, outcomes: Outcomes, passes: bool = True) -> list[Finding]:
    """The finding of every check that did not pass — of every check with `passes` — in plan order."""
    picked = range(len(plan.checks)) if passes else np.flatnonzero(outcomes.codes != PASS).tolist()
    return [_finding(plan, outcomes, i) for i in picked]


def _finding(plan: Plan, outcomes: Outcomes, i: int) -> Finding:
    check = plan.checks[i]
    left_exp, right_exp = int(plan.left.exponent[i]), int(plan.right.exponent[i])
    actual = plan.amount(outcomes.left[i], left_exp)
    expected = plan.amount(outcomes.right[i], right_exp)
    difference = plan.amount(outcomes.left[i] - outcomes.right[i], min(left_exp, right_exp))
    code = int(outcomes.codes[i])
    return Finding(
        rule=check.rule_id,
        severity=check.rule.severity,
        verdict=VERDICT_CODES[code],
        cells=check.cells,
        expected=expected,
        actual=actual,
        difference=difference,
        message=message(check, code, difference, plan.tolerances[i]),
    )


def message(check: Check, code: int, difference: Decimal, tol: Decimal) -> str:
    text = f"{check.subject}：{check.rule.text}"
    if code == TAIL:
        return f"{text}；差额 {difference:f} 在尾数误差范围（±{tol.normalize():f}）内"
    if code != PASS:
        relation = "应不小于" if check.relation == ">=" else "应等于"
        parts = " ＋ ".join(_operand_name(op) for op in check.right[:6]) + (
            " …" if len(check.right) > 6 else ""
        )
        return f"{text}；{_operand_name(check.left[0])} {relation} {parts}"
    return text


def _operand_name(op: Operand) -> str:
    cells = op.term.cells
    if len(cells) == 1:
        where = cells[0].a1()
    else:
        where = f"{cells[0].a1()} 等 {len(cells)} 格之和" if cells else "（未列示，按 0）"
    return ("－" if op.sign < 0 else "") + where
