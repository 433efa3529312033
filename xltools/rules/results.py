"""Findings and results: a table of every failure, in text, versioned JSON, JUnit XML or pandas."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import MISSING, dataclass, field, fields
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from xltools.model import Cell
from xltools.vocabulary import FAILURES, SEVERITY_LABELS, VERDICT_LABELS, Severity, Verdict

if TYPE_CHECKING:
    import pandas as pd

RESULT_VERSION = 1
__all__ = ["SEVERITY_LABELS", "VERDICT_LABELS", "CheckResult", "Finding"]


@dataclass(frozen=True)
class Finding:
    """One outcome of one check: where, what was expected, what stands there, and why."""

    rule: str
    severity: Severity
    verdict: Verdict
    cells: tuple[Cell, ...]
    expected: Decimal | None
    actual: Decimal | None
    difference: Decimal | None
    message: str
    location: str = ""
    page: int | None = None  # a published PDF's page the finding stands on (xltools audit)
    bbox: tuple[float, float, float, float] | None = None  # its box on that page, points, top-left origin
    source: str | None = None  # "ocr": its amounts were read from a scan (xltools audit)
    confidence: float | None = None  # OCR: how sure the least sure reading of its cells is, 0..1
    crop: str | None = None  # OCR 核对原件: the PNG of its cells on the scan (audit -o)

    @property
    def where(self) -> str:
        return self.location or (self.cells[0].a1() if self.cells else "")

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "rule": self.rule,
            "severity": self.severity,
            "verdict": self.verdict,
            "location": self.where,
            "expected": _num(self.expected),
            "actual": _num(self.actual),
            "difference": _num(self.difference),
            "message": self.message,
        }
        if self.page is not None:
            out["page"] = self.page
            out["bbox"] = list(self.bbox) if self.bbox else None
        if self.source is not None:
            out |= {"source": self.source, "confidence": self.confidence, "crop": self.crop}
        return out


def _num(d: Decimal | None) -> str | None:
    return None if d is None else format_amount(d)


def format_amount(d: Decimal) -> str:
    """-9.02, 0.01, 1022.32; more places only when the value has them."""
    q = d.quantize(Decimal("0.01")) if d == d.quantize(Decimal("0.01")) else d.normalize()
    return f"{q:f}"


@dataclass
class CheckResult:
    """The findings of one workbook. `findings` holds every outcome (passes included)."""

    path: str
    format: str | None
    department: str | None
    year: int | None
    findings: list[Finding] = field(default_factory=list)
    error: str | None = None  # the file could not be read: why, in Chinese
    unlisted_passes: int = 0  # passes counted but not kept in `findings` (checked without --all)

    def count(self, verdict: Verdict) -> int:
        listed = sum(1 for f in self.findings if f.verdict == verdict)
        return listed + self.unlisted_passes if verdict == Verdict.PASS else listed

    @property
    def summary(self) -> dict[str, int]:
        out = {
            "errors": self.count(Verdict.ERROR),
            "tails": self.count(Verdict.TAIL),
            "warnings": self.count(Verdict.WARNING),
            "format": self.count(Verdict.FORMAT),
            "passed": self.count(Verdict.PASS),
        }
        review = self.count(Verdict.REVIEW)  # only an audit of a scan has them
        return out | {"review": review} if review else out

    @property
    def failures(self) -> list[Finding]:
        return [f for f in self.findings if f.verdict in FAILURES]

    @property
    def exit_code(self) -> int:
        if self.error:
            return 2
        return 1 if self.count(Verdict.ERROR) else 0

    def to_dict(self, include_passes: bool = False) -> dict[str, Any]:
        shown = self.findings if include_passes else self.failures
        return {
            "path": self.path,
            "format": self.format,
            "department": self.department,
            "year": self.year,
            "error": self.error,
            "findings": [f.to_dict() for f in shown],
            "summary": self.summary,
        }

    def to_frame(self) -> pd.DataFrame:
        """Every finding as a pandas DataFrame (one row a finding)."""
        import pandas as pd

        return pd.DataFrame(
            [f.to_dict() for f in self.findings],
            columns=[
                "rule",
                "severity",
                "verdict",
                "location",
                "expected",
                "actual",
                "difference",
                "message",
            ],
        )


_UNSET = {f.name: f.default for f in fields(Finding) if f.default is not MISSING}


def plain_finding(
    rule: str, severity: Severity, verdict: Verdict, cells: tuple[Cell, ...], message: str
) -> Finding:
    """Finding(rule, severity, verdict, cells, None, None, None, message): a finding that compares no
    amounts (a format rule), made without the frozen dataclass's per-field set — a consolidated book
    may give tens of thousands of them."""
    made = object.__new__(Finding)
    d = made.__dict__
    d.update(_UNSET)
    d.update(rule=rule, severity=severity, verdict=verdict, cells=cells, expected=None, actual=None)
    d.update(difference=None, message=message)
    return made


def batch_summary(results: Iterable[CheckResult] | Iterable[Rendered]) -> dict[str, int]:
    """Totals of a batch: `files` counts workbooks (a workbook of several units gives several results),
    `units` is there only when the results outnumber the files."""
    tally = Tally()
    for r in results:
        tally.add(r)
    return tally.total()


@dataclass
class Tally:
    """The running totals of a batch, kept while its results stream past (no result is held)."""

    paths: set[str] = field(default_factory=set)
    unreadable: set[str] = field(default_factory=set)
    results: int = 0
    counts: dict[str, int] = field(default_factory=dict)
    exit_code: int = 0
    errors: list[str] = field(default_factory=list)  # why each unreadable file could not be read

    def add(self, r: CheckResult | Rendered) -> None:
        self.paths.add(r.path)
        self.results += 1
        if r.error:
            self.unreadable.add(r.path)
            self.errors.append(r.error)
        for k, v in r.summary.items():
            self.counts[k] = self.counts.get(k, 0) + v
        self.exit_code = max(self.exit_code, r.exit_code)

    def total(self) -> dict[str, int]:
        total = {"files": len(self.paths), "unreadable": len(self.unreadable)}
        if self.results > len(self.paths):
            total["units"] = self.results
        return total | self.counts


@dataclass(frozen=True)
class Rendered:
    """One workbook's result as a batch keeps it: its piece of the output (text, JSON or JUnit), its
    counts, exit code and error — small, so a batch of thousands holds no findings."""

    path: str
    piece: str
    summary: dict[str, int]
    exit_code: int
    error: str | None


def render(r: CheckResult, output: str, include_passes: bool = False, units: int = 1) -> Rendered:
    """`r`'s piece of an `output` ('text', 'json' or 'junit') document; `assemble` joins the pieces.
    `units`: how many results its workbook gave (JUnit names each unit's suite when more than one)."""
    if output == "json":
        body = json.dumps(r.to_dict(include_passes), ensure_ascii=False, indent=2)
        piece = "\n".join("    " + line for line in body.splitlines())
    elif output == "junit":
        piece = "\n".join(_junit_suite(r, units))
    else:
        piece = "\n".join(_file_text(r, include_passes))
    return Rendered(r.path, piece, r.summary, r.exit_code, r.error)


def assemble(pieces: list[Rendered], output: str) -> str:
    """The whole document of a batch from its pieces, exactly as one `json.dumps`/text/JUnit of all."""
    out: list[str] = []
    write_document(pieces, output, out.append)
    return "".join(out)


def write_document(pieces: Iterable[Rendered], output: str, write: Callable[[str], object]) -> Tally:
    """Write the document of a batch (`output`: 'text', 'json' or 'junit') piece by piece as the
    pieces come: a batch of any size holds one piece at a time. Returns the batch's tally."""
    tally = Tally()
    if output == "json":
        write(f'{{\n  "xltools_result_version": {RESULT_VERSION},\n  "files": ')
        first = True
        for p in pieces:
            tally.add(p)
            write(("[\n" if first else ",\n") + p.piece)
            first = False
        write("[]" if first else "\n  ]")
        summary = json.dumps(tally.total(), ensure_ascii=False, indent=2).replace("\n", "\n  ")
        write(f',\n  "summary": {summary}\n}}')
        return tally
    if output == "junit":
        write('<?xml version="1.0" encoding="UTF-8"?>\n<testsuites>\n')
        for p in pieces:
            tally.add(p)
            write(p.piece + "\n")
        write("</testsuites>\n")
        return tally
    last: str | None = None  # held back: the document's end is stripped of trailing blank lines
    for p in pieces:
        tally.add(p)
        if last is not None:
            write(last + "\n")
        last = p.piece
    b = tally.total()
    if tally.results > 1:
        units = f"、{b['units']} 个单位" if "units" in b else ""
        last = (last or "") + (
            f"\n共 {b['files']} 个文件{units}（无法读取 {b['unreadable']} 个）："
            f"错误 {b.get('errors', 0)} 项，尾差 {b.get('tails', 0)} 项，"
            f"提示 {b.get('warnings', 0)} 项，格式 {b.get('format', 0)} 项"
        )
    write((last or "").rstrip() + "\n")
    return tally


def to_json(results: list[CheckResult], include_passes: bool = False) -> str:
    return assemble([render(r, "json", include_passes) for r in results], "json")


def _width(s: str) -> int:
    return sum(2 if ord(ch) > 0x2E7F else 1 for ch in s)


def _pad(s: str, w: int) -> str:
    return s + " " * max(0, w - _width(s))


HEADERS = ["规则", "级别", "结论", "位置", "应为", "实为", "差额", "说明"]


def to_text(results: list[CheckResult], include_passes: bool = False) -> str:
    """The human view: per workbook a table of findings and a count line; a total line for a batch."""
    return assemble([render(r, "text", include_passes) for r in results], "text")


def _file_text(r: CheckResult, include_passes: bool) -> list[str]:
    title = f"文件：{r.path}"
    if r.error:
        return [title, f"  无法读取：{r.error}", ""]
    lines = [f"{title}（格式 {r.format}，部门 {r.department or '未注明'}，年度 {r.year or '未注明'}）"]
    lines += _table([_row(f) for f in (r.findings if include_passes else r.failures)])
    na = r.count(Verdict.NA)
    if na:
        missing = "、".join(sorted({f.rule for f in r.findings if f.verdict == Verdict.NA}))
        lines.append(f"  不适用 {na} 项（工作簿缺少所需的表，或表无法识别）：{missing}")
    s = r.summary
    review = f"核对原件 {s['review']} 项，" if "review" in s else ""
    lines.append(
        f"  错误 {s['errors']} 项，{review}尾差 {s['tails']} 项，提示 {s['warnings']} 项，"
        f"格式 {s['format']} 项，通过 {s['passed']} 项"
    )
    return [*lines, ""]


def _row(f: Finding) -> list[str]:
    return [
        f.rule,
        SEVERITY_LABELS[f.severity],
        VERDICT_LABELS[f.verdict],
        f.where,
        _num(f.expected) or "",
        _num(f.actual) or "",
        _num(f.difference) or "",
        f.message,
    ]


def _table(rows: list[list[str]]) -> list[str]:
    """Columns padded to their widest cell (CJK characters count double); the last one free."""
    if not rows:
        return []
    widths = [max(_width(x) for x in col) for col in zip(HEADERS, *rows, strict=False)]
    widths[-1] = 0
    return [
        "  " + "  ".join(_pad(c, w) for c, w in zip(row, widths, strict=True)).rstrip()
        for row in [HEADERS, *rows]
    ]


def to_junit(results: list[CheckResult]) -> str:
    """JUnit XML: a test suite per workbook, a test case per finding (errors fail, the rest pass or skip)."""
    counts = Counter(r.path for r in results)  # a workbook of several units: one suite per unit
    return assemble([render(r, "junit", units=counts[r.path]) for r in results], "junit")


def _junit_suite(r: CheckResult, units: int) -> list[str]:
    from xml.sax.saxutils import escape, quoteattr

    cases = r.findings
    suite = f"{r.path}（{r.department}）" if units > 1 and r.department else r.path
    failures = sum(1 for f in cases if f.verdict == Verdict.ERROR)
    errors = 1 if r.error else 0
    out = [
        f"  <testsuite name={quoteattr(suite)} tests={quoteattr(str(max(len(cases), 1)))} "
        f"failures={quoteattr(str(failures))} errors={quoteattr(str(errors))}>"
    ]
    if r.error:
        out.append(
            f'    <testcase classname={quoteattr(r.path)} name="读取">'
            f"<error message={quoteattr(r.error)}/></testcase>"
        )
    for f in cases:
        name = quoteattr(f"{f.rule} {f.where}")
        out.append(f"    <testcase classname={quoteattr(f.rule)} name={name}>")
        if f.verdict == Verdict.ERROR:
            out.append(f"      <failure message={quoteattr(f.message)}>{escape(_detail(f))}</failure>")
        elif f.verdict in FAILURES:
            out.append(
                f"      <system-out>{escape(VERDICT_LABELS[f.verdict] + '：' + _detail(f))}</system-out>"
            )
        out.append("    </testcase>")
    out.append("  </testsuite>")
    from xltools.errors import printable

    return [printable(line) for line in out]  # no control character from a cell breaks the XML


def _detail(f: Finding) -> str:
    parts = [f.message]
    if f.expected is not None:
        parts.append(f"应为 {_num(f.expected)}，实为 {_num(f.actual)}，差额 {_num(f.difference)}")
    return "；".join(parts)
