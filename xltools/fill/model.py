"""Every printed cell of a filled report as a signed sum of leaf amounts (a LinComb).

Leaves are what the data gives at the finest grain: a 项 × money column ('2010301|gb'), an economic
item ('econ|30101'), a 三公 item ('sg|actual|reception'), a balance ('bal|opening|general'). Totals
are sums of leaves, so once the leaves are rounded every total is computed from rounded parts and
every relation between the tables holds exactly.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from xltools.fill.checks import INCOME_SOURCES, SANGONG_ECONOMIC
from xltools.fill.data import ZERO, DeptData
from xltools.formats import Format, SideSpec, TableSpec

LinComb = dict[str, int]

INCOME = INCOME_SOURCES
NONFISCAL_INCOME = INCOME[3:]
FISCAL_EXPENSE = ("gb", "gp", "fb", "fp", "sb", "sp")
EXPENSE = (*FISCAL_EXPENSE, "nb", "np", "to_superior", "operating", "to_affiliated")
LEAF_COLUMNS = (*INCOME, *EXPENSE, "fund_opening")
FUND_EXPENSE = {"general": ("gb", "gp"), "fund": ("fb", "fp"), "soe": ("sb", "sp")}
FUND_INCOME = {"general": ("inc_general",), "fund": ("inc_fund",), "soe": ("inc_soe",)}

# column key of a code-row table → the leaf columns of one 项 it adds up ('-' subtracts)
CODE_COLUMNS: dict[str, dict[str, tuple[str, ...]]] = {
    "公开02": {
        "total": INCOME,
        "fiscal": INCOME[:3],
        "superior": ("inc_superior",),
        "business": ("inc_business",),
        "operating": ("inc_operating",),
        "affiliated": ("inc_affiliated",),
        "other": ("inc_other",),
    },
    "公开03": {
        "total": EXPENSE,
        "basic": ("gb", "fb", "sb", "nb"),
        "project": ("gp", "fp", "sp", "np"),
        "to_superior": ("to_superior",),
        "operating": ("operating",),
        "to_affiliated": ("to_affiliated",),
    },
    "公开05": {"total": ("gb", "gp"), "basic": ("gb",), "project": ("gp",)},
    "公开08": {
        "opening": ("fund_opening",),
        "income": ("inc_fund",),
        "total": ("fb", "fp"),
        "basic": ("fb",),
        "project": ("fp",),
        "closing": ("fund_opening", "inc_fund", "-fb", "-fp"),
    },
    "公开09": {"total": ("sb", "sp"), "basic": ("sb",), "project": ("sp",)},
}
# fixed ledger rows that are plain sums of leaves over every 项 (other rows are derived)
LEDGER_ROWS: dict[str, tuple[str, ...]] = {
    **{k: (k,) for k in INCOME},
    "use_nonfiscal_balance": ("bal|use_nonfiscal",),
    "opening_general": ("bal|opening|general",),
    "opening_fund": ("fund_opening",),
    "opening_soe": ("bal|opening|soe",),
    "opening_balance": ("bal|opening|general", "fund_opening", "bal|opening|soe", "bal|opening|other"),
    "surplus_distribution": ("bal|surplus_distribution",),
}
LEDGER_EXPENSE = {"amount": EXPENSE, **FUND_EXPENSE}


def add(*parts: LinComb, sign: int = 1) -> LinComb:
    out: LinComb = {}
    for p in parts:
        for k, c in p.items():
            out[k] = out.get(k, 0) + sign * c
    return {k: c for k, c in out.items() if c}


def neg(p: LinComb) -> LinComb:
    return {k: -c for k, c in p.items()}


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
        for r in data.functions:
            amounts = dict(r.amounts)
            amounts["nb"] = r.get("basic") - r.get("gb") - r.get("fb") - r.get("sb")
            amounts["np"] = r.get("project") - r.get("gp") - r.get("fp") - r.get("sp")
            for col in LEAF_COLUMNS:
                self.model.leaves[f"{r.code}|{col}"] = amounts.get(col, ZERO) * scale
        for code, v in data.economic.items():
            self.model.leaves[f"econ|{code}"] = v * scale
        for (row, item), v in data.sangong.items():
            self.model.leaves[f"sg|{row}|{item}"] = v * scale
        for fund in ("general", "soe", "other"):
            self.model.leaves[f"bal|opening|{fund}"] = data.openings.get(fund, ZERO) * scale
        self.model.leaves["bal|use_nonfiscal"] = data.use_nonfiscal * scale
        self.model.leaves["bal|surplus_distribution"] = data.surplus_distribution * scale

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
        cols = CODE_COLUMNS[spec.id]
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
        self._income_side(income, cells)
        self._expense_side(expense, classes, cells, income)
        self.model.cells[spec.id] = cells

    def _income_side(self, side: SideSpec, cells: dict[tuple[str, str], LinComb]) -> None:
        col = side.columns[0].key
        rows: dict[str, LinComb] = {}
        for r in side.rows:
            if r.key in LEDGER_ROWS:
                rows[r.key] = self.over(self.items, LEDGER_ROWS[r.key])
        groups = {
            g: add(*(rows[r.key] for r in side.rows if r.group == g))
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

    def _funds(self, side: SideSpec, key: str) -> list[str]:
        """The funds a ledger expense column covers: its own, 'total' = the side's fund columns,
        'amount' = all money (with the non-fiscal 'other')."""
        if key in FUND_EXPENSE:
            return [key]
        if key == "amount":
            return ["general", "fund", "soe", "other"]
        return [c.key for c in side.columns if c.key in FUND_EXPENSE]

    def closing(self, fund: str) -> LinComb:
        if fund == "other":
            opening = self.over([], ("bal|opening|other", "bal|use_nonfiscal", "-bal|surplus_distribution"))
            spend = self.over(self.items, EXPENSE[6:])
            return add(opening, self.over(self.items, NONFISCAL_INCOME), neg(spend))
        opening = self.over(self.items, LEDGER_ROWS[f"opening_{fund}"])
        return add(
            opening, self.over(self.items, FUND_INCOME[fund]), neg(self.over(self.items, FUND_EXPENSE[fund]))
        )

    def _expense_side(
        self, side: SideSpec, classes: Sequence[str], cells: dict[tuple[str, str], LinComb], income: SideSpec
    ) -> None:
        for col in side.columns:
            funds = self._funds(side, col.key)
            leaves = EXPENSE if col.key == "amount" else tuple(x for f in funds for x in FUND_EXPENSE[f])
            for cls in classes:
                cells[(cls, col.key)] = self.over(self.under(cls), leaves)
            spent = self.over(self.items, leaves)
            closing = add(*(self.closing(f) for f in funds))
            surplus = self.over([], ("bal|surplus_distribution",)) if col.key == "amount" else {}
            for r in side.rows:
                if r.key == "expense_total":
                    cells[(r.key, col.key)] = spent
                elif r.key.startswith("closing"):
                    cells[(r.key, col.key)] = closing
                elif r.key == "surplus_distribution":
                    cells[(r.key, col.key)] = surplus
                elif r.key == "expense_grand_total":
                    cells[(r.key, col.key)] = add(spent, surplus, closing)

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
