"""Compute formula cells that were saved without a cached value (files written by openpyxl, or by
xltools fix). The formulas clerks write in these tables — SUM of ranges, + − * / of cells and numbers
— are computed here directly, in microseconds; anything else goes to the `formulas` package."""

from __future__ import annotations

import contextlib
import io
import re
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from xltools.model import column_number

if TYPE_CHECKING:
    from xltools.read.grid import SheetGrid

_KEY = re.compile(r"^'?\[[^\]]*\](.*?)'?!([A-Z]+)([0-9]+)$")
_TOKEN = re.compile(
    r"\s*(?:(?P<ref>(?:'(?P<qs>[^']+)'|(?P<s>[^\s'!():,+\-*/=<>&\"]+))?!?\$?(?P<c1>[A-Z]{1,3})\$?(?P<r1>[0-9]+)"
    r"(?::\$?(?P<c2>[A-Z]{1,3})\$?(?P<r2>[0-9]+))?)|(?P<num>[0-9]+(?:\.[0-9]*)?)|(?P<fn>SUM)\(|(?P<op>[-+*/(),]))",
    re.IGNORECASE,
)


Ref = tuple[str, int, int, int, int]  # sheet, first row, first col, last row, last col
Token = tuple[str, object]


class Unsupported(Exception):
    """A formula the fast path does not compute."""


class _Evaluator:
    def __init__(self, grids: list[SheetGrid]) -> None:
        self.sheets = {g.name.upper(): g for g in grids}
        self.done: dict[tuple[str, int, int], float] = {}
        self.active: set[tuple[str, int, int]] = set()

    def cell(self, sheet: str, row: int, col: int) -> float:
        grid = self.sheets.get(sheet.upper())
        if grid is None:
            raise Unsupported(sheet)
        key = (grid.name, row, col)
        if (row, col) in grid.formulas and key not in self.done:
            if key in self.active:
                raise Unsupported("circular")
            self.active.add(key)
            self.done[key] = self.formula(grid, grid.formulas[(row, col)])
            self.active.discard(key)
        if key in self.done:
            return self.done[key]
        v = grid.value(row, col)
        if isinstance(v, bool) or not isinstance(v, (int, float)):
            return 0.0  # Excel's SUM and + treat text and blanks in ranges as 0 here
        return float(v)

    def formula(self, grid: SheetGrid, text: str) -> float:
        tokens = self.tokens(grid, text.lstrip("="))
        value, rest = self.expr(tokens)
        if rest:
            raise Unsupported(text)
        return value

    def tokens(self, grid: SheetGrid, text: str) -> list[Token]:
        out: list[Token] = []
        pos = 0
        while pos < len(text.rstrip()):
            m = _TOKEN.match(text, pos)
            if not m or m.end() == pos:
                raise Unsupported(text)
            pos = m.end()
            if m.group("ref"):
                sheet = m.group("qs") or m.group("s") or grid.name
                r1, c1 = int(m.group("r1")), column_number(m.group("c1"))
                r2, c2 = (int(m.group("r2")), column_number(m.group("c2"))) if m.group("c2") else (r1, c1)
                out.append(("ref", (sheet, r1, c1, r2, c2)))
            elif m.group("num"):
                out.append(("num", float(m.group("num"))))
            elif m.group("fn"):
                out.append(("sum", None))
            else:
                out.append(("op", m.group("op")))
        return out

    def expr(self, t: list[Token]) -> tuple[float, list[Token]]:
        value, t = self.term(t)
        while t and t[0] in (("op", "+"), ("op", "-")):
            op = t[0][1]
            rhs, t = self.term(t[1:])
            value = value + rhs if op == "+" else value - rhs
        return value, t

    def term(self, t: list[Token]) -> tuple[float, list[Token]]:
        value, t = self.factor(t)
        while t and t[0] in (("op", "*"), ("op", "/")):
            op = t[0][1]
            rhs, t = self.factor(t[1:])
            if op == "/" and rhs == 0:
                raise Unsupported("division by zero")
            value = value * rhs if op == "*" else value / rhs
        return value, t

    def factor(self, t: list[Token]) -> tuple[float, list[Token]]:
        if not t:
            raise Unsupported("empty")
        kind, v = t[0]
        if kind == "op" and v == "-":
            value, rest = self.factor(t[1:])
            return -value, rest
        if kind == "op" and v == "+":
            return self.factor(t[1:])
        if kind == "num" and isinstance(v, float):
            return v, t[1:]
        if kind == "ref":
            sheet, r1, c1, r2, c2 = _ref(v)
            if (r1, c1) != (r2, c2):
                raise Unsupported("range outside SUM")
            return self.cell(sheet, r1, c1), t[1:]
        if kind == "op" and v == "(":
            value, rest = self.expr(t[1:])
            if not rest or rest[0] != ("op", ")"):
                raise Unsupported("parenthesis")
            return value, rest[1:]
        if kind == "sum":
            return self.sum_args(t[1:])
        raise Unsupported(str(v))

    def sum_args(self, t: list[Token]) -> tuple[float, list[Token]]:
        total = 0.0
        while t and t[0] != ("op", ")"):
            kind, v = t[0]
            if kind == "ref":
                sheet, r1, c1, r2, c2 = _ref(v)
                if (r2 - r1 + 1) * (c2 - c1 + 1) > 100_000:
                    raise Unsupported("range too large")
                total += sum(self.cell(sheet, r, c) for r in range(r1, r2 + 1) for c in range(c1, c2 + 1))
                t = t[1:]
            else:
                value, t = self.expr(t)
                total += value
            if t and t[0] == ("op", ","):
                t = t[1:]
        if not t:
            raise Unsupported("unclosed SUM")
        return total, t[1:]


def _ref(v: object) -> Ref:
    if not isinstance(v, tuple) or len(v) != 5:
        raise Unsupported("reference")
    return (str(v[0]), int(v[1]), int(v[2]), int(v[3]), int(v[4]))


def _store(grid: SheetGrid, row: int, col: int, value: object) -> None:
    while len(grid.rows) < row:
        grid.rows.append([])
    r = grid.rows[row - 1]
    while len(r) < col:
        r.append(None)
    r[col - 1] = value


def compute_uncached(path: Path, grids: list[SheetGrid], sheets: set[str] | None = None) -> None:
    """Fill the uncached formula cells of the grids named in `sheets` (all when None) with their
    computed value: the fast path first, the `formulas` package for whatever it cannot do; a cell
    neither computes stays None."""
    ev = _Evaluator(grids)
    left = False
    for grid in grids:
        if sheets is not None and grid.name not in sheets:
            continue
        for row, col in grid.formulas:
            try:
                _store(grid, row, col, round(ev.cell(grid.name, row, col), 10))
            except (Unsupported, RecursionError):
                left = True
    if left:
        _compute_with_formulas(path, grids, sheets)


# worksheet functions beyond Excel's own that a workbook may use (xltools' =CHECK_TOTAL() …): name → a
# pure function of Excel-shaped arguments. xltools/rules/functions.py registers them; the reader never
# imports a higher layer, and never computes a function that reads a workbook (CHECK_RULE).
_FUNCTIONS: dict[str, Callable[..., Any]] = {}


def register_functions(functions: Mapping[str, Callable[..., Any]]) -> None:
    """Make pure worksheet functions known to the `formulas` fallback of the reader."""
    _FUNCTIONS.update(functions)


def formulas_function(fn: Callable[..., Any]) -> Callable[..., Any]:
    """`fn` as the `formulas` package calls it: ranges arrive as Excel passes them (nested lists, None
    for an empty cell), and an error value in an argument is the result, as in Excel."""
    from formulas.functions import wrap_ranges_func

    def compute(*args: Any) -> Any:
        for a in args:
            error = _formulas_error(a)
            if error is not None:
                return error
        return fn(*(_from_formulas(a) for a in args))

    compute.__name__ = fn.__name__
    compute.__doc__ = fn.__doc__
    return wrap_ranges_func(compute)


def _from_formulas(value: Any) -> Any:
    """A `formulas` argument → what Excel would pass: numpy ranges → nested lists, its empty token → None."""
    import schedula as sh

    if hasattr(value, "tolist") and getattr(value, "ndim", 0) > 0:
        return [_from_formulas(v) for v in value.tolist()]
    if isinstance(value, list):
        return [_from_formulas(v) for v in value]
    if value is sh.EMPTY:
        return None
    if hasattr(value, "item"):  # numpy scalar
        return value.item()
    return value


def _formulas_error(value: Any) -> Any:
    from formulas.tokens.operand import XlError

    if hasattr(value, "tolist"):
        value = value.tolist()
    stack = [value]
    while stack:
        v = stack.pop()
        if isinstance(v, (list, tuple)):
            stack.extend(v)
        elif isinstance(v, XlError):
            return v
    return None


@contextlib.contextmanager
def _only_pure_functions() -> Iterator[None]:
    """The registered pure functions in `formulas`' function table while the reader computes; any other
    function registered there by name (Excel's CHECK_RULE reads the workbook being read) is hidden."""
    from formulas.functions import get_functions

    table = get_functions()
    saved = {name: table[name] for name in ("CHECK_RULE", *_FUNCTIONS) if name in table}
    for name in saved:
        del table[name]
    table.update({name: formulas_function(fn) for name, fn in _FUNCTIONS.items()})
    try:
        yield
    finally:
        for name in _FUNCTIONS:
            table.pop(name, None)
        table.update(saved)


def _compute_with_formulas(path: Path, grids: list[SheetGrid], sheets: set[str] | None) -> None:
    import formulas

    wanted = {g.name.upper(): g for g in grids if g.formulas and (sheets is None or g.name in sheets)}
    try:
        with contextlib.redirect_stderr(io.StringIO()), _only_pure_functions():
            solution = formulas.ExcelModel().loads(str(path)).finish().calculate()
    except Exception:  # an unparsable formula fails the whole load: leave those cells empty
        return
    for key, value in solution.items():
        m = _KEY.match(str(key))
        grid = wanted.get(m.group(1).upper()) if m else None
        if m is None or grid is None:
            continue
        cell = (int(m.group(3)), column_number(m.group(2)))
        if cell not in grid.formulas or grid.value(*cell) is not None:
            continue
        raw = getattr(value, "value", value)
        try:
            v = raw[0][0] if hasattr(raw, "__getitem__") and not isinstance(raw, str) else raw
        except (IndexError, TypeError):
            continue
        if isinstance(v, (int, float, str)) and not isinstance(v, bool):
            _store(grid, *cell, v if isinstance(v, str) else float(v))
