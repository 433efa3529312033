"""The plan as a table for people: 类型, 单元格, 原值, 新值, 规则, 原因; then what needs a person."""

from __future__ import annotations

import unicodedata
from decimal import Decimal

from xltools.fix.model import KIND_LABELS, Change, Plan

HEADERS = ("类型", "单元格", "原值", "新值", "规则", "原因")


def shown(value: object) -> str:
    """A value as the table shows it: numbers as printed, text quoted, blank as （空）."""
    if value is None:
        return "（空）"
    if isinstance(value, Decimal):
        return f"{value:f}"
    if isinstance(value, str):
        return f"“{value}”"
    return str(value)


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))


def rows(changes: tuple[Change, ...]) -> list[tuple[str, ...]]:
    return [(KIND_LABELS[c.kind], c.cell.a1(), shown(c.old), shown(c.new), c.rule, c.reason) for c in changes]


def to_table(plan: Plan, changes: tuple[Change, ...] | None = None) -> str:
    """The plan (or the given subset of its changes) as an aligned text table with a count line."""
    body = rows(plan.changes if changes is None else changes)
    lines: list[str] = []
    if body:
        widths = [max(_width(r[i]) for r in [HEADERS, *body]) for i in range(len(HEADERS) - 1)]
        for r in [HEADERS, *body]:
            lines.append("  ".join(_pad(v, w) for v, w in zip(r[:-1], widths, strict=True)) + "  " + r[-1])
    else:
        lines.append("无需修改。")
    for review in plan.reviews:
        lines.append(f"需人工核实  {review.rule}  {review.message}；{review.reason}")
    for note in plan.unresolved:
        lines.append(f"尾差未调整  {note}")
    counts = {
        k: sum(1 for c in (plan.changes if changes is None else changes) if c.kind == k) for k in KIND_LABELS
    }
    parts = [f"{KIND_LABELS[k]} {n}" for k, n in counts.items() if n]
    lines.append(
        f"共 {len(body)} 处修改"
        + (f"（{'，'.join(parts)}）" if parts else "")
        + f"；需人工核实 {len(plan.reviews)} 项。"
    )
    return "\n".join(lines) + "\n"
