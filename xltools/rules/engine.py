"""Judge a Report with the whole catalogue: relation checks through the layout's compiled plan, then
the format rules; and the same for a path, with unreadable files turned into results, not tracebacks."""

from __future__ import annotations

import os
from pathlib import Path

from xltools.errors import XltoolsError, user_message
from xltools.model import Report
from xltools.perf import no_gc
from xltools.read.recall import Replayed, keep
from xltools.rules.findings import not_applicable, relation_findings
from xltools.rules.kinds import judged
from xltools.rules.plan import plan_for, replayed_plan, replayed_values
from xltools.rules.results import CheckResult
from xltools.vocabulary import Verdict


def evaluate(
    report: Report, passes: bool = True, replayed: tuple[Replayed, int] | None = None
) -> CheckResult:
    """Every finding of every rule over `report`: failures, not-applicable rules and — with `passes`
    — passes (else only counted). `replayed`: the report is unit n of a workbook read through a
    remembered layout, whose values go into the plan straight from the cells."""
    with no_gc():
        return _evaluate(report, passes, replayed)


def _evaluate(report: Report, passes: bool, replayed: tuple[Replayed, int] | None = None) -> CheckResult:
    plan = plan_for(report) if replayed is None else replayed_plan(report, *replayed)
    values = None if replayed is None else replayed_values(plan, *replayed)
    outcomes = plan.outcomes(plan.values(report) if values is None else values)
    findings = relation_findings(plan, outcomes, passes)
    unlisted = len(plan.checks) - len(findings)
    for f in judged(report):
        if passes or f.verdict != Verdict.PASS:
            findings.append(f)
        else:
            unlisted += 1
    findings.extend(not_applicable(rule, report) for rule in plan.not_applicable)
    return CheckResult(
        str(report.path), report.format.id, report.department, report.year, findings, unlisted_passes=unlisted
    )


def check_path(path: str | Path, passes: bool = True) -> CheckResult:
    """Read and judge one workbook (its first unit); a file that cannot be read gives a result with
    `.error` set."""
    return check_units(path, passes)[0]


def check_units(path: str | Path, passes: bool = True) -> list[CheckResult]:
    """One result per unit whose tables the workbook holds (部门 and 单位 side by side, say), each
    naming its unit in `.department`; a file that cannot be read gives one result with `.error`."""
    from xltools.read import read_or_replay

    try:
        with no_gc():  # no collector pass over the many small objects of a large book
            found = read_or_replay(path)
            if isinstance(found, Replayed):  # a layout seen before: values straight into the plan
                reports = found.reports()
                results = [evaluate(report, passes, (found, unit)) for unit, report in enumerate(reports)]
                if found.fresh:  # kept on disk with its compiled plans: the next run reads it by coordinates
                    keep(found, tuple(replayed_plan(r, found, unit) for unit, r in enumerate(reports)))
                return results
            return [evaluate(report, passes) for report in found]
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
