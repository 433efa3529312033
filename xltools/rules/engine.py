"""Judge a Report with the whole catalogue: relation checks through the Python backend, then the
format rules; and the same for a path, with unreadable files turned into results, not tracebacks."""

from __future__ import annotations

import os
from pathlib import Path

from xltools.errors import XltoolsError, user_message
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
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException as exc:  # a reader's panic too: the batch goes on
        if os.environ.get("XLTOOLS_DEBUG") and not isinstance(exc, XltoolsError):
            raise
        return [failed(path, exc)]


def failed(path: str | Path, exc: BaseException) -> CheckResult:
    """The result of a file that could not be judged (`exc` met on it, a dead worker included): the
    typed Chinese reason, in the same envelope as every other file's result."""
    return CheckResult(str(path), None, None, None, error=user_message(exc, path))
