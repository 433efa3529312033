"""The sums a text states, checked against the text itself (no workbook): a total and the parts
its '其中' lists (when the list is complete), 年初预算 + 追加预算 = 全年预算; 元 written among
万元 (N5) when the sum only closes with that amount read as 万元. Rule N8."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from xltools.narrative.claims import Claim
from xltools.narrative.numbers import HUNDRED, ZERO
from xltools.rules.evaluate import tail_bound

if TYPE_CHECKING:
    from xltools.narrative.base import CheckerBase

COMPLETE_SETS = (  # parts that together make the whole, whatever the text says
    ("基本支出", "项目支出"),
    ("人员经费", "公用经费"),
    ("货物", "工程", "服务"),
)
_NESTED = re.compile(r"(?:主要包括|包括|主要用于|含)")
_TOTAL_WORDS = re.compile(r"全年预算数?|调整后预算数?|预算总额|预算合计")
_EXTRA_WORDS = re.compile(r"追加(?:预算)?|调增")
_CUT_WORDS = re.compile(r"调减|核减")
_START_WORDS = re.compile(r"年初预算数?")


@dataclass(frozen=True)
class StatedSum:
    """A total the text states and the parts it says make it up."""

    total: Claim
    parts: tuple[Claim, ...]
    signs: tuple[int, ...]
    why: str  # what makes the list complete, for the message


def _clause(c: Claim) -> str:
    return re.split(r"[,;:]", c.window.rstrip(",;:"))[-1]


def _separator(c: Claim) -> str:
    """The mark that opens the clause of `c` (';', ',', '、', ':')."""
    w = c.window.rstrip()
    cut = max(w.rfind(m) for m in ";,、:")
    return w[cut] if cut >= 0 else ""


def qizhong_lists(claims: list[Claim]) -> list[StatedSum]:
    """'X万元，其中：A万元；B万元；…' — the top-level parts (not the items a part '主要包括')."""
    amounts = [c for c in claims if c.kind == "amount" and c.role == "plain" and not c.aside]
    text = claims[0].paragraph.plain if claims else ""
    out = []
    for pos in (m.start() for m in re.finditer("其中", text)):
        totals = [c for c in amounts if c.at < pos]
        after = [c for c in amounts if c.at > pos]
        if not totals or len(after) < 2:
            continue
        end = text.find("。", pos)
        after = [c for c in after if end < 0 or c.at < end]
        sep = _separator(after[1]) if len(after) > 1 else ""
        parts = [after[0]] + [c for c in after[1:] if _separator(c) == sep and not _NESTED.search(_clause(c))]
        if len(parts) >= 2:
            out.append(StatedSum(totals[-1], tuple(parts), (1,) * len(parts), ""))
    return out


def _complete(s: StatedSum, claims: list[Claim]) -> StatedSum | None:
    """The list is the whole: its parts are a known complete set, or each part carries a share
    of the total and the shares add to 100%."""
    names = "".join(_clause(p) for p in s.parts)
    for kinds in COMPLETE_SETS:
        if all(k in names for k in kinds) and len(s.parts) == len(kinds):
            return StatedSum(s.total, s.parts, s.signs, "、".join(kinds) + "构成总数")
    shares = [c for c in claims if c.kind == "percent" and c.role == "share"]
    mine = [sh for sh in shares if any(p.index == sh.index - 1 for p in s.parts)]
    if len(mine) == len(s.parts) and mine:
        total = sum((sh.value or ZERO for sh in mine), ZERO)
        if abs(total - HUNDRED) <= Decimal("0.5") * len(mine) * Decimal(1).scaleb(
            -max(m.decimals for m in mine)
        ):
            return StatedSum(s.total, s.parts, s.signs, "各项占比合计为100%")
    return None


def budget_sums(claims: list[Claim]) -> list[StatedSum]:
    """'年初预算数100万元，追加预算20万元，全年预算数120万元' (in any order): start + extra − cut = total."""
    amounts = [c for c in claims if c.kind == "amount" and not c.aside]

    def last(pattern: re.Pattern[str]) -> list[Claim]:
        return [c for c in amounts if pattern.search(_clause(c))][-1:]

    total, start = last(_TOTAL_WORDS), last(_START_WORDS)
    extra, cut = last(_EXTRA_WORDS), last(_CUT_WORDS)
    if not total or not start or not (extra or cut):
        return []
    parts = (*start, *extra, *cut)
    signs = (1, *(1 for _ in extra), *(-1 for _ in cut))
    return [StatedSum(total[0], parts, signs, "年初预算与调整之和")]


def check_sums(checker: CheckerBase, claims: list[Claim]) -> None:
    """Judge every complete stated sum of one paragraph (text alone)."""
    sums = [x for s in qizhong_lists(claims) if (x := _complete(s, claims))] + budget_sums(claims)
    for s in sums:
        _judge(checker, s)


def _value(parts: tuple[Claim, ...], signs: tuple[int, ...], as_written: Claim | None = None) -> Decimal:
    """The signed sum in 万元; `as_written` is taken as if its 元 were 万元."""
    total = ZERO
    for p, sign in zip(parts, signs, strict=True):
        v = (p.value if p is as_written else p.wan) or ZERO
        total += sign * v
    return total


def _judge(checker: CheckerBase, s: StatedSum) -> None:
    assert s.total.wan is not None
    for c in (s.total, *s.parts):
        checker.used.add(id(c))
    listed = "+".join(("−" if sign < 0 else "") + p.text for p, sign in zip(s.parts, s.signs, strict=True))
    found = _value(s.parts, s.signs)
    bound = tail_bound(len(s.parts) + 1)
    diff = found - s.total.wan
    if diff == ZERO:
        checker.emit(s.total, "N8", "pass", f"{s.total.text} = {listed}（{s.why}）", (), found, s.total.wan)
        return
    if abs(diff) <= bound:
        n = len(s.parts) + 1
        message = f"{s.total.text} 与{listed} = {found}万元相差{abs(diff)}万元，在{n}个数四舍五入的尾差之内"
        checker.emit(s.total, "N8", "tail", message, (), found, s.total.wan)
        return
    for p in (*s.parts, s.total):  # 元 among 万元: does the sum close with it read as 万元?
        if p.unit != "元":
            continue
        whole = p.value if p is s.total else s.total.wan
        assert whole is not None
        if abs(_value(s.parts, s.signs, p) - whole) <= bound:
            checker.slip(p, f"{p.text}应为万元：按万元计{listed}与{s.total.text}相符")
            return
    message = f"{s.total.text} 与所列{listed} = {found}万元不符（{s.why}）"
    checker.emit(s.total, "N8", "error", message, (), found, s.total.wan)
