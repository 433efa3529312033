"""Every printed cell of a filled report as a signed sum of leaf amounts (a LinComb).

Leaves are what the data gives at the finest grain: a 项 × money column ('2010301|gb'), an economic
item ('econ|30101'), a 三公 item ('sg|actual|reception'), a balance ('bal|opening|general'). Totals
are sums of leaves, so once the leaves are rounded every total is computed from rounded parts and
every relation between the tables holds exactly.

What each printed column and fixed row adds up is format data (`fill` in xltools/formats/*.toml,
over the leaves of xltools/formats/leaves.py). Only derived cells are computed here: in a ledger,
本年收入合计 and 年初财政拨款结转和结余 (the sums of the income_lines and opening_lines groups), 总计,
本年支出合计, 年末结转和结余 (each fund's balance), and an expense column without `fill` (the sum of
the side's columns that have one).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from xltools.errors import FormatError
from xltools.fill.checks import SANGONG_ECONOMIC
from xltools.fill.data import ZERO, DeptData
from xltools.fill.leaves import leaf_values
from xltools.formats import ColumnSpec, Format, RowSpec, SideSpec, TableSpec
from xltools.formats.leaves import FUND_BALANCE, LEAF_FUND, funds_of

LinComb = dict[str, int]


def _fill_of(spec: TableSpec, item: ColumnSpec | RowSpec) -> tuple[str, ...]:
    """The leaves a column or row adds up, from the format's `fill`. Raises FormatError without one."""
    if not item.fill:
        kind = "列" if isinstance(item, ColumnSpec) else "行"
        raise FormatError(
            f"表 {spec.id} 的{kind} {item.key}（{item.name}）没有写 fill，无法填表",
            hint="请在格式文件中为它写上 fill = [数据项, ...]（数据项见 xltools/formats/leaves.py）",
        )
    return item.fill


def add(*parts: LinComb, sign: int = 1) -> LinComb:
    out: LinComb = {}
    for p in parts:
        for k, c in p.items():
            out[k] = out.get(k, 0) + sign * c
    return {k: c for k, c in out.items() if c}


@dataclass
class Model:
    """Leaves (true values in 万元), and each table's cells and code rows."""

    leaves: dict[str, Decimal] = field(default_factory=dict)
    cells: dict[str, dict[tuple[str, str], LinComb]] = field(default_factory=dict)
    code_rows: dict[str, list[str]] = field(default_factory=dict)  # table → printed codes, in order
    constraints: list[tuple[str, LinComb]] = field(default_factory=list)  # unprinted, kept in band

    def value(self, comb: LinComb, leaves: dict[str, Decimal] | None = None) -> Decimal:
        source = self.leaves if leaves is None else leaves
        return sum((c * source[k] for k, c in comb.items()), ZERO)


class Builder:
    """Builds the Model of one data file for one format; amounts are scaled by `scale` to 万元."""

    def __init__(self, data: DeptData, fmt: Format, scale: Decimal) -> None:
        self.data, self.fmt, self.model = data, fmt, Model()
        self.items = [r.code for r in data.functions]
        self.model.leaves = leaf_values(data, scale)

    # -- leaf sums
    def over(self, codes: Iterable[str], columns: Sequence[str]) -> LinComb:
        """Σ over the 项 `codes` of the leaf columns ('-x' subtracts); 'bal|…' are balance leaves."""
        out: LinComb = {}
        codes = list(codes)
        for col in columns:
            sign, name = (-1, col[1:]) if col.startswith("-") else (1, col)
            keys = [name] if "|" in name else [f"{c}|{name}" for c in codes]
            for k in keys:
                out[k] = out.get(k, 0) + sign
        return {k: c for k, c in out.items() if c}

    def under(self, prefix: str) -> list[str]:
        return [c for c in self.items if c.startswith(prefix)]

    def nonzero(self, comb: LinComb) -> bool:
        return any(self.model.leaves[k] for k in comb)

    # -- code-row tables
    def codes_table(self, spec: TableSpec) -> None:
        cols = {c.key: _fill_of(spec, c) for c in spec.columns}
        used = [c for c in self.items if any(self.nonzero(self.over([c], cols[k.key])) for k in spec.columns)]
        printed: list[str] = []
        for code in sorted(used):
            for node in (code[:3], code[:5], code):
                if node not in printed:
                    printed.append(node)
        self.model.code_rows[spec.id] = printed
        cells: dict[tuple[str, str], LinComb] = {}
        for row in ("total", *printed):
            members = used if row == "total" else [c for c in used if c.startswith(row)]
            for col in spec.columns:
                cells[(row, col.key)] = self.over(members, cols[col.key])
        self.model.cells[spec.id] = cells

    # -- two-sided tables
    def ledger_table(self, spec: TableSpec, classes: Sequence[str]) -> None:
        income, expense = spec.sides
        cells: dict[tuple[str, str], LinComb] = {}
        self._income_side(spec, income, cells)
        self._expense_side(spec, expense, classes, cells)
        self.model.cells[spec.id] = cells

    def _income_side(self, spec: TableSpec, side: SideSpec, cells: dict[tuple[str, str], LinComb]) -> None:
        col = side.columns[0].key
        rows = {r.key: self.over(self.items, r.fill) for r in side.rows if r.fill}
        groups = {
            g: add(*(self.over(self.items, _fill_of(spec, r)) for r in side.rows if r.group == g))
            for g in ("income_lines", "opening_lines")
        }
        rows["income_total"] = groups["income_lines"]
        if any(r.key == "opening_fiscal" for r in side.rows):
            rows["opening_fiscal"] = groups["opening_lines"]
        rows["income_grand_total"] = add(
            *(
                rows[k]
                for k in ("income_total", "use_nonfiscal_balance", "opening_balance", "opening_fiscal")
                if k in rows
            )
        )
        for r in side.rows:
            cells[(r.key, col)] = rows.get(r.key, {})

    def closing(self, fund: str) -> LinComb:
        """年末结转和结余 of one fund: opening + income − expenditure (xltools/formats/leaves.py)."""
        return self.over(self.items, FUND_BALANCE[fund])

    def _expense_side(
        self, spec: TableSpec, side: SideSpec, classes: Sequence[str], cells: dict[tuple[str, str], LinComb]
    ) -> None:
        for col in side.columns:
            leaves = col.fill or tuple(x for c in side.columns if c.fill for x in c.fill)
            if not leaves:
                _fill_of(spec, col)  # raises: no column of the side says what it adds up
            funds = funds_of(leaves)
            for cls in classes:
                cells[(cls, col.key)] = self.over(self.under(cls), leaves)
            spent = self.over(self.items, leaves)
            closing = add(*(self.closing(f) for f in funds))
            # a fixed row of its own (结余分配) counts in the columns of the funds it belongs to
            own = {
                r.key: self.over(self.items, [x for x in r.fill if LEAF_FUND[x.removeprefix("-")] in funds])
                for r in side.rows
                if r.fill
            }
            for r in side.rows:
                if r.key in own:
                    cells[(r.key, col.key)] = own[r.key]
                elif r.key == "expense_total":
                    cells[(r.key, col.key)] = spent
                elif r.key.startswith("closing"):
                    cells[(r.key, col.key)] = closing
                elif r.key == "expense_grand_total":
                    cells[(r.key, col.key)] = add(spent, *own.values(), closing)

    # -- 公开06, 公开07
    def economic_table(self, spec: TableSpec, catalogue: Sequence[tuple[str, str]]) -> None:
        from xltools.codes import economic_group

        col = spec.columns[0].key
        items = [c for c, _ in catalogue if len(c) == 5 and c in self.data.economic]
        cells: dict[tuple[str, str], LinComb] = {}
        for code, _ in catalogue:
            members = [c for c in items if c.startswith(code)]
            cells[(code, col)] = {f"econ|{c}": 1 for c in members}
        for key, group in (("personnel_total", "personnel"), ("public_total", "public")):
            cells[(key, col)] = {f"econ|{c}": 1 for c in items if economic_group(c) == group}
        self.model.cells[spec.id] = cells
        basic = self.over(self.items, ("gb",))
        self.model.constraints.append(
            ("公开05 基本支出 = 公开06 人员经费 + 公用经费", add(basic, {f"econ|{c}": -1 for c in items}))
        )

    def single_table(self, spec: TableSpec) -> None:
        cells: dict[tuple[str, str], LinComb] = {}
        for row in {c.row or "" for c in spec.columns}:
            leaf = {
                item: {f"sg|{row}|{item}": 1} if (row, item) in self.data.sangong else {}
                for item in ("abroad", "vehicle_purchase", "vehicle_operation", "reception")
            }
            vehicle = add(leaf["vehicle_purchase"], leaf["vehicle_operation"])
            sums = {**leaf, "vehicle": vehicle, "total": add(leaf["abroad"], vehicle, leaf["reception"])}
            for c in spec.columns:
                if (c.row or "") == row:
                    cells[(row, c.key)] = sums.get(c.key, {})
        self.model.cells[spec.id] = cells
        for item, code in SANGONG_ECONOMIC.items():
            if ("actual", item) in self.data.sangong and code in self.data.economic:
                self.model.constraints.append(
                    (f"公开07 {item} ≥ 公开06 {code}", {f"sg|actual|{item}": 1, f"econ|{code}": -1})
                )

    def build(self, classes: Sequence[str], catalogue: Sequence[tuple[str, str]]) -> Model:
        for tid in self.fmt.table_ids:
            spec = self.fmt.tables[tid]
            if spec.layout == "codes":
                self.codes_table(spec)
            elif spec.layout == "ledger":
                self.ledger_table(spec, classes)
            elif spec.layout == "economic":
                self.economic_table(spec, catalogue)
            else:
                self.single_table(spec)
        for fund in ("general", "fund", "soe", "other"):
            self.model.constraints.append((f"{fund} 年末结转和结余", self.closing(fund)))
        return self.model
