"""Findings of the compiled checks: built only for the checks that did not pass (and for passes when
asked), from the plan's outcomes, with their amounts as the Decimals the user printed."""

from __future__ import annotations

from decimal import Decimal

import numpy as np

from xltools.model import Report
from xltools.rules import catalogue
from xltools.rules.catalogue import Rule
from xltools.rules.evaluate import PASS, TAIL, VERDICT_CODES
from xltools.rules.expand import Check, Operand
from xltools.rules.kinds import not_applicable_text
from xltools.rules.plan import Outcomes, Plan
from xltools.rules.results import Finding
from xltools.vocabulary import Verdict


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
    """The finding's message from the catalogue's templates: subject and rule text, then for a tail
    the difference and its bound, for a failure the cells of both sides."""
    head = catalogue.message("subject", subject=check.subject, text=check.rule.text)
    if code == TAIL:
        return catalogue.message(
            "tail", head=head, difference=f"{difference:f}", bound=f"{tol.normalize():f}"
        )
    if code == PASS:
        return head
    right = " ＋ ".join(_operand_name(op) for op in check.right[:6]) + (" …" if len(check.right) > 6 else "")
    key = "at_least" if check.relation == ">=" else "equal"
    return catalogue.message(key, head=head, left=_operand_name(check.left[0]), right=right)


def _operand_name(op: Operand) -> str:
    cells = op.term.cells
    if len(cells) == 1:
        where = cells[0].a1()
    elif cells:
        where = catalogue.message("cells_sum", first=cells[0].a1(), count=len(cells))
    else:
        where = catalogue.message("no_cells")
    return ("－" if op.sign < 0 else "") + where


def not_applicable(rule: Rule, report: Report) -> Finding:
    """The finding of a rule the workbook lacks the tables for (or holds them unrecognised)."""
    text = not_applicable_text(rule, report)
    return Finding(rule.id, rule.severity, Verdict.NA, (), None, None, None, text)
