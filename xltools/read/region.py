"""The rows of one table on its sheet: header words per column (merges followed), the 栏次 row,
unit and department lines, and the columns a format's column specs mean."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property
from itertools import pairwise

from xltools.formats import ColumnSpec
from xltools.model import CENT, Amount, Cell, Problem
from xltools.read.amounts import printed_amount
from xltools.read.grid import SheetGrid
from xltools.read.locate import match_marker, match_title
from xltools.text import LANCI_BELOW, label_key, parse_amount, squash
from xltools.vocabulary import Severity

_DEPARTMENT = re.compile(
    r"(?:部门名称|部门|单位名称|编制单位|预算单位|填报单位)[:：]\s*(.*?)\s*(?=金额单位|单位[:：]|$|\s{2,}|\u3000)"
)
_UNIT = re.compile(r"(?:金额单位|单位)[:：]\s*(万元|千元|百元|元)")
_UNIT_IN_HEADER = re.compile(r"[(（](?:(?:金额)?单位[:：]|金额[:：])?(万元|千元|百元|元)[)）]")
_SCALES = {"万元": Decimal(1), "千元": Decimal("0.1"), "百元": Decimal("0.01"), "元": Decimal("0.0001")}
_NOTE = re.compile(r"^(注|说明|备注|\(注|（注)")


class Unrecognised(Exception):
    """A table found by its title whose layout the reader cannot make out: what, and where."""

    def __init__(self, what: str, cell: Cell) -> None:
        super().__init__(what)
        self.what = what
        self.cell = cell


@dataclass
class Region:
    """The rectangle rows `top`..`bottom`, columns `left`..`right` of a sheet, holding one table.
    Everything outside it reads as empty: a table beside it on the same rows is not its business."""

    grid: SheetGrid
    top: int
    bottom: int
    problems: list[Problem] = field(default_factory=list)
    above: int = 0  # rows above the title that may still carry its 部门/单位 line
    left: int = 1
    right: int | None = None  # None: to the sheet's last column
    split_col: int | None = None  # the 类 column of split 类 | 款 | 项 code columns
    split_codes: dict[int, str] = field(default_factory=dict)
    uncomputed: list[Cell] = field(default_factory=list)  # formula cells read without a value
    _merge_owner: dict[tuple[int, int], tuple[int, int]] = field(default_factory=dict)
    _texts: dict[int, list[str]] = field(default_factory=dict)  # row → its text cells, from column 1
    _headers: dict[int, list[str]] = field(default_factory=dict)  # row → header_row

    def __post_init__(self) -> None:
        right = self.right or 16384
        for r1, c1, r2, c2 in self.grid.merges:
            if r2 < self.top - self.above or r1 > self.bottom or c2 < self.left or c1 > right:
                continue
            for r in range(r1, r2 + 1):
                for c in range(c1, c2 + 1):
                    if (r, c) != (r1, c1):
                        self._merge_owner[(r, c)] = (r1, c1)

    @property
    def sheet(self) -> str:
        return self.grid.name

    @cached_property
    def width(self) -> int:
        """The last column of the region (columns are numbered as on the sheet)."""
        found = max((len(self.grid.rows[r - 1]) for r in self.rows()), default=0)
        return found if self.right is None else min(found, self.right)

    def rows(self) -> range:
        return range(self.top, min(self.bottom, self.grid.height) + 1)

    def cols(self) -> range:
        return range(self.left, self.width + 1)

    def inside(self, c: int) -> bool:
        return self.left <= c <= self.width

    def value(self, r: int, c: int) -> object:
        return self.grid.value(r, c) if self.left <= c <= self.width else None

    def header_text(self, r: int, c: int) -> str:
        """A header cell's words, a merged cell reading as its top-left cell."""
        if 0 < c <= self.width:
            return self.header_row(r)[c - 1]
        if self.right is not None or c < 1:
            return ""
        rr, cc = self._merge_owner.get((r, c), (r, c))
        return _header_words(self.grid.value(rr, cc))

    def header_row(self, r: int) -> list[str]:
        """header_text of row r's columns 1..width, worked out once."""
        found = self._headers.get(r)
        if found is None:
            row = self.grid.rows[r - 1] if 0 < r <= self.grid.height else []
            found = [""] * (self.left - 1) + [_header_words(v) for v in row[self.left - 1 : self.width]]
            found += [""] * (self.width - len(found))
            for c in self.cols():
                if (owner := self._merge_owner.get((r, c))) is not None:
                    found[c - 1] = _header_words(self.grid.value(*owner))
            self._headers[r] = found
        return found

    def texts(self, r: int) -> list[str]:
        """Row r's cells as text from column 1 ('' for a number or an empty cell), read once."""
        found = self._texts.get(r)
        if found is None:
            row = self.grid.rows[r - 1] if 0 < r <= self.grid.height else []
            cut = row[self.left - 1 : self.width]
            found = [""] * (self.left - 1) + [v if isinstance(v, str) else "" for v in cut]
            self._texts[r] = found
        return found

    def text(self, r: int, c: int) -> str:
        texts = self.texts(r)
        return texts[c - 1] if 0 < c <= len(texts) else ""

    def cell(self, r: int, c: int) -> Cell:
        return Cell(self.sheet, r, c)

    @property
    def top_left(self) -> Cell:
        """The region's first cell: where a finding about the whole table points."""
        return Cell(self.sheet, self.top, self.left)

    def is_meta_row(self, r: int) -> bool:
        """A title, 公开NN表, 单位 or 部门 line — not part of the header."""
        texts = [t for t in self.texts(r)[: self.width] if t.strip()]
        if not texts:
            return False
        return all(
            match_title(t)
            or match_marker(t)
            or _UNIT.search(squash(t))
            or _DEPARTMENT.search(squash(t))
            or label_key(t) in ("部门", "单位", "金额单位")
            for t in texts
        )

    def lanci(self, rows: range) -> tuple[int | None, dict[int, int]]:
        """The 栏次 row among `rows` and its numbers → sheet column."""
        for r in rows:
            labels = [label_key(t) for t in self.texts(r)[: self.width]]
            numbers: dict[int, int] = {}
            row = self.grid.rows[r - 1] if r <= self.grid.height else []
            for c, v in enumerate(row[self.left - 1 : self.width], self.left):
                n = parse_amount(v).value if v is not None and v != "" else None
                if n is not None and n == n.to_integral_value() and 0 < n < LANCI_BELOW:
                    numbers.setdefault(int(n), c)
            is_lanci = ("栏次" in labels and numbers) or (len(numbers) >= 2 and _consecutive(numbers))
            if is_lanci and not any(label_key(t) for t in labels if t and t != "栏次" and not _is_int(t)):
                return r, numbers
        return None, {}

    def paths(self, header_rows: list[int], cols: range) -> dict[int, str]:
        """Each column's header words top to bottom, joined: '本年支出小计'."""
        out = {}
        for c in cols:
            parts: list[str] = []
            for r in header_rows:
                t = self.header_text(r, c)
                if t and (not parts or parts[-1] != t):
                    parts.append(t)
            out[c] = "".join(parts)
        return out

    def context(self, upto: int) -> tuple[str | None, Cell | None, str | None, Cell | None]:
        """(department, its cell, unit, its cell) from the lines above row `upto`."""
        dept = dept_cell = unit = unit_cell = None
        header_unit: str | None = None
        header_cell: Cell | None = None
        for r in range(max(1, self.top - self.above), upto):
            for c, t in enumerate(self.texts(r)[: self.width], 1):
                if not t:
                    continue
                s = squash(t)
                m = _UNIT.search(s)
                if m and unit is None:
                    unit, unit_cell = m.group(1), self.cell(r, c)
                if unit is None and (m := _UNIT_IN_HEADER.search(s)):
                    header_unit, header_cell = m.group(1), self.cell(r, c)
                d = _DEPARTMENT.search(t.strip())
                if d and dept is None and not s.startswith(("金额单位", "单位:")):
                    name = squash(d.group(1))
                    if not name and label_key(t) in ("部门:", "部门"):
                        name = squash(self.text(r, c + 1))
                    if name and not _UNIT.match(name):
                        dept, dept_cell = name, self.cell(r, c)
        if unit is None and header_unit is not None:
            unit, unit_cell = header_unit, header_cell
        return dept, dept_cell, unit, unit_cell

    def notes(self, start: int) -> list[tuple[str, Cell]]:
        out = []
        for r in range(start, self.bottom + 1):
            for c, raw in enumerate(self.texts(r)[: self.width], 1):
                t = raw.strip()
                if len(t) >= 6 and (_NOTE.match(t) or "无数据" in t or "没有" in t or "本表" in t):
                    out.append((t, self.cell(r, c)))
        return out


def _header_words(v: object) -> str:
    return label_key(str(v)) if v is not None and v != "" and not isinstance(v, (int, float)) else ""


def _is_int(text: str) -> bool:
    return text.isdigit()


def _consecutive(numbers: dict[int, int]) -> bool:
    keys = sorted(numbers)
    return (
        keys[0] == 1
        and keys == list(range(1, len(keys) + 1))
        and all(numbers[a] < numbers[b] for a, b in pairwise(keys))
    )


def scale_of(unit: str | None) -> Decimal:
    return _SCALES.get(unit or "万元", Decimal(1))


def assign_columns(
    specs: tuple[ColumnSpec, ...],
    candidates: list[int],
    paths: dict[int, str],
    lanci: dict[int, int],
    by_order: bool = True,
) -> dict[int, int]:
    """Spec index → sheet column: by header words (the best-explained header first), then by 栏次,
    then — only when no header word matched at all, and `by_order` — by order."""
    scored: list[tuple[float, int, int]] = []
    for i, spec in enumerate(specs):
        for alt in spec.headers:
            words = [label_key(w) for w in alt]
            for c in candidates:
                p = paths.get(c, "")
                if p and all(w in p for w in words):
                    scored.append((sum(len(w) for w in words) / len(p), i, c))
    out: dict[int, int] = {}
    taken: set[int] = set()
    for _, i, c in sorted(scored, key=lambda x: -x[0]):
        if i not in out and c not in taken:
            out[i] = c
            taken.add(c)
    for i, spec in enumerate(specs):
        at = lanci.get(spec.lanci) if spec.lanci else None
        if i not in out and at is not None and at not in taken and at in candidates:
            out[i] = at
            taken.add(at)
    if not scored and not lanci and by_order:
        free = [c for c in candidates if c not in taken]
        for i, c in zip([i for i in range(len(specs)) if i not in out], free, strict=False):
            out[i] = c
    return out


def read_amount(region: Region, r: int, c: int, scale: Decimal) -> Amount:
    """The amount printed at (r, c), in 万元; a non-number is unread (its rules n/a), a problem."""
    raw = region.value(r, c)
    cell = region.cell(r, c)
    formula = region.grid.formulas.get((r, c))
    if formula is not None and raw is None:  # saved without its value, and not computable here
        region.uncomputed.append(cell)
        return Amount(Decimal(0), cell, blank=True, quantum=CENT * scale, formula=formula, unread=True)
    parsed = parse_amount(raw)
    if parsed.value is None:  # never a zero: a value that was not found is not compared with anything
        message = f"{cell.a1()} 的内容“{raw}”不是金额，无法识别；涉及此格的规则不适用，请改为数值后再校验"
        region.problems.append(Problem("F0", message, cell, Severity.WARNING))
        return Amount(Decimal(0), cell, text=str(raw), quantum=CENT * scale, formula=formula, unread=True)
    return printed_amount(parsed.value, cell, scale, parsed.text, parsed.blank, formula)
