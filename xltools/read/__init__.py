"""Read any 公开 workbook into a Report: locate the tables, detect the format, parse each layout."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, TypeAlias

from xltools.errors import NoTablesFound, reading
from xltools.formats import Format, families
from xltools.model import Problem, Report, Table
from xltools.perf import no_gc
from xltools.read.container import open_package
from xltools.read.grid import Package, SheetGrid
from xltools.read.recall import Replayed, copy_report, recalled, remember
from xltools.text import find_year, squash
from xltools.vocabulary import Severity

__all__ = ["SheetGrid", "read_grid_reports", "read_grids", "read_or_replay", "read_report", "read_reports"]

if TYPE_CHECKING:  # the parsers are imported for a full read only: a remembered layout needs none
    from xltools.read.locate import Anchor, Bounds
    from xltools.read.region import Region, Unrecognised


def _parsers() -> dict[str, Callable[..., Table]]:
    from xltools.read.layouts import parse_codes, parse_economic
    from xltools.read.ledger import parse_ledger
    from xltools.read.single import parse_single

    return {"codes": parse_codes, "economic": parse_economic, "single": parse_single, "ledger": parse_ledger}


def read_report(path: str | Path) -> Report:
    """The Report of the workbook at `path` (its first unit when it holds several: read_reports).

    Raises UnreadableWorkbook for a file that is not a readable .xlsx/.xlsm and NoTablesFound for a
    workbook with no 公开 table."""
    return read_reports(path)[0]


def read_reports(path: str | Path) -> list[Report]:
    """One Report per unit whose tables the workbook holds (a 部门 and its 单位 side by side, say),
    in workbook order; a workbook of one unit gives one.

    A workbook whose layout was read before (a batch of one template, the same book re-checked) is
    read by cell coordinates through read.recall; any other is read in full and its layout kept."""
    found = read_or_replay(path)
    return found.reports() if isinstance(found, Replayed) else found


def read_or_replay(path: str | Path) -> Replayed | list[Report]:
    """The workbook read through a remembered layout (its values, Reports made on demand), or else
    read in full (its layout remembered when the read was clean)."""
    from xltools.read.locate import find_anchors

    p = Path(path)
    with no_gc(), open_package(p) as zf:
        with reading(p):
            found = recalled(p, zf)
        if found is not None:
            return found
        package = Package(p, zf)
        grids, anchors = package.load()
        if anchors is None:  # a formula computed or a hidden cell blanked: read in full every time
            return _read(grids, str(path), find_anchors(grids))
        reports = _read(grids, str(path), anchors)
        found = remember(package, grids, anchors, reports, _year(grids, anchors, ""))
        return found if found is not None else [copy_report(r) for r in reports]


def read_grids(grids: list[SheetGrid], path: str = "<workbook>") -> Report:
    """The Report of a workbook given as sheet grids (from a file, or from an open Excel book)."""
    return read_grid_reports(grids, path)[0]


def read_grid_reports(grids: list[SheetGrid], path: str = "<workbook>") -> list[Report]:
    """One Report per unit of a workbook given as sheet grids, as read_reports."""
    from xltools.read.locate import find_anchors

    return _read(grids, path, find_anchors(grids))


def _read(grids: list[SheetGrid], path: str, anchors: list[Anchor]) -> list[Report]:
    from xltools.read.locate import detect_family

    if not anchors:
        raise NoTablesFound(
            "没有找到任何公开表（按表名如“收入支出决算总表”、标记“公开01表”或工作表名查找）",
            path=path,
            hint="请确认这是部门决算公开表工作簿，表名写在表格上方或工作表名中",
        )
    base = detect_family(anchors)
    reports = _read_with(base, anchors, grids, path)
    variant = choose_variant(reports[0], base)
    return reports if variant is base else _read_with(variant, anchors, grids, path)


Parsed: TypeAlias = "tuple[str, Anchor, Table | Unrecognised, list[Problem]]"


def _read_with(fmt: Format, anchors: list[Anchor], grids: list[SheetGrid], path: str) -> list[Report]:
    from xltools.read.locate import assign, table_bounds
    from xltools.read.region import Unrecognised

    bounds = table_bounds(anchors, grids)
    parsed: list[Parsed] = []
    for tid, candidates in assign(anchors, fmt).items():
        for anchor in candidates:
            try:
                parsed.append((tid, anchor, *_parse(fmt, tid, anchor, bounds[anchor], grids)))
            except Unrecognised as exc:
                parsed.append((tid, anchor, exc, []))
    year = _year(grids, anchors, path)
    return [_report(fmt, unit, grids, path, year) for unit in units(parsed, grids)]


def _report(fmt: Format, parsed: list[Parsed], grids: list[SheetGrid], path: str, year: int | None) -> Report:
    from xltools.read.region import Unrecognised

    problems: list[Problem] = []
    tables: dict[str, Table] = {}
    unread: dict[str, Problem] = {}
    best: dict[str, tuple[tuple[bool, int], Table, list[Problem]]] = {}
    for tid, anchor, table, found in parsed:
        visible = grids[anchor.sheet].visible
        if isinstance(table, Unrecognised):
            if visible and tid not in unread:
                unread[tid] = _unrecognised(tid, table)
            continue
        # a visible sheet before a hidden (stale) copy; then the table with the most amounts,
        # not a line of a contents sheet
        weight = (visible, sum(len(r.values) for r in table.rows.values()))
        if tid not in best or weight > best[tid][0]:
            best[tid] = (weight, table, found)
    for tid in fmt.table_ids:
        if tid in best:
            tables[tid] = best[tid][1]
            problems.extend(best[tid][2])
            unread.pop(tid, None)
    problems.extend(unread.values())
    return Report(path, fmt, tables, year=year, problems=problems, unread=unread)


def units(parsed: list[Parsed], grids: list[SheetGrid]) -> list[list[Parsed]]:
    """The candidates grouped by unit: split only when one table stands twice, visible, under two
    department names; a table naming no unit of those joins the nearest one that does."""
    by_tid: dict[str, set[str]] = {}
    for tid, anchor, table, _ in parsed:
        if isinstance(table, Table) and table.department and grids[anchor.sheet].visible and table.rows:
            by_tid.setdefault(tid, set()).add(squash(table.department))
    names = [n for n in _ordered_names(parsed) if any(n in s and len(s) > 1 for s in by_tid.values())]
    if len(names) < 2:
        return [parsed]
    groups: dict[str, list[Parsed]] = {n: [] for n in names}
    named = [(p[1], _name(p)) for p in parsed if _name(p) in groups]
    for p in parsed:
        name = _name(p)
        if name not in groups:
            a = p[1]
            near = min(
                named, key=lambda x: (x[0].sheet != a.sheet, abs(x[0].col - a.col), abs(x[0].row - a.row))
            )
            name = near[1]
        groups[name].append(p)
    return list(groups.values())


def _distance(a: Anchor, b: Anchor) -> tuple[bool, int, int]:
    return a.sheet != b.sheet, abs(a.col - b.col), abs(a.row - b.row)


def _name(p: Parsed) -> str:
    return squash(p[2].department) if isinstance(p[2], Table) and p[2].department else ""


def _ordered_names(parsed: list[Parsed]) -> list[str]:
    ordered = sorted(parsed, key=lambda p: (p[1].sheet, p[1].col, p[1].row))
    return list(dict.fromkeys(n for p in ordered if (n := _name(p))))


def _unrecognised(tid: str, exc: Unrecognised) -> Problem:
    return Problem(
        "F0",
        f"{tid} 无法识别：{exc.what}（{exc.cell.a1()} 起）；该表相关的校验均不适用。"
        "请核对该表的表头与标准格式一致（项目、栏次、金额列），或将该表单独放在一个工作表中后再校验",
        exc.cell,
        Severity.WARNING,
    )


def _parse(
    fmt: Format, tid: str, anchor: Anchor, bounds: Bounds, grids: list[SheetGrid]
) -> tuple[Table, list[Problem]]:
    from xltools.read.region import Region

    grid = grids[anchor.sheet]
    region = Region(grid, bounds.top, bounds.bottom, above=bounds.above, left=bounds.left, right=bounds.right)
    spec = fmt.tables[tid]
    title = str(grid.value(anchor.row, anchor.col) or grid.name)
    table = _parsers()[spec.layout](spec, region, title)
    _reading_notes(tid, region)
    return table, region.problems


def _reading_notes(tid: str, region: Region) -> None:
    """Once per table: the formula cells read without a value, and the hidden cells holding numbers."""
    if region.uncomputed:
        where = region.uncomputed[0].coordinate
        message = (
            f"{tid} 有 {len(region.uncomputed)} 个公式单元格保存时没有计算结果，读取时也无法计算"
            f"（如 {where}），涉及它们的校验不适用；请在 Excel/WPS 中打开、保存后再校验"
        )
        region.problems.append(Problem("F0", message, region.uncomputed[0], Severity.WARNING))
    hidden = sorted(
        (r, c) for r, c in region.grid.hidden_numbers if region.top <= r <= region.bottom and region.inside(c)
    )
    if hidden:
        message = (
            f"{tid} 有 {len(hidden)} 个隐藏的单元格含有数字（隐藏的行或列），隐藏内容不打印、不公开，"
            "已跳过、不参与校验；如其中有应公开的数据，请取消隐藏"
        )
        region.problems.append(Problem("F0", message, region.cell(*hidden[0]), Severity.WARNING))


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
    return year_in_name(path)


def year_in_name(path: str) -> int | None:
    """The year a file's name states ('2023年决算.xlsx'), if any."""
    m = _YEAR_IN_NAME.search(Path(path).name) if path else None
    return int(m.group(1)) if m else None
