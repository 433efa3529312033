"""The worksheet functions (CHECK_TOTAL …) as pure functions: Decimal arithmetic on values as Excel
passes them, no workbook, no Excel. xltools/excel/udfs.py exposes them to Excel, and the reader computes
a workbook's uncached =CHECK_TOTAL() cells with them (registered below with read/compute.py).

CHECK_RULE is not here: it judges the whole workbook, so only Excel (udfs.py) may call it."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal
from typing import Any, Protocol

from xltools.numbers import percent, round_half_up
from xltools.read.compute import register_functions
from xltools.rules.evaluate import tail_bound
from xltools.rules.results import format_amount
from xltools.text import parse_amount, parse_code
from xltools.vocabulary import RANK, VERDICT_LABELS, Verdict

PASS = VERDICT_LABELS[Verdict.PASS]  # the words `xltools check` and the 校验 sheet use
TAIL = VERDICT_LABELS[Verdict.TAIL]
DIFF = "差额"
DASH = "—"
TEN_THOUSAND = Decimal(10000)


class BadValue(ValueError):
    """A cell that should hold an amount holds text that is not one; str() is the Chinese verdict."""


def flatten(value: object) -> list[object]:
    """A cell, a row, a 2-D block (lists or numpy arrays) → a flat list of cell values."""
    if isinstance(value, (str, bytes)) or not isinstance(value, Iterable):
        return [value]
    if hasattr(value, "tolist"):  # numpy arrays (formulas) and numpy scalars
        return flatten(value.tolist())
    out: list[object] = []
    for v in value:
        out.extend(flatten(v))
    return out


def amounts(value: object) -> list[Decimal]:
    """The printed amounts of a cell or range: blanks and '-' dropped (they print nothing, so carry no
    rounding), text numbers parsed. Raises BadValue for text that is not an amount."""
    found: list[Decimal] = []
    for raw in flatten(value):
        parsed = parse_amount(raw)
        if parsed.value is None:
            raise BadValue(f"无法识别：{raw}")
        if not parsed.blank:
            found.append(parsed.value)
    return found


def verdict(difference: Decimal, tolerance: Decimal) -> str:
    """通过 when equal, 尾差 d within the tolerance, 差额 d beyond it."""
    if difference == 0:
        return PASS
    word = TAIL if abs(difference) <= tolerance else DIFF
    return f"{word} {format_amount(difference)}"


def _tolerance(explicit: object, printed: int) -> Decimal:
    """The tail bound: given, or 0.005 × (number of printed values on both sides)."""
    if explicit is None or explicit == "":
        return tail_bound(printed)
    value = parse_amount(explicit).value
    if value is None:
        raise BadValue(f"容差无法识别：{explicit}")
    return abs(value)


def check_equal(a: object, b: object, tolerance: object = None) -> str:
    """a against b (each a cell or a range, summed): 通过 / 尾差 d / 差额 d with d = a − b.

    The default tolerance is the rounding of every printed value: |d| ≤ 0.005 × (values printed)."""
    try:
        left, right = amounts(a), amounts(b)
        tol = _tolerance(tolerance, len(left) + len(right))
    except BadValue as exc:
        return str(exc)
    return verdict(sum(left, Decimal(0)) - sum(right, Decimal(0)), tol)


def check_total(total: object, parts: object, tolerance: object = None) -> str:
    """A total against the sum of its parts: 通过 / 尾差 0.01 / 差额 -9.02 (total − Σ parts).

    Tail rule: |difference| ≤ 0.005 × (number of addends + 1); blanks are not addends."""
    return check_equal(total, parts, tolerance)


def _codes(codes: object) -> list[str | None]:
    return [parse_code(c)[0] for c in flatten(codes)]


def children(code: str, present: Sequence[str | None]) -> list[int]:
    """Positions of the nearest printed descendants of `code`: its 款 (5 digits) under a 类 (3), its 项 (7)
    under a 款; where a level is skipped (a 项 printed without its 款), the deeper row counts."""
    below = [(i, c) for i, c in enumerate(present) if c and c.startswith(code) and len(c) > len(code)]
    between = {c for _, c in below}
    out = []
    for i, c in below:
        if not any(p != c and c.startswith(p) and len(p) < len(c) for p in between):
            out.append(i)
    return out


def check_rollup(codes: object, amounts_: object, code: object) -> str:
    """A 类 or 款 row against the sum of its children, found by code prefix in parallel columns.

    Returns 通过 / 尾差 d / 差额 d (d = row − Σ children), 无此科目 when the code is not printed,
    无下级 for a leaf."""
    wanted = parse_code(flatten(code)[0])[0]
    if wanted is None:
        return f"科目编码无法识别：{flatten(code)[0]}"
    present = _codes(codes)
    values = flatten(amounts_)
    if len(values) != len(present):
        return "编码与金额区域行数不同"
    if wanted not in present:
        return f"无此科目：{wanted}"
    kids = children(wanted, present)
    if not kids:
        return "无下级"
    return check_total(values[present.index(wanted)], [values[i] for i in kids])


def wanyuan(yuan: object) -> float | str:
    """元 → 万元, rounded half up to 2 decimals; blank → ''. Text that is no amount → its verdict."""
    parsed = parse_amount(flatten(yuan)[0])
    if parsed.value is None:
        return f"无法识别：{flatten(yuan)[0]}"
    if parsed.blank:
        return ""
    return float(round_half_up(parsed.value / TEN_THOUSAND))


def pct(part: object, whole: object, digits: object = None) -> str:
    """part / whole as a percentage for prose, half up: '12.30%'; whole 0 or blank → '—'."""
    p, w = parse_amount(flatten(part)[0]), parse_amount(flatten(whole)[0])
    if p.value is None or w.value is None:
        return DASH
    places = 2 if digits is None or digits == "" else int(Decimal(str(digits)))
    value = percent(p.value, w.value, places)
    return DASH if value is None else f"{value:f}%"


# CHECK_RULE's words for a rule's worst verdict (a cell has no room for 不通过/提示 columns)
CELL_WORDS: dict[Verdict, str] = {
    Verdict.ERROR: "错误",
    Verdict.TAIL: TAIL,
    Verdict.WARNING: "警告",
    Verdict.FORMAT: VERDICT_LABELS[Verdict.FORMAT],
    Verdict.PASS: PASS,
    Verdict.NA: VERDICT_LABELS[Verdict.NA],
}


class Judged(Protocol):
    """What rule_verdicts needs of a finding (rules.results.Finding)."""

    @property
    def rule(self) -> str: ...

    @property
    def verdict(self) -> Verdict: ...

    @property
    def difference(self) -> Decimal | None: ...


def rule_verdicts(findings: Iterable[Judged]) -> dict[str, str]:
    """rule id → the worst verdict of its findings, as a cell shows it: 通过 / 尾差 d / 差额 d / 警告 …"""
    worst: dict[str, Judged] = {}
    for f in findings:
        if f.rule not in worst or RANK[f.verdict] > RANK[worst[f.rule].verdict]:
            worst[f.rule] = f
    return {rule: verdict_text(f) for rule, f in worst.items()}


def verdict_text(finding: Judged) -> str:
    """One finding as CHECK_RULE shows it: a tail or an error with its difference, else a word."""
    d = finding.difference
    if finding.verdict in (Verdict.TAIL, Verdict.ERROR) and d is not None:
        return f"{TAIL if finding.verdict == Verdict.TAIL else DIFF} {format_amount(d)}"
    return CELL_WORDS[finding.verdict]


# the pure worksheet functions by their Excel names, with Excel's argument order
WORKSHEET_FUNCTIONS: dict[str, Callable[..., Any]] = {
    "CHECK_TOTAL": check_total,
    "CHECK_EQUAL": check_equal,
    "CHECK_ROLLUP": check_rollup,
    "WANYUAN": wanyuan,
    "PCT": pct,
}
register_functions(WORKSHEET_FUNCTIONS)
