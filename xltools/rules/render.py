"""The formula backend: every concrete Check (xltools.rules.expand) → worksheet formulas over its cells.

Each check becomes one row of the 校验 sheet: 左边 = Σ its left operand cells (signs kept; a derived
term → its children's cells; an absent term → 0), 右边 likewise, 差额 = ROUND(左边−右边,2) and
结论 = IF(差额=0,"通过",IF(ABS(差额)<=tol,"尾差","不通过")) — for '>=' the first test is 差额>=0, for
a soft rule (hard '>=') a positive difference beyond tol reads 提示 — with tol the literal of the
check's tail bound in the compiled plan, so both backends judge alike.

A referenced cell is written as the reader saw it, in the smallest form that Excel, WPS, LibreOffice
and `formulas` 1.3.4 all compute alike (no 3-D references, whole columns, `--` or float `=`):
a number or an empty cell → the bare reference; a formula result or a number with more than two
decimals → ROUND(ref,2) (the reader rounds what it prints); a blank mark ('-', '—') → N(ref); a
number stored as text → IFERROR(VALUE(SUBSTITUTE(…)),0) with its separators removed; text no sheet
engine parses alike (full-width digits, '(12.00)', '¥') → the value the reader read, as a constant.
Amounts are compared in the smallest unit among the check's tables (元 for a workbook in 元), so
差额 reads in the unit the user printed.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from xltools.model import Amount, Cell, Report, column_letter
from xltools.rules.expand import Check, Operand
from xltools.vocabulary import VERDICT_LABELS, Severity, Verdict

if TYPE_CHECKING:
    from xltools.rules.plan import Plan

# raw value of a cell in the workbook being rendered into (openpyxl: a formula reads as '=…')
Probe = Callable[[Cell], object]

PASS, TAIL, FAIL, WARN = (
    VERDICT_LABELS[v] for v in (Verdict.PASS, Verdict.TAIL, Verdict.ERROR, Verdict.WARNING)
)
_PLAIN_NUMBER = re.compile(r"^[-+]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)$")
_SEPARATORS = (",", " ", "\u3000", "\u00a0")


@dataclass(frozen=True)
class SheetRow:
    """One row of the 校验 sheet. `left`/`right` are formula bodies (no '='); `verdict` is a formula
    body in which '{d}' stands for the row's 差额 cell, or — when `constant` — the label itself.
    `python` is the Python backend's verdict ('pass', 'tail', …) for the same row at render time."""

    rule: str
    text: str
    left: str | None
    right: str | None
    verdict: str
    python: Verdict
    cells: tuple[Cell, ...] = ()
    location: str = ""
    constant: bool = False


def quote_sheet(sheet: str) -> str:
    """A sheet name as a formula writes it: always quoted, inner quotes doubled."""
    return "'" + sheet.replace("'", "''") + "'"


def ref(cell: Cell) -> str:
    """'公开05'!C12."""
    return f"{quote_sheet(cell.sheet)}!{column_letter(cell.col)}{cell.row}"


def literal(d: Decimal) -> str:
    """A Decimal as a formula number literal, never in exponent form."""
    s = f"{d.normalize():f}"
    return s.rstrip("0").rstrip(".") if "." in s else s


def text_label(s: str) -> str:
    """A string literal for a formula."""
    return '"' + s.replace('"', '""') + '"'


def _text_form(r: str, text: str, value: Decimal) -> str:
    """The VALUE(SUBSTITUTE…) form of a number stored as text, or the reader's value as a constant
    when the cleaned text would not parse to that value in every engine."""
    cleaned = text
    for sep in _SEPARATORS:
        cleaned = cleaned.replace(sep, "")
    if _PLAIN_NUMBER.match(cleaned) and Decimal(cleaned).quantize(Decimal("0.01")) == value:
        expr = r
        for sep in (s for s in _SEPARATORS if s in text or s == ","):
            expr = f'SUBSTITUTE({expr},{text_label(sep)},"")'
        return f"IFERROR(VALUE({expr}),0)"
    if not _PLAIN_NUMBER.match(cleaned) and value == 0:
        return f"IFERROR(VALUE({r}),0)"  # not a number at all: the reader counts it as 0 too
    return literal(value)


def cell_expr(
    cell: Cell, amount: Amount | None, probe: Probe | None = None, scale: Decimal = Decimal(1)
) -> str:
    """The smallest formula term that gives the value the reader read from `cell` (printed unit)."""
    r = ref(cell)
    raw = probe(cell) if probe else None
    if amount is not None and amount.text is not None:
        printed = amount.value / scale
        if amount.blank:
            return f"N({r})"
        return _text_form(r, amount.text, printed)
    if isinstance(raw, str) and not raw.startswith("=") and amount is None:
        return f"IFERROR(VALUE({r}),0)" if raw.strip().isascii() else r
    if (isinstance(raw, str) and raw.startswith("=")) or (amount is not None and amount.formula):
        return f"ROUND({r},2)"
    if isinstance(raw, float) and Decimal(repr(raw)) != Decimal(repr(raw)).quantize(Decimal("0.01")):
        return f"ROUND({r},2)"
    return r


class Renderer:
    """Renders the checks of one Report; `probe` reads raw cells of the workbook written into."""

    def __init__(self, report: Report, probe: Probe | None = None) -> None:
        self.report = report
        self.probe = probe
        self.amounts = {a.cell: a for _, _, _, a in report.amounts()}
        self.scales = {t.id: t.scale for t in report.tables.values()}

    def base(self, check: Check) -> Decimal:
        """The unit the check is written in: the smallest scale among its tables."""
        return min(
            (self.scales[op.table] for op in (*check.left, *check.right) if op.term.cells), default=Decimal(1)
        )

    def side(self, ops: tuple[Operand, ...], base: Decimal) -> str:
        """Σ of the operands' cells, signs kept, each table's cells scaled to `base`."""
        out = ""
        for op in ops:
            if not op.term.cells:
                continue
            scale = self.scales[op.table]
            terms = [cell_expr(c, self.amounts.get(c), self.probe, scale) for c in op.term.cells]
            factor = scale / base
            body = "+".join(terms)
            if factor != 1:
                body = f"{literal(factor)}*({body})"
            elif op.sign < 0 and len(terms) > 1:
                body = f"({body})"
            out += ("-" if op.sign < 0 else "+" if out else "") + body
        return out or "0"

    def verdict(self, check: Check, tolerance: Decimal, base: Decimal) -> str:
        tol = literal(tolerance / base)
        holds = "{d}=0" if check.relation == "=" else "{d}>=0"
        if check.hard == ">=":
            fail = f'IF({{d}}>0,"{WARN}","{FAIL}")'
        else:
            fail = f'"{FAIL if check.rule.severity == Severity.ERROR else WARN}"'
        return f'IF({holds},"{PASS}",IF(ABS({{d}})<={tol},"{TAIL}",{fail}))'

    def row(self, check: Check, tolerance: Decimal, python: Verdict) -> SheetRow:
        base = self.base(check)
        where = check.location
        return SheetRow(
            rule=check.rule_id,
            text=f"{check.subject}：{check.rule.text}",
            left=self.side(check.left, base),
            right=self.side(check.right, base),
            verdict=self.verdict(check, tolerance, base),
            python=python,
            cells=check.cells,
            location=where.a1() if where else "",
        )


def relation_rows(report: Report, plan: Plan, probe: Probe | None = None) -> list[SheetRow]:
    """One SheetRow per compiled check of `report`, in catalogue order, with the plan's verdict."""
    renderer = Renderer(report, probe)
    verdicts = plan.outcomes(plan.values(report)).verdicts()
    return [renderer.row(c, tol, v) for c, tol, v in zip(plan.checks, plan.tolerances, verdicts, strict=True)]
