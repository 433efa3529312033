"""The prose of a published report: paragraphs cut by layout (a short line ends one, an indent
starts one), part three checked by the existing narrative check against the rebuilt tables."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from xltools.audit.cells import Line, Page
from xltools.audit.identify import PAGE_NUMBER
from xltools.rules.results import Finding
from xltools.text import squash

if TYPE_CHECKING:
    from xltools.model import Report

_QUOTE = re.compile(r"（“(.+?)”）$")


@dataclass
class Paragraph:
    text: str
    lines: list[Line]


@dataclass
class Prose:
    """What became of the prose: `status` says it in Chinese for the summary."""

    status: str
    paragraphs: list[Paragraph] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    checked: bool = False


def paragraphs(pages: list[Page]) -> list[Paragraph]:
    """The prose pages' text as paragraphs, split by layout."""
    printed = [
        line
        for p in pages
        if p.kind in ("prose", "cover")  # a last page of two lines is prose too; part_three() cuts
        for line in _printed_lines(p.lines)
        if not PAGE_NUMBER.match(squash(line.text))
    ]
    if not printed:
        return []
    left = Counter(round(ln.bbox[0]) for ln in printed).most_common(1)[0][0]
    right = max(ln.bbox[2] for ln in printed)
    out: list[Paragraph] = []
    ended = True
    for ln in printed:
        size = max(1.0, ln.bbox[3] - ln.bbox[1])
        indented = ln.bbox[0] > left + 1.2 * size
        if ended or indented or not out:
            out.append(Paragraph(ln.text, [ln]))
        else:
            out[-1].text += ln.text
            out[-1].lines.append(ln)
        ended = ln.bbox[2] < right - 2 * size
    return out


def _printed_lines(lines: tuple[Line, ...]) -> list[Line]:
    """Line pieces on one baseline joined back into the printed line."""
    out: list[Line] = []
    for ln in sorted(lines, key=lambda line: (line.bbox[1], line.bbox[0])):
        last = out[-1] if out else None
        if last is not None and ln.bbox[1] < (last.bbox[1] + last.bbox[3]) / 2:
            box = (
                min(last.bbox[0], ln.bbox[0]),
                min(last.bbox[1], ln.bbox[1]),
                max(last.bbox[2], ln.bbox[2]),
                max(last.bbox[3], ln.bbox[3]),
            )
            out[-1] = Line(f"{last.text} {ln.text}", ln.page, box, ln.source, ln.confidence)
        else:
            out.append(ln)
    return out


def check_prose(pages: list[Page], report: Report | None) -> Prose:
    """Part three checked by the narrative check: against `report` (the rebuilt tables), or, for a
    report without tables (a 绩效自评报告), against itself alone."""
    paras = paragraphs(pages)
    if not any("万元" in p.text or "%" in p.text for p in paras):
        return Prose("无说明文字", paras)
    from xltools.narrative import check_text

    checked = check_text("\n".join(p.text for p in paras), report)
    if not checked.claims:
        return Prose("无说明文字", paras)
    findings = [_locate(f, paras) for f in checked.findings()]
    bad = sum(1 for f in findings if f.verdict == "error")
    alone = "（仅对照文字本身，没有公开表）" if report is None else ""
    status = f"已核对{alone}：{len(checked.claims)} 个数字，{bad} 处错误"
    return Prose(status, paras, findings, checked=True)


def _locate(f: Finding, paras: list[Paragraph]) -> Finding:
    """The finding with the page and box of the line its quoted words stand on (the whole quote
    first, else its opening words)."""
    m = _QUOTE.search(f.message)
    if not m:
        return f
    quote = squash(m.group(1).rstrip("…"))
    for wanted in (quote, quote[:12]):
        for p in paras:
            joined = ""
            for ln in p.lines:
                joined += squash(ln.text)
                if wanted and wanted in joined:
                    return replace(f, location=f"第{ln.page}页 {f.location}", page=ln.page, bbox=ln.bbox)
    return f
