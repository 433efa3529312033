"""The rule kinds, dispatched through one registry: kind → how its rules expand, are judged, are rendered.

A kind that relates amounts (relation, hierarchy, economic) has an `expand`: its rules become
concrete checks, which the plan (xltools.rules.plan) compiles and judges all at once and the renderer
writes as relation rows. A kind judged over the report as a whole (format) has a `judge` giving its
findings and a `render` giving its rows of the 校验 sheet. A kind has one or the other, never both.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from xltools.model import Report
from xltools.rules.catalogue import Rule, load_rules, message
from xltools.rules.expand import Check, Resolver, expand_economic, expand_hierarchy, expand_relations
from xltools.rules.format_checks import FORMAT_CHECKS
from xltools.rules.results import Finding
from xltools.vocabulary import RuleKind

if TYPE_CHECKING:  # the 校验 sheet's renderer is imported when a sheet is rendered, not for a check
    from xltools.rules.render import Probe, SheetRow


@dataclass(frozen=True)
class Kind:
    expand: Callable[[Resolver, Rule], Iterable[Check]] | None = None
    judge: Callable[[Rule, Report], Iterable[Finding]] | None = None
    render: Callable[[Rule, Report, Probe | None], list[SheetRow]] | None = None


def _judge_format(rule: Rule, report: Report) -> Iterable[Finding]:
    return FORMAT_CHECKS[rule.id](rule, report)


def _render_format(rule: Rule, report: Report, probe: Probe | None) -> list[SheetRow]:
    from xltools.rules.render_format import format_rule_rows

    return format_rule_rows(rule, report, probe)


KINDS: dict[RuleKind, Kind] = {
    RuleKind.RELATION: Kind(expand=expand_relations),
    RuleKind.HIERARCHY: Kind(expand=expand_hierarchy),
    RuleKind.ECONOMIC: Kind(expand=expand_economic),
    RuleKind.FORMAT: Kind(judge=_judge_format, render=_render_format),
}


def rules_of(report: Report) -> list[tuple[Rule, Kind]]:
    """The rules of the report's format family with their kind, in catalogue order."""
    return [(r, KINDS[r.kind]) for r in load_rules() if r.applies_to(report.format.family)]


def expand(report: Report) -> list[Check]:
    """Every concrete check of every applicable rule over `report`, in catalogue order."""
    res = Resolver(report)
    return [c for rule, kind in rules_of(report) if kind.expand for c in kind.expand(res, rule)]


def judged(report: Report) -> list[Finding]:
    """The findings of every applicable rule of a judged kind, in catalogue order."""
    return [f for rule, kind in rules_of(report) if kind.judge for f in kind.judge(rule, report)]


def judged_rows(report: Report, probe: Probe | None = None) -> list[SheetRow]:
    """The 校验 sheet rows of every applicable rule of a judged kind, in catalogue order."""
    return [row for rule, kind in rules_of(report) if kind.render for row in kind.render(rule, report, probe)]


def not_applicable(report: Report, checks: list[Check]) -> list[Rule]:
    """Expanded rules of the format's family that gave no check because a table is missing (for a
    rule over several tables in turn, such as the hierarchy rules: because all of them are)."""
    have = {c.rule.id for c in checks}

    def missing(r: Rule) -> bool:
        absent = [t not in report.tables for t in _tables_of(r)]
        return all(absent) if r.tables else any(absent)

    return [r for r, kind in rules_of(report) if kind.expand and r.id not in have and missing(r)]


def not_applicable_text(rule: Rule, report: Report) -> str:
    """Why `rule` does not apply: tables the workbook lacks, or holds but could not be recognised."""
    unread = sorted(t for t in _tables_of(rule) if t in report.unread)
    why = message("tables_unread", tables="、".join(unread)) if unread else message("tables_missing")
    return message("not_applicable", text=rule.text, why=why)


def _tables_of(rule: Rule) -> set[str]:
    refs = [*rule.left, *rule.right, *(x for p in rule.pairs for x in p)]
    return {r.lstrip("-").split(".")[0] for r in refs} | set(rule.tables)
