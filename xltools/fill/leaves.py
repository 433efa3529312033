"""The leaf amounts of `xltools fill`, computed from a data file: every name xltools/formats/leaves.py
lists, per 项 or department-wide, and each fund's balance over a set of 项."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from xltools.formats.leaves import FUND_BALANCE, ITEM_LEAVES

if TYPE_CHECKING:
    from xltools.fill.data import DeptData

ZERO = Decimal(0)


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
