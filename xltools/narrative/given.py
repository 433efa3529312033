"""The figures of the inputs file a written 情况说明 quotes: phrases that name them (政府采购,
节庆活动), and the prior-year or 年初预算 figure behind a change ('增加 X 万元') or a budget amount."""

from __future__ import annotations

from decimal import Decimal

from xltools.narrative.facts import Ref
from xltools.narrative.inputs import BUDGET_KEYS, PRIOR_KEYS, Inputs

SOURCE = "表外数据"

# the table figure a sentence speaks of → the key of [prior] (and [budget]) it is compared with
BASE_OF: dict[tuple[str, str, str], str] = {
    ("公开01", "income_grand_total", "amount"): "total",
    ("公开04", "income_grand_total", "amount"): "fiscal_total",
    ("公开05", "total", "total"): "general_expense",
    ("公开06", "public_total", "amount"): "admin",
    ("公开07", "actual", "total"): "three_total",
    ("公开07", "actual", "abroad"): "abroad",
    ("公开07", "actual", "vehicle"): "vehicle",
    ("公开07", "actual", "vehicle_purchase"): "vehicle_purchase",
    ("公开07", "actual", "vehicle_operation"): "vehicle_operation",
    ("公开07", "actual", "reception"): "reception",
}
PROCUREMENT_PHRASES = {
    "政府采购货物支出": "goods",
    "政府采购工程支出": "works",
    "政府采购服务支出": "services",
    "授予中小企业合同金额": "sme",
    "授予小微企业合同金额": "small_micro",
}
PROCUREMENT_NAMES = {
    "goods": "政府采购货物支出",
    "works": "政府采购工程支出",
    "services": "政府采购服务支出",
    "sme": "授予中小企业合同金额",
    "small_micro": "授予小微企业合同金额",
}


def given(value: Decimal, label: str) -> Ref:
    """A figure of the inputs file, placed like a cell but with none."""
    return Ref(SOURCE, (), "", f"{label}（{SOURCE}）", given=value)


def phrases(inputs: Inputs, section: str) -> dict[str, Ref]:
    """The phrases of `section` that name a figure of `inputs` (none for most sections)."""
    if section == "spending" and inputs.events is not None:
        return {"赛事活动": given(inputs.events, "节庆、晚会、论坛、赛事活动支出")}
    if section != "procurement":
        return {}
    p = inputs.procurement
    out = {
        phrase: given(p[key], PROCUREMENT_NAMES[key])
        for phrase, key in PROCUREMENT_PHRASES.items()
        if key in p
    }
    if {"goods", "works", "services"} <= set(p):
        out["政府采购支出"] = given(p["goods"] + p["works"] + p["services"], "政府采购支出总额")
    return out


def budget(inputs: Inputs, subject: Ref) -> Ref | None:
    """The 年初预算 of the figure `subject` (a 项 of 公开05, its total, 机关运行经费), if given."""
    row = subject.rows[0] if len(subject.rows) == 1 else ""
    if subject.table == "公开05" and row.isdigit() and subject.col == "total":
        value = inputs.budget_items.get(row)
        return None if value is None else given(value, f"科目{row}年初预算数")
    key = BASE_OF.get((subject.table, row, subject.col))
    if key is None or key not in inputs.budget:
        return None
    return given(inputs.budget[key], BUDGET_KEYS[key])


def base(inputs: Inputs, subject: Ref, against_budget: bool) -> Ref | None:
    """What a change of `subject` is measured against: its 年初预算 when the sentence says so
    ('比年初预算数减少…'), else its prior-year figure; None when the inputs do not give it."""
    if against_budget:
        return budget(inputs, subject)
    row = subject.rows[0] if len(subject.rows) == 1 else ""
    key = BASE_OF.get((subject.table, row, subject.col))
    if key is None or key not in inputs.prior:
        return None
    return given(inputs.prior[key], f"上年{PRIOR_KEYS[key]}决算数")
