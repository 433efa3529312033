"""What every part of the checker shares: the report (or none, for text alone), the findings made
so far and the claims a rate or a sum has accounted for."""

from __future__ import annotations

from decimal import Decimal

from xltools.model import Cell, Report
from xltools.narrative import given
from xltools.narrative.claims import Claim
from xltools.narrative.inputs import Inputs
from xltools.narrative.outcomes import Outcome
from xltools.narrative.sums import Share
from xltools.narrative.vocab import Vocabulary, vocabulary
from xltools.vocabulary import Severity, Verdict

TEXT_ONLY = "（仅按文字自身核对）"


class CheckerBase:
    def __init__(self, report: Report | None, inputs: Inputs | None = None) -> None:
        self.report = report  # None: the text is checked against itself alone
        self.inputs = inputs  # with it, prior-year, 年初预算 and 政府采购 figures are checked too
        self.vocab: dict[str, Vocabulary] = {}
        self.item: str | None = None  # the 项 code the current paragraph's heading speaks of
        self.item_name: str | None = None  # and its name as the heading writes it
        self.out: list[tuple[tuple[int, int], Outcome]] = []
        self.unplaced: list[tuple[Claim, str]] = []  # amounts not placed, and why: N0
        self.used: set[int] = set()  # ids of claims a rate or a sum checked
        self.placed_values: dict[int, Decimal] = {}  # amount id → the table figure it was placed on
        self.slips: set[int] = set()  # amounts already reported as 元 for 万元 (N5)
        self.checked_changes: set[int] = set()  # changes already checked against a stated base
        self.shares: list[Share] = []  # the shares of the current paragraph, summed at its end (N7)

    @property
    def text_only(self) -> bool:
        return self.report is None

    def words(self, section: str) -> Vocabulary | None:
        if self.report is None:
            return None
        if section not in self.vocab:
            extra = given.phrases(self.inputs, section) if self.inputs else {}
            self.vocab[section] = vocabulary(self.report, section, extra=extra)
        return self.vocab[section]

    def emit(
        self,
        c: Claim,
        rule: str,
        verdict: str,
        message: str,
        cells: tuple[Cell, ...] = (),
        expected: Decimal | None = None,
        actual: Decimal | None = None,
        quote: str | None = None,
    ) -> None:
        v = Verdict(verdict)  # a misspelt verdict fails here, not in a report
        severity = Severity.ERROR if v == Verdict.ERROR else Severity.WARNING
        diff = None if expected is None or actual is None else actual - expected
        said = c.quote() if quote is None else quote
        where = TEXT_ONLY if self.text_only and rule != "N0" else ""
        outcome = Outcome(
            rule,
            severity,
            v,
            cells,
            expected,
            actual,
            diff,
            f"{message}{where}（“{said}”）",
            c.location,
        )
        self.out.append(((c.paragraph.number, c.index), outcome))

    def outcomes(self) -> list[Outcome]:
        return [o for _, o in sorted(self.out, key=lambda ko: ko[0])]

    def slip(self, amount: Claim, message: str) -> None:
        """N5 once per amount: written in 元 where the figures around it are 万元."""
        self.used.add(id(amount))
        if id(amount) not in self.slips:
            self.slips.add(id(amount))
            self.emit(amount, "N5", "warning", message, (), None, amount.value)

    def not_placed(self, c: Claim, why: str) -> None:
        self.unplaced.append((c, why))
