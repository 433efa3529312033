"""The format and completeness rules (F0–F9): one function per rule, each yielding Findings."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterator
from itertools import pairwise

from xltools import codes
from xltools.model import Cell, Report
from xltools.rules.catalogue import Rule
from xltools.rules.results import Finding, plain_finding
from xltools.text import squash
from xltools.vocabulary import FAILED, Severity, Verdict

_EXPLAINS = re.compile(r"无数据|没有|未发生|无.{0,12}(收入|支出|经费|安排)|本表无|为空|空表|不涉及")


def _finding(
    rule: Rule, message: str, cells: tuple[Cell, ...] = (), verdict: Verdict | None = None
) -> Finding:
    return plain_finding(rule.id, rule.severity, verdict or FAILED[rule.severity], cells, message)


def _passed(rule: Rule, message: str) -> Finding:
    return plain_finding(rule.id, rule.severity, Verdict.PASS, (), message)


def f0(rule: Rule, report: Report) -> Iterator[Finding]:
    for p in report.problems:
        if p.rule == "F0":
            verdict = Verdict.ERROR if p.severity == Severity.ERROR else Verdict.WARNING
            yield Finding("F0", p.severity, verdict, (p.cell,) if p.cell else (), None, None, None, p.message)


def f1(rule: Rule, report: Report) -> Iterator[Finding]:
    for t in report.tables.values():
        if t.unit is None:
            yield _finding(rule, f"{t.id} 未注明金额单位，按万元处理；请在表头注明“单位：万元”", (t.anchor,))
        elif t.unit != "万元":
            yield _passed(rule, f"{t.id} 金额单位为{t.unit}，已折算为万元校验")
        else:
            yield _passed(rule, f"{t.id} 单位：万元")


def f2(rule: Rule, report: Report) -> Iterator[Finding]:
    names = {t.id: squash(t.department) for t in report.tables.values() if t.department}
    if not names:
        yield _finding(rule, "各表均未注明部门名称（“部门：……”）", ())
        return
    common = Counter(names.values()).most_common(1)[0][0]
    for tid, name in names.items():
        t = report.tables[tid]
        cells = (t.department_cell,) if t.department_cell else ()
        if name != common:
            cut = "（名称不完整）" if common.startswith(name) else ""
            yield _finding(rule, f"{tid} 的部门名称“{name}”与其他表的“{common}”不一致{cut}", cells)
    missing = [t.id for t in report.tables.values() if not t.department]
    if missing:
        yield _finding(rule, f"{'、'.join(missing)} 未注明部门名称", ())
    if len(set(names.values())) == 1 and not missing:
        yield _passed(rule, f"各表部门名称一致：{common}")


def f3(rule: Rule, report: Report) -> Iterator[Finding]:
    missing = [tid for tid in report.format.table_ids if tid not in report.tables]
    for tid in missing:
        spec = report.format.tables[tid]
        yield _finding(
            rule, f"缺少{tid}《{spec.title}》（{report.format.name}应有 {len(report.format.table_ids)} 张表）"
        )
    if not missing:
        yield _passed(rule, f"{len(report.tables)} 张表齐全")


def f4(rule: Rule, report: Report) -> Iterator[Finding]:
    for tid in rule.tables:
        t = report.tables.get(tid)
        if t is None:
            continue
        printed = {k for k in t.rows if k.isdigit()}
        orphans = {
            code: parents
            for code in printed
            if (parents := [code[:n] for n in (3, 5) if n < len(code) and code[:n] not in printed])
        }
        for code in sorted(orphans, key=lambda k: t.rows[k].label_cell or Cell("", 0, 0)):
            parents = orphans[code]
            if parents:
                row = t.rows[code]
                yield _finding(
                    rule,
                    f"{tid} {code} {row.label} 缺少上级科目行：{'、'.join(parents)}",
                    (row.label_cell,) if row.label_cell else (),
                )


def f5(rule: Rule, report: Report) -> Iterator[Finding]:
    seen: dict[str, tuple[str, str]] = {}
    for tid in rule.tables:
        t = report.tables.get(tid)
        if t is None:
            continue
        for code, row in t.rows.items():
            if not code.isdigit() or not row.label:
                continue
            if code in seen and not codes.same_name(seen[code][1], row.label):
                cells = (row.label_cell,) if row.label_cell else ()
                yield _finding(
                    rule,
                    f"编码 {code} 在{seen[code][0]}名为“{seen[code][1]}”，在{tid}名为“{row.label}”",
                    cells,
                )
            seen.setdefault(code, (tid, row.label))


def f6(rule: Rule, report: Report) -> Iterator[Finding]:
    for tid in rule.tables:
        t = report.tables.get(tid)
        if t is None or not t.lines:
            continue
        ordered = sorted(t.lines, key=lambda x: (x[0], x[2].row))
        for (_, a, _), (_, b, cell) in pairwise(ordered):
            if b != a + 1:
                yield _finding(rule, f"{tid} 行次不连续：{a} 之后是 {b}", (cell,))


def f7(rule: Rule, report: Report) -> Iterator[Finding]:
    detail, summary = rule.tables  # the 类 of the detail table must have a line in the summary table
    t5, t4 = report.tables.get(detail), report.tables.get(summary)
    if t5 is None or t4 is None:
        return
    classes = dict.fromkeys(k[:3] for k in t5.rows if k.isdigit())
    for cls in classes:
        term = t5.term(cls, "total")
        if term is not None and term.value != 0 and cls not in t4.rows:
            name = codes.class_name(cls, report.year) or cls
            yield _finding(
                rule,
                f"{detail} 有{cls} {name} {term.value:f} 万元，{summary} 支出栏没有该类的行",
                term.cells[:1],
            )


def f8(rule: Rule, report: Report) -> Iterator[Finding]:
    for t in report.tables.values():
        if t.has_money() or t.layout in ("ledger",):
            continue
        if not any(_EXPLAINS.search(n) for n, _ in t.notes):
            yield _finding(
                rule,
                f"{t.id} 无数据，但表下没有说明原因（如“本单位本年没有……收入，也没有……支出，故本表无数据”）",
                (t.anchor,),
            )
        else:
            yield _passed(rule, f"{t.id} 无数据，已附说明")


def f9(rule: Rule, report: Report) -> Iterator[Finding]:
    for t in report.tables.values():
        known = codes.is_known_economic_code if t.layout == "economic" else codes.is_known_function_code
        for code, row in t.rows.items():
            if code.isdigit() and not known(code):
                yield _finding(
                    rule,
                    f"{t.id} 编码 {code}（{row.label}）不在科目目录中，请核对",
                    (row.label_cell,) if row.label_cell else (),
                )


FORMAT_CHECKS: dict[str, Callable[[Rule, Report], Iterator[Finding]]] = {
    "F0": f0,
    "F1": f1,
    "F2": f2,
    "F3": f3,
    "F4": f4,
    "F5": f5,
    "F6": f6,
    "F7": f7,
    "F8": f8,
    "F9": f9,
}
