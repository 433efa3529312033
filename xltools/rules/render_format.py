"""The format rules (F0–F9) as rows of the 校验 sheet.

Rules whose evidence lies in cells become formulas over those cells, one row per table:
  F1 the unit cell still names a unit: ISNUMBER(FIND("元",unit cell));
  F2 the department cell holds the department most tables name: ISNUMBER(FIND(name,SUBSTITUTE(cell," ","")));
  F6 行次 run without gaps: AND(next−previous=1, …) over the 行次 cells in the reader's order;
  F8 an empty table's notes explain it: ISNUMBER(FIND(keyword, note1&note2…)) for each keyword.
The structural rules — F0 (a required row or header missing, a cell that is no amount), F3 (a table
missing), F4 (a 项 without its 款/类 row), F5 (one code, two names), F7 (a 05 类 with no 04 line),
F9 (an unknown code) — and any row whose formula would not reproduce the Python verdict on the
cells as they stand (a name typed with full-width characters, a note matched only by the reader's
pattern) carry the Python verdict as a constant, with 说明 saying it is structural.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from itertools import pairwise

from xltools.model import Cell, Report, Table
from xltools.rules.catalogue import Rule
from xltools.rules.format_checks import FORMAT_CHECKS
from xltools.rules.render import Probe, SheetRow, cell_expr, ref, text_label
from xltools.rules.results import Finding
from xltools.text import squash
from xltools.vocabulary import VERDICT_LABELS, Severity, Verdict

FORMULA_RULES = ("F1", "F2", "F6", "F8")
STRUCTURAL_NOTE = "（结构性规则，由 xltools 生成本表时判定，非公式）"
KEYWORDS = ("无数据", "没有", "未发生", "本表无", "为空", "空表", "不涉及")


def _verdict_for(findings: list[Finding], cells: tuple[Cell, ...]) -> Verdict:
    """The Python verdict of one formula row: the first non-pass finding touching its cells."""
    for f in findings:
        if f.verdict != Verdict.PASS and set(f.cells) & set(cells):
            return f.verdict
    return Verdict.PASS


def _formula_row(
    rule: Rule, table: Table, body: str, ok: bool, findings: list[Finding], cells: tuple[Cell, ...]
) -> SheetRow:
    """A formula row, or its constant when the formula would disagree with the Python verdict now."""
    python = _verdict_for(findings, cells)
    fail = VERDICT_LABELS[Verdict.ERROR if rule.severity == Severity.ERROR else Verdict.FORMAT]
    text = f"{table.id}：{rule.text}"
    if (python == Verdict.PASS) != ok:
        return SheetRow(
            rule.id,
            text + STRUCTURAL_NOTE,
            None,
            None,
            VERDICT_LABELS[python],
            python,
            cells,
            cells[0].a1() if cells else "",
            constant=True,
        )
    verdict = f'IF({body},"{VERDICT_LABELS[Verdict.PASS]}","{fail}")'
    return SheetRow(rule.id, text, None, None, verdict, python, cells, cells[0].a1() if cells else "")


def _text(probe: Probe | None, cell: Cell, fallback: str) -> str:
    raw = probe(cell) if probe else None
    return fallback if raw is None else str(raw)


def f1_rows(rule: Rule, report: Report, findings: list[Finding], probe: Probe | None) -> Iterator[SheetRow]:
    for t in report.tables.values():
        if t.unit_cell is None:
            continue
        text = _text(probe, t.unit_cell, t.unit or "")
        yield _formula_row(
            rule,
            t,
            f'ISNUMBER(FIND("元",{ref(t.unit_cell)}))',
            "元" in text,
            findings,
            (t.unit_cell, t.anchor),
        )


def f2_rows(rule: Rule, report: Report, findings: list[Finding], probe: Probe | None) -> Iterator[SheetRow]:
    names = [squash(t.department) for t in report.tables.values() if t.department]
    if not names:
        return
    common = max(set(names), key=names.count)
    for t in report.tables.values():
        if t.department_cell is None:
            continue
        text = _text(probe, t.department_cell, t.department or "")
        body = f'ISNUMBER(FIND({text_label(common)},SUBSTITUTE({ref(t.department_cell)}," ","")))'
        yield _formula_row(rule, t, body, common in text.replace(" ", ""), findings, (t.department_cell,))


def f6_rows(rule: Rule, report: Report, findings: list[Finding], probe: Probe | None) -> Iterator[SheetRow]:
    for tid in rule.tables:
        t = report.tables.get(tid)
        if t is None or len(t.lines) < 2:
            continue
        ordered = sorted(t.lines, key=lambda x: (x[0], x[2].row))
        terms = [
            f"{cell_expr(b[2], None, probe)}-{cell_expr(a[2], None, probe)}=1" for a, b in pairwise(ordered)
        ]
        ok = all(b[1] == a[1] + 1 for a, b in pairwise(ordered))
        cells = tuple(c for _, _, c in ordered)
        yield _formula_row(rule, t, f"AND({','.join(terms)})", ok, findings, cells)


def f8_rows(rule: Rule, report: Report, findings: list[Finding], probe: Probe | None) -> Iterator[SheetRow]:
    for t in report.tables.values():
        if t.has_money() or t.layout == "ledger" or not t.notes:
            continue
        joined = "".join(_text(probe, c, n) for n, c in t.notes)
        body = "&".join(ref(c) for _, c in t.notes)
        tests = ",".join(f"ISNUMBER(FIND({text_label(k)},{body}))" for k in KEYWORDS)
        ok = any(k in joined for k in KEYWORDS)
        yield _formula_row(rule, t, f"OR({tests})", ok, findings, (t.anchor, *(c for _, c in t.notes)))


_FORMULAS = {"F1": f1_rows, "F2": f2_rows, "F6": f6_rows, "F8": f8_rows}


def _constant_rows(rule: Rule, findings: list[Finding], covered: set[int], made: bool) -> Iterator[SheetRow]:
    """One constant row per non-pass finding no formula row stands for; a single 通过 row otherwise."""
    left = [f for i, f in enumerate(findings) if i not in covered and f.verdict != Verdict.PASS]
    for f in left:
        yield SheetRow(
            rule.id,
            f.message + STRUCTURAL_NOTE,
            None,
            None,
            VERDICT_LABELS[f.verdict],
            f.verdict,
            f.cells,
            f.where,
            constant=True,
        )
    if not left and not made:
        yield SheetRow(
            rule.id,
            rule.text + STRUCTURAL_NOTE,
            None,
            None,
            VERDICT_LABELS[Verdict.PASS],
            Verdict.PASS,
            constant=True,
        )


def format_rule_rows(rule: Rule, report: Report, probe: Probe | None = None) -> list[SheetRow]:
    """The rows of one format rule: formulas where its evidence lies in cells, constants for the rest."""
    findings = list(FORMAT_CHECKS[rule.id](rule, report))
    made = list(_FORMULAS[rule.id](rule, report, findings, probe)) if rule.id in _FORMULAS else []
    made_cells = {c for r in made for c in r.cells}
    covered = {
        i for i, f in enumerate(findings) if made and (f.verdict == Verdict.PASS or set(f.cells) & made_cells)
    }
    return made + list(_constant_rows(rule, findings, covered, bool(made)))


def not_applicable_rows(rules: Iterable[tuple[Rule, str]]) -> list[SheetRow]:
    """Rules that do not apply (each with why, in Chinese): constant 不适用 rows."""
    return [
        SheetRow(
            r.id,
            why,
            None,
            None,
            VERDICT_LABELS[Verdict.NA],
            Verdict.NA,
            constant=True,
        )
        for r, why in rules
    ]
