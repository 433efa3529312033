"""The verdict of a relation between printed amounts, telling rounding tails from errors.

A relation between printed two-decimal amounts is consistent when the intervals [v − 0.005, v + 0.005]
of its printed values can meet: |left − right| ≤ 0.005 × (number of printed values). Within that bound
the difference is a 尾差 (tail), beyond it an error (rules.md, “Rounding: a tail or an error?”).

`verdict_codes` is the one statement of that rule: the compiled plan (xltools.rules.plan) applies it to
every check of a workbook at once, the fix planner to one relation at a time.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import numpy as np

from xltools.model import CENT
from xltools.rules.expand import Check
from xltools.vocabulary import Severity, Verdict

HALF = Decimal("0.5")
# a relation's verdict as a small integer (its index here), so a plan judges all checks in one array
VERDICT_CODES: tuple[Verdict, ...] = (Verdict.PASS, Verdict.TAIL, Verdict.WARNING, Verdict.ERROR)
PASS, TAIL, WARNING, ERROR = range(4)


def tail_bound(printed: int, quantum: Decimal = CENT) -> Decimal:
    """The rounding bound of a relation between `printed` printed values: each may be half its
    precision off, so |difference| ≤ quantum/2 × printed (at least two values are compared)."""
    return quantum * HALF * max(printed, 2)


def tolerance(check: Check) -> Decimal:
    """The tail bound of a check: its printed values at the coarsest precision among them."""
    ops = (*check.left, *check.right)
    quantum = max((op.term.quantum for op in ops if op.term.cells), default=CENT)
    return tail_bound(sum(op.term.addends for op in ops), quantum)


def verdict_codes(difference: Any, equal: Any, within: Any, soft: Any, strict: Any) -> Any:
    """The verdict code of each relation (arrays, or scalars for one): it holds ('=': difference 0,
    '>=': difference ≥ 0) → pass; else within the tail bound → tail; else a soft rule (hard '>=')
    whose hard relation still holds (difference > 0) → warning; else error for a strict rule (severity
    error, or a hard relation), warning otherwise."""
    holds = np.where(equal, difference == 0, difference >= 0)
    beyond = np.where(soft & (difference > 0), WARNING, np.where(strict, ERROR, WARNING))
    return np.where(holds, PASS, np.where(within, TAIL, beyond))


def verdict(check: Check, difference: Decimal, tol: Decimal) -> Verdict:
    """The verdict of one check for `difference` (left − right) and its tail bound `tol`."""
    code = verdict_codes(
        difference,
        check.relation == "=",
        abs(difference) <= tol,
        check.hard == ">=",
        check.rule.severity == Severity.ERROR or bool(check.hard),
    )
    return VERDICT_CODES[int(code)]
