"""The claims of 情况说明: every amount, percentage and 类/款/项 heading, with the words around it."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from xltools.narrative.parse import Paragraph, PartThree, sentences

Kind = Literal["amount", "percent", "heading"]
Role = Literal["plain", "budget", "prior", "change", "share", "growth", "execution", "other"]

_NUMBER = re.compile(r"(?<![\d.])(?<!\d,)(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?(万元|元|%)(?!以上|以下)")
_CHANGE_END = re.compile(r"(增加|减少|降低|下降|增长|上升)了?$")
_GROWTH_END = re.compile(r"(增长|下降|降低|上升|减少|增加|增幅|降幅)(了|为|是)?$")
_DECREASE = ("减少", "降低", "下降", "降幅")
_BUDGET = re.compile(r"预算(?:数|为|是|$)")
_SUBHEAD = re.compile(r"^[(][一二三四五六七八九十]+[)]")
_WHOLE = re.compile(r"占(.*?)(?:的比重|的比例|的)?$")
# the figure a sentence ties to the prior year: '与2018年的支出760.15万元相比', '上年决算数为…', '去年…'
_PRIOR = re.compile(r"上年(?!结转)|去年|上一年|上年度|同期")
_YEAR = re.compile(r"(\d{4})年")
_COMPARED = re.compile(r"(?:与|和|同|较|比)\d{4}年")  # '与2020年度的1910.39万元相比': the base


@dataclass
class Claim:
    """One number (or heading) of part three and where it stands."""

    kind: Kind
    text: str  # as written: '2282.14万元', '10.89%', or the heading
    value: Decimal | None
    unit: str  # '万元', '元', '%', ''
    decimals: int
    sentence: str  # squashed
    window: str  # the words between the previous number of the sentence and this one
    paragraph: Paragraph
    index: int  # position among the paragraph's claims
    role: Role = "plain"
    aside: bool = False  # inside parentheses: '（收入总计含…）'
    increase: bool = True  # for a change: 增加 (True) or 减少 (False)
    whole_name: str = ""  # for a share: the whole named by '占…的'
    heading: tuple[str, str, str] | None = None  # 类, 款, 项 names
    start: int = 0  # position in the sentence
    offset: int = 0  # position of the sentence in the paragraph

    @property
    def at(self) -> int:
        """Position in the paragraph."""
        return self.offset + self.start

    @property
    def wan(self) -> Decimal | None:
        """The amount in 万元 (an amount written in 元 divided by 10000)."""
        if self.value is None:
            return None
        return self.value / Decimal(10000) if self.unit == "元" else self.value

    @property
    def location(self) -> str:
        title = self.paragraph.section_title[:24]
        return f"第三部分 {title} 第{self.paragraph.number}段".replace("  ", " ")

    def quote(self, width: int = 36) -> str:
        """The sentence around the claim, shortened."""
        s = self.sentence.strip()
        return s if len(s) <= width else s[: width - 1] + "…"


def _depth(text: str) -> int:
    return text.count("(") - text.count(")")


def _headings(sentence: str) -> Iterator[tuple[int, tuple[str, str, str]]]:
    """'1、一般公共服务支出(类)政府办公厅(室)及相关机构事务(款)行政运行(项)' → (position, names)."""
    pos = 0
    while True:
        xiang = sentence.find("(项)", pos)
        if xiang < 0:
            return
        kuan = sentence.rfind("(款)", pos, xiang)
        lei = sentence.rfind("(类)", pos, kuan if kuan >= 0 else xiang)
        if kuan >= 0 and lei >= 0:
            head = re.split(r"[,;:。]", sentence[pos:lei])[-1]
            head = re.sub(r"^\s*\d+[、.．]", "", head)
            yield lei, (head, sentence[lei + 3 : kuan], sentence[kuan + 3 : xiang])
        pos = xiang + 3


def _classify(claim: Claim, previous: Claim | None) -> None:
    w = claim.window.rstrip(",、:;")
    if claim.kind == "amount":
        m = _CHANGE_END.search(w)
        if m:
            claim.role = "change"
            claim.increase = m.group(1) not in _DECREASE
        elif is_prior(claim):
            claim.role = "prior"
        elif _BUDGET.search(after_subject(claim.window)):
            claim.role = "budget"
        return
    if "占" in w:
        claim.role = "share"
        m = _WHOLE.search(w[w.rfind("占") :])
        claim.whole_name = m.group(1) if m and m.group(1) != "比" else ""  # '占比98.95%': the usual whole
    elif _GROWTH_END.search(w) or (previous is not None and previous.role == "change" and w in ("", "同比")):
        claim.role = "growth"
    elif ("完成" in w or "执行率" in w or "完成率" in w) and claim.unit == "%":
        claim.role = "execution"
    else:
        claim.role = "other"


def paragraph_claims(paragraph: Paragraph) -> list[Claim]:
    """Every claim of one paragraph, in reading order."""
    out: list[Claim] = []
    offset = 0
    for sentence in sentences(paragraph.plain):
        found = _heading_claims(paragraph, sentence, len(out)) + _number_claims(paragraph, sentence, len(out))
        for c in found:
            c.offset = offset
        out.extend(found)
        offset += len(sentence)
    return out


def _heading_claims(paragraph: Paragraph, sentence: str, first: int) -> list[Claim]:
    """The 类/款/项 headings of one sentence, numbered on from `first`."""
    return [
        Claim(
            "heading",
            "".join(f"{n}({m})" for n, m in zip(names, "类款项", strict=True)),
            None,
            "",
            0,
            sentence,
            sentence[:pos],
            paragraph,
            first + i,
            heading=names,
            start=pos,
        )
        for i, (pos, names) in enumerate(_headings(sentence))
    ]


def _number_claims(paragraph: Paragraph, sentence: str, first: int) -> list[Claim]:
    """The amounts and percentages of one sentence, numbered on from `first`, each with its role."""
    out: list[Claim] = []
    start = 0  # where the words before the next number begin
    previous: Claim | None = None
    for m in _NUMBER.finditer(sentence):
        number = m.group(1).replace(",", "") + (m.group(2) or "")
        claim = Claim(
            "percent" if m.group(3) == "%" else "amount",
            m.group(0),
            Decimal(number),
            m.group(3),
            len(m.group(2) or "") - (1 if m.group(2) else 0),
            sentence,
            sentence[start : m.start()],
            paragraph,
            first + len(out),
            aside=_depth(sentence[: m.start()]) > 0,
            start=m.start(),
        )
        _classify(claim, previous)
        out.append(claim)
        previous = claim
        start = m.end()
    return out


def is_prior(claim: Claim) -> bool:
    """The amount is the prior year's: the clause before it names the prior year ('上年', '去年',
    or a year earlier than one the sentence named before it: '2019年支出…，与2018年的支出…')."""
    clause = re.split(r"[,;:]", claim.window.rstrip(",;:"))[-1]
    if _PRIOR.search(clause) or _COMPARED.match(clause):
        return True
    years = [int(y) for y in _YEAR.findall(clause)]
    earlier = [int(y) for y in _YEAR.findall(claim.paragraph.plain[: claim.at - len(clause)])]
    return bool(years and earlier and max(years) < max(earlier))


def after_subject(window: str) -> str:
    """The last clause before the number, without '一般公共预算' (part of a name, not a budget):
    '年初预算数为' of '…支出年初预算数为' says budget, '预算绩效管理…共涉及资金' does not."""
    clause = re.split(r"[,;:]", window.rstrip(",;:"))[-1]
    return re.sub(r"一般公共预算(?:财政拨款)?|预算绩效", "", clause)


def claims(part: PartThree) -> list[Claim]:
    return [c for p in part.paragraphs for c in paragraph_claims(p)]


def is_subheading(paragraph: Paragraph) -> bool:
    """'（三）一般公共预算财政拨款支出决算具体情况' and section titles: the 项 spoken of ends here."""
    return paragraph.text == paragraph.section_title or bool(_SUBHEAD.match(paragraph.plain))
