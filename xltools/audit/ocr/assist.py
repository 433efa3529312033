"""The scan source plugged into the one audit pipeline: scanned pages read by OCR before
identification, and after the rules every finding on OCR'd cells given its confidence — a failing
rule becomes 核对原件 (look at the original, with a crop of its cells) unless every cell was read
surely and the second reading agrees."""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from xltools.audit.cells import BBox, Cell, Page, TableGrid
from xltools.audit.ocr import available
from xltools.rules.results import Finding
from xltools.vocabulary import Verdict

if TYPE_CHECKING:
    from xltools.audit.rebuild import Rebuilt

# a term the rule found no row for (the catalogue's no_cells text): on a scan the row may be printed
# under a label OCR misread, so such a failure is never confirmed
_ABSENT = "未列示"
_UNREADABLE = (
    "F0"  # a table or line the reader could not recognise: the prose may be held against the wrong figure
)
SHOW_PROGRESS = False  # the audit command turns the per-page bar on (a terminal, no --no-progress)


def ocr_pages(pdf: bytes, pages: list[Page]) -> tuple[list[Page], bytes]:
    """The pages with every scanned one (kind "scan") read by OCR: its ruled tables and lines, and
    its kind as a text page would have it; and the PDF with the pages OCR found lying sideways or
    upside down turned upright (what crops and the annotated PDF are cut from). Unchanged without
    the [ocr] extra."""
    scans = [p for p in pages if p.kind == "scan"]
    if not scans or not available():
        return pages, pdf
    from xltools.audit.intake import classify
    from xltools.audit.ocr.scan import read_scan

    bar = _bar(len(scans)) if SHOW_PROGRESS else None
    read = {s.page: s for s in read_scan(pdf, [p.number for p in scans], bar)}
    out = []
    for p in pages:
        s = read.get(p.number)
        if s is None or not (s.tables or s.lines):
            out.append(p)
            continue
        kind = classify(True, True, s.tables, s.lines)
        width, height = (p.height, p.width) if s.turn in (90, 270) else (p.width, p.height)
        out.append(
            replace(p, kind=kind, tables=s.tables, lines=s.lines, width=width, height=height, rotation=s.turn)
        )
    turns = {s.page: s.turn for s in read.values() if s.turn}
    return out, (_turn_pages(pdf, turns) if turns else pdf)


def _turn_pages(pdf: bytes, turns: dict[int, int]) -> bytes:
    """The PDF with page n turned turns[n] degrees clockwise, baked into its content."""
    import io

    import pypdf

    from xltools.audit.pdftext import bake

    writer = pypdf.PdfWriter(clone_from=pypdf.PdfReader(io.BytesIO(pdf)))
    for number, turn in turns.items():
        bake(writer.pages[number - 1], turn)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _bar(total: int) -> Callable[[int], None]:
    done = [0]

    def step(page: int) -> None:
        done[0] += 1
        filled = 30 * done[0] // total
        sys.stderr.write(
            f"\r识别扫描页 [{'#' * filled}{'.' * (30 - filled)}] {done[0]}/{total}（第{page}页）"
        )
        if done[0] == total:
            sys.stderr.write("\n")
        sys.stderr.flush()

    return step


def ocr_cells(pages: Sequence[Page]) -> dict[tuple[int, BBox], tuple[Cell, TableGrid]]:
    """Every OCR'd table cell of the pages, with its table, by (page, bbox) — how a rebuilt sheet
    cell finds it."""
    return {
        (c.page, c.bbox): (c, t)
        for p in pages
        for t in p.tables
        for row in t.rows
        for c in row
        if c is not None and c.source == "ocr"
    }


def assess(
    findings: list[Finding], rebuilt: Rebuilt, pages: Sequence[Page], pdf: bytes | None
) -> tuple[list[Finding], dict[int, tuple[Cell, ...]]]:
    """Findings of a report with OCR'd pages, each with a confidence (the least of its cells' and,
    for a claim of the prose, its line's; else of its page's); an error there is 核对原件 unless
    confirmed (review.confirmed; a claim of the prose also needs its line read surely and the same
    numbers read again, and every table of the report recognised). Also: index of each 核对原件
    finding → its cells (and line), for the crops."""
    index = ocr_cells(pages)
    if not index:
        return findings, {}
    from xltools.audit.ocr.review import Pages, confirmed, line_agrees

    images = Pages(pdf) if pdf is not None else None
    least = _least_by_page(index)
    out: list[Finding] = []
    review: dict[int, tuple[Cell, ...]] = {}
    unread = any(f.rule == _UNREADABLE and f.verdict != Verdict.PASS for f in findings)
    for f in findings:
        found = _cells_of(f, rebuilt, index)
        cells = tuple(c for c, _ in found)
        tables = list({id(t): t for _, t in found}.values())
        line = _prose_line(f, pages)  # a claim of the prose: the OCR'd line that makes it
        sure = min(
            (_conf(c) for c in (*cells, *([line] if line else []))), default=least.get(f.page or 0, least[0])
        )
        f = replace(f, confidence=round(sure, 3), source="ocr")
        if f.verdict == Verdict.ERROR and not (
            cells
            and _ABSENT not in f.message
            and images is not None
            and confirmed(images, cells, tables)
            and (
                not f.rule.startswith("N") or (line is not None and not unread and line_agrees(images, line))
            )
        ):
            review[len(out)] = (*cells, *([line] if line else []))
            f = replace(
                f, verdict=Verdict.REVIEW, message=f"核对原件：{f.message}（扫描件识别，置信度 {sure:.2f}）"
            )
        out.append(f)
    return out, review


def _prose_line(f: Finding, pages: Sequence[Page]) -> Cell | None:
    """The OCR'd printed line a narrative finding stands on (its pieces joined), as a cell to crop
    and read again; None for a table finding or one not located on a line."""
    if not f.rule.startswith("N") or f.page is None or f.bbox is None:
        return None
    top, bottom = f.bbox[1], f.bbox[3]
    pieces = [
        ln
        for p in pages
        if p.number == f.page
        for ln in p.lines
        if ln.source == "ocr" and min(bottom, ln.bbox[3]) - max(top, ln.bbox[1]) > (bottom - top) / 2
    ]
    if not pieces:
        return None
    text = "".join(ln.text for ln in sorted(pieces, key=lambda ln: ln.bbox[0]))
    conf = min((ln.confidence if ln.confidence is not None else 1.0) for ln in pieces)
    return Cell(text, f.page, f.bbox, source="ocr", confidence=conf)


def _conf(c: Cell) -> float:
    return c.confidence if c.confidence is not None else 1.0


def _least_by_page(index: dict[tuple[int, BBox], tuple[Cell, TableGrid]]) -> dict[int, float]:
    """The least confidence of an OCR'd cell on each page; key 0: of the whole report."""
    least: dict[int, float] = {}
    for (page, _), (cell, _) in index.items():
        least[page] = min(least.get(page, 1.0), _conf(cell))
    least[0] = min(least.values())
    return least


def _cells_of(
    f: Finding, rebuilt: Rebuilt, index: dict[tuple[int, BBox], tuple[Cell, TableGrid]]
) -> list[tuple[Cell, TableGrid]]:
    found = []
    for sheet_cell in f.cells:
        where = rebuilt.where(sheet_cell)
        hit = index.get(where) if where is not None else None
        if hit is not None:
            found.append(hit)
    return found


def write_crops(
    findings: list[Finding], review: dict[int, tuple[Cell, ...]], pdf: bytes, out: Path
) -> list[Finding]:
    """A PNG crop of each 核对原件 finding's cells in `out` (made when needed); the findings with the
    crop's file name set."""
    if not review:
        return findings
    from xltools.audit.ocr.review import Pages, write_crop

    images = Pages(pdf)
    done = list(findings)
    for i, cells in review.items():
        png = write_crop(images, cells, out / f"核对原件-{i + 1:03d}.png")
        if png is not None:
            done[i] = replace(findings[i], crop=str(png))
    return done
