"""Check a written 情况说明 against the tables: each claim placed on the cell it speaks of, or
checked for its arithmetic, or listed as not placed (N0); shares of one whole checked for their
sum (N7). Rule ids N0–N7 (README.md)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from xltools.model import Cell, Report, Term
from xltools.narrative import facts, given
from xltools.narrative.claims import Claim, after_subject, is_subheading, paragraph_claims
from xltools.narrative.facts import Ref
from xltools.narrative.inputs import Inputs, with_year
from xltools.narrative.numbers import HUNDRED, ZERO, Ratio, growth, ratio, round_half_up, truncate
from xltools.narrative.outcomes import RULES, NarrativeCheck, Outcome
from xltools.narrative.parse import PartThree, read_part_three
from xltools.narrative.sums import Share, breakdowns
from xltools.narrative.vocab import SECTION_DEFAULT_WHOLE, Vocabulary, vocabulary
from xltools.rules.evaluate import tail_bound
from xltools.vocabulary import Severity, Verdict

TEN_THOUSAND = Decimal(10000)
CENT = Decimal("0.01")  # a change from two rounded amounts may be a cent off the one from 元
__all__ = ["RULES", "NarrativeCheck", "Outcome", "check_narrative", "check_part_three"]


class _Checker:
    def __init__(self, report: Report, inputs: Inputs | None = None) -> None:
        self.report = report
        self.inputs = inputs  # with it, prior-year, 年初预算 and 政府采购 figures are checked too
        self.vocab: dict[str, Vocabulary] = {}
        self.item: str | None = None  # the 项 code the current paragraph speaks of
        self.out: list[tuple[tuple[int, int], Outcome]] = []
        self.unplaced: list[Claim] = []  # amounts no phrase names: N0 unless a rate uses them
        self.used: set[int] = set()  # ids of input amounts (prior-year changes, budgets) a rate checked
        self.shares: list[Share] = []  # the shares of the current paragraph, summed at its end (N7)

    def words(self, section: str) -> Vocabulary:
        if section not in self.vocab:
            extra = given.phrases(self.inputs, section) if self.inputs else {}
            self.vocab[section] = vocabulary(self.report, section, extra=extra)
        return self.vocab[section]

    def emit(
        self,
        c: Claim,
        rule: str,
        verdict: str,
        message: str,
        cells: tuple[Cell, ...] = (),
        expected: Decimal | None = None,
        actual: Decimal | None = None,
        quote: str | None = None,
    ) -> None:
        v = Verdict(verdict)  # a misspelt verdict fails here, not in a report
        severity = Severity.ERROR if v == Verdict.ERROR else Severity.WARNING
        diff = None if expected is None or actual is None else actual - expected
        said = c.quote() if quote is None else quote
        outcome = Outcome(
            rule, severity, v, cells, expected, actual, diff, f"{message}（“{said}”）", c.location
        )
        self.out.append(((c.paragraph.number, c.index), outcome))

    def outcomes(self) -> list[Outcome]:
        return [o for _, o in sorted(self.out, key=lambda ko: ko[0])]

    # ---------------------------------------------------------------- placing amounts
    def resolve(self, c: Claim) -> Ref | None:
        words = self.words(c.paragraph.section)
        hit = words.last(c.window)
        if hit is None and "(类)" in c.window:
            return None  # a 类 the table does not have: not the sentence's subject (N4)
        if hit is None and self.item and c.paragraph.section == "general":
            return facts.ref("公开05", self.item, "total", f"科目{self.item}")
        if hit is None:
            hit = words.last(c.sentence[: c.start])
        if hit is None:
            return None
        target = hit[1]
        if target.table == "公开07" and c.role == "budget":
            target = Ref("公开07", ("budget",), target.col, target.label.replace("决算数", "预算数"))
        return target

    def amount(self, c: Claim, before: list[Claim]) -> None:
        if c.role == "change":
            self.change(c, before)  # and with its rate (growth)
            return
        target = self.place(c)
        if target is None:
            return
        term = target.term(self.report)
        if term is None:
            self.emit(c, "N0", "warning", f"{c.text}：表中没有{target.label}，未核对")
            return
        self.compare(c, target, term)

    def place(self, c: Claim) -> Ref | None:
        """The figure an amount speaks of; None when there is none to compare with: a 类 the table
        lacks (N4, emitted here), an amount no phrase names (kept for N0), or a 年初预算 the inputs
        do not give (checked with its execution rate only)."""
        target = self.resolve(c)
        if c.role == "budget":
            if target is None or target.table != "公开07":  # 年初预算: an input
                target = given.budget(self.inputs, target) if self.inputs and target else None
                if target is None:
                    return None
            self.used.add(id(c))  # the 三公 budget is in 公开07, others in the inputs
        if target is None:
            if "(类)" in c.window:
                self.emit(c, "N4", "error", f"{c.text}前的类名称在公开05中找不到")
            else:
                self.unplaced.append(c)
        return target

    def compare(self, c: Claim, target: Ref, term: Term) -> None:
        """An amount against its figure: N5 when written in 元 for 万元, else N1."""
        assert c.value is not None
        stated = c.value
        if c.unit == "元":
            if stated == term.value:
                self.emit(
                    c,
                    "N5",
                    "warning",
                    f"{c.text}应为万元（{target.label}为{term.value}万元）",
                    term.cells,
                    term.value,
                    stated,
                )
                return
            stated = c.value / TEN_THOUSAND
        tolerance = tail_bound(term.addends + 1) if term.addends > 1 else ZERO  # a sum of printed amounts
        if abs(stated - term.value) <= tolerance:
            self.emit(c, "N1", "pass", f"{c.text} 与{target.label}相符", term.cells, term.value, stated)
            return
        hint = self.same_value(stated, term.cells)
        self.emit(
            c,
            "N1",
            "error",
            f"{c.text} 与{target.label} {term.value}万元不符{hint}",
            term.cells,
            term.value,
            stated,
        )

    def change(self, c: Claim, before: list[Claim]) -> None:
        """'增加 X 万元' = this year's figure − the prior-year (or 年初预算) figure of the inputs."""
        subjects = [b for b in before if b.kind == "amount" and b.role == "plain" and not b.aside]
        if self.inputs is None or not subjects:
            return
        this = subjects[-1]
        subject = self.resolve(this)
        against_budget = "预算" in after_subject(c.window)  # '比年初预算数减少', not '与上年相比增加'
        base = given.base(self.inputs, subject, against_budget) if subject else None
        if base is None or base.given is None:
            return
        assert c.value is not None and this.value is not None
        self.used.add(id(c))
        expected = this.value - base.given
        stated = c.value if c.increase else -c.value
        formula = f"{this.text}−{base.label}{base.given}万元"
        if abs(stated - expected) <= CENT:
            self.emit(c, "N1", "pass", f"{c.text} = {formula}", (), expected, stated)
        else:
            self.emit(c, "N1", "error", f"{c.text} 有误，{formula} = {expected}万元", (), expected, stated)

    def same_value(self, value: Decimal, skip: tuple[Cell, ...]) -> str:
        cells = [
            a.cell.a1() for _, _, _, a in self.report.amounts() if a.value == value and a.cell not in skip
        ]
        return f"，与{'、'.join(cells[:3])}的数相同，疑取错了单元格" if cells and value != ZERO else ""

    # ---------------------------------------------------------------- percentages
    def percent(self, c: Claim, before: list[Claim]) -> None:
        amounts = [b for b in before if b.kind == "amount"]
        if c.role == "share":
            self.share(c, [b for b in amounts if b.sentence == c.sentence], amounts)
        elif c.role == "growth":
            self.growth(c, amounts)
        elif c.role == "execution":
            self.execution(c, amounts)
        else:
            self.emit(c, "N0", "warning", f"{c.text}：不知道是哪两个数之比，未核对")

    def share(self, c: Claim, same_sentence: list[Claim], paragraph: list[Claim]) -> None:
        parts = [b for b in same_sentence if b.role != "change"]
        if not parts:
            self.emit(c, "N0", "warning", f"{c.text}：句中没有可作分子的金额，未核对")
            return
        part = parts[-1]
        self.used.add(id(part))
        whole, cells = self.whole(c, paragraph)
        if whole is None:
            self.emit(c, "N0", "warning", f"{c.text}：不知道占的是哪个总数，未核对")
            return
        assert part.value is not None
        self.shares.append(Share(c, part, whole, cells))
        self.rate(c, ratio(part.value, whole), cells, f"{part.text}占{whole}万元")

    def sum_shares(self) -> None:
        """At the end of a paragraph: the shares that divide one whole add to 100% (N7)."""
        for b in breakdowns(self.shares):
            verdict = "pass" if b.holds else "warning"
            last = b.shares[-1].claim
            self.emit(last, "N7", verdict, b.message(), b.shares[0].cells, HUNDRED, b.total, b.passage())
        self.shares = []

    def whole(self, c: Claim, paragraph: list[Claim]) -> tuple[Decimal | None, tuple[Cell, ...]]:
        section = c.paragraph.section
        name = c.whole_name.removesuffix("总额").removesuffix("总数")
        if name:
            target = self.words(section).exact(name)
            if target is not None and (t := target.term(self.report)) is not None:
                return t.value, t.cells
            for b in paragraph:  # a whole stated earlier in the paragraph ('政府采购支出总额…')
                if c.whole_name in b.window and b.value is not None:
                    self.used.add(id(b))
                    return b.value, ()
            return None, ()
        default = SECTION_DEFAULT_WHOLE.get(section)
        if default is not None and (t := default.term(self.report)) is not None:
            return t.value, t.cells
        return None, ()

    def growth(self, c: Claim, amounts: list[Claim]) -> None:
        changes = [b for b in amounts if b.role == "change"]
        if not changes:
            self.emit(c, "N0", "warning", f"{c.text}：没有找到对应的增减额，未核对")
            return
        change = changes[-1]
        self.used.add(id(change))
        subjects = [b for b in amounts[: amounts.index(change)] if b.role not in ("change",) and not b.aside]
        if not subjects:
            self.emit(c, "N0", "warning", f"{c.text}：没有找到本年数，未核对")
            return
        this = subjects[-1]
        self.used.add(id(this))
        assert this.value is not None and change.value is not None
        r = growth(this.value, change.value, change.increase)
        if r is None:
            self.emit(
                c, "N6", "warning", f"{c.text}：上年（或预算）数为零，不应给出增减百分比", actual=c.value
            )
            return
        self.rate(c, r, (), f"{change.text}/({this.text}{'−' if change.increase else '+'}{change.text})")

    def execution(self, c: Claim, amounts: list[Claim]) -> None:
        budgets = [b for b in amounts if b.role == "budget"]
        if not budgets:
            self.emit(c, "N0", "warning", f"{c.text}：没有找到预算数，未核对")
            return
        budget = budgets[-1]
        self.used.add(id(budget))
        actuals = [b for b in amounts[amounts.index(budget) + 1 :] if b.role == "plain"]
        if not actuals:
            self.emit(c, "N0", "warning", f"{c.text}：没有找到决算数，未核对")
            return
        actual = actuals[-1]
        self.used.add(id(actual))
        assert actual.value is not None and budget.value is not None
        if budget.value == ZERO:
            self.emit(c, "N6", "warning", f"{c.text}：预算数为零，不应给出完成百分比", actual=c.value)
            return
        self.rate(c, ratio(actual.value, budget.value), (), f"{actual.text}/{budget.text}")

    def rate(self, c: Claim, r: Ratio | None, cells: tuple[Cell, ...], formula: str) -> None:
        assert c.value is not None
        d = max(c.decimals, 0)
        if r is None:
            if c.value == ZERO:
                self.emit(c, "N2", "pass", f"{c.text}：基数为零，0%", cells, ZERO, c.value)
            else:
                self.emit(c, "N6", "warning", f"{c.text}：基数为零，不应给出百分比", cells, None, c.value)
            return
        expected = r.rounded(d)
        if c.value == expected:
            self.emit(c, "N2", "pass", f"{c.text} = {formula}", cells, expected, c.value)
        elif r.allows(c.value, d) and c.value != truncate(r.value, d):
            # computed from 元 the last digit may differ; but 107.49 for 107.496 is a cut, not that
            self.emit(
                c, "N2", "pass", f"{c.text} = {formula}（按元计算的尾数差异）", cells, expected, c.value
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

    # ---------------------------------------------------------------- headings
    def heading(self, c: Claim) -> None:
        assert c.heading is not None
        lei, kuan, xiang = c.heading
        codes = [code for code in facts.function_codes(self.report) if len(code) == 7]
        candidates = [
            code for code in codes if facts.same_name(facts.code_name(self.report, code) or "", xiang)
        ]

        def fits(code: str) -> bool:
            return all(
                (n := facts.code_name(self.report, code[:k])) is None or facts.same_name(n, want)
                for k, want in ((5, kuan), (3, lei))
            )

        good = [code for code in candidates if fits(code)]
        if good:
            self.item = good[0]
            self.emit(
                c,
                "N4",
                "pass",
                f"{c.text} 即公开05 科目{good[0]}",
                facts.cells(self.report, "公开05", good[0], "total"),
            )
            return
        self.item = candidates[0] if candidates else None
        if candidates:
            code = candidates[0]
            lei_name, kuan_name = (
                facts.code_name(self.report, code[:3]),
                facts.code_name(self.report, code[:5]),
            )
            where = f"{lei_name}（类）{kuan_name}（款）"
            msg = f"{xiang}（项）在公开05中属于{where}（科目{code}），标题所写类、款名称不符"
        else:
            msg = f"公开05中没有名为“{xiang}”的项"
        self.emit(
            c, "N4", "error", msg, facts.cells(self.report, "公开05", code, "total") if candidates else ()
        )


def check_part_three(report: Report, part: PartThree, inputs: Inputs | None = None) -> NarrativeCheck:
    """Judge every claim of `part` against `report`, and against `inputs` (prior-year, 年初预算,
    政府采购 figures) when given; without them those figures are checked for their arithmetic only."""
    checker = _Checker(with_year(report, inputs), inputs)
    found: list[Claim] = []
    for paragraph in part.paragraphs:
        if paragraph.section != "general" or is_subheading(paragraph):
            checker.item = None
        before: list[Claim] = []
        for c in paragraph_claims(paragraph):
            if c.kind == "heading":
                checker.heading(c)
            elif c.kind == "amount":
                checker.amount(c, before)
            else:
                checker.percent(c, before)
            before.append(c)
            found.append(c)
        checker.sum_shares()
    for c in found:  # what neither a cell nor a rate accounts for: say so, never drop it silently
        if id(c) in checker.used:
            continue
        if c.role in ("change", "budget"):
            what = "与上年（或预算）的增减额" if c.role == "change" else "预算数"
            checker.emit(c, "N0", "warning", f"{c.text}：{what}不在公开表中，又无百分比可核，未核对")
        elif any(c is u for u in checker.unplaced):
            checker.emit(c, "N0", "warning", f"{c.text}：不知道指表中哪个数，未核对")
    return NarrativeCheck(found, checker.outcomes())


def check_narrative(report: Report, document: str | Path, inputs: Inputs | None = None) -> NarrativeCheck:
    """Read the written report at `document` (.docx/.txt/.md, whole or part three) and check it.
    Raises UnreadableDocument when it cannot be read or holds no part three."""
    return check_part_three(report, read_part_three(document), inputs)
