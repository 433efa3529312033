"""The formulaic clauses of 情况说明: shares, changes against the prior year, budget execution."""

from __future__ import annotations

from decimal import Decimal

from xltools.narrative.document import pending
from xltools.narrative.numbers import ZERO, money, pct, percent

NUMERALS = "一二三四五六七八九十"


def numeral(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二 (section numbers)."""
    if n <= 10:
        return NUMERALS[n - 1]
    return "十" + NUMERALS[n - 11] if n < 20 else str(n)


def share(part: Decimal, whole: Decimal, of: str = "") -> str:
    """'，占97.49%' (or '，占基本支出的53.22%'); nothing when the whole is zero."""
    p = percent(part, whole)
    if p is None:
        return ""
    return f"，占{of}的{pct(p)}" if of else f"，占{pct(p)}"


def amount_share(name: str, part: Decimal, whole: Decimal, of: str = "") -> str:
    return f"{name}{money(part)}{share(part, whole, of)}"


def reason(text: str | None, what: str) -> str:
    return f"，主要原因是：{text.rstrip('。')}" if text else f"，主要原因是：{pending(what)}"


def change(
    current: Decimal, prior: Decimal | None, what: str, why: str | None, against: str = "与上年相比，"
) -> str:
    """'与上年相比，增加354.34万元，增长18.38%，主要原因是：…'. A missing prior value gives a
    【待补充】 marker; a prior value of 0 gives the change without a percentage."""
    if prior is None:
        return f"{against.rstrip('，')}的增减情况{pending('上年' + what + '决算数')}"
    diff = current - prior
    if diff == ZERO:
        return f"{against.rstrip('，')}持平" if against.startswith("与") else f"{against}持平"
    word, rate_word = ("增加", "增长") if diff > ZERO else ("减少", "下降")
    text = f"{against}{word}{money(abs(diff))}"
    rate = percent(abs(diff), prior)
    if rate is not None and prior > ZERO:
        text += f"，{rate_word}{pct(rate)}"
    return text + reason(why, what + "增减原因")


def execution(budget: Decimal | None, actual: Decimal, budget_word: str = "年初预算") -> str:
    """'年初预算为974.08万元，支出决算为959.07万元，完成年初预算的98.46%'."""
    if budget is None:
        what = budget_word if budget_word.endswith("数") else budget_word + "数"
        return f"{budget_word}为{pending(what)}，支出决算为{money(actual)}"
    text = f"{budget_word}为{money(budget)}，支出决算为{money(actual)}"
    rate = percent(actual, budget)
    return text + (f"，完成{budget_word}的{pct(rate)}" if rate is not None else "")


def compare(budget: Decimal | None, actual: Decimal) -> str:
    """'大于' / '小于' / '等于' the budget."""
    if budget is None:
        return pending("决算数与预算数的比较")
    return "大于" if actual > budget else "小于" if actual < budget else "等于"
