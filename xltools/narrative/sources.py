"""Where each format prints the department-wide figures the prose quotes: 收、支总计, 本年收入合计
and its sources, 本年支出合计 and its kinds. The 2021 sets print them in 公开01 (收入支出决算总表);
the 2018 set has no such table (its 公开01 is the 财政拨款 one), so 本年收入合计 and each source come
from 公开02's 合计 row, 本年支出合计 and each kind from 公开03's, and 收、支总计 is not in the set at
all. One lookup for the generator and the checker: a figure a set does not print is *absent*
(a Ref with no table, whose term is None), never zero."""

from __future__ import annotations

from xltools.formats import TableSpec
from xltools.model import Report
from xltools.narrative.facts import FISCAL_INCOME, Ref, ref

OVERALL_TITLE = "收入支出决算总表"
NO_OVERALL = "本套表没有收入支出决算总表"


def has_overall(report: Report) -> bool:
    """公开01 is the department's 收入支出决算总表 (2021 sets), not the 财政拨款 one (2018)."""
    spec = report.format.tables.get("公开01")
    return spec is not None and spec.title == OVERALL_TITLE


def absent(label: str, why: str = NO_OVERALL) -> Ref:
    """A figure the set does not print: found nowhere, named for the message."""
    return Ref("", (), "", f"{label}（{why}）")


def _spec(report: Report, table_id: str) -> TableSpec | None:
    return report.format.tables.get(table_id)


def grand_totals(report: Report) -> dict[str, Ref]:
    """收入总计 / 支出总计 (and 收、支总计) of the 收入支出决算总表, absent in 2018."""
    if not has_overall(report):
        return {
            "income": absent("收入总计"),
            "expense": absent("支出总计"),
        }
    return {
        "income": ref("公开01", "income_grand_total", "amount", "收入总计"),
        "expense": ref("公开01", "expense_grand_total", "amount", "支出总计"),
    }


def income_total(report: Report) -> Ref:
    if has_overall(report):
        return ref("公开01", "income_total", "amount", "本年收入合计")
    return ref("公开02", "total", "total", "收入决算表合计行本年收入合计")


def expense_total(report: Report) -> Ref:
    """本年支出合计: 公开01's line, else (2018) 公开03's 合计 row."""
    fallback = ref("公开03", "total", "total", "支出决算表合计行本年支出合计")
    if has_overall(report):
        return Ref("公开01", ("expense_total",), "amount", "本年支出合计", fallback=fallback)
    return fallback


def income_sources(report: Report) -> list[tuple[str, Ref]]:
    """(name as the prose says it, figure) for 财政拨款收入 and each other source, in table order."""
    if has_overall(report):
        out = [("财政拨款收入", Ref("公开01", FISCAL_INCOME, "amount", "财政拨款收入（公开01 第1–3行）"))]
        spec = _spec(report, "公开01")
        lines = spec.group("income_lines") if spec else []
        out += [
            (row.name, ref("公开01", row.key, "amount", row.name))
            for row in lines
            if row.key not in FISCAL_INCOME
        ]
        return out
    spec = _spec(report, "公开02")
    cols = [c for c in spec.columns if c.key != "total"] if spec else []
    return [(c.name, ref("公开02", "total", c.key, f"收入决算表合计行{c.name}")) for c in cols]


def expense_kinds(report: Report) -> list[tuple[str, Ref]]:
    """(name, figure) for 基本支出, 项目支出 … of 公开03's 合计 row."""
    spec = _spec(report, "公开03")
    cols = [c for c in spec.columns if c.key != "total"] if spec else []
    return [(c.name, ref("公开03", "total", c.key, f"支出决算表合计行{c.name}")) for c in cols]


def fiscal_lines(report: Report) -> list[tuple[str, Ref]]:
    """The 财政拨款 income lines of 公开01 under every name the format gives them ('一般公共预算
    财政拨款收入' …): in 2018 公开01 is the 财政拨款 table, and its lines are what a sentence naming
    one fund's appropriation speaks of."""
    spec = _spec(report, "公开01")
    lines = spec.group("income_lines") if spec else []
    return [
        (name, ref("公开01", row.key, "amount", row.name))
        for row in lines
        if row.key in FISCAL_INCOME
        for name in (row.name, *row.aliases)
    ]
