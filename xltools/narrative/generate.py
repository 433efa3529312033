"""Generate part three (情况说明) from the tables: sections 一 to 五 here, the rest in sections.py."""

from __future__ import annotations

from decimal import Decimal

from xltools.model import Report
from xltools.narrative import facts, sources
from xltools.narrative.document import Narrative, Section, pending, to_text
from xltools.narrative.facts import Ref
from xltools.narrative.inputs import Inputs, with_year
from xltools.narrative.numbers import money
from xltools.narrative.phrases import amount_share, change, compare, execution, numeral, reason, share


def _year(report: Report) -> str:
    return str(report.year) if report.year else pending("年度")


def _stated(value: Decimal | None, what: str) -> str:
    """An amount, or the marker that says the set does not print it (never 0.00)."""
    return pending(what) if value is None else money(value)


def overall(report: Report, inputs: Inputs) -> Section:
    s = Section("收入支出决算总体情况说明")
    total = facts.figure(report, sources.grand_totals(report)["income"])
    if total is None:  # 2018: no 收入支出决算总表 in the set
        s.add(f"{_year(report)}年度收、支总计{pending('收、支总计（' + sources.NO_OVERALL + '）')}。")
        return s
    s.add(
        f"{_year(report)}年度收、支总计{money(total)}。"
        + change(total, inputs.prior.get("total"), "收、支总计", inputs.reasons.get("total"))
        + "。"
    )
    return s


def _listing(report: Report, total: Decimal | None, parts: list[tuple[str, Ref]]) -> str:
    """'财政拨款收入2211.04万元，占97.49%；…' — each part the set prints, with its share."""
    out = []
    for name, r in parts:
        v = facts.figure(report, r)
        if v is None:
            out.append(f"{name}{pending(name)}")
        elif total is None:
            out.append(f"{name}{money(v)}")
        else:
            out.append(amount_share(name, v, total))
    return "；".join(out)


def income(report: Report, inputs: Inputs) -> Section:
    s = Section("收入决算情况说明")
    total = facts.figure(report, sources.income_total(report))
    body = _listing(report, total, sources.income_sources(report))
    s.add(f"{_year(report)}年度收入合计{_stated(total, '本年收入合计')}，其中：{body}。")
    return s


def expense(report: Report, inputs: Inputs) -> Section:
    s = Section("支出决算情况说明")
    total = facts.figure(report, sources.expense_total(report))
    body = _listing(report, total, sources.expense_kinds(report))
    s.add(f"{_year(report)}年度支出合计{_stated(total, '本年支出合计')}，其中：{body}。")
    return s


def fiscal_overall(report: Report, inputs: Inputs) -> Section:
    s = Section("财政拨款收入支出决算总体情况说明")
    total = facts.value(report, "公开04", "income_grand_total", "amount")
    s.add(
        f"{_year(report)}年度财政拨款收、支总计{money(total)}。"
        + change(
            total, inputs.prior.get("fiscal_total"), "财政拨款收、支总计", inputs.reasons.get("fiscal_total")
        )
        + "。"
    )
    return s


def heading(report: Report, code: str) -> str:
    """'一般公共服务支出（类）政府办公厅（室）及相关机构事务（款）行政运行（项）'."""
    levels = [(code[:n], mark) for n, mark in ((3, "类"), (5, "款"), (7, "项")) if len(code) >= n]
    names = []
    for c, mark in levels:
        name = facts.code_name(report, c) or pending(f"科目{c}的名称")
        names.append(f"{name.replace('(', '（').replace(')', '）')}（{mark}）")
    return "".join(names)


def general(report: Report, inputs: Inputs) -> Section:
    s = Section("一般公共预算财政拨款支出决算情况说明")
    total = facts.value(report, "公开05", "total", "total")
    s.add("（一）一般公共预算财政拨款支出决算总体情况", "subheading")
    s.add(_general_total(report, inputs, total))
    s.add("（二）一般公共预算财政拨款支出决算结构情况", "subheading")
    s.add(_general_structure(report, total))
    s.add("（三）一般公共预算财政拨款支出决算具体情况", "subheading")
    _general_items(s, report, inputs, total)
    return s


def _general_total(report: Report, inputs: Inputs, total: Decimal) -> str:
    """The total, its share of 本年支出合计 and its change against the prior year."""
    expense_total = facts.figure(report, sources.expense_total(report))
    of_total = "" if expense_total is None else share(total, expense_total, "本年支出合计")
    return (
        f"{_year(report)}年度一般公共预算财政拨款支出{money(total)}{of_total}。"
        + change(
            total,
            inputs.prior.get("general_expense"),
            "一般公共预算财政拨款支出",
            inputs.reasons.get("general_expense"),
        )
        + "。"
    )


def _general_structure(report: Report, total: Decimal) -> str:
    """Each 类 with its amount and share of the total."""
    parts = []
    for code in facts.classes(report):
        name = (
            (facts.code_name(report, code) or pending(f"科目{code}的名称"))
            .replace("(", "（")
            .replace(")", "）")
        )
        parts.append(amount_share(f"{name}（类）", facts.value(report, "公开05", code, "total"), total))
    body = "；".join(parts) if parts else "无"
    return f"{_year(report)}年度一般公共预算财政拨款支出{money(total)}，主要用于以下方面：{body}。"


def _general_items(s: Section, report: Report, inputs: Inputs, total: Decimal) -> None:
    """Execution against 年初预算: the total, then each 项 under its 类/款/项 heading, with the reason."""
    budget = inputs.budget.get("general_expense")
    s.add(
        f"{_year(report)}年度一般公共预算财政拨款支出"
        + execution(budget, total, "年初预算数").replace("支出决算为", "支出决算数为")
        + "，其中："
    )
    for i, code in enumerate(facts.items(report), 1):
        s.add(f"{i}、{heading(report, code)}。")
        actual = facts.value(report, "公开05", code, "total")
        b = inputs.budget_items.get(code)
        why = inputs.reason_items.get(code)
        text = execution(b, actual)
        if b is None or actual != b:
            text += f"，决算数{compare(b, actual)}年初预算数" + reason(why, "决算数与年初预算数差异的原因")
        else:
            text += "，决算数等于年初预算数"
        s.add(text + "。")


def generate(report: Report, inputs: Inputs | None = None) -> Narrative:
    """Part three of `report` in the standard order, every figure from its tables or `inputs`;
    what neither holds is left as 【待补充：…】. The year is `inputs.year`, else the workbook's."""
    from xltools.narrative import sections

    inputs = inputs or Inputs()
    report = with_year(report, inputs)
    builders = (overall, income, expense, fiscal_overall, general, *sections.BUILDERS)
    narrative = Narrative(f"{_year(report)}年度部门决算情况说明")
    for i, build in enumerate(builders, 1):
        section = build(report, inputs)
        section.title = f"{numeral(i)}、{section.title}"
        narrative.sections.append(section)
    return narrative


def narrative_text(report: Report, inputs: Inputs | None = None) -> str:
    """The whole of part three as plain text (for the ribbon's 生成说明 button)."""
    return to_text(generate(report, inputs))
