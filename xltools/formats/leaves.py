"""The leaf amounts a format's `fill` lists may name, and each fund's balance as a signed list of them.

A per-项 leaf ('gb', 'inc_fund', …) in a `fill` list means its sum over the 项 a cell covers; a
balance leaf ('bal|…') is one department-wide amount. This module is the one list of them: the
format loader validates every `fill` list against LEAF_KEYS, and `xltools fill` (xltools/fill/leaves.py)
computes them from a data file.
"""

from __future__ import annotations

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
