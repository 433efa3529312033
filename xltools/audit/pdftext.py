"""The text layer of a PDF as upright pages of ruled tables and lines (pdfplumber, MIT).

Pages are turned upright first — by /Rotate and by the direction of the text — because a table
read sideways comes out transposed. The upright copy is kept (bytes) so the annotated PDF uses the
same geometry the findings carry."""

from __future__ import annotations

import bisect
import io
import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from xltools.audit.cells import BBox, Cell, Line, Page, TableGrid
from xltools.audit.intake import UnreadableReport, classify, refuse_path

if TYPE_CHECKING:
    import pdfplumber
    import pdfplumber.page

GAP_FACTOR = 2.5  # a gap wider than this many character heights splits a printed line in two


@dataclass
class PdfText:
    """A PDF read upright: its pages, and the upright file itself (for annotation)."""

    path: str
    pages: list[Page]
    upright: bytes


def read_pdf(path: str | Path) -> PdfText:
    """Every page of the PDF at `path`, upright, with its tables and lines.

    Raises UnreadableReport (Chinese message, exit 2) for what is not a readable PDF."""
    import pdfplumber
    from pdfminer.pdfparser import PDFSyntaxError

    p = refuse_path(Path(path))
    data = p.read_bytes()
    try:
        pdf = pdfplumber.open(io.BytesIO(data))
        try:
            turned = _upright(data, pdf)
            if turned is not None:
                pdf.close()
                data = turned
                pdf = pdfplumber.open(io.BytesIO(data))
            pages = [_page(pg) for pg in pdf.pages]
        finally:
            pdf.close()
    except UnreadableReport as exc:
        exc.path = str(path)
        raise UnreadableReport(exc.message, path=str(path), hint=exc.hint) from exc
    except (PDFSyntaxError, ValueError, KeyError, TypeError, AttributeError, OSError) as exc:
        raise UnreadableReport(
            f"PDF 文件已损坏，无法读取（{type(exc).__name__}）",
            path=str(path),
            hint="请重新导出或下载该 PDF 后再试",
        ) from exc
    except Exception as exc:  # pdfminer/pypdf raise their own types for damaged files
        if type(exc).__module__.split(".")[0] not in ("pdfminer", "pypdf", "pdfplumber"):
            raise
        raise UnreadableReport(
            "PDF 文件已损坏或已加密，无法读取", path=str(path), hint="请重新导出（不设密码）后再试"
        ) from exc
    if not pages:
        raise UnreadableReport("PDF 文件没有任何页面", path=str(path), hint="请检查文件是否完整")
    return PdfText(str(path), pages, data)


def _upright(data: bytes, pdf: pdfplumber.PDF) -> bytes | None:
    """The PDF with every page turned so its text reads left to right, /Rotate baked into the
    content (so page coordinates are plain); None when nothing needs turning."""
    turns = [_turn(pg.chars) for pg in pdf.pages]
    rotated = [int(pg.page_obj.attrs.get("Rotate", 0) or 0) % 360 for pg in pdf.pages]
    if not any(turns) and not any(rotated):
        return None
    import pypdf

    reader = pypdf.PdfReader(io.BytesIO(data))
    writer = pypdf.PdfWriter(clone_from=reader)
    for page, turn, rot in zip(writer.pages, turns, rotated, strict=True):
        if turn or rot:
            bake(page, (rot + turn) % 360)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def bake(page: Any, turn: int) -> None:
    """Turn the page content `turn` degrees clockwise with an exact matrix (pypdf's own uses sines,
    whose 1e-16 remainders make ruled lines slightly slanted and lose the table), /Rotate cleared."""
    from pypdf.generic import NameObject, NumberObject, RectangleObject

    x0, y0, x1, y1 = (float(v) for v in page.mediabox)
    w, h = x1 - x0, y1 - y0
    matrix, box = {
        0: ((1, 0, 0, 1, -x0, -y0), (0, 0, w, h)),
        90: ((0, -1, 1, 0, -y0, x1), (0, 0, h, w)),
        180: ((-1, 0, 0, -1, x1, y1), (0, 0, w, h)),
        270: ((0, 1, -1, 0, y1, -x0), (0, 0, h, w)),
    }[turn]
    page.add_transformation(matrix)
    page.mediabox = RectangleObject(box)
    page.cropbox = RectangleObject(box)
    page[NameObject("/Rotate")] = NumberObject(0)


def _turn(chars: Sequence[dict[str, Any]]) -> int:
    """The clockwise turn (0/90/180/270) that makes most of the page's characters read upright."""
    votes: Counter[int] = Counter()
    for ch in chars[:400]:
        a, b = ch["matrix"][0], ch["matrix"][1]
        angle = round(math.degrees(math.atan2(b, a)) / 90) * 90 % 360
        votes[angle] += 1
    if not votes:
        return 0
    angle = votes.most_common(1)[0][0]
    return angle  # text at +90° (running upward) needs a 90° clockwise turn, and so on


def _page(pg: pdfplumber.page.Page) -> Page:
    number = pg.page_number
    found = pg.find_tables()
    tables = tuple(_grid(number, t, pg.chars) for t in found)
    boxes = [t.bbox for t in found]
    lines = tuple(line for line in page_lines(pg) if not any(_inside(line.bbox, b) for b in boxes))
    kind = classify(bool(pg.chars), bool(pg.images), tables, lines)
    return Page(number, float(pg.width), float(pg.height), kind, tables, lines)


def _grid(number: int, table: Any, chars: Sequence[dict[str, Any]]) -> TableGrid:
    """The table's cells, each with the tight box of the characters it prints (its ruled box when
    empty), so a box read back gives exactly the cell's text."""
    texts = table.extract()
    boxes = [list(row.cells) for row in table.rows]
    tight = _tight_boxes(boxes, chars)
    rows: list[tuple[Cell | None, ...]] = []
    for i, row_texts in enumerate(texts):
        cells: list[Cell | None] = []
        for j, text in enumerate(row_texts):
            box = boxes[i][j]
            cells.append(None if box is None else Cell(text or "", number, _box(tight.get((i, j), box))))
        rows.append(tuple(cells))
    return TableGrid(number, _box(table.bbox), tuple(rows))


def _tight_boxes(
    boxes: list[list[Any]], chars: Sequence[dict[str, Any]]
) -> dict[tuple[int, int], tuple[float, float, float, float]]:
    """(row, col) → the union box of the characters whose centre falls in that cell."""
    out: dict[tuple[int, int], tuple[float, float, float, float]] = {}
    tops = [min((b[1] for b in row if b is not None), default=0.0) for row in boxes]
    for ch in chars:
        cx, cy = (ch["x0"] + ch["x1"]) / 2, (ch["top"] + ch["bottom"]) / 2
        i = bisect.bisect_right(tops, cy) - 1
        if i < 0 or not ch["text"].strip():
            continue
        for j, b in enumerate(boxes[i]):
            if b is not None and b[0] <= cx <= b[2] and b[1] <= cy <= b[3]:
                old = out.get((i, j))
                box = (float(ch["x0"]), float(ch["top"]), float(ch["x1"]), float(ch["bottom"]))
                out[(i, j)] = box if old is None else _union(old, box)
                break
    return out


def _union(
    a: tuple[float, float, float, float], b: tuple[float, float, float, float]
) -> tuple[float, float, float, float]:
    return (min(a[0], b[0]), min(a[1], b[1]), max(a[2], b[2]), max(a[3], b[3]))


def _box(b: Iterable[float]) -> BBox:
    x0, top, x1, bottom = (round(float(v), 2) for v in b)
    return (x0, top, x1, bottom)


def _inside(inner: BBox, outer: BBox) -> bool:
    cx, cy = (inner[0] + inner[2]) / 2, (inner[1] + inner[3]) / 2
    return outer[0] <= cx <= outer[2] and outer[1] <= cy <= outer[3]


def page_lines(pg: pdfplumber.page.Page) -> list[Line]:
    """The page's printed lines, a line cut in two where a gap is wider than GAP_FACTOR characters
    ('部门：…' on the left and '单位：万元' on the right are two lines)."""
    out: list[Line] = []
    for tl in pg.extract_text_lines(return_chars=True, strip=True):
        chars = [c for c in tl["chars"] if c["text"].strip()]
        run: list[dict[str, Any]] = []
        for ch in chars:
            size = max(1.0, float(ch["bottom"]) - float(ch["top"]))
            if run and float(ch["x0"]) - float(run[-1]["x1"]) > GAP_FACTOR * size:
                out.append(_line(pg.page_number, run))
                run = []
            run.append(ch)
        if run:
            out.append(_line(pg.page_number, run))
    return out


def _line(number: int, chars: list[dict[str, Any]]) -> Line:
    text = _join(chars)
    box = (
        min(float(c["x0"]) for c in chars),
        min(float(c["top"]) for c in chars),
        max(float(c["x1"]) for c in chars),
        max(float(c["bottom"]) for c in chars),
    )
    return Line(text, number, _box(box))


def _join(chars: list[dict[str, Any]]) -> str:
    """Characters joined, a space where a visible gap separates two words."""
    out = []
    for prev, ch in zip([None, *chars[:-1]], chars, strict=True):
        if prev is not None:
            size = max(1.0, float(ch["bottom"]) - float(ch["top"]))
            if float(ch["x0"]) - float(prev["x1"]) > 0.3 * size:
                out.append(" ")
        out.append(ch["text"])
    return "".join(out)
