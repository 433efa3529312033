"""The report model: every amount of a 公开 workbook, with the cell it came from."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING

from xltools.vocabulary import Severity

if TYPE_CHECKING:
    from xltools.formats import Format

ZERO = Decimal("0")
CENT = Decimal("0.01")
TOTAL = "total"  # row key of the 合计 row in code-row tables


def column_letter(col: int) -> str:
    """1 → A, 27 → AA."""
    letters = ""
    while col > 0:
        col, rem = divmod(col - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def column_number(letters: str) -> int:
    """A → 1, AA → 27."""
    n = 0
    for ch in letters.upper():
        n = n * 26 + ord(ch) - 64
    return n


@dataclass(frozen=True, order=True)
class Cell:
    """A cell of the workbook, 1-based row and column."""

    sheet: str
    row: int
    col: int

    @property
    def coordinate(self) -> str:
        return f"{column_letter(self.col)}{self.row}"

    def a1(self) -> str:
        """The cell as Excel writes it in a formula: '公开06'!C5."""
        return f"'{self.sheet}'!{self.coordinate}"

    def __str__(self) -> str:
        return self.a1()


@dataclass(frozen=True)
class Amount:
    """One amount as printed, in 万元, and where it stands.

    `text` keeps the raw string when the cell held the number as text ('1, 022. 32'), so a fix can
    convert it; `blank` says the cell printed nothing (blank, '-'), which reads as zero.
    `quantum` is the printed precision in 万元 (0.01 for a table in 万元, 0.000001 for one in 元).
    """

    value: Decimal
    cell: Cell
    text: str | None = None
    blank: bool = False
    formula: str | None = None
    quantum: Decimal = CENT
    unread: bool = False  # not found: an uncomputable formula, or a cell that prints no amount


@dataclass(frozen=True)
class Term:
    """A value a rule speaks of: one printed amount, a sum of printed amounts (a 类 row the table
    does not print, derived from its children), or nothing at all (no such row: zero)."""

    value: Decimal
    cells: tuple[Cell, ...] = ()
    quantum: Decimal = CENT
    derived: bool = False
    unread: bool = False  # stands on an amount the reader could not find: no rule may use it

    @property
    def addends(self) -> int:
        """How many printed values make up this term (each carries its own rounding)."""
        return len(self.cells)


@dataclass
class Row:
    """One line of a table: its key (a code, 'total' or a fixed-row key), label and amounts."""

    key: str
    label: str = ""
    label_cell: Cell | None = None
    code: str | None = None
    line_no: int | None = None  # 行次
    line_cell: Cell | None = None
    side: int = 0
    values: dict[str, Amount] = field(default_factory=dict)


@dataclass
class Table:
    """One 公开 table as found in the workbook."""

    id: str  # 公开01 …
    title: str
    sheet: str
    anchor: Cell  # the title cell (or the sheet's first cell when the sheet name is the title)
    layout: str
    unit: str | None = None  # 万元, 元 … as printed; None when the table states none
    unit_cell: Cell | None = None
    scale: Decimal = Decimal(1)  # multiply printed amounts by this to get 万元
    department: str | None = None
    department_cell: Cell | None = None
    rows: dict[str, Row] = field(default_factory=dict)
    columns: dict[str, int] = field(default_factory=dict)  # column key → sheet column
    notes: list[tuple[str, Cell]] = field(default_factory=list)
    lines: list[tuple[int, int, Cell]] = field(default_factory=list)  # (side, 行次, cell)
    last_row: int = 0
    unread_columns: set[str] = field(default_factory=set)  # column keys the reader did not find
    _children: dict[str, list[str]] | None = field(default=None, repr=False, compare=False)

    def amount(self, row: str, col: str) -> Amount | None:
        r = self.rows.get(row)
        return None if r is None else r.values.get(col)

    def code_rows(self) -> Iterator[Row]:
        return (r for r in self.rows.values() if r.code is not None)

    def has_money(self) -> bool:
        return any(a.value != ZERO for r in self.rows.values() for a in r.values.values())

    def term(self, row: str, col: str) -> Term | None:
        """The value of (row, col); a code row the table does not print is the sum of its printed
        children (None when it has none either). A row without this column (the expense side of a
        ledger has no `amount`) is not found: None, never zero."""
        a = self.amount(row, col)
        if a is not None:
            return Term(a.value, (a.cell,), a.quantum, unread=a.unread)
        if row in self.rows:  # the row exists but has no such column (the reader keeps every cell of a
            return None  # column it read, blanks included): not found — never a silent zero
        if not row.isdigit():
            return None
        children = self.children(row)
        if not children:
            return None
        terms = [t for t in (self.term(c, col) for c in children) if t is not None]
        return Term(
            sum((t.value for t in terms), ZERO),
            tuple(c for t in terms for c in t.cells),
            max((t.quantum for t in terms), default=self._quantum()),
            derived=True,
            unread=any(t.unread for t in terms),
        )

    def children(self, code: str) -> list[str]:
        """The next level below `code` that the table prints or implies (款 of a 类, 项 of a 款);
        '' asks for the top level (类)."""
        if self._children is None:
            index: dict[str, dict[str, None]] = {}
            for c in (r.code for r in self.code_rows() if r.code):
                for parent, depth in (("", 3), (c[:3], 5), (c[:5], 7)):
                    if len(c) >= depth and len(c) > len(parent):
                        index.setdefault(parent, {})[c[:depth]] = None
            self._children = {k: list(v) for k, v in index.items()}
        return self._children.get(code, [])

    def _quantum(self) -> Decimal:
        return CENT * self.scale


@dataclass(frozen=True)
class Problem:
    """Something the reader noticed that is not a rule over amounts (an unknown code, a row it
    could not place). Reported as a finding of the rule `rule`."""

    rule: str
    message: str
    cell: Cell | None = None
    severity: Severity = Severity.WARNING


@dataclass
class Report:
    """A whole workbook read: its format, department, year and tables."""

    path: str
    format: Format
    tables: dict[str, Table] = field(default_factory=dict)
    year: int | None = None
    problems: list[Problem] = field(default_factory=list)
    unread: dict[str, Problem] = field(default_factory=dict)  # tables found but not recognised

    @property
    def department(self) -> str | None:
        names = [t.department for t in self.tables.values() if t.department]
        if not names:
            return None
        return max(set(names), key=lambda n: (names.count(n), len(n)))

    def table(self, table_id: str) -> Table | None:
        return self.tables.get(table_id)

    def term(self, table: str, row: str, col: str) -> Term | None:
        t = self.tables.get(table)
        return None if t is None else t.term(row, col)

    def amounts(self) -> Iterable[tuple[Table, Row, str, Amount]]:
        for t in self.tables.values():
            for r in t.rows.values():
                for col, a in r.values.items():
                    yield t, r, col, a
