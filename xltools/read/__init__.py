"""Read any 公开 workbook into a Report: locate the tables, detect the format, parse each layout."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

from xltools.errors import NoTablesFound
from xltools.formats import Format, families
from xltools.model import Problem, Report, Table
from xltools.perf import no_gc
from xltools.read.grid import SheetGrid, load_with_anchors
from xltools.read.layouts import parse_codes, parse_economic
from xltools.read.ledger import parse_ledger
from xltools.read.locate import Anchor, Bounds, assign, detect_family, find_anchors, table_bounds
from xltools.read.region import Region, Unrecognised
from xltools.read.single import parse_single
from xltools.text import find_year

__all__ = ["SheetGrid", "read_grids", "read_report"]

PARSERS = {"codes": parse_codes, "economic": parse_economic, "single": parse_single, "ledger": parse_ledger}


def read_report(path: str | Path) -> Report:
    """The Report of the workbook at `path`.

    Raises UnreadableWorkbook for a file that is not a readable .xlsx/.xlsm and NoTablesFound for a
    workbook with no 公开 table."""
    with no_gc():
        grids, anchors = load_with_anchors(path)
        return _read(grids, str(path), find_anchors(grids) if anchors is None else anchors)


def read_grids(grids: list[SheetGrid], path: str = "<workbook>") -> Report:
    """The Report of a workbook given as sheet grids (from a file, or from an open Excel book)."""
    return _read(grids, path, find_anchors(grids))


def _read(grids: list[SheetGrid], path: str, anchors: list[Anchor]) -> Report:
    if not anchors:
        raise NoTablesFound(
            "没有找到任何公开表（按表名如“收入支出决算总表”、标记“公开01表”或工作表名查找）",
            path=path,
            hint="请确认这是部门决算公开表工作簿，表名写在表格上方或工作表名中",
        )
    base = detect_family(anchors)
    report = _read_with(base, anchors, grids, path)
    variant = choose_variant(report, base)
    return report if variant is base else _read_with(variant, anchors, grids, path)


def _read_with(fmt: Format, anchors: list[Anchor], grids: list[SheetGrid], path: str) -> Report:
    problems: list[Problem] = []
    tables: dict[str, Table] = {}
    unread: dict[str, Problem] = {}
    bounds = table_bounds(anchors, grids)
    for tid, candidates in assign(anchors, fmt).items():
        best: tuple[tuple[bool, int], Table, list[Problem]] | None = None
        for anchor in candidates:
            try:
                table, found = _parse(fmt, tid, anchor, bounds[anchor], grids)
            except Unrecognised as exc:
                if grids[anchor.sheet].visible and tid not in unread:
                    unread[tid] = _unrecognised(tid, exc)
                continue
            # a visible sheet before a hidden (stale) copy; then the table with the most amounts,
            # not a line of a contents sheet
            weight = (grids[anchor.sheet].visible, sum(len(r.values) for r in table.rows.values()))
            if best is None or weight > best[0]:
                best = (weight, table, found)
        if best is not None:
            tables[tid] = best[1]
            problems.extend(best[2])
            unread.pop(tid, None)
    ordered = {tid: tables[tid] for tid in fmt.table_ids if tid in tables}
    problems.extend(unread.values())
    report = Report(path, fmt, ordered, year=_year(grids, anchors, path), problems=problems)
    report.unread = unread
    return report


def _unrecognised(tid: str, exc: Unrecognised) -> Problem:
    return Problem(
        "F0",
        f"{tid} 无法识别：{exc.what}（{exc.cell.a1()} 起）；该表相关的校验均不适用。"
        "请核对该表的表头与标准格式一致（项目、栏次、金额列），或将该表单独放在一个工作表中后再校验",
        exc.cell,
        "warning",
    )


def _parse(
    fmt: Format, tid: str, anchor: Anchor, bounds: Bounds, grids: list[SheetGrid]
) -> tuple[Table, list[Problem]]:
    grid = grids[anchor.sheet]
    region = Region(grid, bounds.top, bounds.bottom, above=bounds.above, left=bounds.left, right=bounds.right)
    spec = fmt.tables[tid]
    title = str(grid.value(anchor.row, anchor.col) or grid.name)
    table = PARSERS[spec.layout](spec, region, title)
    return table, region.problems


def found_markers(report: Report) -> set[str]:
    out: set[str] = set()
    for t in report.tables.values():
        out.update(
            f"{t.id}/r/{k}" for k in t.rows if not k.isdigit() and k != "total" and t.layout != "single"
        )
        out.update(f"{t.id}/c/{k}" for k in t.columns)
    return out


def choose_variant(report: Report, base: Format) -> Format:
    """The variant of the base's family whose fixed rows and columns match the tables found best."""
    found = found_markers(report)
    present = set(report.tables)

    def distance(fmt: Format) -> int:
        expected = {m for m in fmt.markers() if m.split("/")[0] in present}
        return len(expected - found) + len(found & base.markers() - expected)

    return min(families()[base.family], key=lambda f: (distance(f), f.extends is not None))


_YEAR_IN_NAME = re.compile(r"(20[0-9]{2})")


def _year(grids: list[SheetGrid], anchors: list[Anchor], path: str) -> int | None:
    years: Counter[int] = Counter()
    for a in anchors:
        grid = grids[a.sheet]
        for r in range(max(1, a.row - 2), a.row + 4):
            for v in grid.rows[r - 1] if r <= grid.height else []:
                if isinstance(v, str) and (y := find_year(v)):
                    years[y] += 1
    for g in grids:
        if y := find_year(g.name):
            years[y] += 1
    if years:
        return years.most_common(1)[0][0]
    m = _YEAR_IN_NAME.search(Path(path).name)
    return int(m.group(1)) if m else None
