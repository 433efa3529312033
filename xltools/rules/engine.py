"""Judge a Report with the whole catalogue: relation checks through the Python backend, then the
format rules; and the same for a path, with unreadable files turned into results, not tracebacks."""

from __future__ import annotations

import os
from pathlib import Path

from xltools.errors import XltoolsError, internal_error
from xltools.model import Report
from xltools.perf import no_gc
from xltools.rules.catalogue import load_rules
from xltools.rules.evaluate import evaluate_check
from xltools.rules.expand import _tables_of, expand, not_applicable
from xltools.rules.format_checks import FORMAT_CHECKS
from xltools.rules.results import CheckResult, Finding
from xltools.vocabulary import RuleKind, Verdict


def evaluate(report: Report) -> CheckResult:
    """Every finding of every rule over `report` (passes and not-applicable rules included)."""
    with no_gc():
        return _evaluate(report)


def _evaluate(report: Report) -> CheckResult:
    checks = expand(report)
    findings = [evaluate_check(c) for c in checks]
    for rule in load_rules():
        if rule.kind == RuleKind.FORMAT and rule.applies_to(report.format.family):
            findings.extend(FORMAT_CHECKS[rule.id](rule, report))
    for rule in not_applicable(report, checks):
        unread = sorted(t for t in _tables_of(rule) if t in report.unread)
        why = f"{'、'.join(unread)} 无法识别" if unread else "工作簿缺少所需的表"
        findings.append(
            Finding(
                rule.id,
                rule.severity,
                Verdict.NA,
                (),
                None,
                None,
                None,
                f"{rule.text}：{why}，不适用",
            )
        )
    return CheckResult(str(report.path), report.format.id, report.department, report.year, findings)


def check_path(path: str | Path) -> CheckResult:
    """Read and judge one workbook (its first unit); a file that cannot be read gives a result with
    `.error` set."""
    return check_units(path)[0]


def check_units(path: str | Path) -> list[CheckResult]:
    """One result per unit whose tables the workbook holds (部门 and 单位 side by side, say), each
    naming its unit in `.department`; a file that cannot be read gives one result with `.error`."""
    from xltools.read import read_reports

    try:
        return [evaluate(report) for report in read_reports(path)]
    except XltoolsError as exc:
        return [CheckResult(str(path), None, None, None, error=exc.render())]
    except Exception as exc:  # a fault of ours met on this file: say so, and let the batch go on
        if os.environ.get("XLTOOLS_DEBUG"):
            raise
        return [CheckResult(str(path), None, None, None, error=internal_error(exc, path))]
