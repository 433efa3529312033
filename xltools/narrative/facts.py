"""The figures the prose quotes, read from a Report: references to cells, 类/项 lists and names."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from xltools.model import Cell, Report, Row, Term
from xltools.text import label_key, name_key

ZERO = Decimal(0)
FISCAL_INCOME = ("inc_general", "inc_fund", "inc_soe")


@dataclass(frozen=True)
class Ref:
    """A figure of the tables: the sum of `rows` in column `col` of `table` (usually one row)."""

    table: str
    rows: tuple[str, ...]
    col: str
    label: str  # what it is, in Chinese, for messages
    given: Decimal | None = None  # a figure of the inputs file (no table, no cell): rows are ()
    fallback: Ref | None = None  # where the figure is when this table does not print it

    def term(self, report: Report) -> Term | None:
        """The figure, or None when neither the table (every row of it, in this column) nor the
        fallback prints it: not found, never zero."""
        if self.given is not None:
            return Term(self.given)
        own = self._own(report)
        if own is None and self.fallback is not None:
            return self.fallback.term(report)
        return own

    def where(self, report: Report) -> Ref:
        """The Ref that actually holds the figure (this one or its fallback)."""
        if self._own(report) is None and self.fallback is not None:
            return self.fallback.where(report)
        return self

    def _own(self, report: Report) -> Term | None:
        terms = [report.term(self.table, r, self.col) for r in self.rows]
        found = [t for t in terms if t is not None]
        if not found:
            return None
        if len(found) == 1:
            return found[0]
        return Term(
            sum((t.value for t in found), ZERO),
            tuple(c for t in found for c in t.cells),
            max(t.quantum for t in found),
            derived=True,
        )

    def value(self, report: Report) -> Decimal | None:
        t = self.term(report)
        return None if t is None else t.value


def ref(table: str, row: str, col: str, label: str) -> Ref:
    return Ref(table, (row,), col, label)


def value(report: Report, table: str, row: str, col: str) -> Decimal:
    """A figure that is zero when the table does not print it: only for rows that a printed table
    leaves out when empty (a 项, an economic item). A line or column the format lacks is not zero:
    use `figure`."""
    t = report.term(table, row, col)
    return ZERO if t is None else t.value


def figure(report: Report, r: Ref) -> Decimal | None:
    """The figure of `r`, None when the set does not print it."""
    return r.value(report)


def cells(report: Report, table: str, row: str, col: str) -> tuple[Cell, ...]:
    t = report.term(table, row, col)
    return () if t is None else t.cells


def _rows(report: Report, table: str) -> list[Row]:
    t = report.tables.get(table)
    return [] if t is None else list(t.code_rows())


def code_name(report: Report, code: str) -> str | None:
    """The name a function code has in 公开05 (else 03, 02, the 类 lines of 01 and 04)."""
    for table in ("公开05", "公开03", "公开02", "公开01", "公开04"):
        t = report.tables.get(table)
        if t is None:
            continue
        row = t.rows.get(code)
        if row is not None and row.label:
            return label_key(row.label)
    from xltools.codes import function_name

    return function_name(code, report.year)


def function_codes(report: Report, table: str = "公开05") -> list[str]:
    """Every code the table prints or implies (类 and 款 of printed 项), in code order."""
    found: set[str] = set()
    for r in _rows(report, table):
        if r.code and r.code.isdigit():
            for n in (3, 5, 7):
                if len(r.code) >= n:
                    found.add(r.code[:n])
    return sorted(found)


def classes(report: Report) -> list[str]:
    """The 类 (3-digit codes) of 公开05 with money."""
    return [c for c in function_codes(report) if len(c) == 3 and value(report, "公开05", c, "total") != ZERO]


def items(report: Report) -> list[str]:
    """The leaf codes of 公开05 (项, or a 款/类 printed with no child) with money, in code order."""
    codes = function_codes(report)
    leaves = [c for c in codes if not any(o != c and o.startswith(c) for o in codes)]
    return [c for c in leaves if value(report, "公开05", c, "total") != ZERO]


def economic_items(report: Report, prefixes: tuple[str, ...]) -> list[tuple[str, str, Decimal]]:
    """公开06 5-digit items under the given 类 prefixes with money: (code, name, amount)."""
    t = report.tables.get("公开06")
    if t is None:
        return []
    out = []
    for r in t.rows.values():
        code = r.code or (r.key if r.key.isdigit() else None)
        if code and len(code) == 5 and code.startswith(prefixes):
            a = r.values.get("amount")
            if a is not None and a.value != ZERO:
                out.append((code, label_key(r.label), a.value))
    return sorted(out)


def economic_rows(report: Report) -> list[tuple[str, str]]:
    """Every 公开06 row with a code: (code, comparable name), longest names first (for matching)."""
    t = report.tables.get("公开06")
    if t is None:
        return []
    out = []
    for r in t.rows.values():
        code = r.code or (r.key if r.key.isdigit() else None)
        if code and r.label:
            out.append((code, name_key(r.label)))
    return sorted(out, key=lambda cn: -len(cn[1]))


def same_name(a: str, b: str) -> bool:
    """Two 科目 names are the same up to brackets, width and a trailing 支出, or aliases of one
    another in the codes catalogue."""
    from xltools.codes import same_name as catalogue_same

    return name_key(a) == name_key(b) or catalogue_same(a, b)
