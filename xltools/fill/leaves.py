"""The leaf amounts of `xltools fill`: the names a format's `fill` lists may use, and each fund's balance.

A per-项 leaf ('gb', 'inc_fund', …) in a `fill` list means its sum over the 项 a cell covers; a
balance leaf ('bal|…') is one department-wide amount. This module is the one list of them: the
format loader validates every `fill` list against LEAF_KEYS, and the fill model builds on it.
Nothing here depends on a format.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from xltools.fill.data import DeptData

ZERO = Decimal(0)

INCOME_SOURCES = (
    "inc_general",
    "inc_fund",
    "inc_soe",
    "inc_superior",
    "inc_business",
    "inc_operating",
    "inc_affiliated",
    "inc_other",
)
# expenditure by fund and kind: g/f/s = 一般公共预算/政府性基金/国有资本经营, n = non-fiscal; b/p = 基本/项目
FISCAL_EXPENSE = ("gb", "gp", "fb", "fp", "sb", "sp")
EXPENSE = (*FISCAL_EXPENSE, "nb", "np", "to_superior", "operating", "to_affiliated")
# every leaf a 项 carries (fund_opening: its 政府性基金年初结转和结余, printed per row in 公开08)
ITEM_LEAVES = (*INCOME_SOURCES, *EXPENSE, "fund_opening")

# fund → its 年末结转和结余 as a signed sum of leaves: opening + income − expenditure ('-' subtracts)
FUND_BALANCE: dict[str, tuple[str, ...]] = {
    "general": ("bal|opening|general", "inc_general", "-gb", "-gp"),
    "fund": ("fund_opening", "inc_fund", "-fb", "-fp"),
    "soe": ("bal|opening|soe", "inc_soe", "-sb", "-sp"),
    "other": (
        "bal|opening|other",
        "bal|use_nonfiscal",
        "-bal|surplus_distribution",
        *INCOME_SOURCES[3:],
        *(f"-{x}" for x in EXPENSE[6:]),
    ),
}
# leaf → the fund it belongs to; its keys are every name a `fill` list may use (with an optional '-')
LEAF_FUND: dict[str, str] = {
    leaf.removeprefix("-"): fund for fund, leaves in FUND_BALANCE.items() for leaf in leaves
}
LEAF_KEYS = frozenset(LEAF_FUND)
BALANCE_LEAVES = tuple(k for k in LEAF_FUND if k.startswith("bal|"))


def funds_of(entries: tuple[str, ...]) -> list[str]:
    """The funds whose money a `fill` list covers, in FUND_BALANCE order."""
    covered = {LEAF_FUND[e.removeprefix("-")] for e in entries}
    return [f for f in FUND_BALANCE if f in covered]


def leaf_values(data: DeptData, scale: Decimal = Decimal(1)) -> dict[str, Decimal]:
    """Every leaf of the data file ('2010301|gb', 'econ|30101', 'sg|actual|reception', 'bal|…'), in 万元
    when `scale` converts from the data's unit; non-fiscal expenditure (nb, np) is what fiscal leaves."""
    leaves: dict[str, Decimal] = {}
    for r in data.functions:
        amounts = dict(r.amounts)
        amounts["nb"] = r.get("basic") - r.get("gb") - r.get("fb") - r.get("sb")
        amounts["np"] = r.get("project") - r.get("gp") - r.get("fp") - r.get("sp")
        for col in ITEM_LEAVES:
            leaves[f"{r.code}|{col}"] = amounts.get(col, ZERO) * scale
    for code, v in data.economic.items():
        leaves[f"econ|{code}"] = v * scale
    for (row, item), v in data.sangong.items():
        leaves[f"sg|{row}|{item}"] = v * scale
    for fund in ("general", "soe", "other"):
        leaves[f"bal|opening|{fund}"] = data.openings.get(fund, ZERO) * scale
    leaves["bal|use_nonfiscal"] = data.use_nonfiscal * scale
    leaves["bal|surplus_distribution"] = data.surplus_distribution * scale
    return leaves


def fund_balance(leaves: dict[str, Decimal], codes: list[str], fund: str) -> Decimal:
    """A fund's 年末结转和结余 by FUND_BALANCE, over the 项 `codes`."""
    total = ZERO
    for entry in FUND_BALANCE[fund]:
        sign, name = (-1, entry[1:]) if entry.startswith("-") else (1, entry)
        keys = [name] if "|" in name else [f"{c}|{name}" for c in codes]
        total += sign * sum((leaves.get(k, ZERO) for k in keys), ZERO)
    return total
