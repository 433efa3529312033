"""The printed shape of one 公开 table, from its format data: header paths, label cells, value cells.

A SheetPlan is layout-neutral: columns with their header path (the labels from the top header row
down, merged where neighbours share them), an optional 栏次 row, and body rows whose value cells
are keyed (row key, column key) as the rule catalogue names them. xltools/fill/render.py prints it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

from xltools.datacache import parse_toml
from xltools.formats import ColumnSpec, RowSpec, SideSpec, TableSpec

NUMERALS = "一二三四五六七八九十"
WIDTH_LABEL, WIDTH_CODE, WIDTH_LINE, WIDTH_VALUE = 34.0, 12.0, 6.0, 14.0
Label = str | int | None  # what a label cell holds: text, a 行次 or 栏次 number, or nothing
Entry = tuple[str, str, RowSpec | None]  # (row key, label, row spec) of a ledger line


@cache
def presentation() -> dict[str, Any]:
    """xltools/fill/presentation.toml: notes, header groups and the 公开06 column groups."""
    text = resources.files(__package__).joinpath("presentation.toml").read_text(encoding="utf-8")
    return parse_toml(text)


def numeral(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 21 → 二十一."""
    tens, ones = divmod(n, 10)
    head = "" if tens == 0 else ("十" if tens == 1 else NUMERALS[tens - 1] + "十")
    return head + (NUMERALS[ones - 1] if ones else "")


def display(text: str) -> str:
    """Header text as printed: full-width brackets."""
    return text.replace("(", "（").replace(")", "）")


@dataclass
class BodyRow:
    """One printed row: label texts by column index, and the value cells it offers."""

    labels: dict[int, Label] = field(default_factory=dict)
    values: dict[int, tuple[str, str]] = field(default_factory=dict)  # column → (row key, col key)
    merges: list[tuple[int, int]] = field(default_factory=list)  # label spans (first, last column)
    bold: bool = False
    indent: set[int] = field(default_factory=set)
    lines: dict[str, int] = field(default_factory=dict)  # row key → 行次 printed on this row


@dataclass
class SheetPlan:
    table: TableSpec
    headers: list[tuple[str, ...]]
    widths: list[float]
    lanci: list[Label] | None = None
    lanci_merges: list[tuple[int, int]] = field(default_factory=list)
    body: list[BodyRow] = field(default_factory=list)
    text_columns: set[int] = field(default_factory=set)  # columns of codes/labels (left-aligned)


# ---------------------------------------------------------------- ledger (公开01, 公开04)


def _path(col: ColumnSpec) -> tuple[str, ...]:
    return tuple(display(p) for p in col.name.split())


def _side_rows(side: SideSpec, classes: Sequence[tuple[str, str]]) -> tuple[list[Entry], list[Entry]]:
    """(top block, bottom block) of one side as (row key, label, spec) triples."""
    top: list[Entry] = []
    if side.class_lines:
        top += [(code, f"{numeral(i)}、{name}", None) for i, (code, name) in enumerate(classes, 1)]
    numbered = [r for r in side.rows if r.group == "income_lines"]
    top += [(r.key, f"{numeral(i)}、{r.name}", r) for i, r in enumerate(numbered, 1)]
    bottom: list[Entry] = [(r.key, r.name, r) for r in side.rows if r.group != "income_lines"]
    return top, bottom


def _align_bottom(rows: list[Any], size: int) -> list[Any]:
    """The bottom block padded to `size`: the last row (总计) stays last, blanks go before it."""
    if len(rows) >= size or not rows:
        return rows + [None] * (size - len(rows))
    return rows[:-1] + [None] * (size - len(rows)) + rows[-1:]


def ledger_plan(spec: TableSpec, classes: Sequence[tuple[str, str]]) -> SheetPlan:
    labels = presentation()["ledger"]["labels"]
    headers: list[tuple[str, ...]] = []
    widths: list[float] = []
    lanci: list[Label] = []
    starts = []
    for side in spec.sides:
        starts.append(len(headers))
        headers += [(side.name, labels[0]), (side.name, labels[1])]
        headers += [(side.name, *_path(c)) for c in side.columns]
        widths += [WIDTH_LABEL, WIDTH_LINE] + [WIDTH_VALUE] * len(side.columns)
        lanci += ["栏次", None, *(c.lanci for c in side.columns)]
    blocks = [_side_rows(s, classes) for s in spec.sides]
    k = max(len(t) for t, _ in blocks)
    b = max(len(bt) for _, bt in blocks)
    sides = [(t + [None] * (k - len(t))) + _align_bottom(bt, b) for t, bt in blocks]
    plan = SheetPlan(spec, headers, widths, lanci, text_columns={s for s in starts})
    for i in range(k + b):
        row = BodyRow()
        for n, (side, start) in enumerate(zip(spec.sides, starts, strict=True)):
            line = n * (k + b) + i + 1
            row.labels[start + 1] = line
            entry = sides[n][i]
            if entry is None:
                continue
            key, label, rs = entry
            row.labels[start] = label
            row.lines[key] = line
            row.bold = row.bold or bool(rs and rs.required)
            if rs is not None and rs.group == "opening_lines":
                row.indent.add(start)
            for j, c in enumerate(side.columns):
                row.values[start + 2 + j] = (key, c.key)
        plan.body.append(row)
    return plan


# ---------------------------------------------------------------- code rows (02, 03, 05, 08, 09)


def _grouped_paths(spec: TableSpec) -> list[tuple[str, ...]]:
    """Header paths of the value columns, with the configured group label put above the last
    label of each member column ('row.key' or 'key') that does not already carry it."""
    groups: dict[str, list[str]] = presentation()["header_groups"].get(spec.id, {})
    over = {key: name for name, keys in groups.items() for key in keys}
    out = []
    for c in spec.columns:
        path = _path(c)
        label = over.get(f"{c.row}.{c.key}" if c.row else c.key)
        if label and label not in path:
            path = (*path[:-1], label, path[-1])
        out.append(path)
    return out


def codes_plan(spec: TableSpec, rows: Sequence[tuple[str, str]] | None) -> SheetPlan:
    """`rows`: the (code, name) rows under 合计, or None for a template's blank rows."""
    conf = presentation()["codes"]
    headers = [(conf["over"], conf["labels"][0]), (conf["over"], conf["labels"][1]), *_grouped_paths(spec)]
    widths = [WIDTH_CODE, WIDTH_LABEL] + [WIDTH_VALUE] * len(spec.columns)
    lanci: list[Label] = ["栏次", None, *(c.lanci for c in spec.columns)]
    plan = SheetPlan(spec, headers, widths, lanci, [(0, 1)], text_columns={0, 1})
    total = BodyRow(labels={0: "合计"}, merges=[(0, 1)], bold=True)
    total.values = {2 + j: ("total", c.key) for j, c in enumerate(spec.columns)}
    plan.body.append(total)
    if rows is None:
        plan.body += [BodyRow() for _ in range(int(conf["template_rows"]))]
        return plan
    for code, name in rows:
        row = BodyRow(labels={0: code, 1: name}, bold=len(code) == 3)
        row.values = {2 + j: (code, c.key) for j, c in enumerate(spec.columns)}
        if len(code) > 3:
            row.indent.add(1)
        plan.body.append(row)
    return plan


# ---------------------------------------------------------------- economic (公开06)


def economic_plan(spec: TableSpec, catalogue: Sequence[tuple[str, str]]) -> SheetPlan:
    """`catalogue`: every economic (code, name) in order; placed in the configured column groups."""
    conf = presentation()["economic"]
    groups: list[list[str]] = conf["columns"]
    col = spec.columns[0].key
    headers: list[tuple[str, ...]] = [(str(label),) for _ in groups for label in conf["labels"]]
    widths = [WIDTH_CODE - 2, WIDTH_LABEL - 6, WIDTH_VALUE - 2] * len(groups)
    lists = [[(c, n) for c, n in catalogue if c[:3] in classes] for classes in groups]
    plan = SheetPlan(
        spec, headers, widths, text_columns={3 * g + i for g in range(len(groups)) for i in (0, 1)}
    )
    for i in range(max(len(x) for x in lists)):
        row = BodyRow()
        for g, entries in enumerate(lists):
            if i < len(entries):
                code, name = entries[i]
                row.labels[3 * g], row.labels[3 * g + 1] = code, name
                row.values[3 * g + 2] = (code, col)
                if len(code) > 3:
                    row.indent.add(3 * g + 1)
        plan.body.append(row)
    plan.body.append(_economic_footer(spec, conf, len(groups), col))
    return plan


def _economic_footer(spec: TableSpec, conf: dict[str, Any], n_groups: int, col: str) -> BodyRow:
    starts = sorted((int(g), key) for key, g in conf["totals"].items())
    row = BodyRow(bold=True)
    for i, (g, key) in enumerate(starts):
        end = starts[i + 1][0] - 1 if i + 1 < len(starts) else n_groups - 1
        rs = spec.row(key)
        row.labels[3 * g] = rs.name if rs else key
        row.merges.append((3 * g, 3 * end + 1))
        row.values[3 * end + 2] = (key, col)
    return row


# ---------------------------------------------------------------- single row (公开07)


def single_plan(spec: TableSpec) -> SheetPlan:
    headers = _grouped_paths(spec)
    plan = SheetPlan(spec, headers, [WIDTH_VALUE - 2] * len(headers), [c.lanci for c in spec.columns])
    plan.body.append(BodyRow(values={j: (c.row or "", c.key) for j, c in enumerate(spec.columns)}))
    return plan
