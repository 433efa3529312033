"""Fill the 公开 tables of a format from a tidy data file: check, derive, round, print, save."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

from xltools.fill.checks import check
from xltools.fill.data import DeptData, read_data
from xltools.fill.model import Builder, Model
from xltools.fill.render import Placement
from xltools.fill.rounding import Aggregate, Rounding, controlled_round
from xltools.fill.template import CellMap, TableWriter, cell_map, economic_catalogue, save_workbook
from xltools.formats import Format, TableSpec, get_format

if TYPE_CHECKING:
    from openpyxl import Workbook

SCALE = {"元": Decimal("0.0001"), "万元": Decimal(1)}
Values = dict[str, dict[tuple[str, str], Decimal]]


@dataclass
class FilledWorkbook:
    """A filled workbook, not yet saved: the openpyxl Workbook, where every value went (`cells`),
    the printed values (万元, two decimals) and the true values they stand for."""

    workbook: Workbook
    format: Format
    department: str
    year: int
    cells: CellMap
    placements: dict[str, Placement]
    values: Values
    true_values: Values
    rounding: Rounding
    warnings: list[str] = field(default_factory=list)

    def save(self, path: str | Path) -> Path:
        """Write the workbook to `path` (through a temporary file). Raises WriteError."""
        target = Path(path)
        save_workbook(self.workbook, target)
        return target


def save(filled: FilledWorkbook, path: str | Path) -> Path:
    return filled.save(path)


def _classes(data: DeptData, year: int) -> list[tuple[str, str]]:
    """The 类 lines of 01/04: the standard list of the year, plus any other 类 the data uses."""
    from xltools.codes import class_name, classes_for_year

    out = dict(classes_for_year(year))
    for r in data.functions:
        cls = r.code[:3]
        if cls not in out:
            out[cls] = class_name(cls, year) or class_name(cls) or cls
    return sorted(out.items())


def _names(data: DeptData, codes: list[str]) -> list[tuple[str, str]]:
    from xltools.codes import function_name

    given = {r.code: r.name for r in data.functions if r.name}
    return [(c, given.get(c) or function_name(c, data.year) or "") for c in codes]


def _aggregates(model: Model) -> list[Aggregate]:
    out = [
        Aggregate(f"{tid} {row} {col}", tuple(comb.items()))
        for tid, cells in model.cells.items()
        for (row, col), comb in cells.items()
        if comb
    ]
    out += [Aggregate(name, tuple(comb.items())) for name, comb in model.constraints if comb]
    return out


def _evaluate(model: Model, leaves: dict[str, Decimal]) -> Values:
    return {
        tid: {key: model.value(comb, leaves) for key, comb in cells.items()}
        for tid, cells in model.cells.items()
    }


def _shown(spec: TableSpec, row: str, col: str, value: Decimal) -> Decimal | None:
    """Zero prints as a blank, except on 合计/总计 rows and the 合计 column of 公开07."""
    if value:
        return value
    rs = spec.row(row)
    keep = row == "total" or (rs is not None and rs.required) or (spec.layout == "single" and col == "total")
    return value if keep else None


def _write_values(wb: Workbook, fmt: Format, placements: dict[str, Placement], values: Values) -> None:
    for tid, placement in placements.items():
        ws = wb[placement.sheet]
        spec = fmt.tables[tid]
        for key, coord in placement.cells.items():
            v = values[tid].get(key)
            if v is not None:
                ws[coord].value = _shown(spec, key[0], key[1], v)


def _empty_tables(fmt: Format, values: Values) -> list[str]:
    return [
        tid for tid in fmt.table_ids if fmt.tables[tid].empty_note and not any(values.get(tid, {}).values())
    ]


def fill(data: str | Path | DeptData, fmt: Format | str = "2021", unit: str | None = None) -> FilledWorkbook:
    """Fill every table of `fmt` from the data file (or parsed DeptData) whose amounts are in
    `unit` ('元' or '万元'; default: the file's 金额单位, else 元).

    Raises DataError (naming sheet and row) for bad or inconsistent data; nothing is written."""
    from openpyxl import Workbook

    fmt = get_format(fmt) if isinstance(fmt, str) else fmt
    dept = data if isinstance(data, DeptData) else read_data(data)
    warnings = check(dept)
    scale = SCALE[unit or dept.unit or "元"]
    classes = _classes(dept, dept.year)
    model = Builder(dept, fmt, scale).build([c for c, _ in classes], economic_catalogue())
    rounding = controlled_round(model.leaves, _aggregates(model))
    if not rounding.exact:
        warnings.append(
            f"受各表勾稽关系所限，{len(rounding.outside)} 个合计数与其精确值相差超过 0.01 万元"
            f"（最多超出 {rounding.excess} 分）；各表勾稽关系仍完全成立"
        )
    values = _evaluate(model, rounding.values)
    writer = TableWriter(fmt, year=dept.year, department=dept.department, classes=classes)
    wb = Workbook()
    codes = {tid: _names(dept, rows) for tid, rows in model.code_rows.items()}
    placements = writer.write_all(wb, codes, empty=_empty_tables(fmt, values))
    _write_values(wb, fmt, placements, values)
    return FilledWorkbook(
        wb,
        fmt,
        dept.department,
        dept.year,
        cell_map(placements),
        placements,
        values,
        _evaluate(model, model.leaves),
        rounding,
        warnings,
    )
