"""The outcome of checking a 情况说明: one judged claim each, rule ids N0–N7, and the bridge to the
findings and CheckResult of `xltools check`."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from xltools.model import Report
from xltools.narrative.claims import Claim
from xltools.rules.results import CheckResult, Finding

RULES = {
    "N0": "未能定位的数字",
    "N1": "金额与表中数不符",
    "N2": "占比或增减率计算有误",
    "N3": "百分比截位而非四舍五入",
    "N4": "类款项名称与公开05不符",
    "N5": "金额单位写作元",
    "N6": "基数为零却给出百分比",
    "N7": "同一总数的各项占比合计不为100%",
    "N8": "所述金额与其分项之和不符",
}


# One judged claim is a Finding (xltools/rules/results.py): rule, severity, verdict, cells, expected,
# actual, difference, message (without the rule's title, which findings() adds), location.
# N0, not placed, is a warning: listed, never dropped.
Outcome = Finding


@dataclass
class NarrativeCheck:
    """All claims found, and what each came to."""

    claims: list[Claim] = field(default_factory=list)
    outcomes: list[Outcome] = field(default_factory=list)

    @property
    def placed(self) -> int:
        """Claims matched to a table cell or checked for their arithmetic (all but the N0 ones)."""
        return len(self.claims) - len(self.unplaced)

    @property
    def flagged(self) -> list[Outcome]:
        """Claims found wrong (errors and warnings, not the N0 list of claims not placed)."""
        return [o for o in self.outcomes if o.verdict in ("error", "tail", "warning") and o.rule != "N0"]

    @property
    def errors(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.verdict == "error"]

    @property
    def unplaced(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.rule == "N0"]

    def findings(self) -> list[Finding]:
        """The outcomes as xltools findings (what `xltools check` reports): each problem titled
        by its rule."""
        return [
            o if o.verdict == "pass" else replace(o, message=f"{RULES[o.rule]}：{o.message}")
            for o in self.outcomes
        ]  # a pass is not titled by what the rule guards against ('金额与表中数不符：…相符')

    def result(self, report: Report | None, path: str, year: int | None = None) -> CheckResult:
        """A CheckResult for the written report at `path` (same output and exit codes as check);
        without a workbook the format reads 仅文字."""
        if report is None:
            return CheckResult(path, "仅文字", None, year, self.findings())
        return CheckResult(path, report.format.id, report.department, report.year, self.findings())

    def counts(self) -> dict[str, int]:
        return {
            "found": len(self.claims),
            "placed": self.placed,
            "flagged": len(self.flagged),
            "errors": len(self.errors),
            "unplaced": len(self.unplaced),
        }
