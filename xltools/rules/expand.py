"""Expand the declared rules over one Report into concrete checks: every operand resolved to the
printed cells it stands for. Both backends — the compiled plan and the formula renderer — work from
these checks, so a rule cannot exist in one backend only. One expander per rule kind; the registry
(xltools.rules.kinds) says which kind expands how."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import product
from typing import NamedTuple

from xltools.model import TOTAL, Cell, Report, Table, Term
from xltools.rules.catalogue import Rule


@dataclass(frozen=True)
class Operand:
    sign: int
    table: str
    row: str
    col: str
    term: Term


@dataclass(frozen=True)
class Check:
    """One concrete relation: Σ left (relation) Σ right, over resolved operands."""

    rule: Rule
    rule_id: str
    left: tuple[Operand, ...]
    right: tuple[Operand, ...]
    subject: str
    relation: str = "="
    hard: str | None = None

    @property
    def location(self) -> Cell | None:
        for op in (*self.left, *self.right):
            if op.term.cells:
                return op.term.cells[0]
        return None

    @property
    def cells(self) -> tuple[Cell, ...]:
        return tuple(c for op in (*self.left, *self.right) for c in op.term.cells)


class _Absent(Exception):
    """The operand does not exist in this format or table: drop it."""


class _NotApplicable(Exception):
    """The check needs a table or required row the workbook lacks."""


class _Ref(NamedTuple):
    """A reference 'table.row.col' taken apart once; sign −1 for a leading '-'."""

    sign: int
    table: str
    row: str
    col: str


def _parse(ref: str) -> _Ref:
    table_id, row, col = ref.lstrip("-").split(".")
    return _Ref(-1 if ref.startswith("-") else 1, table_id, row, col)


class Resolver:
    """Resolves references over one report, each distinct reference once (rules share many)."""

    def __init__(self, report: Report) -> None:
        self.report = report
        self._operands: dict[_Ref, Operand | _NotApplicable | None] = {}
        self._subjects: dict[tuple[str, str, str], str] = {}

    def operand(self, ref: _Ref) -> Operand | None:
        """The operand `ref` names, None when absent; raises _NotApplicable."""
        if ref not in self._operands:
            try:
                self._operands[ref] = _resolve(self.report, ref)
            except _Absent:
                self._operands[ref] = None
            except _NotApplicable as exc:
                self._operands[ref] = exc
        found = self._operands[ref]
        if isinstance(found, _NotApplicable):
            raise found
        return found

    def subject(self, op: Operand) -> str:
        key = (op.table, op.row, op.col)
        found = self._subjects.get(key)
        if found is None:
            found = self._subjects[key] = _subject(self.report, op)
        return found


def _resolve(report: Report, ref: _Ref) -> Operand:
    sign, table_id, row, col = ref
    table = report.tables.get(table_id)
    if table is None:
        raise _NotApplicable(table_id)
    spec = report.format.tables.get(table_id)
    if spec is None:
        raise _NotApplicable(table_id)
    if spec.column(col) is None:
        raise _Absent(ref)
    if col in table.unread_columns or f"{row}.{col}" in table.unread_columns:
        raise _NotApplicable(ref)  # the reader did not find that column: never read it as zero
    r = table.rows.get(row)
    if r is not None:
        a = r.values.get(col)
        if a is None:
            raise _Absent(ref)
        if a.unread:
            raise _NotApplicable(ref)
        return Operand(sign, table_id, row, col, Term(a.value, (a.cell,), a.quantum))
    if row.isdigit() or row == TOTAL:
        term = table.term(row, col)
        if term is not None and term.unread:
            raise _NotApplicable(ref)
        if term is None:
            return Operand(sign, table_id, row, col, Term(table._quantum() * 0))
        return Operand(sign, table_id, row, col, term)
    row_spec = spec.row(row)
    if row_spec is None and row not in spec.column_rows:
        raise _Absent(ref)
    if row_spec is not None and row_spec.required:
        raise _NotApplicable(ref)
    return Operand(sign, table_id, row, col, Term(table._quantum() * 0))


def _expand_refs(report: Report, refs: Iterable[_Ref]) -> list[_Ref]:
    """'@group' and '@classes' rows → the rows they name."""
    out: list[_Ref] = []
    for ref in refs:
        sign, table_id, row, col = ref
        if row == "@classes":
            table = report.tables.get(table_id)
            rows = [k for k in table.rows if k.isdigit() and len(k) == 3] if table else []
            out.extend(_Ref(sign, table_id, k, col) for k in rows)
        elif row.startswith("@"):
            spec = report.format.tables.get(table_id)
            keys = [r.key for r in spec.group(row[1:])] if spec else []
            out.extend(_Ref(sign, table_id, k, col) for k in keys)
        else:
            out.append(ref)
    return out


def _subject(report: Report, op: Operand) -> str:
    table = report.tables[op.table]
    spec = report.format.tables[op.table]
    row = table.rows.get(op.row)
    if op.row == TOTAL:
        row_name = "合计"
    elif op.row.isdigit():
        row_name = f"{op.row} {row.label}" if row and row.label else op.row
    elif op.row in spec.column_rows:
        row_name = ""  # the column's name says it: '预算数 合计'
    else:
        rs = spec.row(op.row)
        row_name = rs.name if rs else op.row
    col = next((c for c in spec.all_columns() if c.key == op.col and (c.row in (None, op.row))), None)
    col_name = col.name if col else op.col
    return " ".join(p for p in (op.table, row_name, col_name) if p)


def _relation(
    res: Resolver, rule: Rule, left: Iterable[_Ref], right: Iterable[_Ref], rule_id: str | None = None
) -> Check | None:
    try:
        lops = [res.operand(r) for r in _expand_refs(res.report, left)]
        rops = [res.operand(r) for r in _expand_refs(res.report, right)]
    except _NotApplicable:
        return None
    lkeep = tuple(o for o in lops if o is not None)
    rkeep = tuple(o for o in rops if o is not None)
    if not lkeep or not rkeep:
        return None
    return Check(rule, rule_id or rule.id, lkeep, rkeep, res.subject(lkeep[0]), rule.relation, rule.hard)


def _codes(report: Report, spec: dict[str, object]) -> list[str]:
    tables = [report.tables.get(t) for t in spec.get("tables", [])]  # type: ignore[attr-defined]
    level = int(spec.get("level", 0))  # type: ignore[call-overload]
    sets = []
    for t in tables:
        if t is None:
            return []
        codes = [k for k in t.rows if k.isdigit()]
        sets.append(list(dict.fromkeys(c[:level] for c in codes if len(c) >= level)) if level else codes)
    if spec.get("mode") == "shared":
        others = [set(s) for s in sets[1:]]
        found = [c for c in sets[0] if all(c in s for s in others)]
    else:
        found = list(dict.fromkeys(c for s in sets for c in s))
    return ([TOTAL] if spec.get("total") else []) + found


def _bindings(report: Report, foreach: dict[str, object]) -> Iterator[dict[str, str]]:
    axes: list[list[tuple[str, str]]] = []
    for name, spec in foreach.items():
        if isinstance(spec, list):
            values = [str(v) for v in spec]
        elif name == "row":
            table = report.tables.get(str(spec))
            values = list(table.rows) if table else []
        elif isinstance(spec, dict):
            values = _codes(report, spec)
        else:
            values = []
        axes.append([(name, v) for v in values])
    for combo in product(*axes):
        yield dict(combo)


def _fill(refs: tuple[str, ...], binding: dict[str, str]) -> list[_Ref]:
    return [_parse(r.format_map(binding) if "{" in r else r) for r in refs]


def expand_hierarchy(res: Resolver, rule: Rule) -> Iterator[Check]:
    for table_id in rule.tables:
        table = res.report.tables.get(table_id)
        if table is None:
            continue
        for col in table.columns:
            if rule.level == 0:
                parents = [TOTAL] if TOTAL in table.rows else []
            else:
                parents = [k for k in table.rows if k.isdigit() and len(k) == rule.level]
            for parent in parents:
                yield from _rollup(res, rule, table, parent, col)


def _rollup(res: Resolver, rule: Rule, table: Table, parent: str, col: str) -> Iterator[Check]:
    children = table.children("" if parent == TOTAL else parent)
    if not children:
        return
    right = [_Ref(1, table.id, c, col) for c in children]
    check = _relation(res, rule, [_Ref(1, table.id, parent, col)], right)
    if check is not None:
        yield check


def expand_economic(res: Resolver, rule: Rule) -> Iterator[Check]:
    """Each economic 类 row of the rule's table against its 款 items."""
    (table_id,) = rule.tables
    table = res.report.tables.get(table_id)
    if table is None:
        return
    for cls, rule_id in rule.classes.items():
        if cls not in table.rows:
            continue
        items = [k for k in table.rows if k.isdigit() and len(k) == 5 and k.startswith(cls)]
        if items:
            left = [_Ref(1, table_id, cls, "amount")]
            right = [_Ref(1, table_id, k, "amount") for k in items]
            check = _relation(res, rule, left, right, rule_id)
            if check is not None:
                yield check


def expand_relations(res: Resolver, rule: Rule) -> Iterator[Check]:
    pairs: list[tuple[tuple[str, ...], tuple[str, ...]]] = [((a,), (b,)) for a, b in rule.pairs]
    pairs = pairs or [(rule.left, rule.right)]
    for left, right in pairs:
        for binding in _bindings(res.report, rule.foreach) if rule.foreach else [{}]:
            check = _relation(res, rule, _fill(left, binding), _fill(right, binding))
            if check is not None:
                yield check
