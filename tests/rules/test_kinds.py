"""The rule-kind registry: every kind of the vocabulary is registered, with one way of being judged."""

from __future__ import annotations

from pathlib import Path

import pytest

from xltools.read import read_report
from xltools.rules.catalogue import MESSAGES, load_rules, message
from xltools.rules.format_checks import FORMAT_CHECKS
from xltools.rules.kinds import KINDS, expand, judged, judged_rows
from xltools.rules.plan import plan_for
from xltools.vocabulary import RuleKind


@pytest.mark.parametrize("kind", list(RuleKind))
def test_every_kind_is_expanded_or_judged(kind: RuleKind) -> None:
    k = KINDS[kind]
    assert (k.expand is None) != (k.judge is None)
    assert (k.judge is None) == (k.render is None)


def test_every_judged_rule_has_its_function() -> None:
    judged_ids = {r.id for r in load_rules() if KINDS[r.kind].judge}
    assert judged_ids == set(FORMAT_CHECKS)


FIELDS = ("subject", "text", "head", "difference", "bound", "left", "right", "first", "count", "why")
FIELDS += ("tables",)


def test_message_templates_fill_in() -> None:
    assert all(message(k, **dict.fromkeys(FIELDS, "x")) for k in MESSAGES)
    assert message("subject", subject="公开05 合计 小计", text="T") == "公开05 合计 小计：T"
    missing = message("tables_missing")
    assert message("not_applicable", text="T", why=missing) == "T：工作簿缺少所需的表，不适用"
    assert message("tables_unread", tables="公开05、公开06") == "公开05、公开06 无法识别"


def test_dispatch_covers_every_applicable_rule(books: dict[str, Path]) -> None:
    """Every rule of the family either expands to checks, is judged, or is reported not applicable."""
    report = read_report(books["000_std"])
    expanded = {c.rule.id for c in expand(report)} | {r.id for r in plan_for(report).not_applicable}
    found = {f.rule for f in judged(report)}
    rows = {r.rule for r in judged_rows(report)}
    family = [r for r in load_rules() if r.applies_to(report.format.family)]
    assert {r.id for r in family if KINDS[r.kind].expand} == expanded
    assert {r.id for r in family if KINDS[r.kind].judge} <= rows
    assert found <= rows | {"F0"}
