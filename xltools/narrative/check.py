"""Check a written 情况说明 against the tables: each claim placed on the cell it speaks of, or
checked for its arithmetic, or listed as not placed (N0); shares of one whole checked for their
sum (N7). Rule ids N0–N7 (README.md)."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

from xltools.model import Cell, Report, Term
from xltools.narrative import facts, given
from xltools.narrative.claims import Claim, after_subject, is_subheading, paragraph_claims
from xltools.narrative.facts import Ref
from xltools.narrative.inputs import Inputs, with_year
from xltools.narrative.numbers import ZERO
from xltools.narrative.outcomes import RULES, NarrativeCheck, Outcome
from xltools.narrative.parse import PartThree, part_three, read_part_three
from xltools.narrative.rates import Rates
from xltools.narrative.selfcheck import check_sums
from xltools.narrative.vocab import Vocabulary
from xltools.rules.evaluate import tail_bound

TEN_THOUSAND = Decimal(10000)
CENT = Decimal("0.01")  # a change from two rounded amounts may be a cent off the one from 元
__all__ = ["RULES", "NarrativeCheck", "Outcome", "check_narrative", "check_part_three", "check_text"]
_LEADING = re.compile(r"^(?:\d+[、.]|20\d\d年度?|本年度?|全年|本项目?|该项目?|此项|[,:;])+")
_TRAILING = re.compile(
    r"(?:的)?(?:年初预算数?|全年预算数?|预算数?|支出决算数?|决算数?|支出|执行数)(?:为|是)?$"
)


def sentence_subject(sentence: str) -> str:
    """What a sentence under a 项 heading says it is about, if it names anything: the words before
    its first number, without numbering, year and '年初预算为' ('一般行政管理事物年初预算为…' →
    '一般行政管理事物'; '年初预算为…' → '')."""
    clause = _LEADING.sub("", sentence)
    clause = re.split(r"[,;:。【\d]", clause, maxsplit=1)[0]
    while (m := _TRAILING.search(clause)) and m.group(0):
        clause = clause[: m.start()]
    return clause


_JOINT = re.compile(r"合计|共计|总计|之和|合共|两项|三项")


def _named_together(words: Vocabulary, window: str) -> bool:
    """'人员经费和公用经费合计…': the clause names two figures and the amount is their sum."""
    clause = re.split(r"[,;:]", window.rstrip(",;:"))[-1]
    assert words.pattern is not None
    return len({m.group(0) for m in words.pattern.finditer(clause)}) > 1


class _Checker(Rates):
    # ---------------------------------------------------------------- placing amounts
    def resolve(self, c: Claim) -> Ref | None:
        """The figure an amount speaks of: the phrase just before it; else the sentence's own
        subject; else (under a 项 heading) the heading's 项. None, with the reason kept for N0,
        when the subject is not determined without ambiguity."""
        words = self.words(c.paragraph.section)
        assert words is not None
        hit = words.last(c.window)
        if hit is None and "(类)" in c.window:
            return None  # a 类 named just before the amount that no catalogue knows (N4)
        if hit is not None and _JOINT.search(c.window[hit[2] :]) and _named_together(words, c.window):
            self.not_placed(c, "句中把几项合在一起说，不知道是表中哪个数")
            return None
        if hit is None:
            prefix = c.sentence[: c.start]
            prefix = prefix[prefix.rfind("(项)") + 3 :] if "(项)" in prefix else prefix
            hit = words.last(prefix)
        if hit is None and self.item and c.paragraph.section == "general":
            named = sentence_subject(
                c.sentence[c.sentence.rfind("(项)") + 3 :] if "(项)" in c.sentence else c.sentence
            )
            if named and not facts.same_name(named, self.item_name or ""):
                self.not_placed(c, f"句中所说“{named}”与标题中的项不同，也不是公开05中的科目名称")
                return None
            return facts.ref("公开05", self.item, "total", f"科目{self.item}")
        if hit is None:
            return None
        target = hit[1]
        if target.rows == () and not target.table and target.given is None:
            return target  # a figure this set does not print (sources.absent)
        if target.table == "公开07" and c.role == "budget":
            target = Ref("公开07", ("budget",), target.col, target.label.replace("决算数", "预算数"))
        return target

    def amount(self, c: Claim, before: list[Claim]) -> None:
        if self.text_only:
            if c.role == "change":
                self.change(c, before)
            return  # amounts are checked by the sums and rates they enter (selfcheck, rates)
        if c.role == "change":
            self.change(c, before)  # and with its rate (growth)
            return
        if c.role == "prior":
            return  # a prior-year figure: not in the tables (checked by its rate, or N0)
        target = self.place(c)
        if target is None:
            return
        assert self.report is not None
        term = target.term(self.report)
        if term is None:
            self.absent(c, target)
            return
        self.compare(c, target.where(self.report), term)

    def absent(self, c: Claim, target: Ref) -> None:
        """The set does not print the figure. A 类 of the catalogue that 公开05 does not list has
        spent nothing: 0 agrees; anything else is N0 — never an error against a zero."""
        code = target.rows[0] if target.table == "公开05" and len(target.rows) == 1 else ""
        printed = self.report is not None and facts.function_codes(self.report)
        if code.isdigit() and printed and c.value is not None:
            self.placed_values[id(c)] = ZERO
            if c.value == ZERO:
                self.emit(c, "N1", "pass", f"{c.text}：公开05未列{target.label}，即为0", (), ZERO, c.value)
            else:
                self.emit(c, "N1", "error", f"{c.text}：公开05未列{target.label}（即为0）", (), ZERO, c.value)
            return
        self.emit(c, "N0", "warning", f"{c.text}：表中没有{target.label}，未核对")

    def place(self, c: Claim) -> Ref | None:
        """The figure an amount speaks of; None when there is none to compare with: a 类 the
        catalogue lacks (N4, emitted here), an amount no phrase names (kept for N0), or a 年初预算
        the inputs do not give (checked with its execution rate only)."""
        target = self.resolve(c)
        if c.role == "budget":
            if target is None or target.table != "公开07":  # 年初预算: an input
                target = given.budget(self.inputs, target) if self.inputs and target else None
                if target is None:
                    return None
            self.used.add(id(c))  # the 三公 budget is in 公开07, others in the inputs
        if target is None:
            if "(类)" in c.window and not any(u is c for u, _ in self.unplaced):
                self.emit(c, "N4", "error", f"{c.text}前的类名称在公开05和科目目录中都找不到")
            elif not any(u is c for u, _ in self.unplaced):
                self.not_placed(c, "不知道指表中哪个数")
        return target

    def compare(self, c: Claim, target: Ref, term: Term) -> None:
        """An amount against its figure: N5 when written in 元 for 万元, else N1."""
        assert c.value is not None
        stated = c.value
        if c.unit == "元":
            if stated == term.value:
                self.emit(
                    c, "N5", "warning", f"{c.text}应为万元（{target.label}为{term.value}万元）",
                    term.cells, term.value, stated,
                )  # fmt: skip
                return
            stated = c.value / TEN_THOUSAND
        self.placed_values[id(c)] = term.value
        tolerance = tail_bound(term.addends + 1) if term.addends > 1 else ZERO  # a sum of printed amounts
        if abs(stated - term.value) <= tolerance:
            self.emit(c, "N1", "pass", f"{c.text} 与{target.label}相符", term.cells, term.value, stated)
            return
        hint = self.same_value(stated, term.cells)
        message = f"{c.text} 与{target.label} {term.value}万元不符{hint}"
        self.emit(c, "N1", "error", message, term.cells, term.value, stated)

    def change(self, c: Claim, before: list[Claim]) -> None:
        """'增加 X 万元' = this year's figure − the prior-year figure the sentence states, else the
        prior-year (or 年初预算) figure of the inputs."""
        same = [b for b in before if b.kind == "amount" and b.sentence == c.sentence and not b.aside]
        priors = [b for b in same if b.role == "prior"]
        this_year = [b for b in same if b.role == "plain"]
        if priors and this_year:
            self.checked_changes.add(id(c))
            self.used.update({id(c), id(priors[-1]), id(this_year[-1])})
            self.change_on_prior(c, this_year[-1], priors[-1])
            return
        subjects = [b for b in before if b.kind == "amount" and b.role == "plain" and not b.aside]
        if self.inputs is None or not subjects or self.text_only:
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
        assert self.report is not None
        cells = [
            a.cell.a1() for _, _, _, a in self.report.amounts() if a.value == value and a.cell not in skip
        ]
        return f"，与{'、'.join(cells[:3])}的数相同，疑取错了单元格" if cells and value != ZERO else ""

    # ---------------------------------------------------------------- headings
    def heading(self, c: Claim) -> None:
        assert c.heading is not None
        lei, kuan, xiang = c.heading
        self.item_name = xiang
        report = self.report
        if report is None:
            return  # text alone: no 公开05 to hold the name against
        codes = [code for code in facts.function_codes(report) if len(code) == 7]
        candidates = [code for code in codes if facts.same_name(facts.code_name(report, code) or "", xiang)]

        def fits(code: str) -> bool:
            return all(
                (n := facts.code_name(report, code[:k])) is None or facts.same_name(n, want)
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
                facts.cells(report, "公开05", good[0], "total"),
            )
            return
        self.item = candidates[0] if candidates else None
        if candidates:
            code = candidates[0]
            lei_name, kuan_name = (
                facts.code_name(report, code[:3]),
                facts.code_name(report, code[:5]),
            )
            where = f"{lei_name}（类）{kuan_name}（款）"
            msg = f"{xiang}（项）在公开05中属于{where}（科目{code}），标题所写类、款名称不符"
        else:
            msg = f"公开05中没有名为“{xiang}”的项"
        self.emit(c, "N4", "error", msg, facts.cells(report, "公开05", code, "total") if candidates else ())


def _judge(checker: _Checker, part: PartThree) -> list[Claim]:
    """Walk the claims of `part` in reading order; return them all."""
    found: list[Claim] = []
    for paragraph in part.paragraphs:
        if paragraph.section != "general" or is_subheading(paragraph):
            checker.item, checker.item_name = None, None
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
        if checker.text_only:
            check_sums(checker, before)
        checker.sum_shares()
    return found


def _list_unplaced(checker: _Checker, found: list[Claim]) -> None:
    """What neither a cell, a sum nor a rate accounts for: say so, never drop it silently."""
    why = {id(c): reason for c, reason in checker.unplaced}
    for c in found:
        if id(c) in checker.used or c.kind != "amount":
            continue
        if c.role in ("change", "budget", "prior"):
            what = {"change": "与上年（或预算）的增减额", "budget": "预算数", "prior": "上年数"}[c.role]
            checker.emit(c, "N0", "warning", f"{c.text}：{what}不在公开表中，又无百分比可核，未核对")
        elif id(c) in why:
            checker.emit(c, "N0", "warning", f"{c.text}：{why[id(c)]}，未核对")
        elif checker.text_only:
            checker.emit(c, "N0", "warning", f"{c.text}：文字中没有可与之核对的合计或比率，未核对")


def check_part_three(report: Report, part: PartThree, inputs: Inputs | None = None) -> NarrativeCheck:
    """Judge every claim of `part` against `report`, and against `inputs` (prior-year, 年初预算,
    政府采购 figures) when given; without them those figures are checked for their arithmetic only."""
    checker = _Checker(with_year(report, inputs), inputs)
    found = _judge(checker, part)
    _list_unplaced(checker, found)
    return NarrativeCheck(found, checker.outcomes())


def check_text(text: str, report: Report | None = None, inputs: Inputs | None = None) -> NarrativeCheck:
    """Check plain text (a whole report, its part three, or a 绩效自评报告): against `report` when
    given, else against itself alone — the sums it states (其中 parts, 基本 + 项目 = 总, 年初预算 +
    追加 = 全年预算), rates and shares from amounts it states, 元 written among 万元, shares of one
    whole adding to 100%. For the PDF audit and any caller that has text rather than a file."""
    part = part_three(text.splitlines())
    if report is not None:
        return check_part_three(report, part, inputs)
    checker = _Checker(None, inputs)
    found = _judge(checker, part)
    _list_unplaced(checker, found)
    return NarrativeCheck(found, checker.outcomes())


def check_narrative(
    report: Report | None, document: str | Path, inputs: Inputs | None = None
) -> NarrativeCheck:
    """Read the written report at `document` (.docx/.txt/.md, whole or part three) and check it
    against `report`, or against itself when there is no workbook (report None).
    Raises UnreadableDocument when it cannot be read or holds no part three."""
    part = read_part_three(document)
    if report is None:
        checker = _Checker(None, inputs)
        found = _judge(checker, part)
        _list_unplaced(checker, found)
        return NarrativeCheck(found, checker.outcomes())
    return check_part_three(report, part, inputs)
