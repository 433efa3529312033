"""The words every layer shares, typed: verdicts, severities and rule kinds, with their Chinese labels.

These are the only spellings: a finding's verdict is a `Verdict`, a rule's severity a `Severity`, its
kind a `RuleKind`; mypy rejects a misspelt member, and the labels below are keyed by the types, so a
label cannot be missing. They are `StrEnum`s, so a value equals its string ("tail" == Verdict.TAIL) and
serialises as it (JSON, the 校验 sheet, catalogue.toml keep the same text).
"""

from __future__ import annotations

from enum import StrEnum
from typing import Literal


class Verdict(StrEnum):
    """The outcome of one check."""

    ERROR = "error"  # beyond the rounding bound: 不通过
    TAIL = "tail"  # within the rounding bound of the printed values: 尾差
    WARNING = "warning"  # a soft rule broken: 提示
    FORMAT = "format"  # the presentation (names, units, codes) is off: 格式
    REVIEW = "review"  # a rule fails on amounts read by OCR from a scan: look at the original (核对原件)
    PASS = "pass"
    NA = "n/a"  # the rule does not apply to this workbook


class Severity(StrEnum):
    """How much a broken rule matters (catalogue.toml's `severity`)."""

    ERROR = "error"
    WARNING = "warning"
    FORMAT = "format"


class RuleKind(StrEnum):
    """What a rule states (catalogue.toml's `kind`)."""

    RELATION = "relation"  # left (= or ≥) right over table cells
    HIERARCHY = "hierarchy"  # 类/款 rows are the sums of their children
    ECONOMIC = "economic"  # a table's classes against 公开03's economic classification
    FORMAT = "format"  # names, units, codes, years agree


Relation = Literal["=", ">="]
RELATIONS: tuple[Relation, ...] = ("=", ">=")

VERDICT_LABELS: dict[Verdict, str] = {
    Verdict.ERROR: "不通过",
    Verdict.TAIL: "尾差",
    Verdict.WARNING: "提示",
    Verdict.FORMAT: "格式",
    Verdict.REVIEW: "核对原件",
    Verdict.PASS: "通过",
    Verdict.NA: "不适用",
}
SEVERITY_LABELS: dict[Severity, str] = {
    Severity.ERROR: "错误",
    Severity.WARNING: "提示",
    Severity.FORMAT: "格式",
}
RULE_KIND_LABELS: dict[RuleKind, str] = {
    RuleKind.RELATION: "表内表间关系",
    RuleKind.HIERARCHY: "科目层级",
    RuleKind.ECONOMIC: "经济分类",
    RuleKind.FORMAT: "格式",
}

# a broken rule's verdict follows its severity
FAILED: dict[Severity, Verdict] = {
    Severity.ERROR: Verdict.ERROR,
    Severity.WARNING: Verdict.WARNING,
    Severity.FORMAT: Verdict.FORMAT,
}
# verdicts under which a relation still holds (a tail is the rounding of printed values)
HOLDS: frozenset[Verdict] = frozenset({Verdict.PASS, Verdict.TAIL})
# verdicts a report lists (passes and rules that do not apply are counted, not listed)
FAILURES: tuple[Verdict, ...] = (Verdict.ERROR, Verdict.REVIEW, Verdict.TAIL, Verdict.WARNING, Verdict.FORMAT)
# how bad a verdict is, to pick the worst of several findings of one rule
RANK: dict[Verdict, int] = {
    Verdict.ERROR: 4,
    Verdict.REVIEW: 3,
    Verdict.WARNING: 3,
    Verdict.FORMAT: 3,
    Verdict.TAIL: 2,
    Verdict.PASS: 1,
    Verdict.NA: 0,
}


class ChangeKind(StrEnum):
    """What a proposed fix does to one cell (`xltools fix --only`)."""

    TEXT = "text"  # a number stored as text becomes a number
    BLANK = "blank"  # a blank a relation determines is filled
    TAIL = "tail"  # a rounding tail is levelled by ±0.01
    TYPO = "typo"  # a likely typing slip is corrected (only with --accept-typos)


CHANGE_LABELS: dict[ChangeKind, str] = {
    ChangeKind.TEXT: "文本数字",
    ChangeKind.BLANK: "空白补填",
    ChangeKind.TAIL: "尾差调整",
    ChangeKind.TYPO: "疑似录入错误",
}
REVIEW_LABEL = "需人工核实"  # a genuine error a fix leaves for a person
