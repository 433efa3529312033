"""Percentages of 情况说明: shares (占…%), changes against the prior year (增长…%) and execution
against the budget (完成…%), each judged with the interval of values its printed amounts allow."""

from __future__ import annotations

import re
from decimal import Decimal

from xltools.model import Cell
from xltools.narrative.base import CheckerBase
from xltools.narrative.claims import Claim
from xltools.narrative.numbers import HUNDRED, ZERO, Ratio, growth, ratio, round_half_up, truncate
from xltools.narrative.sums import Share, breakdowns
from xltools.narrative.vocab import default_whole

BUDGET_WHOLES = (
    "预算",
    "预算数",
    "年初预算",
    "年初预算数",
    "全年预算",
    "全年预算数",
    "调整预算",
    "调整后预算",
)
_LISTED = re.compile(r"以上([一二三四五六七八九十两\d]+)[类款项个]?.*?合计|(?:以上|上述).*?合计|合计")
NUMERALS = {"两": 2, **{ch: i for i, ch in enumerate("一二三四五六七八九十", 1)}}


_OPENING = re.compile(r"^(?:其中|本部门|本单位|我单位|20\d\d年度?|本年度?|全年)+")
_QUALIFIER = re.compile(r"^(?:一般公共预算)?(?:财政拨款)?")
_CLOSING = re.compile(r"(?:为|是|共|达|共计)$")


def named(amount: Claim, loose: bool = False) -> str:
    """What the clause before an amount calls it, as a whole's stem: '2021年度收入合计' → '收入',
    '其中:财政拨款收入' → '财政拨款收入' (so '占收入合计的' finds the first, never the second);
    `loose` also drops a leading '(一般公共预算)财政拨款' ('财政拨款基本支出' → '基本支出')."""
    clause = re.split(r"[,;:]", amount.window.rstrip(",;:"))[-1]
    clause = _CLOSING.sub("", _OPENING.sub("", clause))
    return whole_stem(_QUALIFIER.sub("", clause) if loose else clause)


def whole_stem(name: str) -> str:
    """'政府采购支出总额', '政府采购支出金额' → '政府采购支出': one whole, however it is called."""
    for suffix in ("总额", "总数", "金额", "合计", "总计"):
        if name.endswith(suffix) and len(name) > len(suffix) + 1:
            return name.removesuffix(suffix)
    return name


class Rates(CheckerBase):
    def percent(self, c: Claim, before: list[Claim]) -> None:
        amounts = [b for b in before if b.kind == "amount"]
        if c.role == "share" and whole_stem(c.whole_name) in BUDGET_WHOLES:
            self.execution(c, amounts)  # '占预算的24%': the item's own budget, not the paragraph's
        elif c.role == "share":
            self.share(c, [b for b in before if b.sentence == c.sentence], amounts)
        elif c.role == "growth":
            self.growth(c, amounts)
        elif c.role == "execution":
            self.execution(c, amounts)
        else:
            self.emit(c, "N0", "warning", f"{c.text}：不知道是哪两个数之比，未核对")

    def last(self, c: Claim, found: list[Claim], missing: str) -> Claim | None:
        """The last of `found`, taken as used; when there is none, one N0 saying what is missing
        (the claim is not checked — never judged against a number that was not found)."""
        if not found:
            self.emit(c, "N0", "warning", f"{c.text}：{missing}，未核对")
            return None
        self.used.add(id(found[-1]))
        return found[-1]

    # ---------------------------------------------------------------- shares
    def share(self, c: Claim, same_sentence: list[Claim], paragraph: list[Claim]) -> None:
        parts = [b for b in same_sentence if b.kind == "amount" and b.role not in ("change", "prior")]
        clause = re.split(r"[,;]", c.window)[-1]
        listed = _LISTED.search(clause[: clause.rfind("占")])  # '以上三类合计占', not '占本年收入合计的'

        if listed:
            last_percent = max((b.start for b in same_sentence if b.kind == "percent"), default=-1)
            self.share_of_sum(c, [b for b in parts if b.start > last_percent], listed)
            return
        part = self.last(c, parts, "句中没有可作分子的金额")
        if part is None:
            return
        whole, cells = self.whole(c, paragraph, exclude=part)
        if whole is None:
            self.emit(c, "N0", "warning", f"{c.text}：不知道占的是哪个总数，未核对")
            return
        assert part.wan is not None and part.value is not None
        self.shares.append(Share(c, part, whole, cells))
        if self.yuan_slip(c, part, ratio(part.wan, whole), ratio(part.value, whole)):
            return
        alt = ratio(self.table_value(part), whole)
        self.rate(c, ratio(part.wan, whole), cells, f"{part.text}占{whole}万元", alt)

    def share_of_sum(self, c: Claim, parts: list[Claim], listed: re.Match[str]) -> None:
        """'……节能环保（类）支出0万元，以上三类合计占4.2%': the sum of the items listed."""
        count = listed.group(1)
        n = NUMERALS.get(count, 0) if count and not count.isdigit() else int(count or 0)
        since = [b for b in parts if b.start < c.start]
        chosen = since[-n:] if n else since
        if not chosen or (n and len(since) < n):
            self.emit(c, "N0", "warning", f"{c.text}：不知道“合计”指哪几项，未核对")
            return
        for b in chosen:
            self.used.add(id(b))
        whole, cells = self.whole(c, [], exclude=None)
        if whole is None:
            self.emit(c, "N0", "warning", f"{c.text}：不知道占的是哪个总数，未核对")
            return
        total = sum((b.value or ZERO for b in chosen), ZERO)
        names = "+".join(b.text for b in chosen)
        self.rate(c, ratio(total, whole, addends=len(chosen)), cells, f"({names})占{whole}万元")

    def sum_shares(self) -> None:
        """At the end of a paragraph: the shares that divide one whole add to 100% (N7)."""
        for b in breakdowns(self.shares):
            verdict = "pass" if b.holds else "warning"
            last = b.shares[-1].claim
            self.emit(last, "N7", verdict, b.message(), b.shares[0].cells, HUNDRED, b.total, b.passage())
        self.shares = []

    def whole(
        self, c: Claim, paragraph: list[Claim], exclude: Claim | None
    ) -> tuple[Decimal | None, tuple[Cell, ...]]:
        """The whole a share is of: named ('占本年支出合计的'), found in the tables or stated in
        the paragraph; unnamed, the section's usual whole (or, for text alone, the total the
        sentence lists the parts of)."""
        section = c.paragraph.section
        stem = whole_stem(c.whole_name)
        words = self.words(section)
        if stem:
            target = None if words is None else words.exact(stem) or words.exact(c.whole_name)
            if target is not None and self.report is not None and (t := target.term(self.report)):
                return t.value, t.cells
            for loose in (False, True):  # a whole stated earlier ('政府采购支出总额114.46万元…')
                for b in reversed(paragraph):
                    if (
                        b is not exclude
                        and b.role == "plain"
                        and named(b, loose) == stem
                        and b.wan is not None
                    ):
                        self.used.add(id(b))
                        return b.wan, ()
            return None, ()
        if self.report is not None:
            default = default_whole(self.report, section)
            if default is not None and (t := default.term(self.report)) is not None:
                return t.value, t.cells
            return None, ()
        return self.stated_total(c, paragraph), ()

    def stated_total(self, c: Claim, paragraph: list[Claim]) -> Decimal | None:
        """For text alone: the amount a '其中' list before the share divides ('支出合计X万元，
        其中：…，占…%；…'); None when the paragraph states none."""
        head = c.paragraph.plain.rfind("其中", 0, c.at)
        if head < 0:
            return None
        totals = [b for b in paragraph if b.at < head and b.role == "plain" and not b.aside]
        if not totals:
            return None
        self.used.add(id(totals[-1]))
        return totals[-1].wan

    # ---------------------------------------------------------------- changes and execution
    def growth(self, c: Claim, amounts: list[Claim]) -> None:
        changes = [b for b in amounts if b.role == "change" and b.sentence == c.sentence]
        change = self.last(c, changes, "句中没有对应的增减额")  # another sentence's may be of 人次, 个
        if change is None:
            return
        earlier = amounts[: amounts.index(change)]
        priors = [b for b in earlier if b.role == "prior" and b.sentence == change.sentence]
        if priors:  # '与2018年的支出760.15万元相比增加52.25万元，增长6.9%': the base is stated
            self.growth_on_prior(c, change, priors[-1], earlier)
            return
        subjects = [b for b in earlier if b.role in ("plain", "budget") and not b.aside]
        this = self.last(c, subjects, "没有找到本年数")
        if this is None:
            return
        assert this.value is not None and change.value is not None
        r = growth(this.value, change.value, change.increase)
        if r is None:
            self.emit(
                c, "N6", "warning", f"{c.text}：上年（或预算）数为零，不应给出增减百分比", actual=c.value
            )
            return
        alt = growth(self.table_value(this), change.value, change.increase)
        self.rate(c, r, (), f"{change.text}/({this.text}{'−' if change.increase else '+'}{change.text})", alt)

    def growth_on_prior(self, c: Claim, change: Claim, prior: Claim, earlier: list[Claim]) -> None:
        """A rate on a prior-year figure the sentence states: Y = X / prior (and X = this − prior
        when the sentence states this year's figure too)."""
        self.used.add(id(prior))
        assert prior.value is not None and change.value is not None
        this = [b for b in earlier if b.role == "plain" and not b.aside and b.sentence == change.sentence]
        if this and id(change) not in self.checked_changes:
            self.checked_changes.add(id(change))
            self.used.add(id(this[-1]))
            self.change_on_prior(change, this[-1], prior)
        r = ratio(change.value, prior.value)
        alt = (
            ratio(this[-1].value - prior.value, prior.value) if this and this[-1].value is not None else None
        )
        if r is None:
            self.emit(c, "N6", "warning", f"{c.text}：上年数为零，不应给出增减百分比", actual=c.value)
            return
        self.rate(c, r, (), f"{change.text}/{prior.text}", alt)

    def change_on_prior(self, change: Claim, this: Claim, prior: Claim) -> None:
        assert this.value is not None and prior.value is not None and change.value is not None
        expected = this.value - prior.value
        stated = change.value if change.increase else -change.value
        formula = f"{this.text}−{prior.text}"
        if abs(stated - expected) <= Decimal("0.01"):  # three printed amounts, each ±0.005
            self.emit(change, "N1", "pass", f"{change.text} = {formula}", (), expected, stated)
        else:
            self.emit(
                change, "N1", "error", f"{change.text} 有误，{formula} = {expected}万元", (), expected, stated
            )

    def execution(self, c: Claim, amounts: list[Claim]) -> None:
        own = [b for b in amounts if b.sentence == c.sentence]
        budgets = [b for b in own if b.role == "budget"] or [b for b in amounts if b.role == "budget"]
        budget = self.last(c, budgets, "没有找到预算数")
        if budget is None:
            return
        actuals = [b for b in amounts[amounts.index(budget) + 1 :] if b.role == "plain"] or [
            b
            for b in own
            if b.role == "plain" and b.start < budget.start  # '实际支出…，全年预算数…'
        ]
        actual = self.last(c, actuals, "没有找到决算数")
        if actual is None:
            return
        assert actual.wan is not None and budget.wan is not None
        assert actual.value is not None and budget.value is not None
        if budget.value == ZERO:
            self.emit(c, "N6", "warning", f"{c.text}：预算数为零，不应给出完成百分比", actual=c.value)
            return
        r = ratio(actual.wan, budget.wan)
        slip = actual if actual.unit == "元" else budget
        raw = ratio(
            actual.value if slip is actual else actual.wan, budget.value if slip is budget else budget.wan
        )
        if self.yuan_slip(c, slip, r, raw):
            return
        alt = ratio(self.table_value(actual), self.table_value(budget))
        self.rate(c, r, (), f"{actual.text}/{budget.text}", alt)

    def yuan_slip(self, c: Claim, amount: Claim, r: Ratio | None, raw: Ratio | None) -> bool:
        """An amount written in 元 among 万元: the stated percentage only holds with it read as
        万元 (N5). True when so reported."""
        if amount.unit != "元" or c.value is None or raw is None:
            return False
        d = max(c.decimals, 0)
        if (r is not None and r.allows(c.value, d)) or not raw.allows(c.value, d):
            return False
        self.slip(amount, f"{amount.text}应为万元：按万元计{c.text}相符，按元计则不符")
        return True

    # ---------------------------------------------------------------- judging a percentage
    def table_value(self, c: Claim) -> Decimal:
        """The figure of the table cell the amount was placed on (its stated value when none)."""
        found = self.placed_values.get(id(c))
        assert c.wan is not None
        return c.wan if found is None else found

    def rate(
        self, c: Claim, r: Ratio | None, cells: tuple[Cell, ...], formula: str, alt: Ratio | None = None
    ) -> None:
        """Pass when the stated figure is the rounded ratio; 尾差 when it is off that but inside the
        interval the printed amounts allow; N3 when outside it and cut instead of rounded; else N2.
        `alt` is the ratio of the right figures when a stated amount was found wrong: a percentage
        that fits them is not a second mistake (the amount's own finding says what is wrong)."""
        assert c.value is not None
        d = max(c.decimals, 0)
        if (
            r is not None
            and alt is not None
            and alt != r
            and not r.allows(c.value, d)
            and alt.allows(c.value, d)
        ):
            message = f"{c.text} 按表中数计相符（句中所用金额另有发现）"
            self.emit(c, "N2", "pass", message, cells, alt.rounded(d), c.value)
            return
        if r is None:
            if c.value == ZERO:
                self.emit(c, "N2", "pass", f"{c.text}：基数为零，0%", cells, ZERO, c.value)
            else:
                self.emit(c, "N6", "warning", f"{c.text}：基数为零，不应给出百分比", cells, None, c.value)
            return
        expected = r.rounded(d)
        if c.value == expected:
            self.emit(c, "N2", "pass", f"{c.text} = {formula}", cells, expected, c.value)
        elif r.allows(c.value, d):
            self.emit(
                c,
                "N2",
                "tail",
                f"{c.text} 按印出金额算为{expected}%，在金额四舍五入（±0.005万元）所允许的"
                f"{round_half_up(r.low, d)}%–{round_half_up(r.high, d)}%之内，属尾差（{formula}）",
                cells,
                expected,
                c.value,
            )
        elif c.value == truncate(r.value, d) or r.truncated_to(c.value, d):
            self.emit(
                c,
                "N3",
                "warning",
                f"{c.text} 是截位所得，四舍五入应为{expected}%（{formula}）",
                cells,
                expected,
                c.value,
            )
        else:
            self.wrong_rate(c, r, d, cells, formula)

    def wrong_rate(self, c: Claim, r: Ratio, d: int, cells: tuple[Cell, ...], formula: str) -> None:
        """N2: a warning when the stated figure is one unit of its last digit off, else an error."""
        assert c.value is not None
        last = Decimal(1).scaleb(-d)
        near = min(abs(c.value - round_half_up(r.low, d)), abs(c.value - round_half_up(r.high, d))) <= last
        expected = r.rounded(d)
        self.emit(
            c,
            "N2",
            "warning" if near else "error",
            f"{c.text} 有误，{formula} = {round_half_up(r.value, d + 2)}%，应为{expected}%",
            cells,
            expected,
            c.value,
        )
