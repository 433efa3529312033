"""Check a parsed data file for consistency before anything is written, in the unit it was typed in.

Raises DataError naming the sheet and row; returns warnings for what is odd but legitimate.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from xltools.errors import DataError
from xltools.fill.data import ZERO, DeptData, FunctionRow, Sheet
from xltools.fill.leaves import fund_balance, leaf_values
from xltools.formats.leaves import INCOME_SOURCES

EXPENSE_PARTS = ("basic", "project", "to_superior", "operating", "to_affiliated")
FUND_NAMES = {
    "general": "一般公共预算财政拨款",
    "fund": "政府性基金预算财政拨款",
    "soe": "国有资本经营预算财政拨款",
    "other": "其他资金（非财政拨款）",
}
# 公开07 决算 item → the 公开06 economic code it is usually the same money as (07 may add project money)
SANGONG_ECONOMIC = {
    "abroad": "30212",
    "vehicle_purchase": "31013",
    "vehicle_operation": "30231",
    "reception": "30217",
}


def _sum(row: FunctionRow, keys: Iterable[str]) -> Decimal:
    return sum((row.get(k) for k in keys), ZERO)


def normalise_fiscal(sheet: Sheet, row: FunctionRow) -> None:
    """财政拨款收入 without a fund split is all 一般公共预算; with one, it must equal the split."""
    split = [k for k in ("inc_general", "inc_fund", "inc_soe") if k in row.amounts]
    if "inc_fiscal" not in row.amounts:
        return
    if not split:
        row.amounts["inc_general"] = row.amounts["inc_fiscal"]
        return
    parts = _sum(row, ("inc_general", "inc_fund", "inc_soe"))
    if parts != row.amounts["inc_fiscal"]:
        raise sheet.fail(
            row.line,
            f"科目 {row.code} 的财政拨款收入 {row.amounts['inc_fiscal']} 不等于"
            f"一般公共预算、政府性基金、国有资本经营预算财政拨款收入之和 {parts}",
        )


def _check_row(sheet: Sheet, row: FunctionRow) -> None:
    normalise_fiscal(sheet, row)
    if "inc_total" in row.amounts and row.amounts["inc_total"] != _sum(row, INCOME_SOURCES):
        raise sheet.fail(
            row.line,
            f"科目 {row.code} 的本年收入合计 {row.amounts['inc_total']} 不等于各项收入"
            f"之和 {_sum(row, INCOME_SOURCES)}",
        )
    if "exp_total" in row.amounts and row.amounts["exp_total"] != _sum(row, EXPENSE_PARTS):
        raise sheet.fail(
            row.line,
            f"科目 {row.code} 的本年支出合计 {row.amounts['exp_total']} 不等于基本支出、"
            f"项目支出等各项支出之和 {_sum(row, EXPENSE_PARTS)}",
        )
    for total, parts, label in (
        ("basic", ("gb", "fb", "sb"), "基本支出"),
        ("project", ("gp", "fp", "sp"), "项目支出"),
    ):
        if _sum(row, parts) > row.get(total):
            raise sheet.fail(
                row.line,
                f"科目 {row.code} 的财政拨款{label}（一般公共预算、政府性基金、国有资本经营"
                f"合计 {_sum(row, parts)}）大于{label} {row.get(total)}",
            )


def _check_names(sheet: Sheet, data: DeptData) -> None:
    from xltools.codes import function_name

    for row in data.functions:
        if row.name is None and function_name(row.code, data.year) is None:
            raise sheet.fail(
                row.line, f"科目编码 {row.code} 不在 {data.year} 年的功能分类目录中，请填写“科目名称”"
            )
        for parent in (row.code[:3], row.code[:5]):
            if function_name(parent, data.year) is None:
                level = "类" if len(parent) == 3 else "款"
                raise sheet.fail(
                    row.line, f"科目 {row.code} 所属的{level} {parent} 不在 {data.year} 年的功能分类目录中"
                )


def _check_economic(data: DeptData) -> None:
    from xltools.codes import economic_name

    sheet = data.sheets.get("经济科目")
    basic = sum((r.get("gb") for r in data.functions), ZERO)
    if sheet is None:
        if basic:
            raise DataError(
                f"功能科目表有一般公共预算基本支出 {basic}，但缺少“经济科目”表（公开06 的数据）",
                path=data.source,
            )
        return
    for code in data.economic:
        if economic_name(code) is None:
            raise sheet.fail(data.balance_lines[f"economic:{code}"], f"经济分类科目编码 {code} 不在目录中")
    total = sum(data.economic.values(), ZERO)
    if total != basic:
        raise sheet.fail(
            None,
            f"各经济科目金额之和 {total} 不等于功能科目表的一般公共预算基本支出合计 {basic}"
            "（公开06 与公开05 的基本支出须相等）",
        )


def _fund_openings(data: DeptData) -> None:
    """The 政府性基金 opening balance belongs to 项 (公开08 prints it per row)."""
    per_item = sum((r.get("fund_opening") for r in data.functions), ZERO)
    given = data.openings.get("fund")
    sheet = data.sheets.get("结转结余")
    if given is None or given == per_item:
        data.openings["fund"] = per_item
        return
    with_fund = [r for r in data.functions if _sum(r, ("inc_fund", "fb", "fp"))]
    if per_item == ZERO and len(with_fund) == 1:
        with_fund[0].amounts["fund_opening"] = given
        return
    assert sheet is not None
    raise sheet.fail(
        data.balance_lines.get("fund"),
        f"政府性基金年初结转和结余 {given} 与功能科目表各科目的"
        f"“政府性基金年初结转和结余”之和 {per_item} 不等",
    )


def closing(data: DeptData, fund: str, leaves: dict[str, Decimal] | None = None) -> Decimal:
    """年末 = 年初 + 本年收入 − 本年支出 of one fund (other: with 使用非财政拨款结余 and 结余分配), by the
    one definition the fill model uses too (xltools/formats/leaves.py FUND_BALANCE)."""
    values = leaf_values(data) if leaves is None else leaves
    return fund_balance(values, [r.code for r in data.functions], fund)


def _check_closings(data: DeptData) -> list[str]:
    sheet = data.sheets.get("结转结余")
    warnings = []
    leaves = leaf_values(data)
    for fund, name in FUND_NAMES.items():
        derived = closing(data, fund, leaves)
        given = data.closings.get(fund)
        if given is not None and given != derived and sheet is not None:
            raise sheet.fail(
                data.balance_lines[fund],
                f"{name}年末结转和结余 {given} 与推算值 {derived}（年初 + 本年收入 − 本年支出）不等",
            )
        if derived < 0:
            warnings.append(f"{name}年末结转和结余推算为负数 {derived}，请核对收入、支出和年初结转和结余")
    return warnings


def _check_sangong(data: DeptData) -> list[str]:
    out = []
    for item, code in SANGONG_ECONOMIC.items():
        actual = data.sangong.get(("actual", item), ZERO)
        basic = data.economic.get(code, ZERO)
        if actual < basic:
            out.append(
                f"三公经费决算数 {actual} 小于公开06 经济科目 {code} 的 {basic}"
                "（三公经费应包含基本支出中的该项）"
            )
    return out


def check(data: DeptData) -> list[str]:
    """Check (and complete: fund split of fiscal income, fund openings) the data in place.

    Raises DataError at the first inconsistency, naming sheet and row; returns warnings."""
    sheet = data.sheets["功能科目"]
    for row in data.functions:
        _check_row(sheet, row)
    _check_names(sheet, data)
    _check_economic(data)
    _fund_openings(data)
    return _check_closings(data) + _check_sangong(data)
