"""The rule catalogue (catalogue.toml) loaded into frozen Rule records, validated on first use."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any, TypeVar

from xltools.datacache import parse_toml
from xltools.errors import FormatError
from xltools.vocabulary import RELATIONS, SEVERITY_LABELS, Relation, RuleKind, Severity

_Word = TypeVar("_Word", RuleKind, Severity)


@dataclass(frozen=True)
class Rule:
    """One rule of rules.md: its id, kind, severity, Chinese text and the relation it states.

    For kind 'relation': `left` (relation) `right`, each a list of references 'table.row.col' (a
    leading '-' subtracts), or `pairs` of single references; `foreach` expands placeholders."""

    id: str
    kind: RuleKind
    severity: Severity
    text: str
    relation: Relation = "="
    hard: Relation | None = None
    family: str | None = None
    left: tuple[str, ...] = ()
    right: tuple[str, ...] = ()
    pairs: tuple[tuple[str, str], ...] = ()
    foreach: dict[str, Any] = field(default_factory=dict, hash=False, compare=False)
    tables: tuple[str, ...] = ()
    level: int | None = None
    classes: dict[str, str] = field(default_factory=dict, hash=False, compare=False)

    def applies_to(self, family: str) -> bool:
        return self.family is None or self.family == family

    @property
    def severity_label(self) -> str:
        return SEVERITY_LABELS[self.severity]


def _rule(d: dict[str, Any]) -> Rule:
    rid = d.get("id", "?")
    kind = _member(RuleKind, d.get("kind", "relation"), rid, "kind")
    severity = _member(Severity, d.get("severity", "error"), rid, "severity")
    relation = _relation(d.get("relation", "="), rid)
    hard = None if d.get("hard") is None else _relation(d["hard"], rid)
    if kind == RuleKind.RELATION and not (d.get("left") and d.get("right")) and not d.get("pairs"):
        raise FormatError(f"规则 {rid} 缺少 left/right 或 pairs", path="catalogue.toml")
    if kind == RuleKind.ECONOMIC and (len(d.get("tables", ())) != 1 or not d.get("classes")):
        raise FormatError(f"规则 {rid} 须列出一张表（tables）和各类级科目（classes）", path="catalogue.toml")
    for ref in [*d.get("left", ()), *d.get("right", ()), *(r for p in d.get("pairs", ()) for r in p)]:
        if len(ref.lstrip("-").split(".")) != 3:
            raise FormatError(f"规则 {rid} 的引用 “{ref}” 应为 表.行.列", path="catalogue.toml")
    return Rule(
        id=rid,
        kind=kind,
        severity=severity,
        text=d["text"],
        relation=relation,
        hard=hard,
        family=d.get("family"),
        left=tuple(d.get("left", ())),
        right=tuple(d.get("right", ())),
        pairs=tuple((a, b) for a, b in d.get("pairs", ())),
        foreach=dict(d.get("foreach", {})),
        tables=tuple(d.get("tables", ())),
        level=d.get("level"),
        classes=dict(d.get("classes", {})),
    )


def _member(vocabulary: type[_Word], value: object, rid: str, key: str) -> _Word:
    try:
        return vocabulary(str(value))
    except ValueError:
        raise FormatError(f"规则 {rid} 的 {key} “{value}” 无效", path="catalogue.toml") from None


def _relation(value: object, rid: str) -> Relation:
    for r in RELATIONS:
        if value == r:
            return r
    raise FormatError(f"规则 {rid} 的 relation “{value}” 无效", path="catalogue.toml")


@cache
def load_rules() -> tuple[Rule, ...]:
    """Every rule of catalogue.toml, in catalogue order."""
    rules = tuple(_rule(d) for d in _catalogue().get("rule", ()))
    ids = [r.id for r in rules]
    dupes = {i for i in ids if ids.count(i) > 1}
    if dupes:
        raise FormatError(f"规则编号重复：{'、'.join(sorted(dupes))}", path="catalogue.toml")
    return rules


MESSAGES = (
    "subject",
    "tail",
    "equal",
    "at_least",
    "cells_sum",
    "no_cells",
    "not_applicable",
    "tables_missing",
    "tables_unread",
)


@cache
def _catalogue() -> dict[str, Any]:
    text = resources.files(__package__).joinpath("catalogue.toml").read_text(encoding="utf-8")
    try:
        return parse_toml(text)
    except ValueError as exc:  # tomllib.TOMLDecodeError
        raise FormatError(f"规则目录无法解析：{exc}", path="catalogue.toml") from exc


@cache
def messages() -> dict[str, str]:
    """The message templates of catalogue.toml's [messages], each checked to be present."""
    found = dict(_catalogue().get("messages", {}))
    missing = [k for k in MESSAGES if not isinstance(found.get(k), str)]
    if missing:
        raise FormatError(f"规则目录缺少消息模板：{'、'.join(missing)}", path="catalogue.toml")
    return found


def message(key: str, **fields: object) -> str:
    """The catalogue's message `key` with `fields` filled in."""
    return messages()[key].format(**fields)


def rule(rule_id: str) -> Rule:
    for r in load_rules():
        if r.id == rule_id or rule_id in r.classes.values():
            return r
    raise KeyError(rule_id)
