"""Report formats as data: one TOML file per format or variant, loaded and validated on first use.

A format names its tables, their title aliases, the meaning of their columns (by header words and
栏次), their fixed rows (by name aliases and 行次) and which of them carry function-code rows.
A code-row table's columns and a ledger's fixed rows and expense columns also say, in `fill`, which
leaf amounts of `xltools fill` they add up (xltools/formats/leaves.py lists them; '-' subtracts).
A variant `extends` a base format and drops rows or columns; adding either needs no code.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from functools import cache, cached_property
from importlib import resources
from pathlib import Path
from typing import Any

from xltools.datacache import parse_toml
from xltools.errors import FormatError
from xltools.formats.leaves import LEAF_KEYS
from xltools.text import label_key

LAYOUTS = ("ledger", "codes", "economic", "single")
# how a table may stand on the sheet, tried in order by the reader: a ledger's two sides `across`
# (side by side) or `stacked` (income block above expenditure block); a single-row table's items
# `across` (one row of amounts per row key) or `down` (items down the rows, row keys across)
ARRANGEMENTS = {"ledger": ("across", "stacked"), "single": ("across", "down")}


@dataclass(frozen=True)
class ColumnSpec:
    key: str
    name: str
    headers: tuple[tuple[str, ...], ...]  # alternatives; each is words that must all appear
    lanci: int | None = None  # the 栏次 number printed above the column
    row: str | None = None  # single-row tables (公开07): the row key the column belongs to
    fund: str | None = None
    fill: tuple[str, ...] = ()  # leaves of `xltools fill` the column adds up ('-' subtracts)


@dataclass(frozen=True)
class RowSpec:
    key: str
    name: str
    aliases: tuple[str, ...] = ()
    line: int | None = None  # 行次
    group: str | None = None
    required: bool = False
    fund: str | None = None
    fill: tuple[str, ...] = ()  # leaves of `xltools fill` the row adds up over every 项 ('-' subtracts)

    @cached_property
    def keys(self) -> tuple[str, ...]:
        return tuple(label_key(n) for n in (self.name, *self.aliases))


@dataclass(frozen=True)
class SideSpec:
    name: str
    columns: tuple[ColumnSpec, ...]
    rows: tuple[RowSpec, ...]
    class_lines: bool = False


@dataclass(frozen=True)
class TableSpec:
    id: str
    title: str
    aliases: tuple[str, ...]
    layout: str
    columns: tuple[ColumnSpec, ...] = ()
    rows: tuple[RowSpec, ...] = ()
    sides: tuple[SideSpec, ...] = ()
    empty_note: bool = False
    arrangements: tuple[str, ...] = ("across",)

    @property
    def titles(self) -> tuple[str, ...]:
        return (self.title, *self.aliases)

    def all_columns(self) -> tuple[ColumnSpec, ...]:
        return self._all_columns

    def all_rows(self) -> tuple[RowSpec, ...]:
        return self._all_rows

    @cached_property
    def _all_columns(self) -> tuple[ColumnSpec, ...]:
        return self.columns + tuple(c for s in self.sides for c in s.columns)

    @cached_property
    def _all_rows(self) -> tuple[RowSpec, ...]:
        return self.rows + tuple(r for s in self.sides for r in s.rows)

    @cached_property
    def _rows_by_key(self) -> dict[str, RowSpec]:
        return {r.key: r for r in reversed(self.all_rows())}

    @cached_property
    def _columns_by_key(self) -> dict[str, ColumnSpec]:
        return {c.key: c for c in reversed(self.all_columns())}

    def row(self, key: str) -> RowSpec | None:
        return self._rows_by_key.get(key)

    def column(self, key: str) -> ColumnSpec | None:
        return self._columns_by_key.get(key)

    @cached_property
    def column_rows(self) -> frozenset[str]:
        """Row keys a single-row table declares through its columns (公开07: budget, actual)."""
        return frozenset(c.row for c in self.all_columns() if c.row)

    def group(self, name: str) -> list[RowSpec]:
        return [r for r in self.all_rows() if r.group == name]


@dataclass(frozen=True)
class Format:
    id: str
    name: str
    family: str
    table_ids: tuple[str, ...]
    tables: dict[str, TableSpec] = field(hash=False, compare=False)
    extends: str | None = None

    def markers(self) -> frozenset[str]:
        """What a workbook of this format prints: 'table/row' and 'table/col' for every fixed row
        and column, to tell variants of one family apart."""
        return self._markers

    @cached_property
    def _markers(self) -> frozenset[str]:
        out: set[str] = set()
        for t in self.tables.values():
            out.update(f"{t.id}/r/{r.key}" for r in t.all_rows())
            out.update(f"{t.id}/c/{c.row + '.' if c.row else ''}{c.key}" for c in t.all_columns())
        return frozenset(out)


def _tuple_of_tuples(value: Any) -> tuple[tuple[str, ...], ...]:
    return tuple(tuple(str(w) for w in alt) for alt in value)


def _fill(d: dict[str, Any], where: str, layout: str, source: str) -> tuple[str, ...]:
    """The `fill` list of a column or row, each entry a known leaf with an optional '-'."""
    value = d.get("fill", [])
    if value and layout not in ("codes", "ledger"):
        raise FormatError(f"{where}：只有 codes 和 ledger 表的行列可以写 fill", path=source)
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise FormatError(f"{where}：fill 应为数据项名称的列表", path=source)
    unknown = [v for v in value if v.removeprefix("-") not in LEAF_KEYS]
    if unknown:
        raise FormatError(
            f"{where}：fill 中的数据项 {'、'.join(unknown)} 不存在",
            path=source,
            hint=f"可用的数据项（见 xltools/formats/leaves.py）：{'、'.join(sorted(LEAF_KEYS))}",
        )
    return tuple(value)


def _column(d: dict[str, Any], where: str, layout: str, source: str) -> ColumnSpec:
    return ColumnSpec(
        key=d["key"],
        name=d.get("name", d["key"]),
        headers=_tuple_of_tuples(d.get("headers", [])),
        lanci=d.get("lanci"),
        row=d.get("row"),
        fund=d.get("fund"),
        fill=_fill(d, f"{where} 列 {d['key']}", layout, source),
    )


def _row(d: dict[str, Any], where: str, layout: str, source: str) -> RowSpec:
    return RowSpec(
        key=d["key"],
        name=d["name"],
        aliases=tuple(d.get("aliases", ())),
        line=d.get("line"),
        group=d.get("group"),
        required=bool(d.get("required", False)),
        fund=d.get("fund"),
        fill=_fill(d, f"{where} 行 {d['key']}", layout, source),
    )


def _side(tid: str, s: dict[str, Any], layout: str, source: str) -> SideSpec:
    where = f"表 {tid} {s['name']}栏"
    return SideSpec(
        s["name"],
        tuple(_column(c, where, layout, source) for c in s.get("columns", ())),
        tuple(_row(r, where, layout, source) for r in s.get("rows", ())),
        bool(s.get("class_lines", False)),
    )


def _table(tid: str, d: dict[str, Any], source: str) -> TableSpec:
    layout = d.get("layout")
    if layout not in LAYOUTS:
        raise FormatError(f"表 {tid} 的 layout “{layout}” 无效，应为 {'、'.join(LAYOUTS)} 之一", path=source)
    sides = tuple(_side(tid, s, layout, source) for s in d.get("sides", ()))
    if layout == "ledger" and len(sides) != 2:
        raise FormatError(f"表 {tid} 为两栏式（ledger），须有收入、支出两栏", path=source)
    return TableSpec(
        id=tid,
        title=d["title"],
        aliases=tuple(d.get("aliases", ())),
        layout=layout,
        columns=tuple(_column(c, f"表 {tid}", layout, source) for c in d.get("columns", ())),
        rows=tuple(_row(r, f"表 {tid}", layout, source) for r in d.get("rows", ())),
        sides=sides,
        empty_note=bool(d.get("empty_note", False)),
        arrangements=_arrangements(tid, d, layout, source),
    )


def _arrangements(tid: str, d: dict[str, Any], layout: str, source: str) -> tuple[str, ...]:
    value = tuple(d.get("arrangements", ("across",)))
    allowed = ARRANGEMENTS.get(layout, ("across",))
    if not value or any(v not in allowed for v in value):
        raise FormatError(
            f"表 {tid} 的 arrangements {list(value)} 无效，{layout} 表可用：{'、'.join(allowed)}", path=source
        )
    return value


def _drop(spec: TableSpec, rows: set[str], cols: set[str]) -> TableSpec:
    sides = tuple(
        replace(
            s,
            rows=tuple(r for r in s.rows if r.key not in rows),
            columns=tuple(c for c in s.columns if c.key not in cols),
        )
        for s in spec.sides
    )
    return replace(
        spec,
        sides=sides,
        rows=tuple(r for r in spec.rows if r.key not in rows),
        columns=tuple(c for c in spec.columns if c.key not in cols),
    )


def _build(data: dict[str, Any], source: str, bases: dict[str, Format]) -> Format:
    try:
        fid = data["id"]
        if "extends" in data:
            base = bases.get(data["extends"])
            if base is None:
                raise FormatError(f"格式 {fid} 扩展的基础格式 {data['extends']} 不存在", path=source)
            tables = dict(base.tables)
            for tid, d in data.get("tables", {}).items():
                tables[tid] = _table(tid, d, source)
            drop_rows: dict[str, list[str]] = data.get("drop_rows", {})
            drop_cols: dict[str, list[str]] = data.get("drop_columns", {})
            for tid in set(drop_rows) | set(drop_cols):
                tables[tid] = _drop(tables[tid], set(drop_rows.get(tid, ())), set(drop_cols.get(tid, ())))
            table_ids = tuple(data.get("table_ids", base.table_ids))
            return Format(fid, data["name"], base.family, table_ids, tables, extends=base.id)
        tables = {tid: _table(tid, d, source) for tid, d in data["tables"].items()}
        table_ids = tuple(data["table_ids"])
        missing = [t for t in table_ids if t not in tables]
        if missing:
            raise FormatError(f"格式 {fid} 列出的表 {'、'.join(missing)} 没有定义", path=source)
        return Format(fid, data["name"], data.get("family", fid), table_ids, tables)
    except KeyError as exc:
        raise FormatError(
            f"格式数据缺少字段 {exc}", path=source, hint="请检查 xltools/formats/ 下的格式文件"
        ) from exc


def _sources() -> list[tuple[str, str]]:
    """(name, text) of the packaged formats, then of the folder named by XLTOOLS_FORMATS (a
    province's own variants, added without code)."""
    out = [
        (e.name, e.read_text(encoding="utf-8"))
        for e in sorted(resources.files(__package__).iterdir(), key=lambda p: p.name)
        if e.name.endswith(".toml")
    ]
    extra = os.environ.get("XLTOOLS_FORMATS")
    if extra:
        folder = Path(extra)
        if not folder.is_dir():
            raise FormatError(
                "XLTOOLS_FORMATS 指向的文件夹不存在", path=extra, hint="请设置为存放格式 .toml 文件的文件夹"
            )
        out += [(str(p), p.read_text(encoding="utf-8")) for p in sorted(folder.glob("*.toml"))]
    return out


@cache
def load_formats() -> dict[str, Format]:
    """Every format of xltools/formats/*.toml (and of $XLTOOLS_FORMATS) by id, bases first."""
    raw: list[tuple[str, dict[str, Any]]] = []
    for name, text in _sources():
        try:
            raw.append((name, parse_toml(text)))
        except ValueError as exc:  # tomllib.TOMLDecodeError
            raise FormatError(f"格式文件无法解析：{exc}", path=name) from exc
    formats: dict[str, Format] = {}
    pending = raw
    while pending:
        left = [(src, d) for src, d in pending if "extends" in d and d["extends"] not in formats]
        for src, d in pending:
            if (src, d) not in left:
                f = _build(d, src, formats)
                if f.id in formats:
                    raise FormatError(f"格式编号 {f.id} 重复", path=src)
                formats[f.id] = f
        if len(left) == len(pending):
            names = "、".join(src for src, _ in left)
            raise FormatError(f"格式 {names} 扩展的基础格式不存在")
        pending = left
    return formats


def get_format(format_id: str) -> Format:
    formats = load_formats()
    if format_id not in formats:
        raise FormatError(f"没有编号为 {format_id} 的格式", hint=f"可用的格式：{'、'.join(formats)}")
    return formats[format_id]


def families() -> dict[str, list[Format]]:
    """Formats grouped by family, the base first."""
    out: dict[str, list[Format]] = {}
    for f in load_formats().values():
        out.setdefault(f.family, []).append(f)
    for group in out.values():
        group.sort(key=lambda f: f.extends is not None)
    return out
