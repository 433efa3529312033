"""What the words of 情况说明 point at: for each section, the phrases that name a figure of the
tables (收入合计 → 公开01 本年收入合计 …), longest phrase first."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from xltools.model import Report
from xltools.narrative import facts, sources
from xltools.narrative.facts import Ref, ref
from xltools.text import label_key, name_key

GLOBAL: dict[str, Ref] = {
    "财政拨款收、支总计": ref("公开04", "income_grand_total", "amount", "财政拨款收入总计"),
    "财政拨款收支总计": ref("公开04", "income_grand_total", "amount", "财政拨款收入总计"),
    "财政拨款收入总计": ref("公开04", "income_grand_total", "amount", "财政拨款收入总计"),
    "财政拨款支出总计": ref("公开04", "expense_grand_total", "total", "财政拨款支出总计"),
    "年初财政拨款结转和结余": ref("公开04", "opening_fiscal", "amount", "年初财政拨款结转和结余"),
    "年末财政拨款结转和结余": ref("公开04", "closing_fiscal", "total", "年末财政拨款结转和结余"),
    "使用非财政拨款结余": ref("公开01", "use_nonfiscal_balance", "amount", "使用非财政拨款结余"),
    "用事业基金弥补收支差额": ref("公开01", "use_nonfiscal_balance", "amount", "用事业基金弥补收支差额"),
    "年初结转和结余": ref("公开01", "opening_balance", "amount", "年初结转和结余"),
    "年末结转和结余": ref("公开01", "closing_balance", "amount", "年末结转和结余"),
    "结余分配": ref("公开01", "surplus_distribution", "amount", "结余分配"),
    "机关运行经费": ref("公开06", "public_total", "amount", "公用经费合计（机关运行经费）"),
    "人员经费": ref("公开06", "personnel_total", "amount", "人员经费合计"),
    "公用经费": ref("公开06", "public_total", "amount", "公用经费合计"),
}


def _department(report: Report) -> dict[str, Ref]:
    """The department-wide figures, where this format prints them (sources.py)."""
    grand = sources.grand_totals(report)
    return {
        "收、支总计": grand["income"],
        "收支总计": grand["income"],
        "收入总计": grand["income"],
        "支出总计": grand["expense"],
        "本年支出合计": sources.expense_total(report),
        "本年收入合计": sources.income_total(report),
    }


def _income(report: Report) -> dict[str, Ref]:
    out = {"收入合计": sources.income_total(report)}
    for name, r in sources.income_sources(report):
        out[name] = r
    for name, r in sources.fiscal_lines(report):
        out.setdefault(name, r)
    return out


def _expense(report: Report) -> dict[str, Ref]:
    out = {"支出合计": sources.expense_total(report)}
    for name, r in sources.expense_kinds(report):
        out[name] = r
    return out


def _general(report: Report) -> dict[str, Ref]:
    total = ref("公开05", "total", "total", "一般公共预算财政拨款支出合计")
    out = {
        "一般公共预算财政拨款支出": total,
        "财政拨款支出": total,
        "基本支出": ref("公开05", "total", "basic", "一般公共预算财政拨款基本支出"),
        "项目支出": ref("公开05", "total", "project", "一般公共预算财政拨款项目支出"),
    }
    out.update(_item_names(report))
    for code, name in _classes(report):
        r = ref("公开05", code, "total", f"{name}（类）")
        stem = name[:-2] if name.endswith("支出") else name
        for variant in (name, f"{name}(类)", f"{stem}(类)支出", f"{stem}(类)"):
            out[variant] = r
    return out


def _classes(report: Report) -> list[tuple[str, str]]:
    """Every 类 a sentence may name: those 公开05 prints, then the rest of the catalogue of the
    year (of 2018 and 2021 when the year is not known) — a 类 the table leaves out spent nothing."""
    from xltools.codes import classes_for_year

    found = [
        (c, n) for c in facts.function_codes(report) if len(c) == 3 and (n := facts.code_name(report, c))
    ]
    years = (report.year,) if report.year else (2018, 2021)
    for year in years:
        found += [(c, label_key(n)) for c, n in classes_for_year(year, listed_only=False)]
    return list(reversed(found))  # the table's own names win (later entries override earlier ones)


def _item_names(report: Report) -> dict[str, Ref]:
    """The 款 and 项 names 公开05 prints, each naming one code ('行政运行' under two 款 names
    none: such a name alone does not say which)."""
    codes: dict[str, list[str]] = {}
    for code in facts.function_codes(report):
        name = facts.code_name(report, code)
        if len(code) in (5, 7) and name:
            codes.setdefault(name_key(name), []).append(code)
            codes.setdefault(name, []).append(code)
    out = {}
    for name, found in codes.items():
        if len(set(found)) == 1:
            code = found[0]
            out[name] = ref("公开05", code, "total", f"{name}（科目{code}）")
    return out


THREE_ITEMS = {
    "三公": "total",
    "因公出国(境)费": "abroad",
    "因公出国(境)": "abroad",
    "因公出国": "abroad",
    "公务用车购置费及运行维护费": "vehicle",
    "公务用车购置及运行维护费": "vehicle",
    "公务用车购置及运行费": "vehicle",
    "公务用车购置费": "vehicle_purchase",
    "公务用车购置": "vehicle_purchase",
    "公务用车运行维护费": "vehicle_operation",
    "公务用车运行费": "vehicle_operation",
    "公务接待费": "reception",
}


THREE_NAMES = {
    "total": "“三公”经费合计",
    "abroad": "因公出国（境）费",
    "vehicle": "公务用车购置及运行维护费",
    "vehicle_purchase": "公务用车购置费",
    "vehicle_operation": "公务用车运行维护费",
    "reception": "公务接待费",
}


def _three(row: str) -> dict[str, Ref]:
    word = "预算数" if row == "budget" else "决算数"
    return {k: ref("公开07", row, col, f"公开07 {THREE_NAMES[col]}{word}") for k, col in THREE_ITEMS.items()}


def _basic(report: Report) -> dict[str, Ref]:
    out = {
        "基本支出": ref("公开05", "total", "basic", "一般公共预算财政拨款基本支出"),
        "人员经费": ref("公开06", "personnel_total", "amount", "人员经费合计"),
        "公用经费": ref("公开06", "public_total", "amount", "公用经费合计"),
    }
    t = report.tables.get("公开06")
    for row in t.rows.values() if t else ():
        code = row.code or (row.key if row.key.isdigit() else None)
        if code and row.label:
            out.setdefault(
                label_key(row.label), ref("公开06", row.key, "amount", f"{label_key(row.label)}（{code}）")
            )
    return out


def default_whole(report: Report, section: str) -> Ref | None:
    """What a share in `section` is of when the sentence does not say ('占97.49%')."""
    if section == "income":
        return sources.income_total(report)
    if section == "expense":
        return sources.expense_total(report)
    return SECTION_DEFAULT_WHOLE.get(section)


SECTION_DEFAULT_WHOLE = {
    "general": ref("公开05", "total", "total", "一般公共预算财政拨款支出合计"),
    "basic": ref("公开05", "total", "basic", "一般公共预算财政拨款基本支出"),
    "three": ref("公开07", "actual", "total", "“三公”经费决算数合计"),
}


@dataclass
class Vocabulary:
    """The phrases of one section and a pattern that finds them (longest first)."""

    phrases: dict[str, Ref]
    pattern: re.Pattern[str] | None

    def last(self, text: str) -> tuple[str, Ref, int] | None:
        """The last phrase in `text`: (phrase, figure, end position)."""
        if self.pattern is None:
            return None
        found = None
        for m in self.pattern.finditer(text):
            found = (m.group(0), self.phrases[m.group(0)], m.end())
        return found

    def exact(self, name: str) -> Ref | None:
        return self.phrases.get(name)


def vocabulary(
    report: Report, section: str, row: str = "actual", extra: Mapping[str, Ref] | None = None
) -> Vocabulary:
    """The phrases that name figures in `section` (section-specific ones override the global,
    `extra` ones – figures of the inputs file – override both)."""
    phrases = dict(GLOBAL) | _department(report)
    own: dict[str, Ref] = {
        "income": _income(report),
        "expense": _expense(report),
        "general": _general(report),
        "basic": _basic(report),
        "three": _three(row),
        "fiscal_overall": {  # 公开04, the 财政拨款 summary, in every set
            "财政拨款收入": ref("公开04", "income_total", "amount", "财政拨款本年收入合计"),
            "财政拨款支出": ref("公开04", "expense_total", "total", "财政拨款本年支出合计"),
        },
        "fund": {
            "年初结转和结余": ref("公开08", "total", "opening", "政府性基金年初结转和结余"),
            "本年收入": ref("公开08", "total", "income", "政府性基金本年收入"),
            "本年支出": ref("公开08", "total", "total", "政府性基金本年支出"),
            "政府性基金预算财政拨款支出": ref("公开08", "total", "total", "政府性基金本年支出"),
            "年末结转和结余": ref("公开08", "total", "closing", "政府性基金年末结转和结余"),
        },
        "soe": {
            "本年支出": ref("公开09", "total", "total", "国有资本经营预算财政拨款支出"),
            "国有资本经营预算财政拨款支出": ref("公开09", "total", "total", "国有资本经营预算财政拨款支出"),
        },
        "spending": {
            "会议费": ref("公开06", "30215", "amount", "会议费（30215）"),
            "培训费": ref("公开06", "30216", "amount", "培训费（30216）"),
        },
        "performance": {
            "一般公共预算项目支出": ref("公开05", "total", "project", "一般公共预算财政拨款项目支出"),
        },
    }.get(section, {})
    phrases.update(own)
    phrases.update(extra or {})
    words = sorted(phrases, key=len, reverse=True)
    pattern = re.compile("|".join(re.escape(w) for w in words)) if words else None
    return Vocabulary(phrases, pattern)
